"""Breaking-change report: each kind of break is found, and a major bump acknowledges them."""

from __future__ import annotations

import copy
from typing import Any

from contract.breaking import acknowledged, breaking_changes


def _changed(old: dict[str, Any], edit: Any) -> list[str]:
    new = copy.deepcopy(old)
    edit(new)
    return breaking_changes(old, new)


def test_identical_documents_have_no_breaking_change(deployable: dict[str, Any]) -> None:
    assert breaking_changes(deployable, deployable) == []


def test_removed_operation(deployable: dict[str, Any]) -> None:
    assert _changed(deployable, lambda d: d["paths"]["/v1/hits"].pop("post")) == ["POST /v1/hits: operation removed"]


def test_removed_response_field(deployable: dict[str, Any]) -> None:
    found = _changed(deployable, lambda d: d["components"]["schemas"]["Item"]["properties"].pop("region"))
    assert "GET /v1/items/{itemId} response 200: field region removed" in found
    assert "GET /v1/items response 200.items[]: field region removed" in found


def test_newly_required_request_field(deployable: dict[str, Any]) -> None:
    found = _changed(deployable, lambda d: d["components"]["schemas"]["ItemCreate"]["required"].append("note"))
    assert found == ["POST /v1/items body: field note is newly required"]


def test_narrowed_type_and_bounds(deployable: dict[str, Any]) -> None:
    def edit(d: dict[str, Any]) -> None:
        props = d["components"]["schemas"]["ItemCreate"]["properties"]
        props["quantity"]["type"] = "string"
        props["name"]["maxLength"] = 10

    found = _changed(deployable, edit)
    assert "POST /v1/items body.quantity: type narrowed from integer to string" in found
    assert "POST /v1/items body.name: maxLength lowered to 10" in found


def test_newly_required_query_parameter(deployable: dict[str, Any]) -> None:
    found = _changed(deployable, lambda d: d["paths"]["/v1/items"]["get"]["parameters"][0].update(required=True))
    assert found == ["GET /v1/items query parameter limit: newly required"]


def test_auth_added(deployable: dict[str, Any]) -> None:
    found = _changed(deployable, lambda d: d["paths"]["/health"]["get"].update(security=[{"cognito": ["api/x"]}]))
    assert found == ["GET /health: auth added (api/x)"]


def test_widening_is_not_breaking(deployable: dict[str, Any]) -> None:
    def edit(d: dict[str, Any]) -> None:
        d["components"]["schemas"]["ItemCreate"]["properties"]["name"]["maxLength"] = 1000
        d["components"]["schemas"]["Item"]["properties"]["extra"] = {"type": "string"}

    assert _changed(deployable, edit) == []


def test_a_major_version_bump_acknowledges(deployable: dict[str, Any]) -> None:
    new = copy.deepcopy(deployable)
    assert not acknowledged(deployable, new)
    major = int(deployable["info"]["version"].split(".")[0])
    new["info"]["version"] = f"{major + 1}.0.0"
    assert acknowledged(deployable, new)


def _document(response: dict[str, Any], request: dict[str, Any] | None = None) -> dict[str, Any]:
    """A minimal public document: one operation, a response model `Out`, a request model `In`."""
    operation: dict[str, Any] = {
        "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}}
    }
    schemas = {"Out": {"type": "object", "properties": response}}
    if request is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}},
        }
        schemas["In"] = {"type": "object", "properties": request}
    return {"info": {"version": "1.0.0"}, "paths": {"/x": {"post": operation}}, "components": {"schemas": schemas}}


def test_new_response_enum_value_breaks_closed_enum_clients() -> None:
    old = _document({"status": {"type": "string", "enum": ["open"]}})
    new = _document({"status": {"type": "string", "enum": ["open", "paid"]}})
    assert breaking_changes(old, new) == [
        "POST /x response 200.status: new enum value(s) paid (closed-enum clients reject them)"
    ]
    assert breaking_changes(new, old) == []  # a response enum that loses a value surprises no client


def test_response_field_becoming_nullable_breaks_and_request_one_losing_null_breaks() -> None:
    old = _document({"note": {"type": "string"}}, {"note": {"type": "string", "nullable": True}})
    new = _document({"note": {"type": "string", "nullable": True}}, {"note": {"type": "string"}})
    assert breaking_changes(old, new) == [
        "POST /x body.note: null no longer accepted",
        "POST /x response 200.note: may now be null",
    ]


def test_model_reference_becoming_nullable_breaks_and_losing_null_breaks() -> None:
    # `Money | None` is anyOf [$ref, null variant] (contract/schema.py null_variant): compared as Money plus null
    money = {"$ref": "#/components/schemas/Money"}
    maybe = {"anyOf": [money, {"type": "object", "nullable": True, "enum": [None]}]}

    def document(response: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
        found = _document({"money": response}, {"money": request})
        found["components"]["schemas"]["Money"] = {"type": "object", "properties": {"amount": {"type": "string"}}}
        return found

    assert breaking_changes(document(money, maybe), document(maybe, money)) == [
        "POST /x body.money: null no longer accepted",
        "POST /x response 200.money: may now be null",
    ]
    assert breaking_changes(document(maybe, money), document(money, maybe)) == []


def test_changed_format_breaks() -> None:
    old = _document({"at": {"type": "string", "format": "date"}}, {"at": {"type": "string"}})
    new = _document({"at": {"type": "string", "format": "date-time"}}, {"at": {"type": "string", "format": "uuid"}})
    assert breaking_changes(old, new) == [
        "POST /x body.at: format changed to 'uuid'",
        "POST /x response 200.at: format changed from date to date-time",
    ]


def test_union_gaining_a_response_shape_breaks() -> None:
    old = _document({"v": {"anyOf": [{"type": "string"}]}})
    new = _document({"v": {"anyOf": [{"type": "string"}, {"type": "integer"}]}})
    assert breaking_changes(old, new) == ["POST /x response 200.v: 1 new shape(s) in the union"]


def test_union_variant_narrowed_in_place_is_named_by_what_narrowed() -> None:
    # GIVEN a Decimal's number-or-string gaining decimal_places=2 (contract/schema.py decimal_schema)
    number, text = {"type": "number"}, {"type": "string", "format": "decimal", "pattern": "^[0-9]+$"}
    old = _document({}, {"amount": {"anyOf": [number, text]}})
    new = _document({}, {"amount": {"anyOf": [number | {"multipleOf": 0.01}, text | {"pattern": "^[0-9]$"}]}})
    assert breaking_changes(old, new) == [
        "POST /x body.amount: pattern changed to '^[0-9]$'",
        "POST /x body.amount: multipleOf changed to 0.01",
    ]
    # a variant dropped is still a removed shape
    assert breaking_changes(old, _document({}, {"amount": {"anyOf": [text]}})) == [
        "POST /x body.amount: 1 accepted shape(s) removed from the union"
    ]


def test_recursive_models_are_compared_without_end() -> None:
    tree = {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Out"}}, "name": {"type": "string"}}
    old = _document(tree)
    new = copy.deepcopy(old)
    del new["components"]["schemas"]["Out"]["properties"]["name"]
    # THEN it ends (each pair of references is compared once) and names the removal at the top and one level down
    assert breaking_changes(old, new) == [
        "POST /x response 200.children[]: field name removed",
        "POST /x response 200: field name removed",
    ]
