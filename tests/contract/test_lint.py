"""The import-compatibility lint: for each rule, a document that breaks it is refused by name."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from contract.lint import CHECKS, ELSEWHERE, lint

Breaker = Callable[[dict[str, Any]], None]


def _op(doc: dict[str, Any], path: str = "/v1/items", method: str = "post") -> dict[str, Any]:
    return doc["paths"][path][method]  # type: ignore[no-any-return]


def _model(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return doc["components"]["schemas"][name]  # type: ignore[no-any-return]


def _set(target: dict[str, Any], key: str, value: Any) -> None:
    target[key] = value


BREAKERS: list[tuple[int, str, Breaker, str]] = [
    (0, "no info.description", lambda d: d["info"].pop("description"), "info: info.description is required"),
    (1, "OpenAPI 3.1", lambda d: _set(d, "openapi", "3.1.0"), "document: openapi '3.1.0' does not import"),
    (2, "over 6 MB", lambda d: _set(d["info"], "description", "x" * (6 * 1024 * 1024)), "over the 6 MB"),
    (2, "over 300 resources", lambda d: d["paths"].update({f"/r{i}": {} for i in range(300)}), "default quota"),
    (
        5,
        "unescaped ${AWS::Region}",
        lambda d: _set(_op(d)["x-amazon-apigateway-integration"], "uri", "arn:${AWS::Partition}:apigateway:x"),
        "'${AWS::Partition}' would be read by templatefile()",
    ),  # fmt: skip
    (5, "%{ directive", lambda d: _set(d["info"], "description", "50%{x}"), "'%{' at"),
    (6, "bad path segment", lambda d: d["paths"].update({"/v1/it ems": {}}), "path /v1/it ems: segment 'it ems'"),
    (6, "partial-segment parameter", lambda d: d["paths"].update({"/v1/x{id}": {}}), "segment 'x{id}'"),
    (7, "/ping", lambda d: d["paths"].update({"/ping": {}}), "path /ping: reserved on custom domains"),
    (8, "path-level parameters", lambda d: _set(d["paths"]["/v1/items"], "parameters", []), "path-level parameters"),
    (
        8,
        "array parameter",
        lambda d: _set(_op(d, "/v1/items", "get")["parameters"][0], "schema", {"type": "array"}),
        "GET /v1/items (list_items) parameter limit: the gateway reads only",
    ),  # fmt: skip
    (
        8,
        "optional path parameter",
        lambda d: _set(_op(d, "/v1/items/{itemId}", "get")["parameters"][0], "required", False),
        "(get_item) parameter itemId: a path parameter must be required",
    ),  # fmt: skip
    (
        9,
        "oauth2 scheme",
        lambda d: _set(d["components"]["securitySchemes"]["cognito"], "type", "oauth2"),
        "security scheme cognito: must be type apiKey",
    ),  # fmt: skip
    (
        9,
        "no providerARNs",
        lambda d: _set(
            d["components"]["securitySchemes"]["cognito"]["x-amazon-apigateway-authorizer"], "providerARNs", []
        ),
        "needs providerARNs",
    ),  # fmt: skip
    (10, "root-level security", lambda d: _set(d, "security", [{"cognito": []}]), "root-level security is ignored"),
    (10, "operation without security", lambda d: _op(d).pop("security"), "POST /v1/items (create_item): no security"),
    (
        12,
        "model name with underscore",
        lambda d: d["components"]["schemas"].update({"Page_Item_": {"type": "object"}}),
        "model Page_Item_: model names must be alphanumeric",
    ),  # fmt: skip
    (
        13,
        "default in a model",
        lambda d: _set(_model(d, "ItemCreate")["properties"]["quantity"], "default", 1),
        "model ItemCreate.quantity: default is not supported",
    ),  # fmt: skip
    (
        13,
        "exclusiveMinimum",
        lambda d: _set(_model(d, "Item")["properties"]["quantity"], "exclusiveMinimum", 0),
        "model Item.quantity: exclusiveMinimum",
    ),  # fmt: skip
    (13, "const", lambda d: _set(_model(d, "Health")["properties"]["status"], "const", "ok"), "const is not supported"),
    (13, "example", lambda d: _set(_model(d, "Item"), "example", {}), "model Item: example is not supported"),
    (
        13,
        "int64 on a number",
        lambda d: (
            _set(_model(d, "Item")["properties"]["quantity"], "type", "number")
            or _set(_model(d, "Item")["properties"]["quantity"], "format", "int64")
        ),
        "format int64 on a number",
    ),  # fmt: skip
    (
        14,
        "nullable",
        lambda d: _set(_model(d, "Item")["properties"]["note"], "nullable", True),
        "model Item.note: nullable is dropped",
    ),  # fmt: skip
    (
        14,
        "type list",
        lambda d: _set(_model(d, "Item")["properties"]["note"], "type", ["string", "null"]),
        "model Item.note: type ['string', 'null'] is not OpenAPI 3.0",
    ),  # fmt: skip
    (
        15,
        "anyOf in a request model",
        lambda d: _set(_model(d, "ItemCreate")["properties"]["note"], "anyOf", [{"type": "string"}]),
        "model ItemCreate.note: anyOf in a request model",
    ),  # fmt: skip
    (
        15,
        "additionalProperties in a request model",
        lambda d: _set(_model(d, "AccountUpdate"), "additionalProperties", False),
        "model AccountUpdate: additionalProperties in a request",
    ),  # fmt: skip
    (17, "shared response", lambda d: d["components"].update({"responses": {"E": {}}}), "shared responses"),
    (
        17,
        "$ref response",
        lambda d: _set(_op(d)["responses"], "404", {"$ref": "#/components/responses/E"}),
        "POST /v1/items (create_item) response 404: a $ref to a shared response",
    ),  # fmt: skip
    (
        17,
        "primitive response",
        lambda d: _set(_op(d)["responses"]["201"]["content"]["application/json"], "schema", {"type": "string"}),
        "response 201: a response body must be an object",
    ),  # fmt: skip
    (
        18,
        "external $ref",
        lambda d: _set(_op(d)["requestBody"]["content"]["application/json"], "schema", {"$ref": "models.json#/Item"}),
        "$ref models.json#/Item: only #/components/schemas",
    ),  # fmt: skip
    (18, "dangling $ref", lambda d: d["components"]["schemas"].pop("ItemCreate"), "points at no model"),
    (18, "$defs", lambda d: _set(_model(d, "Item"), "$defs", {}), "model Item: $defs cannot be referenced"),
    (
        19,
        "body without a JSON model",
        lambda d: _set(_op(d)["requestBody"], "content", {"text/plain": {}}),
        "(create_item): bodies are validated only for application/json",
    ),  # fmt: skip
    (20, "HTTP API CORS", lambda d: _set(d, "x-amazon-apigateway-cors", {}), "x-amazon-apigateway-cors is for HTTP"),
    (20, "no preflight", lambda d: d["paths"]["/v1/hits"].pop("options"), "path /v1/hits: no OPTIONS method"),
    (
        20,
        "gateway response missing",
        lambda d: d["x-amazon-apigateway-gateway-responses"].pop("THROTTLED"),
        "gateway response THROTTLED: missing",
    ),  # fmt: skip
    (
        20,
        "gateway response without CORS",
        lambda d: d["x-amazon-apigateway-gateway-responses"]["UNAUTHORIZED"]["responseParameters"].clear(),
        "gateway response UNAUTHORIZED: carries no Access-Control",
    ),  # fmt: skip
    (
        21,
        "HTTP API extension",
        lambda d: _set(d, "x-amazon-apigateway-importexport-version", "1.0"),
        "x-amazon-apigateway-importexport-version belongs to HTTP APIs",
    ),  # fmt: skip
    (
        21,
        "undeclared validator",
        lambda d: _set(_op(d), "x-amazon-apigateway-request-validator", "none"),
        "(create_item): request validator 'none' is not declared",
    ),  # fmt: skip
    (
        21,
        "validator without body checks",
        lambda d: _set(d["x-amazon-apigateway-request-validators"]["all"], "validateRequestBody", False),
        "must check body and parameters",
    ),  # fmt: skip
    (
        22,
        "no integration",
        lambda d: _op(d).pop("x-amazon-apigateway-integration"),
        "POST /v1/items (create_item): no x-amazon-apigateway-integration",
    ),  # fmt: skip
    (
        22,
        "http integration",
        lambda d: _set(_op(d)["x-amazon-apigateway-integration"], "type", "http"),
        "type aws_proxy with httpMethod POST",
    ),  # fmt: skip
    (
        22,
        "hard-coded function ARN",
        lambda d: _set(
            _op(d)["x-amazon-apigateway-integration"],
            "uri",
            "arn:$${AWS::Partition}:apigateway:$${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:"
            "us-east-1:1:function:f/invocations",
        ),
        "is not a Lambda invocation ARN template",
    ),  # fmt: skip
    (
        23,
        "REQUEST_TOO_LARGE",
        lambda d: d["x-amazon-apigateway-gateway-responses"].update({"REQUEST_TOO_LARGE": {}}),
        "gateway response REQUEST_TOO_LARGE: cannot be customised",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("rule", "case", "breaker", "message"), BREAKERS, ids=[b[1] for b in BREAKERS])
def test_lint_names_the_rule_and_the_place(
    deployable: dict[str, Any], rule: int, case: str, breaker: Breaker, message: str
) -> None:
    # GIVEN the generated document, which is clean, broken in one way
    assert lint(deployable) == []
    breaker(deployable)
    # THEN the lint reports that rule, saying where
    findings = [str(f) for f in lint(deployable)]
    assert any(f.startswith(f"rule {rule}: ") and message in f for f in findings), findings


def test_every_rule_of_the_rules_file_is_checked_here_or_elsewhere(root: Any) -> None:
    text = (root / "docs" / "apigateway-import-rules.md").read_text()
    numbered = {int(n) for n in re.findall(r"^(\d+)\. ", text, flags=re.MULTILINE)}
    checked = {number for number, _ in CHECKS}
    tested = {rule for rule, *_ in BREAKERS}
    assert numbered <= checked | set(ELSEWHERE), "a rule is neither linted nor delegated"
    assert checked == tested, "a lint rule has no breaking fixture"
