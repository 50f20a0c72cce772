"""The gateway's own responses, rendered from the document's x-amazon-apigateway-gateway-responses.

API Gateway picks the entry of the response type, else DEFAULT_4XX / DEFAULT_5XX, else its built-in
`{"message": ...}`. Templates only substitute `$context` variables (no VTL logic here), so a plain
substitution renders them as the gateway does; `$context.error.messageString` is the quoted message.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Final

DEFAULT_STATUS: Final[dict[str, int]] = {
    "ACCESS_DENIED": 403,
    "API_CONFIGURATION_ERROR": 500,
    "AUTHORIZER_CONFIGURATION_ERROR": 500,
    "AUTHORIZER_FAILURE": 500,
    "BAD_REQUEST_BODY": 400,
    "BAD_REQUEST_PARAMETERS": 400,
    "EXPIRED_TOKEN": 403,
    "INTEGRATION_FAILURE": 504,
    "INTEGRATION_TIMEOUT": 504,
    "INVALID_API_KEY": 403,
    "INVALID_SIGNATURE": 403,
    "MISSING_AUTHENTICATION_TOKEN": 403,
    "QUOTA_EXCEEDED": 429,
    "REQUEST_TOO_LARGE": 413,
    "RESOURCE_NOT_FOUND": 404,
    "THROTTLED": 429,
    "UNAUTHORIZED": 401,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    "WAF_FILTERED": 403,
}
"""What each response type answers when the document does not set statusCode (AWS defaults)."""
NOT_CUSTOMIZABLE: Final = frozenset({"REQUEST_TOO_LARGE"})
_VARIABLE = re.compile(r"\$(?:\{context\.([A-Za-z.]+)\}|context\.([A-Za-z]+(?:\.[A-Za-z]+)*))")


@dataclass(frozen=True)
class GatewayError:
    """A failure the gateway answers itself, before or instead of the integration."""

    response_type: str
    message: str
    status: int | None = None
    """Overrides the response type's status (a failed Lambda is DEFAULT_5XX answered with 502)."""
    validation_error: str = ""


@dataclass
class HttpResponse:
    """What goes back on the wire."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def render(gateway_responses: dict[str, Any], error: GatewayError, context: dict[str, str]) -> HttpResponse:
    """The HTTP response API Gateway sends for `error`, with `context` ($context.*) variables."""
    default_status = error.status or DEFAULT_STATUS.get(error.response_type, 500)
    entry: dict[str, Any] | None = None
    if error.response_type not in NOT_CUSTOMIZABLE:
        entry = gateway_responses.get(error.response_type)
        if entry is None:
            entry = gateway_responses.get("DEFAULT_5XX" if default_status >= 500 else "DEFAULT_4XX")
    if entry is None:
        plain = json.dumps({"message": error.message}).encode()
        return HttpResponse(default_status, [("Content-Type", "application/json")], plain)
    status = int(entry["statusCode"]) if entry.get("statusCode") else default_status
    headers = [("Content-Type", "application/json")]
    prefix = "gatewayresponse.header."
    for name, value in sorted((entry.get("responseParameters") or {}).items()):
        if name.startswith(prefix):
            headers.append((name[len(prefix) :], value[1:-1] if value.startswith("'") else value))
    variables = {
        "error.message": error.message,
        "error.messageString": json.dumps(error.message),
        "error.responseType": error.response_type,
        # Placed inside a JSON string by the templates; API Gateway escapes its quotes (unverified here).
        "error.validationErrorString": json.dumps(error.validation_error)[1:-1],
        **context,
    }
    template = (entry.get("responseTemplates") or {}).get("application/json")
    if template is None:
        body = json.dumps({"message": error.message})
    else:
        body = _VARIABLE.sub(lambda match: variables.get(match.group(1) or match.group(2), ""), template)
    return HttpResponse(status, headers, body.encode())
