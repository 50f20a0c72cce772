"""GET /v1/accounts/{accountId}: operators only."""

import pytest

ADMIN = ["api/accounts.admin"]


def test_get_account_reads_any_account_with_the_admin_scope(api, stack):
    api.call("put_my_account", sub=api.other_sub, body={"displayName": "Eve", "locale": "fr", "version": 0})

    result = api.call("get_account", scopes=ADMIN, path={"accountId": api.other_sub})

    assert result.status == 200
    assert result.body["accountId"] == api.other_sub
    assert result.body["displayName"] == "Eve"


def test_get_account_of_an_unwritten_account_is_404(api, stack):
    result = api.call("get_account", scopes=ADMIN, path={"accountId": api.other_sub})

    assert result.status == 404
    assert result.body["code"] == "NOT_FOUND"


def test_get_account_without_the_admin_scope_is_403_even_past_the_gateway(api, stack):
    # GIVEN the account exists and the caller holds every other scope
    api.call("put_my_account", sub=api.other_sub, body={"displayName": "Eve", "locale": "fr", "version": 0})
    scopes = ["api/accounts.read", "api/accounts.write", "api/items.read", "api/items.write", "api/hits.write"]

    # WHEN the gateway let the request through anyway (misconfiguration): defence in depth
    result = api.call("get_account", scopes=scopes, path={"accountId": api.other_sub})

    # THEN the handler refuses and reveals nothing
    assert result.status == 403
    assert "Eve" not in str(result.body)


@pytest.mark.parametrize("groups", [[], ["users"], ["operatorsx"]])
def test_get_account_refuses_an_end_user_token_holding_the_admin_scope(api, stack, groups):
    # GIVEN the account exists and an ordinary user somehow holds the operator scope (a misconfigured
    # app client would grant it: Cognito limits scopes per client, not per user)
    api.call("put_my_account", sub=api.other_sub, body={"displayName": "Eve", "locale": "fr", "version": 0})

    # WHEN that user's token, not in the operators group, reaches the handler
    result = api.call("get_account", scopes=ADMIN, groups=groups, path={"accountId": api.other_sub})

    # THEN the handler refuses it on its own and reveals nothing
    assert result.status == 403
    assert result.body["message"] == "Not in the group of this scope"
    assert "Eve" not in str(result.body)


def test_get_account_accepts_the_operators_group_among_others(api, stack):
    api.call("put_my_account", sub=api.other_sub, body={"displayName": "Eve", "locale": "fr", "version": 0})

    result = api.call("get_account", scopes=ADMIN, groups=["support", "operators"], path={"accountId": api.other_sub})

    assert result.status == 200


def test_get_account_without_identity_is_401(api, stack):
    result = api.call("get_account", sub=None, path={"accountId": api.other_sub})

    assert result.status == 401


@pytest.mark.parametrize("account_id", ["", "a/b", "x" * 65, "abc\n", "ACCOUNT#x"])
def test_get_account_bad_account_id_is_400_naming_the_parameter(api, stack, account_id):
    result = api.call("get_account", scopes=ADMIN, path={"accountId": account_id})

    assert result.status == 400
    assert result.body["field"] == "path.accountId"


def _existing_account(api, stack, monkeypatch):
    api.call("put_my_account", body={"displayName": "Ada", "locale": "en-GB", "version": 0})
    return api.event("get_account", scopes=ADMIN)


CONFORMANCE = {
    200: _existing_account,
    # an operator's scope is what the generic scenarios cannot know
    400: lambda api, stack, monkeypatch: api.event("get_account", scopes=ADMIN, path={"accountId": "a/b"}),
    404: lambda api, stack, monkeypatch: api.event("get_account", scopes=ADMIN, path={"accountId": "nobody"}),
}
