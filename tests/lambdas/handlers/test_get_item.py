"""GET /v1/items/{itemId}."""

import pytest


def test_get_item_returns_the_callers_item(api, stack):
    created = api.call("create_item", body={"name": "Coffee", "quantity": 2}).body

    result = api.call("get_item", path={"itemId": created["itemId"]})

    assert result.status == 200
    assert result.body == created


def test_get_item_of_another_caller_is_404(api, stack):
    theirs = api.call("create_item", sub=api.other_sub, body={"name": "Secret"}).body["itemId"]

    result = api.call("get_item", path={"itemId": theirs})

    assert result.status == 404
    assert "Secret" not in str(result.body)


def test_get_item_unknown_is_404(api, stack):
    result = api.call("get_item", path={"itemId": "0" * 32})

    assert result.status == 404
    assert result.body["code"] == "NOT_FOUND"


@pytest.mark.parametrize("item_id", ["abc", "G" * 32, "0" * 31, "0" * 33, "0" * 32 + "\n", "0A" * 16])
def test_get_item_bad_item_id_is_400_naming_the_parameter(api, stack, item_id):
    result = api.call("get_item", path={"itemId": item_id})

    assert result.status == 400
    assert result.body["field"] == "path.itemId"


def test_get_item_without_identity_is_401(api, stack):
    result = api.call("get_item", sub=None, path={"itemId": "0" * 32})

    assert result.status == 401


def test_get_item_without_the_read_scope_is_403(api, stack):
    result = api.call("get_item", scopes=[], path={"itemId": "0" * 32})

    assert result.status == 403


def _existing_item(api, stack, monkeypatch):
    item = api.call("create_item", body={"name": "Coffee"}).body
    return api.event("get_item", path={"itemId": item["itemId"]})


CONFORMANCE = {200: _existing_item}
