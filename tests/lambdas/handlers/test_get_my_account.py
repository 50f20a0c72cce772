"""GET /v1/accounts/me."""


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
