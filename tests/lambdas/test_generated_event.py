"""The sample event tests/conftest.py builds for an operation with no recorded one (`event_of`) carries
parameters the operation's own input rules accept, whatever they constrain."""

from __future__ import annotations

from typing import Any

from lambdas.runtime.validation import check_parameters
from tests.conftest import event_of


def _rules(required: list[str], **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required}


SPEC: dict[str, Any] = {
    "method": "GET",
    "path": "/v1/widgets/{widgetId}/parts/{partId}",
    "public": False,
    "scopes": ["api/widgets.read"],
    "inputs": {
        "body": None,
        "path": _rules(
            ["widgetId", "partId"],
            widgetId={"type": "string", "pattern": "^w-[0-9]{1,9}$"},
            partId={"type": "string", "format": "uuid"},
        ),
        "query": _rules(
            ["size", "colour"],
            size={"type": "integer", "minimum": 3, "maximum": 9},
            colour={"type": "array", "items": {"type": "string", "enum": ["red", "blue"]}},
            cursor={"type": "string", "maxLength": 8},
        ),
        "header": _rules(["X-Tenant-Id"], **{"X-Tenant-Id": {"type": "string", "pattern": "^[a-z0-9-]{4,32}$"}}),
    },
}


def test_event_of_fills_every_path_parameter_with_a_value_its_rules_accept() -> None:
    event = event_of(SPEC)

    path = check_parameters(SPEC["inputs"]["path"], event["pathParameters"], "path")
    assert event["path"] == f"/v1/widgets/{path['widgetId']}/parts/{path['partId']}"
    assert event["requestContext"]["path"].endswith(event["path"])


def test_event_of_sends_the_required_query_parameters_and_headers_only() -> None:
    event = event_of(SPEC)

    query = check_parameters(SPEC["inputs"]["query"], event["multiValueQueryStringParameters"], "query")
    headers = check_parameters(SPEC["inputs"]["header"], event["headers"], "header")
    assert set(query) == {"size", "colour"}
    assert 3 <= query["size"] <= 9
    assert headers["X-Tenant-Id"] == event["multiValueHeaders"]["X-Tenant-Id"][0]
