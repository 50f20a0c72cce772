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
