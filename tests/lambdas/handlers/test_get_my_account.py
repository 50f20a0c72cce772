"""GET /v1/accounts/me."""

from lambdas import aws

ADA = {"displayName": "Ada", "locale": "en-GB", "version": 0}


def test_get_my_account_before_any_write_is_version_0_with_defaults(api, stack):
    result = api.call("get_my_account")

    assert result.status == 200
    assert result.body == {"accountId": api.sub, "displayName": "New user", "locale": "en", "version": 0}


def test_get_my_account_returns_what_put_wrote(api, stack):
    api.call("put_my_account", body={"displayName": "Ada", "locale": "en-GB", "version": 0})

    result = api.call("get_my_account")

    assert result.status == 200
    assert result.body["displayName"] == "Ada"
    assert result.body["version"] == 1
    assert result.body["updatedAt"].endswith("Z")


def test_get_my_account_is_the_callers_own(api, stack):
    # GIVEN another caller wrote their account
    api.call("put_my_account", sub=api.other_sub, body={"displayName": "Eve", "locale": "fr", "version": 0})

    # WHEN the caller reads "me"
    result = api.call("get_my_account")

    # THEN they get their own (still unwritten) account
    assert result.body["accountId"] == api.sub
    assert result.body["version"] == 0


def test_get_my_account_without_identity_is_401(api, stack):
    result = api.call("get_my_account", sub=None)

    assert result.status == 401
    assert result.body["code"] == "UNAUTHORIZED"


def test_get_my_account_without_the_read_scope_is_403(api, stack):
    result = api.call("get_my_account", scopes=["api/items.read"])

    assert result.status == 403
    assert result.body["code"] == "FORBIDDEN"


def test_get_my_account_when_the_table_is_gone_is_500_without_internals(api, stack):
    stack.dynamodb.delete_table(TableName=stack.table_name)

    result = api.call("get_my_account")

    assert result.status == 500
    assert result.body["code"] == "INTERNAL_ERROR"
    assert result.body["requestId"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert "Table" not in result.body["message"]
    assert "field" not in result.body


def test_get_my_account_answers_its_consistency_token(api, stack):
    api.call("put_my_account", body=ADA)

    result = api.call("get_my_account")

    assert result.headers["Consistency-Token"] == "1"


def test_get_my_account_is_read_in_the_serving_replica_without_a_token(api, stack, add_region, monkeypatch):
    # GIVEN an account homed in us-east-1 at version 1 that has not reached eu-west-1 yet (moto does not replicate)
    add_region("eu-west-1")
    monkeypatch.setenv("HOME_REGION", "us-east-1")
    api.call("put_my_account", body=ADA)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    aws.reset()
    # WHEN eu-west-1 serves a read without a token, THEN it answers from its own replica (behind by the lag)
    assert api.call("get_my_account").body["version"] == 0


def test_get_my_account_with_a_newer_token_reads_the_home_replica(api, stack, add_region, monkeypatch):
    # GIVEN the same lagging replica in eu-west-1
    add_region("eu-west-1")
    monkeypatch.setenv("HOME_REGION", "us-east-1")
    token = api.call("put_my_account", body=ADA).headers["Consistency-Token"]
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    aws.reset()
    # WHEN the client sends back the token of its write
    result = api.call("get_my_account", headers={"Consistency-Token": token})
    # THEN the answer is at least that new: read from the account's home replica
    assert result.body["version"] == 1
    assert result.headers["Consistency-Token"] == "1"


def test_get_my_account_with_a_token_the_replica_has_reached_stays_local(api, stack, monkeypatch):
    api.call("put_my_account", body=ADA)
    monkeypatch.setenv("DYNAMODB_ENDPOINT_EU_WEST_1", "http://127.0.0.1:9")  # would fail if it were called
    monkeypatch.setenv("HOME_REGION", "eu-west-1")
    aws.reset()

    result = api.call("get_my_account", headers={"Consistency-Token": "1"})

    assert (result.status, result.body["version"]) == (200, 1)


def test_get_my_account_with_a_token_whose_home_is_down_is_503_never_older(api, stack, add_region, monkeypatch):
    # GIVEN an account homed in us-east-1 and a lagging eu-west-1, then us-east-1 unreachable
    add_region("eu-west-1")
    monkeypatch.setenv("HOME_REGION", "us-east-1")
    api.call("put_my_account", body=ADA)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("DYNAMODB_ENDPOINT_US_EAST_1", "http://127.0.0.1:9")
    aws.reset()
    # WHEN the client asks for at least version 1 in eu-west-1, THEN 503 with Retry-After, not version 0
    result = api.call("get_my_account", headers={"Consistency-Token": "1"})
    assert (result.status, result.headers["Retry-After"]) == (503, "2")
    assert api.call("get_my_account").status == 200  # without a token: the local replica's answer


def test_get_my_account_refuses_a_malformed_token(api, stack):
    result = api.call("get_my_account", headers={"Consistency-Token": "v1"})

    assert (result.status, result.body["field"]) == (400, "header.Consistency-Token")


def _malformed_token(api, stack, monkeypatch):
    return api.event("get_my_account", headers={"Consistency-Token": "v1"})


def _token_newer_than_the_replica_while_its_home_is_down(api, stack, monkeypatch):
    # The serving replica has not caught up with the token, and the home replica does not answer.
    monkeypatch.setenv("HOME_REGION", "eu-west-1")
    monkeypatch.setenv("DYNAMODB_ENDPOINT_EU_WEST_1", "http://127.0.0.1:9")
    aws.reset()
    return api.event("get_my_account", headers={"Consistency-Token": "5"})


CONFORMANCE = {400: _malformed_token, 503: _token_newer_than_the_replica_while_its_home_is_down}
