"""API Gateway REST (v1) Lambda proxy events and a Lambda context, as the real services build them."""

from __future__ import annotations

import base64
import fnmatch
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Final

ACCOUNT_ID: Final = "123456789012"
API_ID: Final = "localapi"
STAGE: Final = "local"


@dataclass(frozen=True)
class IncomingRequest:
    """One HTTP request as the gateway received it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    received: float = field(default_factory=time.time)

    def header(self, name: str) -> str | None:
        """The last value of a header, case-insensitively."""
        found = None
        for key, value in self.headers:
            if key.lower() == name.lower():
                found = value
        return found


def is_binary(media_type: str | None, binary_media_types: tuple[str, ...]) -> bool:
    """Whether `media_type` (a Content-Type or the first Accept media type) is one of the API's binary media types;
    `*` is a wildcard there (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html)."""
    media = (media_type or "").split(";")[0].strip().lower()
    return bool(media) and any(fnmatch.fnmatchcase(media, pattern.lower()) for pattern in binary_media_types)


def _multi(pairs: list[tuple[str, str]]) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    if not pairs:
        return None, None
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for key, value in pairs:
        single[key] = value
        multi.setdefault(key, []).append(value)
    return single, multi


def proxy_event(
    request: IncomingRequest,
    resource: str,
    path_parameters: dict[str, str],
    claims: dict[str, str] | None,
    host: str,
    port: int,
    binary_media_types: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The event a Lambda proxy integration receives for `request` on `resource`: a body whose Content-Type is one of
    the API's binary media types base64-encoded with isBase64Encoded, any other as UTF-8 text (API Gateway developer
    guide, "Content type conversions in API Gateway": binary data passes through; a proxy event carries it in
    base64)."""
    added = {"x-amzn-trace-id", "x-forwarded-for", "x-forwarded-port", "x-forwarded-proto"}
    headers = [(key, value) for key, value in request.headers if key.lower() not in added] + [
        ("X-Amzn-Trace-Id", f"Root=1-{int(request.received):08x}-{uuid.uuid4().hex[:24]}"),
        ("X-Forwarded-For", request.source_ip),
        ("X-Forwarded-Port", str(port)),
        ("X-Forwarded-Proto", "http"),
    ]
    single_headers, multi_headers = _multi(headers)
    query, multi_query = _multi(request.query)
    binary = is_binary(request.header("Content-Type"), binary_media_types)
    body: str | None = None
    if request.body:
        body = base64.b64encode(request.body).decode() if binary else request.body.decode("utf-8", errors="replace")
    request_context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": host,
        "domainPrefix": host.split(".")[0],
        "extendedRequestId": uuid.uuid4().hex[:16],
        "httpMethod": request.method,
        "identity": {
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "cognitoAuthenticationProvider": None,
            "cognitoAuthenticationType": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "principalOrgId": None,
            "sourceIp": request.source_ip,
            "user": None,
            "userAgent": request.header("User-Agent"),
            "userArn": None,
        },
        "path": request.path,
        "protocol": "HTTP/1.1",
        "requestId": request.request_id,
        "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(request.received)),
        "requestTimeEpoch": int(request.received * 1000),
        "resourceId": uuid.uuid5(uuid.NAMESPACE_URL, resource).hex[:6],
        "resourcePath": resource,
        "stage": STAGE,
    }
    if claims is not None:
        request_context["authorizer"] = {"claims": claims}
    return {
        "body": body,
        "headers": single_headers,
        "httpMethod": request.method,
        "isBase64Encoded": binary and body is not None,
        "multiValueHeaders": multi_headers,
        "multiValueQueryStringParameters": multi_query,
        "path": request.path,
        "pathParameters": path_parameters or None,
        "queryStringParameters": query,
        "requestContext": request_context,
        "resource": resource,
        "stageVariables": None,
    }


class LambdaContext:
    """The context object of one invocation (the attributes the Python runtime provides)."""

    def __init__(self, function_name: str, region: str, timeout_ms: int, memory_mb: int = 128) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:{ACCOUNT_ID}:function:{function_name}"
        self.memory_limit_in_mb = str(memory_mb)
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = time.strftime("%Y/%m/%d/[$LATEST]") + uuid.uuid4().hex
        self._deadline = time.monotonic() + timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the invocation times out."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))
