"""One region's API Gateway: route, authorize, validate and invoke, by the committed deployable document.

The order is the gateway's: unknown route (MISSING_AUTHENTICATION_TOKEN), CORS preflight (mock
integration), Cognito authorizer (UNAUTHORIZED), request validator (BAD_REQUEST_PARAMETERS, then
BAD_REQUEST_BODY), then the Lambda proxy integration, run in this process with a real proxy event.
Every failure the gateway answers itself is rendered from the document's gateway responses.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
import time
import traceback
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.validation.request.exceptions import MissingRequiredParameter
from openapi_core.validation.request.validators import V30RequestBodyValidator, V30RequestParametersValidator
from werkzeug.datastructures import Headers, ImmutableMultiDict

from localapi.apigateway import document as doc
from localapi.apigateway.events import IncomingRequest, LambdaContext, is_binary, proxy_event
from localapi.apigateway.responses import GatewayError, HttpResponse, render
from localapi.cognitoidp.authorizer import AuthorizationError, event_claims

if TYPE_CHECKING:
    from collections.abc import Callable

    from localapi.cognitoidp.authorizer import Verifier

MAX_BODY_BYTES: Final = 10 * 1024 * 1024
LAMBDA_PAYLOAD_BYTES: Final = 6 * 1024 * 1024
"""Lambda's synchronous invocation payload, 6 MB (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html),
as Invoke counts it ("Request must be smaller than 6291456 bytes", its RequestTooLargeException). API Gateway answers
an invocation Lambda rejects with 500 `{"message": "Internal server error"}`
(https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html). An answer over it is not played: AWS
documents no status for it."""
HEALTH_PATH: Final = "/health"
HEALTH_THROTTLE: Final = (10.0, 20)
"""Terraform's health_throttling defaults (rate per second, burst): GET /health's own method throttle."""
HOST_URL: Final = "http://localapi"
LOG = logging.getLogger("localapi.gateway")
TOO_DEEP: Final = "the body is not JSON: nested too deeply"
"""AWS documents no nesting limit; a body the validator cannot parse fails validation (BAD_REQUEST_BODY)."""


class _CoreRequest:
    """An openapi-core Request."""

    def __init__(self, request: IncomingRequest, path: str, content_type: str) -> None:
        self.host_url = HOST_URL
        self.path = path
        self.method = request.method.lower()
        self.body: bytes | None = request.body or None
        self.content_type = content_type
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(request.query), header=Headers(request.headers), cookie=ImmutableMultiDict()
        )


def _is_json(content_type: str | None) -> bool:
    """Whether the body is validated: API Gateway assumes application/json when Content-Type is absent."""
    media = (content_type or "application/json").split(";")[0].strip().lower()
    return media == "application/json"


class TokenBucket:
    """API Gateway's throttle of one method: `rate` tokens a second, at most `burst` kept (developer guide,
    api-gateway-request-throttling: the token bucket algorithm)."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self._tokens, self._at = float(burst), clock()
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Whether a request may pass now (False: 429)."""
        with self._lock:
            now = self.clock()
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
            self._at = now
            if self._tokens < 1:
                return False
            self._tokens -= 1
            return True


class Gateway:
    """A REST API stage of one region."""

    def __init__(
        self,
        api: doc.ApiDocument,
        verifier: Verifier | None,
        region: str,
        timeout_seconds: float = 29.0,
        resolve: Callable[[str], Callable[[dict[str, Any], Any], Any]] | None = None,
        health_throttle: tuple[float, int] = HEALTH_THROTTLE,
    ) -> None:
        self.api = api
        self.verifier = verifier
        self.region = region
        self.timeout_seconds = timeout_seconds
        self._resolve = resolve or _import_handler
        self.health_bucket = TokenBucket(*health_throttle)
        spec = OpenAPI.from_dict(doc.gateway_view(api.raw)).spec
        self._finder = APICallPathFinder(spec)
        self._parameters = V30RequestParametersValidator(spec)
        self._body = V30RequestBodyValidator(spec)

    def handle(self, request: IncomingRequest, host: str = "127.0.0.1", port: int = 0) -> HttpResponse:
        """The response to one request."""
        try:
            response = self._handle(request, host, port)
        except GatewayErrorResponse as failure:
            response = self.error(failure.error, request)
        except Exception:  # a bug of the local gateway itself must still answer like the gateway
            LOG.exception("the local gateway failed on %s %s", request.method, request.path)
            response = self.error(GatewayError("API_CONFIGURATION_ERROR", "Internal server error"), request)
        response.headers.append(("x-amzn-RequestId", request.request_id))
        response.headers.append(("x-amz-apigw-id", request.request_id[:8] + "="))
        return response

    def error(self, error: GatewayError, request: IncomingRequest) -> HttpResponse:
        """The gateway response for `error`."""
        context = {
            "requestId": request.request_id,
            "extendedRequestId": request.request_id,
            "httpMethod": request.method,
            "path": request.path,
            "stage": "local",
            "identity.sourceIp": request.source_ip,
        }
        return render(self.api.gateway_responses, error, context)

    def _route(self, request: IncomingRequest) -> tuple[doc.GatewayMethod, str, dict[str, str]]:
        path = request.path if request.path == "/" else request.path.rstrip("/") or "/"
        try:
            found = self._finder.find(request.method.lower(), HOST_URL + path)
        except PathError:
            raise GatewayErrorResponse(
                GatewayError("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token")
            ) from None
        template = str(found.path.parts[-1])
        operation = self.api.operation(request.method, template)
        if operation is None:
            raise GatewayErrorResponse(GatewayError("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token"))
        variables = {name: unquote(value) for name, value in found.path_result.variables.items()}
        return operation, path, variables

    def _handle(self, request: IncomingRequest, host: str, port: int) -> HttpResponse:
        if len(request.body) > MAX_BODY_BYTES:
            raise GatewayErrorResponse(GatewayError("REQUEST_TOO_LARGE", "Request Too Long"))
        operation, path, path_parameters = self._route(request)
        # Throttling comes before the authorizer: an anonymous caller spends the method's tokens too.
        if operation.method.upper() == "GET" and operation.path == HEALTH_PATH and not self.health_bucket.take():
            raise GatewayErrorResponse(GatewayError("THROTTLED", "Too Many Requests"))
        if operation.is_mock:
            headers = [("Content-Type", "application/json"), *operation.mock_headers.items()]
            return HttpResponse(200, headers, b"")
        claims = None
        if operation.authorized:
            if self.verifier is None:
                raise GatewayErrorResponse(GatewayError("AUTHORIZER_CONFIGURATION_ERROR", "Internal server error"))
            try:
                claims = event_claims(self.verifier.authorize(request.header("Authorization"), operation.scopes))
            except AuthorizationError as failure:
                raise GatewayErrorResponse(GatewayError("UNAUTHORIZED", str(failure))) from None
        self._validate(request, path, operation)
        event = proxy_event(request, operation.path, path_parameters, claims, host, port, self.api.binary_media_types)
        if len(json.dumps(event, separators=(",", ":")).encode()) > LAMBDA_PAYLOAD_BYTES:  # base64 grows a body by 4/3
            LOG.error("%s: the proxy event is over Lambda's payload; Invoke refuses it", operation.operation_id)
            raise GatewayErrorResponse(GatewayError("DEFAULT_5XX", "Internal server error", status=500))
        return self._invoke(operation, event, _first_accept(request.header("Accept")))

    def _validate(self, request: IncomingRequest, path: str, operation: doc.GatewayMethod) -> None:
        content_type = request.header("Content-Type") or "application/json"
        core = _CoreRequest(request, path, content_type.lower())
        missing = sorted(
            {
                error.name if isinstance(error, MissingRequiredParameter) else _parameter_name(error)
                for error in self._parameters.iter_errors(core)
            }
        )
        if missing:
            message = f"Missing required request parameters: [{', '.join(missing)}]"
            raise GatewayErrorResponse(GatewayError("BAD_REQUEST_PARAMETERS", message))
        if not operation.has_body_model or not _is_json(request.header("Content-Type")):
            return
        core.content_type = "application/json"
        try:
            json.loads(request.body.decode("utf-8"))
        except RecursionError:
            errors = [TOO_DEEP]
        except (UnicodeDecodeError, ValueError) as failure:
            errors = [f"the body is not JSON: {failure}"] if request.body else ["the body is empty"]
        else:
            try:  # openapi-core parses the body again, deeper in the stack
                errors = [text for error in self._body.iter_errors(core) for text in _schema_messages(error)]
            except RecursionError:
                errors = [TOO_DEEP]
        if errors:
            raise GatewayErrorResponse(
                GatewayError("BAD_REQUEST_BODY", "Invalid request body", validation_error="[" + "; ".join(errors) + "]")
            )

    def _invoke(self, operation: doc.GatewayMethod, event: dict[str, Any], accept: str | None = None) -> HttpResponse:
        context = LambdaContext(operation.operation_id, self.region, int(self.timeout_seconds * 1000))
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["result"] = self._resolve(operation.handler)(event, context)
            except BaseException as failure:  # the Lambda runtime reports any exception as a function error
                outcome["error"] = failure
                LOG.error("%s failed: %s", operation.operation_id, "".join(traceback.format_exception(failure)))

        worker = threading.Thread(target=run, name=f"lambda-{operation.operation_id}", daemon=True)
        worker.start()
        worker.join(self.timeout_seconds)
        if worker.is_alive():
            raise GatewayErrorResponse(GatewayError("INTEGRATION_TIMEOUT", "Endpoint request timed out"))
        if "error" in outcome:
            raise GatewayErrorResponse(GatewayError("DEFAULT_5XX", "Internal server error", status=502))
        response = proxy_response(outcome.get("result"), is_binary(accept, self.api.binary_media_types))
        if response is None:
            LOG.error("%s returned a malformed proxy response", operation.operation_id)
            raise GatewayErrorResponse(GatewayError("DEFAULT_5XX", "Internal server error", status=502))
        return response


def _schema_messages(error: Exception) -> list[str]:
    """One line per schema violation, naming where in the body (as the gateway's validator does)."""
    cause = error.__cause__ or error
    found = getattr(cause, "schema_errors", None)
    if not found:
        return [str(cause)]
    return [f"{'.'.join(['body', *map(str, violation.absolute_path)])}: {violation.message}" for violation in found]


class GatewayErrorResponse(Exception):
    """Stops the pipeline: the gateway answers `error` itself."""

    def __init__(self, error: GatewayError) -> None:
        super().__init__(error.message)
        self.error = error


def _parameter_name(error: Exception) -> str:
    return str(getattr(error, "name", None) or getattr(error.__cause__, "name", None) or "unknown")


def _first_accept(accept: str | None) -> str | None:
    """The first media type of an Accept header: the only one API Gateway reads ("Content type conversions in API
    Gateway": a request with several Accept media types is read by its first)."""
    return accept.split(",")[0] if accept else None


def proxy_response(result: Any, binary_accepted: bool = False) -> HttpResponse | None:
    """The HTTP response of a Lambda proxy result, or None when the result is malformed (a 502). A body marked
    isBase64Encoded is decoded into bytes only when the request's first Accept media type is a binary media type
    (`binary_accepted`); otherwise the caller gets the base64 text as is (API Gateway developer guide, "Return binary
    media from a Lambda proxy integration" and "Content type conversions in API Gateway")."""
    if not isinstance(result, dict) or not isinstance(result.get("statusCode"), int):
        return None
    status = result["statusCode"]
    if not 100 <= status <= 599 or not set(result) <= {
        "statusCode",
        "headers",
        "multiValueHeaders",
        "body",
        "isBase64Encoded",
        "cookies",
    }:
        return None
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((str(name), str(value)))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        if not isinstance(values, list):
            return None
        headers = [(k, v) for k, v in headers if k.lower() != str(name).lower()]
        headers.extend((str(name), str(value)) for value in values)
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", "application/json"))
    body = result.get("body")
    if body is not None and not isinstance(body, str):
        return None
    try:
        raw = (body or "").encode()
    except UnicodeEncodeError:  # the python3.12+ runtime cannot send it as UTF-8 (awslambdaric's marshaller): 502
        return None
    if result.get("isBase64Encoded") and binary_accepted:
        import base64

        try:
            raw = base64.b64decode(raw)
        except ValueError:
            return None
    return HttpResponse(status, headers, raw)


_HANDLERS: dict[str, Callable[[dict[str, Any], Any], Any]] = {}
_HANDLERS_LOCK = threading.Lock()


def _import_handler(dotted: str) -> Callable[[dict[str, Any], Any], Any]:
    """The handler function `package.module.function`, imported once (as a warm container would)."""
    with _HANDLERS_LOCK:
        if dotted not in _HANDLERS:
            module, _, name = dotted.rpartition(".")
            _HANDLERS[dotted] = getattr(importlib.import_module(module), name)
        return _HANDLERS[dotted]
