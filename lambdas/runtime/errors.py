"""Errors a handler raises on purpose; each carries its HTTP status and the contract's error code."""

from __future__ import annotations

import http.client
from typing import Final

from lambdas.awsclient import ClientError, EndpointConnectionError
from lambdas.awsretries import THROTTLING_CODES

REGION_RETRY_AFTER_SECONDS: Final = 5
"""Retry-After of a 503 for a dependency of the serving region that does not answer: by the next tries the
region's failover signal may have moved the caller elsewhere (terraform/modules/regional/failover.tf)."""


class ServiceError(Exception):
    """An error the caller may see: its message goes into the Error body as is (so never internals)."""

    status_code = 500
    code = "INTERNAL_ERROR"

    def __init__(self, message: str, field: str | None = None) -> None:
        message, field = _encodable(message), None if field is None else _encodable(field)
        super().__init__(message)
        self.message = message
        self.field = field


def _encodable(text: str) -> str:
    """`text` with lone surrogates (an unknown field's name echoes the caller's input) as `\\udXXX` escapes.

    The python3.12+ Lambda runtime serializes the response with ensure_ascii=False and sends it as UTF-8
    (awslambdaric lambda_runtime_marshaller.py): an unpaired surrogate cannot be encoded, the invocation
    fails and API Gateway answers 502. A log line carrying one cannot be written either.
    """
    try:
        text.encode()
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode()
    return text


class BadRequestError(ServiceError):
    """The request breaks the contract in a way the gateway does not check; `field` names where."""

    status_code = 400
    code = "BAD_REQUEST"


class UnauthorizedError(ServiceError):
    """No caller identity reached the handler (the authorizer should have refused first)."""

    status_code = 401
    code = "UNAUTHORIZED"


class ForbiddenError(ServiceError):
    """The caller's token lacks a scope this operation needs."""

    status_code = 403
    code = "FORBIDDEN"


class NotFoundError(ServiceError):
    """The resource does not exist, or belongs to someone else (the two are indistinguishable)."""

    status_code = 404
    code = "NOT_FOUND"


class PayloadTooLargeError(ServiceError):
    """A binary body over the operation's declared maximum."""

    status_code = 413
    code = "PAYLOAD_TOO_LARGE"


class UnsupportedMediaTypeError(ServiceError):
    """A binary body whose Content-Type the operation does not declare."""

    status_code = 415
    code = "UNSUPPORTED_MEDIA_TYPE"


class ConflictError(ServiceError):
    """A conditional write lost: the resource changed since the caller read it."""

    status_code = 409
    code = "CONFLICT"


class UnavailableError(ServiceError):
    """The data's home region cannot be reached: retry after `retry_after` seconds (the Retry-After header)."""

    status_code = 503
    code = "SERVICE_UNAVAILABLE"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InternalError(ServiceError):
    """Anything unexpected. The message is generic; the details go to the logs only."""

    def __init__(self) -> None:
        super().__init__("Internal error; quote the requestId to support.")


def unavailable(error: BaseException) -> UnavailableError | None:
    """The 503 for an exception that says a dependency did not answer (no connection, a timeout, the service's
    own 5xx or throttling after the client's retries); None for anything else (a bug: 500).

    A region whose table is down must tell callers to come back (Retry-After), not log a 500 with a traceback:
    the caller's retries reach another region once Route 53 has failed this one over.
    """
    if isinstance(error, EndpointConnectionError | TimeoutError | ConnectionError | http.client.HTTPException):
        return UnavailableError("A service this region depends on did not answer; retry", REGION_RETRY_AFTER_SECONDS)
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        if status >= 500 or error.code in THROTTLING_CODES:
            return UnavailableError(
                "A service this region depends on is unavailable; retry", REGION_RETRY_AFTER_SECONDS
            )
    return None
