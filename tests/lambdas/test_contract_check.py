"""The `api` fixture's contract check (tests/lambdas/conftest.py `Contract`) reads the public document as
OpenAPI 3.0 means it: `nullable` lets a field be null, and a refusal names the field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.lambdas.conftest import Contract

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "paths": {
        "/v1/widgets/{widgetId}": {
            "get": {
                "operationId": "get_widget",
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Widget"}}}}
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Widget": {
                "type": "object",
                "properties": {
                    "widgetId": {"type": "string"},
                    "label": {"type": "string", "nullable": True},  # `label: str | None = None`
                },
                "required": ["widgetId"],
            }
        }
    },
}


def _response(body: Any) -> dict[str, Any]:
    headers = {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"}
    return {"statusCode": 200, "headers": headers, "body": json.dumps(body)}


def test_contract_check_accepts_null_for_a_nullable_field() -> None:
    body = Contract(DOCUMENT).check("get_widget", _response({"widgetId": "w-1", "label": None}))

    assert body == {"widgetId": "w-1", "label": None}


def test_contract_check_refuses_null_for_a_field_that_is_not_nullable_and_names_it() -> None:
    with pytest.raises(AssertionError, match=r"body\.widgetId: None is not of type 'string'"):
        Contract(DOCUMENT).check("get_widget", _response({"widgetId": None}))


def test_contract_check_names_a_nested_field_by_its_path() -> None:
    document = json.loads(json.dumps(DOCUMENT))
    document["components"]["schemas"]["Widget"]["properties"]["parts"] = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Widget"},
    }

    body = {"widgetId": "w-1", "parts": [{"widgetId": "w-2", "label": 3}]}

    with pytest.raises(AssertionError, match=r"body\.parts\[0\]\.label: 3 is not of type 'string'"):
        Contract(document).check("get_widget", _response(body))
