"""The generated documents: valid, complete, and importable by API Gateway."""

from __future__ import annotations

import json
import re
from typing import Any

from openapi_spec_validator import validate

from contract.document import operations
from contract.lint import lint
from contract.routes import RESOURCE_SERVER, ROUTES


def test_deployable_document_is_valid_openapi_30(deployable: dict[str, Any]) -> None:
    assert deployable["openapi"] == "3.0.3"
    validate(deployable)


def test_public_document_is_valid_openapi_30(public: dict[str, Any]) -> None:
    assert public["openapi"] == "3.0.3"
    validate(public)


def test_deployable_document_has_no_lint_findings(deployable: dict[str, Any]) -> None:
    assert lint(deployable) == []


def test_every_operation_has_a_lambda_proxy_integration(deployable: dict[str, Any]) -> None:
    for op in ROUTES:
        spec = deployable["paths"][op.path][op.method.lower()]
        integration = spec["x-amazon-apigateway-integration"]
        assert integration["type"] == "aws_proxy"
        assert integration["httpMethod"] == "POST"
        assert integration["uri"] == (
            "arn:$${AWS::Partition}:apigateway:$${AWS::Region}:lambda:path/2015-03-31/functions/"
            f"${{function_arns.{op.operation_id}}}/invocations"
        )


def test_every_operation_has_a_body_and_parameter_validator(deployable: dict[str, Any]) -> None:
    validators = deployable["x-amazon-apigateway-request-validators"]
    for path, method, spec in operations(deployable):
        if method == "options":
            continue
        validator = validators[spec["x-amazon-apigateway-request-validator"]]
        assert validator == {"validateRequestBody": True, "validateRequestParameters": True}, f"{method} {path}"


def test_every_operation_but_health_has_cognito_security_with_its_scopes(deployable: dict[str, Any]) -> None:
    assert "security" not in deployable  # root-level security is ignored by API Gateway
    for op in ROUTES:
        security = deployable["paths"][op.path][op.method.lower()]["security"]
        if op.path == "/health":
            assert op.public and security == []
        else:
            assert security == [{"cognito": [f"{RESOURCE_SERVER}/{s.name}" for s in op.scopes]}], op.operation_id


def test_every_preflight_allows_the_request_headers_its_path_declares(deployable: dict[str, Any]) -> None:
    # A browser's preflight names each header it will send; a declared one missing here fails every call from it.
    for path, item in deployable["paths"].items():
        declared = {p["name"] for method, op in item.items() if method != "options" for p in op.get("parameters", [])
                    if p["in"] == "header"}  # fmt: skip
        integration = item["options"]["x-amazon-apigateway-integration"]["responses"]["default"]
        allowed = integration["responseParameters"]["method.response.header.Access-Control-Allow-Headers"]
        assert declared <= set(allowed.strip("'").split(",")), path


def test_cognito_authorizer_takes_the_user_pool_from_terraform(deployable: dict[str, Any]) -> None:
    scheme = deployable["components"]["securitySchemes"]["cognito"]
    assert scheme["type"] == "apiKey" and scheme["name"] == "Authorization" and scheme["in"] == "header"
    assert scheme["x-amazon-apigateway-authtype"] == "cognito_user_pools"
    assert scheme["x-amazon-apigateway-authorizer"] == {
        "type": "cognito_user_pools",
        "providerARNs": ["${user_pool_arn}"],
    }


def test_every_path_has_a_cors_preflight_listing_its_methods(deployable: dict[str, Any]) -> None:
    for path, item in deployable["paths"].items():
        preflight = item["options"]
        assert preflight["security"] == []
        assert preflight["x-amazon-apigateway-integration"]["type"] == "mock"
        headers = preflight["x-amazon-apigateway-integration"]["responses"]["default"]["responseParameters"]
        methods = headers["method.response.header.Access-Control-Allow-Methods"].strip("'").split(",")
        assert sorted(methods) == sorted([m.upper() for m in item if m != "options"] + ["OPTIONS"]), path


def test_gateway_responses_render_the_error_body_with_cors(deployable: dict[str, Any]) -> None:
    responses = deployable["x-amazon-apigateway-gateway-responses"]
    error_fields = set(deployable["components"]["schemas"]["Error"]["required"])
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX", "UNAUTHORIZED", "ACCESS_DENIED", "BAD_REQUEST_BODY",
                 "BAD_REQUEST_PARAMETERS", "THROTTLED"):  # fmt: skip
        response = responses[kind]
        assert response["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"] == "'*'"
        # What API Gateway substitutes: messageString arrives quoted, requestId does not.
        rendered = (
            response["responseTemplates"]["application/json"]
            .replace("$context.error.messageString", '"Unauthorized"')
            .replace("$context.requestId", "abc-123")
            .replace("$context.error.validationErrorString", "[instance failed to match]")
        )
        body = json.loads(rendered)
        assert error_fields <= set(body) <= error_fields | {"field"}, kind
        assert body["code"] == ("BAD_REQUEST" if kind.startswith("BAD_REQUEST") else body["code"]), kind


def test_model_names_are_alphanumeric(deployable: dict[str, Any], public: dict[str, Any]) -> None:
    for document in (deployable, public):
        for name in document["components"]["schemas"]:
            assert re.fullmatch(r"[A-Za-z0-9]+", name), name


def test_no_defs_no_null_types_no_dangling_refs(deployable: dict[str, Any], public: dict[str, Any]) -> None:
    for document in (deployable, public):
        text = json.dumps(document)
        assert "$defs" not in text and '"null"' not in text
        for ref in re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text):
            assert ref in document["components"]["schemas"], ref
    # The deployable models keep none of what API Gateway refuses (the handler checks it: docs/shapes.md)
    models = json.dumps(deployable["components"]["schemas"])
    for keyword in ("nullable", "anyOf", "oneOf", "discriminator", "additionalProperties", "format"):
        assert f'"{keyword}"' not in models, keyword


def test_public_document_has_no_aws_extensions_or_placeholders(public: dict[str, Any]) -> None:
    text = json.dumps(public)
    assert "x-amazon-apigateway" not in text
    assert "${" not in text and "$context" not in text


def test_public_document_documents_examples_and_defaults(public: dict[str, Any]) -> None:
    item_create = public["components"]["schemas"]["ItemCreate"]
    assert item_create["properties"]["quantity"]["default"] == 1
    assert item_create["properties"]["name"]["example"] == "Coffee"
    assert item_create["additionalProperties"] is False


def test_deployable_models_carry_no_default_or_example(deployable: dict[str, Any]) -> None:
    text = json.dumps(deployable["components"]["schemas"])
    assert '"default"' not in text and '"example"' not in text


def test_public_security_lists_the_same_scopes(public: dict[str, Any]) -> None:
    for op in ROUTES:
        spec = public["paths"][op.path][op.method.lower()]
        # An http bearer requirement lists no scopes (OAS 3.0.3); they travel in x-required-scopes.
        assert spec["security"] == ([] if op.public else [{"bearerAuth": []}])
        assert spec["x-required-scopes"] == [f"{RESOURCE_SERVER}/{s.name}" for s in op.scopes]


def test_error_responses_are_declared_for_every_operation(public: dict[str, Any]) -> None:
    for op in ROUTES:
        statuses = set(public["paths"][op.path][op.method.lower()]["responses"])
        assert {"400", "429", "500"} <= statuses
        assert op.public or {"401", "403"} <= statuses
        assert {str(status) for status in op.errors} <= statuses
