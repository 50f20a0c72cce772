"""Every API Gateway specific of the deployable document, as one apispec plugin.

Lambda proxy integrations, request validators, the Cognito authorizer, CORS preflights and gateway
responses. The rest of the generator knows nothing of AWS, which is how the public document stays
clean. Template placeholders (`${function_arns.<operation_id>}`, `${user_pool_arn}`) are filled by
Terraform's templatefile(); `$${AWS::...}` are left for API Gateway to substitute at import.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from contract.openapi import DocumentPlugin

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from apispec import APISpec

    from contract.compiled import CompiledOperation

AUTHORIZER: Final = "cognito"
VALIDATOR: Final = "all"
CORS_ALLOW_ORIGIN: Final = "*"
"""Bearer tokens, not cookies, carry identity, so any origin may call; narrow it here if you need to."""
CORS_ALLOW_HEADERS: Final = "Authorization,Content-Type,X-Amz-Date,X-Api-Key,X-Amz-Security-Token"
"""Every path allows these and the request headers its operations declare (Idempotency-Key, X-Tenant-Id, ...):
a browser's preflight asks for each header it will send (https://fetch.spec.whatwg.org/#http-cors-protocol)."""

# The gateway's own errors, rendered into the contract's Error body. Gateway response templates only
# substitute variables (no VTL): $context.error.messageString arrives already quoted.
GATEWAY_RESPONSES: Final[dict[str, tuple[int | None, str]]] = {
    "DEFAULT_4XX": (None, "CLIENT_ERROR"),
    "DEFAULT_5XX": (None, "SERVER_ERROR"),
    "UNAUTHORIZED": (401, "UNAUTHORIZED"),
    "ACCESS_DENIED": (403, "FORBIDDEN"),
    "MISSING_AUTHENTICATION_TOKEN": (404, "NOT_FOUND"),  # what REST APIs answer for an unknown route
    "BAD_REQUEST_BODY": (400, "BAD_REQUEST"),  # the handlers' code for the same class of error
    "BAD_REQUEST_PARAMETERS": (400, "BAD_REQUEST"),
    "THROTTLED": (429, "THROTTLED"),
    "INTEGRATION_TIMEOUT": (504, "TIMEOUT"),
}


def integration_uri(operation_id: str) -> str:
    """Lambda proxy integration URI; the function ARN is a templatefile placeholder."""
    return (
        "arn:$${AWS::Partition}:apigateway:$${AWS::Region}:lambda:path/2015-03-31/functions/"
        f"${{function_arns.{operation_id}}}/invocations"
    )


def declared_headers(ops: Iterable[CompiledOperation]) -> list[str]:
    """The request headers `ops` declare, as the public document names them, sorted."""
    return sorted({p["name"] for op in ops for p in op.parameters["public"] if p["in"] == "header"})


def cors_headers(methods: str, headers: Iterable[str] = ()) -> dict[str, str]:
    """Access-Control-* header values, as API Gateway static mapping values (single-quoted); `headers`: the
    request headers the path's operations declare."""
    allowed = ",".join([CORS_ALLOW_HEADERS, *headers])
    return {
        "Access-Control-Allow-Origin": f"'{CORS_ALLOW_ORIGIN}'",
        "Access-Control-Allow-Headers": f"'{allowed}'",
        "Access-Control-Allow-Methods": f"'{methods}'",
    }


BODY_MESSAGE: Final = '"message":"Invalid request body: $context.error.validationErrorString","field":"body"'
"""The body validator's failure says what was wrong: $context.error.validationErrorString is "a string
containing a detailed validation error message", one of the $context variables gateway response templates
substitute (API Gateway developer guide, "Variables for data transformations" and "Gateway responses").
The template cannot loop or pick a path out of it, so `field` names the body as a whole."""


SECURITY_HEADERS: Final[dict[str, str]] = {
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Cache-Control": "no-store",
    "Access-Control-Expose-Headers": "X-Request-Id",
}
"""Headers of every error and per-user answer; the handlers send the same (lambdas/runtime/responses.py)."""


def gateway_response(status: int | None, code: str, response_type: str = "") -> dict[str, Any]:
    """One x-amazon-apigateway-gateway-responses entry: the Error body plus CORS headers."""
    message = BODY_MESSAGE if response_type == "BAD_REQUEST_BODY" else '"message":$context.error.messageString'
    body = f'{{"code":"{code}",{message},"requestId":"$context.requestId"}}'
    response: dict[str, Any] = {
        "responseParameters": {
            f"gatewayresponse.header.{name}": value
            for name, value in cors_headers("OPTIONS,GET,PUT,POST,PATCH,DELETE").items()
            if name != "Access-Control-Allow-Methods"
        }
        | {f"gatewayresponse.header.{name}": f"'{value}'" for name, value in SECURITY_HEADERS.items()},
        "responseTemplates": {"application/json": body},
    }
    if status is not None:
        response["statusCode"] = str(status)
    return response


class ApiGatewayPlugin(DocumentPlugin):
    """The deployable document: the x-amazon-apigateway-* extensions of a REST API on every path and operation."""

    flavour = "deployable"

    def init_spec(self, spec: APISpec) -> None:
        spec.components.security_scheme(
            AUTHORIZER,
            {
                "type": "apiKey",
                "name": "Authorization",
                "in": "header",
                "x-amazon-apigateway-authtype": "cognito_user_pools",
                "x-amazon-apigateway-authorizer": {
                    "type": "cognito_user_pools",
                    "providerARNs": ["${user_pool_arn}"],
                },
            },
        )
        spec.options["x-amazon-apigateway-request-validators"] = {
            VALIDATOR: {"validateRequestBody": True, "validateRequestParameters": True},
        }
        spec.options["x-amazon-apigateway-request-validator"] = VALIDATOR
        if self.api.binary_media_types:
            # Exactly the declared types: a body of one reaches the handler base64 (isBase64Encoded), and an answer
            # the handler marks isBase64Encoded goes as bytes to a caller whose first Accept type is one
            # (contract/binary.py).
            spec.options["x-amazon-apigateway-binary-media-types"] = list(self.api.binary_media_types)
        spec.options["x-amazon-apigateway-gateway-responses"] = {
            kind: gateway_response(status, code, kind) for kind, (status, code) in GATEWAY_RESPONSES.items()
        }

    def path_helper(
        self,
        path: str | None = None,
        operations: dict[Any, Any] | None = None,
        parameters: list[dict[Any, Any]] | None = None,
        compiled: Mapping[str, CompiledOperation] | None = None,
        **_: Any,
    ) -> str | None:
        assert path is not None and operations is not None and compiled is not None
        methods = ",".join(sorted({method.upper() for method in compiled} | {"OPTIONS"}))
        headers = declared_headers(compiled.values())
        operations["options"] = _preflight(next(iter(compiled.values())).path_names, methods, headers)
        return None

    def operation(self, spec: dict[str, Any], op: CompiledOperation) -> None:
        spec["x-amazon-apigateway-request-validator"] = VALIDATOR
        spec["x-amazon-apigateway-integration"] = {
            "type": "aws_proxy",
            "httpMethod": "POST",
            "uri": integration_uri(op.operation_id),
            "passthroughBehavior": "when_no_match",
            "timeoutInMillis": 29000,
        }
        # Root-level security is ignored by API Gateway (rule 10): it must stand on every operation.
        spec["security"] = [] if op.public else [{AUTHORIZER: list(op.scopes)}]


def _preflight(path_names: tuple[str, ...], methods: str, declared: list[str]) -> dict[str, Any]:
    headers = cors_headers(methods, declared)
    preflight: dict[str, Any] = {
        "summary": "CORS preflight",
        "tags": ["cors"],
        "security": [],
        "responses": {
            "200": {
                "description": "CORS headers",
                "headers": {name: {"schema": {"type": "string"}} for name in headers},
            }
        },
        "x-amazon-apigateway-integration": {
            "type": "mock",
            "requestTemplates": {"application/json": json.dumps({"statusCode": 200})},
            "passthroughBehavior": "when_no_match",
            "responses": {
                "default": {
                    "statusCode": "200",
                    "responseParameters": {f"method.response.header.{name}": value for name, value in headers.items()},
                }
            },
        },
    }
    if path_names:
        preflight["parameters"] = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in path_names
        ]
    return preflight
