"""Build the OpenAPI 3.0.3 documents from contract/routes.py (build time only).

`build_document(deployable=True)` is what API Gateway imports (through Terraform's templatefile);
`build_document(deployable=False)` is the public document for readers and client generators.
Both come from the same routes and models, so they cannot disagree.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Final

from apispec import APISpec

from contract import examples, routes
from contract.apigateway import ApiGatewayPlugin
from contract.errors import ContractError
from contract.models.errors import Error
from contract.operation import NO_BODY, WriteMode, response_model
from contract.schema import (
    REF_PREFIX,
    ApiGatewaySchema,
    OpenApi30Schema,
    component_name,
    deployable_parameter,
    parameter_schema,
    schemas_for,
)

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.json_schema import JsonSchemaMode

    from contract.operation import Operation

OPENAPI_VERSION: Final = "3.0.3"
PUBLIC_AUTH: Final = "bearerAuth"
SCOPES_EXTENSION: Final = "x-required-scopes"
"""The public document's scopes per operation: an http bearer requirement must list none (OAS 3.0.3
Security Requirement Object), so the scopes travel here and in the description."""

ERROR_CODES: Final = {
    400: ("BAD_REQUEST", "body.displayName must be at least 1 characters long", "body.displayName"),
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
        for body in op.responses.values():
            if (model := response_model(body)) is not None:
                models.setdefault(model, "serialization")
    for model in _parameter_models(ops):
        models.setdefault(model, "validation")
    return list(models.items())


def _parameter_models(ops: tuple[Operation, ...]) -> list[type[BaseModel]]:
    """The parameter and response-header models: their fields become parameters and headers, not components."""
    found = [[op.path_params, op.query_params, op.header_params, *op.response_headers.values()] for op in ops]
    return list(dict.fromkeys(m for models in found for m in models if m is not None))


def definitions(ops: tuple[Operation, ...], generator: type[OpenApi30Schema]) -> dict[str, Any]:
    """Every schema the operations need (bodies, parameters, response headers): the one pass over the models."""
    return dict(sorted(schemas_for(_models(ops), generator).items()))


def _fields(model: type[BaseModel], schemas: dict[str, Any], where: str) -> list[tuple[str, bool, dict[str, Any]]]:
    """(wire name, required, exact schema) of each field of a parameters model, enums resolved."""
    schema = schemas[component_name(model)]
    required = set(schema.get("required", ()))
    found = []
    for name, field in schema.get("properties", {}).items():
        resolved = _resolved(field, schemas)
        found.append((name, name in required, parameter_schema(resolved, f"{where} {name}")))
    return found


def _resolved(field: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """A parameter's schema with its enum references inlined (a parameter is text: rule 8)."""
    field = dict(field)
    if "$ref" in field:
        return {**schemas[field.pop("$ref").removeprefix(REF_PREFIX)], **field}
    if field.get("nullable") and len(field.get("allOf", ())) == 1:
        inner = _resolved(field.pop("allOf")[0], schemas)
        return {**inner, **field}
    if field.get("type") == "array" and "items" in field:
        field["items"] = _resolved(field["items"], schemas)
    return field


def parameters(op: Operation, schemas: dict[str, Any], *, deployable: bool = False) -> list[dict[str, Any]]:
    """The OpenAPI parameters of `op`: its path, query and header models' fields, in that order.

    `schemas`: the exact (public) definitions. The deployable form keeps the scalar type only for arrays
    (API Gateway reads name, in, required and a scalar type: rule 8; the handler checks the rest).
    """
    found = []
    for location, model in (("path", op.path_params), ("query", op.query_params), ("header", op.header_params)):
        if model is None:
            continue
        for name, required, schema in _fields(model, schemas, f"{op.operation_id} {location} parameter"):
            schema = dict(schema)
            schema.pop("nullable", None)  # a parameter is absent or text, never null
            description = schema.pop("description", None)
            parameter: dict[str, Any] = {"name": name, "in": location, "required": location == "path" or required}
            if deployable:
                schema = {"type": "string"} if schema.get("type") == "array" else deployable_parameter(schema)
            elif schema.get("type") == "array":
                # Repeated (`status=a&status=b`): form style, exploded (OpenAPI 3.0's default for query).
                parameter.update(style="form" if location == "query" else "simple", explode=location == "query")
            parameter["schema"] = schema
            if description:
                parameter["description"] = description
            found.append(parameter)
    return found


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


def _responses(op: Operation, schemas: dict[str, Any], deployable: bool) -> dict[str, Any]:
    statuses: dict[int, Any] = dict(op.responses)
    gateway_errors = [400, 429, 500] if op.public else [400, 401, 403, 429, 500]
    for status in (*op.errors, *gateway_errors):
        statuses.setdefault(status, Error)
    responses: dict[str, Any] = {}
    for status, body in sorted(statuses.items()):
        response: dict[str, Any] = {"description": REASONS.get(status, _reason(body, status))}
        model = response_model(body)
        if model is not None and not (deployable and model is not body):
            # A top-level array stays out of the deployable document: API Gateway models a response body as
            # an object (rule 17), and a proxy integration never validates responses.
            ref = {"$ref": REF_PREFIX + component_name(model)}
            media: dict[str, Any] = {"schema": ref if model is body else {"type": "array", "items": ref}}
            if not deployable and (example := _example(body, status, schemas)) is not None:
                media["example"] = example
            response["content"] = {"application/json": media}
        if not deployable and status in op.response_headers:
            response["headers"] = {
                name: {"required": required, "schema": schema, **_description(schema)}
                for name, required, schema in _fields(op.response_headers[status], schemas, f"{op.operation_id} header")
            }
        responses[str(status)] = response
    return responses


def _reason(body: Any, status: int) -> str:
    if status in NO_BODY:
        return "No content."
    model = response_model(body)
    return (model.__doc__ or component_name(model)).strip() if model is not None else str(status)


def _description(schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": schema["description"]} if "description" in schema else {}


def _example(body: Any, status: int, schemas: dict[str, Any]) -> Any:
    """A response example: the Error body of the status, else one invented from the schema (None: no valid one)."""
    if body is Error:
        code, message, field = ERROR_CODES.get(status, ("CLIENT_ERROR" if status < 500 else "SERVER_ERROR", "", None))
        example = {"code": code, "message": message or REASONS.get(status, ""), "requestId": "c6af9ac6-7b61"}
        return example if field is None else {**example, "field": field}
    model = response_model(body)
    assert model is not None
    schema: dict[str, Any] = {"$ref": REF_PREFIX + component_name(model)}
    return examples.invent(schema if model is body else {"type": "array", "items": schema}, schemas)


def _operation(op: Operation, schemas: dict[str, Any], deployable: bool) -> dict[str, Any]:
    description = op.description
    if not deployable and not op.public:
        scopes = ", ".join(f"`{routes.RESOURCE_SERVER}/{s.name}`" for s in op.scopes)
        description += f"\n\nRequires scope {scopes}."
    spec: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "description": description,
        "tags": list(op.tags),
        "responses": _responses(op, schemas, deployable),
    }
    if op.request is not None and not deployable:
        spec["responses"]["413"] = TOO_LARGE
    if params := parameters(op, schemas, deployable=deployable):
        spec["parameters"] = params
    if op.request is not None:
        spec["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF_PREFIX + component_name(op.request)}}},
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
        spec["security"] = [] if op.public else [{PUBLIC_AUTH: []}]
        spec[SCOPES_EXTENSION] = [f"{routes.RESOURCE_SERVER}/{s.name}" for s in op.scopes]
    return spec


def component_schemas(*, deployable: bool, ops: tuple[Operation, ...] = routes.ROUTES) -> dict[str, Any]:
    """The components' schemas of the document of `ops` (parameter models are parameters, not components)."""
    schemas = definitions(ops, ApiGatewaySchema if deployable else OpenApi30Schema)
    bodies = {m for op in ops for m in (op.request, *map(response_model, op.responses.values())) if m is not None}
    for model in _parameter_models(ops):
        if model not in bodies:
            schemas.pop(component_name(model), None)
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
            raise ContractError(f"{op.method} {op.path} ({op.operation_id}): declared twice")
        seen.add((op.path, op.method))
    exact = definitions(ops, OpenApi30Schema)
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
                "description": "A Cognito user-pool access token. Each operation lists the scopes it needs.",
            },
        )
    for tag in sorted({tag for op in ops for tag in op.tags}):
        spec.tag({"name": tag, "description": routes.TAGS[tag]} if not deployable else {"name": tag})
    for op in ops:
        spec.path(path=op.path, operations={op.method.lower(): _operation(op, exact, deployable)})
    return spec.to_dict()
