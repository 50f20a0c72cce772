"""Build the OpenAPI 3.0.3 documents from contract/routes.py (build time only).

`build_document(deployable=True)` is what API Gateway imports (through Terraform's templatefile);
`build_document(deployable=False)` is the public document for readers and client generators.
Both come from the same routes and models, so they cannot disagree.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Final

from apispec import APISpec

from contract import routes
from contract.apigateway import ApiGatewayPlugin
from contract.errors import ContractError
from contract.models.errors import Error
from contract.operation import WriteMode
from contract.schema import REF_PREFIX, ApiGatewaySchema, OpenApi30Schema, parameter_schema, schemas_for

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.json_schema import JsonSchemaMode

    from contract.operation import Operation

OPENAPI_VERSION: Final = "3.0.3"
PUBLIC_AUTH: Final = "bearerAuth"
SIGN_IN: Final = "cognito"
"""The public document's OAuth2 scheme: managed login's authorization code + PKCE, scopes per operation. Its URLs
are the placeholders of a Cognito custom domain: a served docs page (`GET /docs` of `make serve`) puts its own."""
SIGN_IN_BASE: Final = "https://auth.example.com/oauth2"
SCOPES_EXTENSION: Final = "x-required-scopes"
"""The public document's scopes per operation: an http bearer requirement must list none (OAS 3.0.3
Security Requirement Object), so the scopes travel here and in the description."""

ERROR_CODES: Final = {
    400: ("BAD_REQUEST", "The request breaks the contract", None),
    401: ("UNAUTHORIZED", "Unauthorized", None),
    403: ("FORBIDDEN", "The token lacks a scope this operation needs", None),
    404: ("NOT_FOUND", "Not found", None),
    409: ("CONFLICT", "The account changed since you read it", None),
    429: ("THROTTLED", "Too Many Requests", None),
    500: ("INTERNAL_ERROR", "Internal error; quote the requestId to support.", None),
    503: ("SERVICE_UNAVAILABLE", "The home region is unavailable", None),
}
"""The example Error body of each status (the codes the gateway and the handlers answer)."""

REASONS: Final = {
    200: "OK",
    201: "Created",
    400: "The request breaks the contract: a parameter or body field is missing or invalid (`field` names it).",
    401: "No valid token (missing, expired, not an access token), or one without the scopes this operation "
    "needs: API Gateway's Cognito authorizer answers 401 for both.",
    403: "Forbidden: the handler refused the caller (its own check of the scopes, after the gateway's).",
    404: "Not found.",
    409: "Conflict: the resource changed since you read it (stale version), or an `Idempotency-Key` was reused "
    "with a different request.",
    429: "Too many requests: throttled.",
    500: "Unexpected error; quote `requestId` to support.",
    503: "The serving region is unhealthy, or the home region of the data is unavailable: retry after "
    "`Retry-After` seconds.",
}


def _models(ops: tuple[Operation, ...]) -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    models: dict[type[BaseModel], JsonSchemaMode] = {Error: "serialization"}
    for op in ops:
        if op.request is not None:
            models[op.request] = "validation"
        for model in op.responses.values():
            models.setdefault(model, "serialization")
    return list(models.items())


def parameters(op: Operation, generator: type[OpenApi30Schema]) -> list[dict[str, Any]]:
    """The OpenAPI parameters of `op`: its path, query and header models' fields, in that order."""
    parameters = []
    for location, model in (("path", op.path_params), ("query", op.query_params), ("header", op.header_params)):
        if model is None:
            continue
        schema = schemas_for([(model, "validation")], generator)[model.__name__]
        required = set(schema.get("required", ()))
        for name, field in schema["properties"].items():
            description = field.pop("description", None)
            parameter: dict[str, Any] = {
                "name": name,
                "in": location,
                "required": location == "path" or name in required,
                "schema": parameter_schema(field, f"{op.operation_id} {location} parameter {name}"),
            }
            if description:
                parameter["description"] = description
            parameters.append(parameter)
    return parameters


TOO_LARGE_SCHEMA: Final = "RequestTooLarge"
TOO_LARGE: Final = {
    "description": "API Gateway's own answer to a body over 10 MB, the one body not shaped as `Error`: AWS does "
    "not let a gateway response customize REQUEST_TOO_LARGE.",
    "content": {
        "application/json": {
            "schema": {"$ref": REF_PREFIX + TOO_LARGE_SCHEMA},
            "example": {"message": "Request Too Long"},
        }
    },
}


def _bad_request(op: Operation, generator: type[OpenApi30Schema]) -> tuple[str, str | None]:
    """The 400 message and field this operation's own input would get: the gateway's body validator
    (contract/apigateway.py BODY_MESSAGE), else the handler's check of a parameter (lambdas/runtime/validation.py)."""
    if op.request is not None:
        schema = schemas_for([(op.request, "validation")], generator)[op.request.__name__]
        names = [*schema.get("required", ()), *schema.get("properties", {})]
        detail = f"body: '{names[0]}' is a required property" if names else "the body is empty"
        return f"Invalid request body: [{detail}]", "body"
    params = sorted(parameters(op, generator), key=lambda p: not p["required"])
    if params:
        where, schema = f"{params[0]['in']}.{params[0]['name']}", params[0]["schema"]
        if "pattern" in schema:
            return f"{where} must match {schema['pattern']}", where
        return f"{where} must be of type {schema.get('type', 'string')}", where
    return ERROR_CODES[400][1], None


def _responses(op: Operation) -> dict[str, Any]:
    statuses: dict[int, type[BaseModel]] = dict(op.responses)
    gateway_errors = [400, 429, 500] if op.public else [400, 401, 403, 429, 500]
    for status in (*op.errors, *gateway_errors):
        statuses.setdefault(status, Error)
    return {
        str(status): {
            "description": REASONS.get(status, model.__doc__ or model.__name__),
            "content": {
                "application/json": {
                    "schema": {"$ref": REF_PREFIX + model.__name__},
                    "example": _example(model, status, op),
                }
            },
        }
        for status, model in sorted(statuses.items())
    }


def _example(model: type[BaseModel], status: int, op: Operation) -> Any:
    """A response example: the Error body of the status (a 400 names the operation's own input), else the model
    built from its fields' examples."""
    if model is Error:
        code, message, field = ERROR_CODES.get(status, ("CLIENT_ERROR" if status < 500 else "SERVER_ERROR", "", None))
        if status == 400:
            message, field = _bad_request(op, OpenApi30Schema)
        body = {"code": code, "message": message or REASONS.get(status, ""), "requestId": "c6af9ac6-7b61"}
        return body if field is None else {**body, "field": field}
    schemas = schemas_for([(model, "serialization")], OpenApi30Schema)
    return _from_schema(schemas[model.__name__], schemas)


def _from_schema(schema: dict[str, Any], schemas: dict[str, Any]) -> Any:
    if "$ref" in schema:
        return _from_schema(schemas[schema["$ref"].removeprefix(REF_PREFIX)], schemas)
    if "example" in schema:
        return schema["example"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {name: _from_schema(sub, schemas) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [_from_schema(schema["items"], schemas)]
    if schema.get("format") == "date-time":
        return "2026-01-01T12:00:00Z"
    return {"integer": 0, "number": 0, "boolean": True}.get(str(kind), "string")


def _operation(op: Operation, generator: type[OpenApi30Schema], deployable: bool) -> dict[str, Any]:
    description = op.description
    if not deployable and not op.public:
        scopes = ", ".join(f"`{routes.RESOURCE_SERVER}/{s.name}`" for s in op.scopes)
        description += f"\n\nRequires scope {scopes}."
    spec: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "description": description,
        "tags": list(op.tags),
        "responses": _responses(op),
    }
    if op.request is not None and not deployable:
        spec["responses"]["413"] = TOO_LARGE
    if params := parameters(op, generator):
        spec["parameters"] = params
    if op.request is not None:
        spec["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF_PREFIX + op.request.__name__}}},
        }
    home_region_data = op.write_mode is WriteMode.HOME_REGION or op.idempotent_create
    if not deployable and "503" in spec["responses"] and home_region_data:
        spec["responses"]["503"]["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before retrying (the home region of the data is unavailable).",
                "schema": {"type": "integer", "minimum": 1},
            }
        }
    if not deployable:
        sent = [f"{routes.RESOURCE_SERVER}/{s.name}" for s in op.scopes]
        spec["security"] = [] if op.public else [{SIGN_IN: sent}, {PUBLIC_AUTH: []}]
        spec[SCOPES_EXTENSION] = sent
    return spec


def component_schemas(*, deployable: bool, ops: tuple[Operation, ...] = routes.ROUTES) -> dict[str, Any]:
    """The components' schemas of the document of `ops`: the one pass over the models."""
    schemas = dict(sorted(schemas_for(_models(ops), ApiGatewaySchema if deployable else OpenApi30Schema).items()))
    if not deployable:
        schemas[TOO_LARGE_SCHEMA] = {
            "title": TOO_LARGE_SCHEMA,
            "description": "API Gateway's built-in body for a request over 10 MB (status 413).",
            "type": "object",
            "properties": {"message": {"type": "string", "example": "Request Too Long"}},
            "required": ["message"],
        }
    return schemas


def build_document(
    *, deployable: bool, ops: tuple[Operation, ...] = routes.ROUTES, schemas: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The OpenAPI document of `ops`, for API Gateway (deployable) or for readers (public); `schemas`:
    its `component_schemas` if the caller already has them."""
    seen: set[tuple[str, str]] = set()
    for op in ops:
        if (op.path, op.method) in seen or sum(o.operation_id == op.operation_id for o in ops) > 1:
            raise ContractError(
                f"{op.method} {op.path} ({op.operation_id}): declared twice: method + path and operation_id must "
                "each be unique in ROUTES; remove or rename one"
            )
        seen.add((op.path, op.method))
    generator = ApiGatewaySchema if deployable else OpenApi30Schema
    spec = APISpec(
        title=routes.TITLE,
        version=routes.VERSION,
        openapi_version=OPENAPI_VERSION,
        plugins=[ApiGatewayPlugin(ops, routes.RESOURCE_SERVER)] if deployable else [],
        info={"description": routes.DESCRIPTION}
        if deployable
        else {
            "description": routes.DESCRIPTION,
            "license": routes.LICENSE,
            "contact": routes.CONTACT,
        },
    )
    if not deployable:
        spec.options["servers"] = routes.SERVERS
    for name, schema in (schemas or component_schemas(deployable=deployable, ops=ops)).items():
        spec.components.schema(name, copy.deepcopy(schema))
    if not deployable:
        spec.components.security_scheme(
            PUBLIC_AUTH,
            {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "A Cognito user-pool access token (`make token` locally). Each operation lists the "
                "scopes it needs.",
            },
        )
        spec.components.security_scheme(
            SIGN_IN,
            {
                "type": "oauth2",
                "description": "Sign in at the user pool's managed login (authorization code + PKCE, public client). "
                "The URLs are your Cognito domain's; the docs page served by the API (`GET /docs`) fills them in.",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": f"{SIGN_IN_BASE}/authorize",
                        "tokenUrl": f"{SIGN_IN_BASE}/token",
                        "scopes": {
                            f"{routes.RESOURCE_SERVER}/{scope.name}": scope.description
                            for scope in sorted({s for op in ops for s in op.scopes}, key=lambda s: s.name)
                        },
                    }
                },
            },
        )
    for tag in sorted({tag for op in ops for tag in op.tags}):
        spec.tag({"name": tag, "description": routes.TAGS[tag]} if not deployable else {"name": tag})
    for op in ops:
        spec.path(path=op.path, operations={op.method.lower(): _operation(op, generator, deployable)})
    return spec.to_dict()
