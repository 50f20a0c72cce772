"""A small AWS client on the standard library: SigV4, the AWS JSON 1.0/1.1 protocol, botocore's "standard" retries.

Why not botocore in the handlers: importing botocore.session and creating a client is ~200 ms of every cold
start (make bench); the handlers call a handful of DynamoDB and Secrets Manager JSON operations, which need
none of it. The call shape stays botocore's (`client.put_item(TableName=..., Item=...)` returning a dict,
errors as `ClientError` with `response["Error"]["Code"]`), so the services and their tests do not change.
What it covers and what it does not: lambdas/README.md, "AWS client".

References:
- SigV4: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (tested against AWS's
  published test suite, tests/lambdas/data/aws4_testsuite, and against botocore's signer).
- JSON protocol (X-Amz-Target, application/x-amz-json-1.x, `__type` error codes):
  https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
- Standard retry mode (codes, statuses, backoff `min(random() * 2**attempt, 20 s)`, 3 attempts):
  https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html and botocore/retries/standard.py.
- Credentials: lambdas.awscredentials (the environment, or the container endpoint SnapStart functions get).

Lambda SnapStart (an option of the Terraform module) resumes many execution environments from one
snapshot taken after init, so nothing here happens at import: connections, the TLS context and
credentials are made on the first call, after any restore; the jitter comes from the OS
(random.SystemRandom: Lambda's SnapStart uniqueness page lists it among the generators that stay random
across restores, where `random`'s seeded state would repeat in every restored environment).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import ssl
import threading
import time
from random import SystemRandom
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, unquote, urlsplit

from lambdas.awscredentials import current

if TYPE_CHECKING:
    from collections.abc import Callable

    from lambdas.awscredentials import Credentials

ALGORITHM: Final = "AWS4-HMAC-SHA256"
MAX_BACKOFF_SECONDS: Final = 20.0
"""botocore standard mode's cap on one backoff (retries/standard.py, ExponentialBackoff)."""
THROTTLING_BASE_SECONDS: Final = 1.0
"""botocore standard mode's backoff scale after a throttling error (ExponentialBackoff, throttling_base_scale)."""
BASE_SECONDS: Final = {"dynamodb": 0.025}
"""Its scale after any other error (a connection error, a 5xx): 25 ms for DynamoDB, else DEFAULT_BASE_SECONDS."""
DEFAULT_BASE_SECONDS: Final = 0.05
THROTTLING_CODES: Final = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)
"""botocore standard mode's throttling codes (retries/standard.py, ThrottlingErrorDetector)."""
TRANSIENT_CODES: Final = frozenset({"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete"})
"""botocore standard mode's transient error codes (retries/standard.py, TransientRetryableChecker)."""
MODELED_RETRYABLE_CODES: Final = frozenset({"ReplicatedWriteConflictException"})
"""Errors the service model marks `retryable` (retries/standard.py, ModeledRetryableChecker): DynamoDB's only one
is an MRSC write to an item another region is modifying (botocore data/dynamodb/2012-08-10/service-2.json)."""
TRANSIENT_STATUSES: Final = frozenset({500, 502, 503, 504})
"""Statuses retried whatever the code (retries/standard.py, _TRANSIENT_STATUS_CODES)."""
STALE_ERRORS: Final = (ConnectionError, ssl.SSLEOFError)
"""What a kept-alive connection the server has closed while it sat idle raises on its next request (reset,
broken pipe, http.client's RemoteDisconnected, a TLS EOF): that request is sent once more on a new connection."""
SERVICES: Final = {
    # service: (signing name, endpoint prefix, JSON version, X-Amz-Target prefix)
    "dynamodb": ("dynamodb", "dynamodb", "1.0", "DynamoDB_20120810"),
    "secretsmanager": ("secretsmanager", "secretsmanager", "1.1", "secretsmanager"),
}


class ClientError(Exception):
    """The service answered with an error: `response["Error"]["Code"]` and `["Message"]`, as botocore's.

    `code` is the error code as an attribute (as moto's exceptions carry theirs), so callers read
    `error.code`, not `error.response["Error"]["Code"]`.
    """

    def __init__(self, response: dict[str, Any], operation_name: str) -> None:
        error = response.get("Error", {})
        super().__init__(
            f"An error occurred ({error.get('Code')}) when calling the {operation_name} operation: "
            f"{error.get('Message', '')}"
        )
        self.response = response
        self.operation_name = operation_name
        self.code: str = str(error.get("Code", ""))


class EndpointConnectionError(Exception):
    """No answer from the endpoint (connection refused, DNS, TLS, timeout) after the last attempt."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def _uri_encode(value: str) -> str:
    return quote(value, safe="-_.~")


def canonical_query(query: str) -> str:
    """The query string as SigV4 signs it: each name and value URI-encoded, sorted by name then value."""
    pairs = []
    for part in query.split("&") if query else []:
        name, _, value = part.partition("=")
        pairs.append((_uri_encode(unquote(name)), _uri_encode(unquote(value))))
    return "&".join(f"{name}={value}" for name, value in sorted(pairs))


def signature_headers(
    method: str,
    path: str,
    query: str,
    headers: list[tuple[str, str]],
    body: bytes,
    *,
    access_key: str,
    secret_key: str,
    region: str,
    service: str,
    amz_date: str,
) -> str:
    """The Authorization header value for a request whose headers (incl. Host, X-Amz-Date) are `headers`.

    Header names are lower-cased and sorted, values trimmed with inner runs of spaces folded, repeated
    names joined by commas in order (the suite's get-header-key-duplicate).
    """
    merged: dict[str, list[str]] = {}
    for name, value in headers:
        merged.setdefault(name.strip().lower(), []).append(" ".join(value.split()))
    names = sorted(merged)
    canonical_headers = "".join(f"{name}:{','.join(merged[name])}\n" for name in names)
    signed = ";".join(names)
    canonical = "\n".join(
        (method, quote(path, safe="/~"), canonical_query(query), canonical_headers, signed, _sha256(body))
    )
    scope = f"{amz_date[:8]}/{region}/{service}/aws4_request"
    to_sign = f"{ALGORITHM}\n{amz_date}\n{scope}\n{_sha256(canonical.encode())}"
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + secret_key).encode(), amz_date[:8]), region), service), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={signed}, Signature={signature}"


def _endpoint(service: str, region: str) -> str:
    """AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL (the SDKs' variables), else the public endpoint.

    https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
    """
    configured = os.environ.get("AWS_ENDPOINT_URL_" + service.upper()) or os.environ.get("AWS_ENDPOINT_URL")
    if configured:
        return configured.rstrip("/")
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"https://{SERVICES[service][1]}.{region}.{suffix}"


class Client:
    """One service in one region over kept-alive HTTPS connections; `call(operation, **params)` does any operation.

    One connection per thread (http.client connections are not thread-safe): a Lambda container runs
    one request at a time, but the local gateway serves requests on threads that share the clients.

    Unknown attributes become operations (`client.get_item(...)` is `call("GetItem", ...)`), as botocore's
    snake_case method names.
    """

    def __init__(
        self,
        service: str,
        region: str,
        *,
        endpoint_url: str | None = None,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        max_attempts: int = 3,
        clock: Any = time.time,
        sleep: Any = time.sleep,
        credentials: Any = current,
    ) -> None:
        self.service = service
        self.region = region
        self.signing_name, _, json_version, self.target_prefix = SERVICES[service]
        self.content_type = "application/x-amz-json-" + json_version
        self.endpoint_url = endpoint_url or _endpoint(service, region)
        url = urlsplit(self.endpoint_url)
        self.scheme, self.host, self.port = url.scheme, url.hostname or "", url.port
        self.netloc = url.netloc
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.max_attempts = max_attempts
        self.clock, self.sleep = clock, sleep
        self.credentials: Callable[[], Credentials] = credentials
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: set[http.client.HTTPConnection] = set()

    @property
    def _connection(self) -> http.client.HTTPConnection | None:
        return getattr(self._local, "connection", None)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        operation = "".join(part.capitalize() for part in name.split("_"))
        return lambda **params: self.call(operation, **params)

    def _connect(self) -> http.client.HTTPConnection:
        connection = self._connection
        if connection is None:
            if self.scheme == "https":
                connection = http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.connect_timeout, context=_ssl_context()
                )
            else:
                connection = http.client.HTTPConnection(self.host, self.port, timeout=self.connect_timeout)
            connection.connect()
            if connection.sock is not None:
                connection.sock.settimeout(self.read_timeout)
            self._local.connection = connection
            with self._lock:
                self._connections.add(connection)
        return connection

    def close(self) -> None:
        """Close every kept-alive connection (the next call opens a new one)."""
        with self._lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            connection.close()
        self._local = threading.local()

    def _close(self) -> None:
        connection = self._connection
        if connection is not None:
            connection.close()
            self._local.connection = None
            with self._lock:
                self._connections.discard(connection)

    def signed_headers(self, operation: str, body: bytes) -> dict[str, str]:
        """The request's headers, signed with the current credentials (lambdas.awscredentials)."""
        credentials = self.credentials()
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self.clock()))
        headers = {
            "Host": self.netloc,
            "X-Amz-Date": amz_date,
            "X-Amz-Target": f"{self.target_prefix}.{operation}",
            "Content-Type": self.content_type,
        }
        if credentials.token:
            headers["X-Amz-Security-Token"] = credentials.token
        headers["Authorization"] = signature_headers(
            "POST",
            "/",
            "",
            list(headers.items()),
            body,
            access_key=credentials.access_key,
            secret_key=credentials.secret_key,
            region=self.region,
            service=self.signing_name,
            amz_date=amz_date,
        )
        return headers

    def _send(self, operation: str, body: bytes) -> tuple[int, bytes]:
        headers = self.signed_headers(operation, body)
        while True:
            reused = self._connection is not None
            connection = self._connect()
            try:
                connection.request("POST", "/", body, headers)
                response = connection.getresponse()
                data = response.read()
            except BaseException as error:
                self._close()  # a half-read connection cannot be reused
                # The server (or a NAT) drops connections left idle, e.g. while Lambda froze the environment
                # between requests: once more at once on a new connection, not counted as an attempt.
                if reused and isinstance(error, STALE_ERRORS):
                    continue
                raise
            break
        if response.getheader("connection", "").lower() == "close":
            self._close()
        return response.status, data

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """Send `operation` with `params` (the API's own member names) and return the decoded answer."""
        body = json.dumps(params).encode()
        attempt = 0
        while True:
            attempt += 1
            scale = BASE_SECONDS.get(self.service, DEFAULT_BASE_SECONDS)
            try:
                status, data = self._send(operation, body)
            except (OSError, http.client.HTTPException) as error:  # socket.timeout and ssl errors are OSError
                if attempt >= self.max_attempts:
                    raise EndpointConnectionError(f"{self.endpoint_url}: {operation}: {error!r}") from error
            else:
                if status < 300:
                    return json.loads(data, object_hook=_without_nulls) if data else {}
                error_response = _error(status, data)
                if attempt >= self.max_attempts or not _retryable(status, error_response["Error"]["Code"]):
                    raise ClientError(error_response, operation)
                if error_response["Error"]["Code"] in THROTTLING_CODES:
                    scale = THROTTLING_BASE_SECONDS
            jitter = _random()
            self.sleep(jitter * min(scale * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS))


def _error(status: int, data: bytes) -> dict[str, Any]:
    """botocore's error shape from a JSON-protocol error body (`__type` is "[namespace#]Code")."""
    try:
        body = json.loads(data) if data else {}
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("__type") or body.get("code") or f"HTTP{status}").rpartition("#")[2]
    message = body.get("message") or body.get("Message") or ""
    response = {k: v for k, v in body.items() if k not in ("__type", "message", "Message")}
    return response | {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}


def _without_nulls(members: dict[str, Any]) -> dict[str, Any]:
    """Members that are JSON null are left out, as botocore's JSON parser leaves them out."""
    return {name: value for name, value in members.items() if value is not None}


def _retryable(status: int, code: str) -> bool:
    return (
        code in THROTTLING_CODES
        or code in TRANSIENT_CODES
        or code in MODELED_RETRYABLE_CODES
        or (status in TRANSIENT_STATUSES)
    )


_random: Final = SystemRandom().random
"""Backoff jitter from os.urandom: stays random in every environment restored from one SnapStart snapshot."""
_context: ssl.SSLContext | None = None


def _ssl_context() -> ssl.SSLContext:
    """One default-verifying TLS context per container (creating one loads the CA store, ~5 ms)."""
    global _context  # noqa: PLW0603 (a process-wide cache)
    if _context is None:
        _context = ssl.create_default_context()
    return _context


__all__ = ["Client", "ClientError", "EndpointConnectionError", "signature_headers"]
