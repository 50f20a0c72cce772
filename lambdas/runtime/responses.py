"""API Gateway REST proxy (v1) responses: JSON bodies with CORS headers, and the contract's Error body."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lambdas.runtime.errors import ServiceError

CORS_ALLOW_ORIGIN: Final = "*"
"""Same value as the gateway's preflight and gateway responses (contract/apigateway.py)."""

_HEADERS: Final[dict[str, str]] = {
    "Content-Type": "application/json",
    "Access-Control-Allow-Origin": CORS_ALLOW_ORIGIN,
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "Cache-Control": "no-store",
    "Access-Control-Expose-Headers": "X-Request-Id",
}
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def json_response(
    status_code: int, body: Any, request_id: str, extra: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A proxy response carrying `body` as compact JSON (None: no body, as a 204), plus the operation's declared
    response headers (`extra`, e.g. Location), which browsers may read (Access-Control-Expose-Headers)."""
    headers = _HEADERS.copy()
    headers["X-Request-Id"] = request_id
    if extra:
        headers.update(extra)
        headers["Access-Control-Expose-Headers"] = ",".join(["X-Request-Id", *extra])
    if body is None:
        del headers["Content-Type"]
        return {"statusCode": status_code, "headers": headers, "body": "", "isBase64Encoded": False}
    return {"statusCode": status_code, "headers": headers, "body": _dumps(body), "isBase64Encoded": False}


def binary_response(
    status_code: int, data: bytes, request_id: str, rule: Mapping[str, Any], extra: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A proxy response carrying raw bytes, base64-encoded with isBase64Encoded: API Gateway sends them as bytes to a
    caller whose first Accept media type is one of the API's binary media types, else as the base64 text
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/lambda-proxy-binary-media.html). `rule`: the
    contract's binary body of this status; Content-Type is `extra`'s when it names one of its types, else its first.
    ValueError when the bytes break the contract (a bug of the handler: the caller gets a 500)."""
    from base64 import b64encode  # only binary answers need it: not imported on every cold start

    headers = dict(extra or {})
    media_type = headers.pop("Content-Type", None) or rule["media_types"][0]
    if media_type not in rule["media_types"] or len(data) > rule["max_bytes"]:
        raise ValueError(f"a {len(data)}-byte {media_type} answer breaks the contract's {rule}")
    response = json_response(status_code, {}, request_id, headers or None)
    response["headers"]["Content-Type"] = media_type
    response["body"] = b64encode(data).decode("ascii")
    response["isBase64Encoded"] = True
    return response


def error_response(error: ServiceError, request_id: str) -> dict[str, Any]:
    """The contract's Error body for `error`: code, message, requestId and, when known, field."""
    body = {"code": error.code, "message": error.message, "requestId": request_id}
    if error.field is not None:
        body["field"] = error.field
    response = json_response(error.status_code, body, request_id)
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        response["headers"]["Retry-After"] = str(retry_after)
    return response
