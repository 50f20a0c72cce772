"""What the documents say of each response: the gateway's own errors, descriptions and examples.

Part of the compile step (contract/compiled.py): the model's `Response` of each status comes from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from contract import examples
from contract.models.errors import Error
from contract.schema import REF_PREFIX

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

TOO_LARGE_SCHEMA: Final = "RequestTooLarge"
TOO_LARGE_COMPONENT: Final = {
    "title": TOO_LARGE_SCHEMA,
    "description": "API Gateway's built-in body for a request over 10 MB (status 413).",
    "type": "object",
    "properties": {"message": {"type": "string", "example": "Request Too Long"}},
    "required": ["message"],
}
"""The public document's one component no model declares (API Gateway's own 413 body)."""

GATEWAY_ERRORS: Final = (400, 429, 500, 503)
"""What any operation may answer whatever it declares: API Gateway's own errors, and 503 from a region whose table
or secret does not answer (lambdas/runtime/errors.py `unavailable`); 401 and 403 too on one that needs a token."""
AUTH_ERRORS: Final = (401, 403)

ERROR_CODES: Final = {
    400: ("BAD_REQUEST", "The request breaks the contract", None),
    401: ("UNAUTHORIZED", "Unauthorized", None),
    403: ("FORBIDDEN", "The token lacks a scope this operation needs", None),
    404: ("NOT_FOUND", "Not found", None),
    409: ("CONFLICT", "The account changed since you read it", None),
    413: ("PAYLOAD_TOO_LARGE", "The body is over the maximum this operation declares", "body"),
    415: ("UNSUPPORTED_MEDIA_TYPE", "The Content-Type is not one this operation declares", "body"),
    429: ("THROTTLED", "Too Many Requests", None),
    500: ("INTERNAL_ERROR", "Internal error; quote the requestId to support.", None),
    503: ("SERVICE_UNAVAILABLE", "A service this region depends on is unavailable; retry", None),
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
    415: "Unsupported media type: the binary body's Content-Type is not one the operation declares.",
    429: "Too many requests: throttled.",
    500: "Unexpected error; quote `requestId` to support.",
    503: "The serving region is unhealthy, or the home region of the data is unavailable: retry after "
    "`Retry-After` seconds.",
}
"""The description of each response status (else the model's docstring)."""


def bad_request(
    parameters: Sequence[Mapping[str, Any]], request: str | None, schemas: Mapping[str, Any], array: bool = False
) -> dict[str, Any]:
    """The 400 Error example of one operation: what its own input would get, from the gateway's body validator
    (contract/apigateway.py BODY_MESSAGE) or the handler's check of a parameter (lambdas/runtime/validation.py)."""
    code, message, field = ERROR_CODES[400]
    if request is not None:
        schema = schemas[request]
        names = [*schema.get("required", ()), *schema.get("properties", {})]
        detail = f"body: '{names[0]}' is a required property" if names else "the body is empty"
        if array:  # a top-level JSON array of `request`
            detail = f"body[0]: '{names[0]}' is a required property" if names else "body: {} is not of type 'array'"
        message, field = f"Invalid request body: [{detail}]", "body"
    elif params := sorted(parameters, key=lambda p: not p["required"]):
        field = f"{params[0]['in']}.{params[0]['name']}"
        schema = params[0]["schema"]
        pattern = schema.get("pattern")
        message = (
            f"{field} must match {pattern}" if pattern else f"{field} must be of type {schema.get('type', 'string')}"
        )
    body = {"code": code, "message": message, "requestId": "c6af9ac6-7b61"}
    return body if field is None else {**body, "field": field}


def example(name: str, status: int, schemas: Mapping[str, Any], *, array: bool = False) -> Any:
    """A response example: the Error body of the status, else one invented from the schema, valid against it
    (contract/examples.py; None: no valid one could be made). `array`: the body is a JSON array of `name`."""
    if name == Error.__name__:
        code, message, field = ERROR_CODES.get(status, ("CLIENT_ERROR" if status < 500 else "SERVER_ERROR", "", None))
        body = {"code": code, "message": message or REASONS.get(status, ""), "requestId": "c6af9ac6-7b61"}
        return body if field is None else {**body, "field": field}
    schema: dict[str, Any] = {"$ref": REF_PREFIX + name}
    return examples.invent({"type": "array", "items": schema} if array else schema, schemas)
