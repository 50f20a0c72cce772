"""PUT /v1/accounts/me: optimistic concurrency, input checks, nothing half-written."""

import pytest

from lambdas import aws
from lambdas.runtime.errors import REGION_RETRY_AFTER_SECONDS

ADA = {"displayName": "Ada", "locale": "en-GB", "version": 0}


def stored(stack, sub):
    return stack.dynamodb.get_item(
        TableName=stack.table_name, Key={"pk": {"S": f"USER#{sub}"}, "sk": {"S": "ACCOUNT"}}
    ).get("Item")


def test_put_my_account_first_write_makes_version_1(api, stack):
    result = api.call("put_my_account", body=ADA)

    assert result.status == 200
    assert result.body["accountId"] == api.sub
    assert result.body["version"] == 1
    assert stored(stack, api.sub)["version"] == {"N": "1"}


def test_put_my_account_with_the_current_version_increments_it(api, stack):
    api.call("put_my_account", body=ADA)

    result = api.call("put_my_account", body={**ADA, "displayName": "Ada L.", "version": 1})

    assert result.status == 200
    assert result.body["version"] == 2
    assert result.body["displayName"] == "Ada L."


def test_put_my_account_with_a_stale_version_is_409_and_overwrites_nothing(api, stack):
    # GIVEN two clients both read version 1
    api.call("put_my_account", body=ADA)
    api.call("put_my_account", body={**ADA, "displayName": "First", "version": 1})

    # WHEN the second writes with the now stale version 1
    result = api.call("put_my_account", body={**ADA, "displayName": "Second", "version": 1})

    # THEN it gets 409 and the first write stands
    assert result.status == 409
    assert result.body["code"] == "CONFLICT"
    assert result.body["field"] == "body.version"
    assert stored(stack, api.sub)["displayName"] == {"S": "First"}
    assert stored(stack, api.sub)["version"] == {"N": "2"}


def test_put_my_account_version_0_when_the_account_exists_is_409(api, stack):
    api.call("put_my_account", body=ADA)

    result = api.call("put_my_account", body={**ADA, "displayName": "Again"})

    assert result.status == 409
    assert stored(stack, api.sub)["displayName"] == {"S": "Ada"}


def test_put_my_account_a_version_from_the_future_is_409(api, stack):
    result = api.call("put_my_account", body={**ADA, "version": 7})

    assert result.status == 409
    assert stored(stack, api.sub) is None


def test_put_my_account_writes_only_the_callers_account(api, stack):
    api.call("put_my_account", body={**ADA, "accountId": api.other_sub})

    assert stored(stack, api.other_sub) is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**ADA, "displayName": ""}, "body.displayName"),
        ({**ADA, "displayName": "x" * 65}, "body.displayName"),
        ({**ADA, "locale": "english please"}, "body.locale"),
        ({**ADA, "locale": "en-GB\n"}, "body.locale"),
        ({**ADA, "version": -1}, "body.version"),
        ({**ADA, "version": "1"}, "body.version"),
        ({**ADA, "version": True}, "body.version"),
        ({**ADA, "admin": True}, "body.admin"),
        ({"displayName": "Ada", "locale": "en"}, "body.version"),
        ([ADA], "body"),
    ],
)
def test_put_my_account_bad_body_is_400_naming_the_field_and_writes_nothing(api, stack, body, field):
    result = api.call("put_my_account", body=body)

    assert result.status == 400
    assert result.body["code"] == "BAD_REQUEST"
    assert result.body["field"] == field
    assert stored(stack, api.sub) is None


@pytest.mark.parametrize("raw", ['{"displayName": "Ada",', "", "NaN", '{"version": Infinity}'])
def test_put_my_account_malformed_json_is_400_naming_the_body(api, stack, raw):
    result = api.call("put_my_account", raw_body=raw)

    assert result.status == 400
    assert result.body["field"] == "body"


def test_put_my_account_base64_body_is_decoded(api, stack, load_event):
    import base64
    import json

    event = api.event("put_my_account")
    event["body"] = base64.b64encode(json.dumps(ADA).encode()).decode()
    event["isBase64Encoded"] = True

    result = api.call("put_my_account", event)

    assert result.status == 200


def test_put_my_account_without_the_write_scope_is_403_and_writes_nothing(api, stack):
    result = api.call("put_my_account", body=ADA, scopes=["api/accounts.read"])

    assert result.status == 403
    assert stored(stack, api.sub) is None


def home_record(client, table, sub):
    return client.get_item(TableName=table, Key={"pk": {"S": f"USER#{sub}"}, "sk": {"S": "HOME"}}).get("Item")


def serve_in(region, monkeypatch):
    monkeypatch.setenv("AWS_REGION", region)
    aws.reset()


def test_put_my_account_first_write_homes_the_account_where_it_was_served(api, stack, add_region, monkeypatch):
    # GIVEN two regions, homes claimed in us-east-1 (HOME_REGION); moto replicates nothing between them
    eu = add_region("eu-west-1")
    monkeypatch.setenv("HOME_REGION", "us-east-1")
    serve_in("eu-west-1", monkeypatch)
    # WHEN the account's first write is served in eu-west-1
    result = api.call("put_my_account", body=ADA)
    # THEN its home is eu-west-1 (claimed in the registry), and the account is written in eu-west-1's replica only
    assert result.status == 200
    assert result.headers["Consistency-Token"] == "1"
    assert home_record(stack.dynamodb, stack.table_name, api.sub)["home"] == {"S": "eu-west-1"}
    assert stored(stack, api.sub) is None
    account = eu.get_item(TableName=stack.table_name, Key={"pk": {"S": f"USER#{api.sub}"}, "sk": {"S": "ACCOUNT"}})
    assert account["Item"]["version"] == {"N": "1"}
    assert account["Item"]["home"] == {"S": "eu-west-1"}


def test_put_my_account_served_away_from_its_home_is_a_conditional_write_there(api, stack, add_region, monkeypatch):
    # GIVEN an account homed in us-east-1 at version 1; eu-west-1's replica has seen nothing
    eu = add_region("eu-west-1")
    monkeypatch.setenv("HOME_REGION", "us-east-1")
    api.call("put_my_account", body=ADA)
    # WHEN eu-west-1 serves a write of the stale version 0
    serve_in("eu-west-1", monkeypatch)
    stale = api.call("put_my_account", body={**ADA, "displayName": "Eve"})
    # THEN the home replica refuses it (409) and eu-west-1's replica is not written
    assert stale.status == 409
    assert eu.scan(TableName=stack.table_name)["Items"] == []
    assert stored(stack, api.sub)["displayName"] == {"S": "Ada"}


def test_put_my_account_homed_here_is_written_here_while_the_registry_is_down(api, stack, add_region, monkeypatch):
    # GIVEN an account homed in eu-west-1 (first write there), its home record replicated to eu-west-1
    eu = add_region("eu-west-1")
    monkeypatch.setenv("HOME_REGION", "us-east-1")
    serve_in("eu-west-1", monkeypatch)
    api.call("put_my_account", body=ADA)
    eu.put_item(TableName=stack.table_name, Item=home_record(stack.dynamodb, stack.table_name, api.sub))
    # WHEN us-east-1 (the registry of homes) cannot be reached
    monkeypatch.setenv("DYNAMODB_ENDPOINT_US_EAST_1", "http://127.0.0.1:9")  # nothing listens there
    serve_in("eu-west-1", monkeypatch)
    result = api.call("put_my_account", body={**ADA, "displayName": "Ada L.", "version": 1})
    # THEN the write is served in its home region as usual
    assert result.status == 200
    assert result.body["version"] == 2


def test_put_my_account_retry_that_meets_its_own_earlier_attempt_is_200(api, stack):
    # GIVEN a write that landed but whose answer was lost
    first = api.call("put_my_account", body={**ADA, "displayName": "Landed"})
    # WHEN the same request is sent again
    again = api.call("put_my_account", body={**ADA, "displayName": "Landed"})
    # THEN it is recognised as the same write: 200 with the account it made, nothing written twice
    assert (first.status, again.status) == (200, 200)
    assert again.body == first.body
    assert stored(stack, api.sub)["version"] == {"N": "1"}


def test_put_my_account_same_version_other_body_after_a_write_is_409(api, stack):
    api.call("put_my_account", body={**ADA, "displayName": "Landed"})

    other = api.call("put_my_account", body={**ADA, "displayName": "Other"})

    assert other.status == 409
    assert stored(stack, api.sub)["displayName"] == {"S": "Landed"}


def test_put_my_account_while_the_home_region_is_unreachable_is_503_with_retry_after(api, stack, monkeypatch):
    monkeypatch.setenv("HOME_REGION", "eu-west-1")
    monkeypatch.setenv("DYNAMODB_ENDPOINT_EU_WEST_1", "http://127.0.0.1:9")  # nothing listens there
    aws.reset()

    result = api.call("put_my_account", body=ADA)

    assert result.status == 503
    assert result.headers["Retry-After"] == "2"
    assert result.body["code"] == "SERVICE_UNAVAILABLE"
    assert stored(stack, api.sub) is None


def test_put_my_account_while_the_serving_region_s_table_is_unreachable_is_the_region_s_503(api, stack, monkeypatch):
    # GIVEN the serving region is the account's home, and its own table does not answer
    region = aws.settings().region
    monkeypatch.setenv("HOME_REGION", region)
    monkeypatch.setenv("DYNAMODB_ENDPOINT_" + region.upper().replace("-", "_"), "http://127.0.0.1:9")
    aws.reset()

    result = api.call("put_my_account", body=ADA)

    # THEN it is the region's failure (Retry-After long enough for Route 53 to move callers), not a home's
    assert result.status == 503
    assert result.headers["Retry-After"] == str(REGION_RETRY_AFTER_SECONDS)


def test_put_my_account_strong_is_a_conditional_write_in_the_serving_region_only(api, stack, monkeypatch):
    # GIVEN a STRONG (MRSC) table and a home region elsewhere that cannot be reached
    monkeypatch.setenv("TABLE_CONSISTENCY", "STRONG")
    monkeypatch.setenv("HOME_REGION", "eu-west-1")
    monkeypatch.setenv("DYNAMODB_ENDPOINT_EU_WEST_1", "http://127.0.0.1:9")  # nothing listens there
    aws.reset()
    # WHEN the account is written twice, the second time with a stale version
    first = api.call("put_my_account", body=ADA)
    stale = api.call("put_my_account", body={**ADA, "displayName": "Stale"})
    # THEN the serving region's replica took the write and refused the stale one: no cross-region call
    assert (first.status, stale.status) == (200, 409)
    assert stored(stack, api.sub)["displayName"] == {"S": "Ada"}


def _stale_version(api, stack, monkeypatch):
    api.call("put_my_account", body=ADA)
    return api.event("put_my_account", body={**ADA, "displayName": "Someone else"})  # version 0 is stale now


CONFORMANCE = {200: lambda api, stack, monkeypatch: api.event("put_my_account", body=ADA), 409: _stale_version}
