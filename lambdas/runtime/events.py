"""API Gateway REST proxy (v1) events: the parts a handler needs, checked against the contract."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lambdas.runtime.errors import (
    BadRequestError,
    PayloadTooLargeError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
)
from lambdas.runtime.validation import check, check_parameters

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is calling, from the Cognito authorizer's claims (the gateway verified the token)."""

    sub: str
    """The Cognito subject: the caller's account id. Never taken from the request itself."""
    scopes: frozenset[str]
    groups: frozenset[str]


@dataclass(frozen=True, slots=True)
class Request:
    """One request, its parameters and body already checked against the operation's schemas."""

    request_id: str
    path: dict[str, Any]
    query: dict[str, Any]
    body: Any
    """The checked JSON body; for a binary body (contract/binary.py) its raw bytes."""
    caller: Caller | None
    source_ip: str
    headers: dict[str, Any] = field(default_factory=dict)
    """The headers the contract declares for the operation, checked, under their declared names."""
    media_type: str | None = None
    """The media type of a binary body (one the operation declares), None for JSON."""

    @property
    def data(self) -> bytes:
        """The raw bytes of a binary body (contract/binary.py)."""
        if not isinstance(self.body, bytes):
            raise TypeError("this operation declares no binary request body")
        return self.body

    @property
    def sub(self) -> str:
        """The caller's Cognito subject; 401 if the request carries no identity."""
        if self.caller is None:
            raise UnauthorizedError("No caller identity")
        return self.caller.sub


def request_id_of(event: Mapping[str, Any], context: Any) -> str:
    """The gateway's request id (what the gateway's own errors carry), else the Lambda request id."""
    request_context = event.get("requestContext") or {}
    request_id = request_context.get("requestId") or getattr(context, "aws_request_id", None)
    return str(request_id or "unknown")


def caller_of(event: Mapping[str, Any]) -> Caller | None:
    """The caller from `requestContext.authorizer.claims`, or None when there is no authenticated caller."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = authorizer.get("claims") or {}
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        return None
    scope = claims.get("scope")
    groups = str(claims.get("cognito:groups", "")).strip("[]").replace(",", " ")
    return Caller(sub, frozenset(scope.split()) if isinstance(scope, str) else frozenset(), frozenset(groups.split()))


def parse_body(event: Mapping[str, Any], schema: Mapping[str, Any], defs: Mapping[str, Any] | None = None) -> Any:
    """The JSON body checked against `schema`; 400 naming `body` (or the field) otherwise."""
    raw = event.get("body")
    if raw is None or raw == "":
        raise BadRequestError("A JSON body is required", "body")
    if event.get("isBase64Encoded"):
        try:
            raw = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequestError("The body is not valid base64", "body") from None
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, TypeError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise BadRequestError("The body is not valid JSON", "body") from None
    return check(schema, value, "body", defs)


def parse_binary(event: Mapping[str, Any], rule: Mapping[str, Any]) -> tuple[bytes, str]:
    """The raw bytes of a binary body and its media type: 415 for a Content-Type the operation does not declare,
    413 over its maximum. API Gateway sends a body whose Content-Type is a binary media type base64-encoded with
    isBase64Encoded (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html);
    any other reaches the function as UTF-8 text, which is why a type not declared is refused, never guessed."""
    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    media_type = str(headers.get("content-type") or "").split(";")[0].strip().lower()
    if media_type not in rule["media_types"]:
        expected = " or ".join(rule["media_types"])
        raise UnsupportedMediaTypeError(f"Content-Type must be {expected}, not {media_type or 'absent'}", "body")
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        # Measured before decoding too: a body far over the maximum is refused without decoding it.
        if len(raw) > 4 * -(-rule["max_bytes"] // 3):
            raise PayloadTooLargeError(f"The body is over {rule['max_bytes']} bytes", "body")
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequestError("The body is not valid base64", "body") from None
    else:
        data = str(raw).encode()
    if not data:
        raise BadRequestError("A body is required", "body")
    if len(data) > rule["max_bytes"]:
        raise PayloadTooLargeError(f"The body is over {rule['max_bytes']} bytes", "body")
    return data, media_type


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_request(
    event: Mapping[str, Any], request_id: str, caller: Caller | None, inputs: Mapping[str, Any]
) -> Request:
    """The Request of `event`, with path, query and body checked against the operation's `inputs`."""
    body_schema = inputs.get("body")
    request_context = event.get("requestContext") or {}
    path = check_parameters(inputs.get("path"), event.get("pathParameters"), "path")
    query = check_parameters(inputs.get("query"), _query(event), "query")
    binary = (inputs.get("binary") or {}).get("request")
    body, media_type = parse_binary(event, binary) if binary else (None, None)
    return Request(
        request_id=request_id,
        path=path,
        query=query,
        body=body if body_schema is None else parse_body(event, body_schema, inputs.get("defs")),
        caller=caller,
        source_ip=str((request_context.get("identity") or {}).get("sourceIp") or ""),
        headers=check_parameters(
            inputs.get("header"), _declared_headers(inputs.get("header"), event.get("headers")), "header"
        ),
        media_type=media_type,
    )


def _query(event: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """Query parameters: every value of a repeated one (multiValueQueryStringParameters), else the single value.

    A REST API proxy event carries both maps; the single-value one keeps only the last value of a repeated
    parameter (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
    """
    single: dict[str, str | list[str]] = dict(event.get("queryStringParameters") or {})
    multi = event.get("multiValueQueryStringParameters") or {}
    return single | {name: list(values) for name, values in multi.items() if isinstance(values, list) and values}


def _declared_headers(schema: Mapping[str, Any] | None, raw: Mapping[str, str] | None) -> dict[str, str]:
    """The declared headers of `raw`, found case-insensitively (HTTP header names are) under their declared names."""
    if not schema or not raw:
        return {}
    lowered = {name.lower(): value for name, value in raw.items()}
    return {name: lowered[name.lower()] for name in schema.get("properties", {}) if name.lower() in lowered}
