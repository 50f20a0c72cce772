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
- Standard retry mode: lambdas.awsretries (botocore's tables); settings from the environment: lambdas.awsconfig;
  connections: lambdas.awspool.
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
import time
from binascii import crc32
from random import SystemRandom
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote, unquote, urlsplit

from lambdas.awsconfig import ClientConfigurationError, resolve
from lambdas.awscredentials import current
from lambdas.awspool import pool
from lambdas.awsretries import (
    NO_RETRY_INCREMENT,
    RETRY_AFTER_HEADER,
    RETRY_COST,
    THROTTLING_RETRY_COST,
    RetryQuota,
    backoff,
    is_retryable,
    is_throttling,
)
from lambdas.awsservices import SERVICES, UnknownServiceError, service_entry

if TYPE_CHECKING:
    from collections.abc import Callable

    from lambdas.awscredentials import Credentials
    from lambdas.awspool import Key

ALGORITHM: Final = "AWS4-HMAC-SHA256"
IDEMPOTENCY_TOKENS: Final = {
    "dynamodb": {
        "ExecuteTransaction": "ClientRequestToken",
        "ExportTableToPointInTime": "ClientToken",
        "ImportTable": "ClientToken",
        "StartBulkPutItems": "ClientToken",
        "TransactWriteItems": "ClientRequestToken",
    },
    "secretsmanager": {
        "CreateSecret": "ClientRequestToken",
        "PutSecretValue": "ClientRequestToken",
        "RotateSecret": "ClientRequestToken",
        "UpdateSecret": "ClientRequestToken",
    },
    "events": {},
    "sqs": {},
}
"""Members the models mark `idempotencyToken`: botocore fills one the caller left out with a UUID4
(handlers.generate_idempotent_uuid), once per call, so every retry of a TransactWriteItems carries the same
ClientRequestToken and DynamoDB applies the transaction once (TransactWriteItems API reference)."""
REQUEST_ID_HEADER: Final = "x-amzn-requestid"
"""Where the JSON protocol's services put the request id (botocore parsers, _inject_response_metadata)."""
QUERY_ERROR_HEADER: Final = "x-amzn-query-error"
"""An awsQueryCompatible service's (SQS's) error code from its former query protocol, `<Code>;<Fault>`: botocore's
Error.Code, with the JSON `__type` kept as Error.QueryErrorCode (and the exception class it picks for SQS)."""
CRC32_HEADER: Final = "x-amz-crc32"
"""DynamoDB's checksum of the response body; a mismatch is retried (botocore retries/special.py)."""


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
    """No usable answer from the endpoint (refused, DNS, TLS, timeout, a body cut short or failing its checksum)
    after the last attempt; `request_id` is the answer's when there was one."""

    def __init__(self, message: str, request_id: str | None = None) -> None:
        super().__init__(message + (f" (request id {request_id})" if request_id else ""))
        self.request_id = request_id


class _BadAnswer(Exception):
    """A 2xx answer whose body is not the whole JSON document (cut short, or failing DynamoDB's CRC32)."""

    def __init__(self, reason: str, request_id: str | None) -> None:
        super().__init__(reason)
        self.request_id = request_id


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


class Client:
    """One service in one region; `call(operation, **params)` does any operation.

    Connections come from lambdas.awspool (one bounded pool per endpoint, shared by every client and thread);
    settings from the environment as lambdas.awsconfig resolves them, at creation (a setting it cannot honour
    raises ClientConfigurationError here); retries as lambdas.awsretries says (botocore's standard mode, with
    its retry quota per client, as botocore has one per client).

    Unknown attributes become operations (`client.get_item(...)` is `call("GetItem", ...)`), as botocore's
    snake_case method names. `max_attempts` None: AWS_MAX_ATTEMPTS, else botocore's number for the service.
    """

    def __init__(
        self,
        service: str,
        region: str,
        *,
        endpoint_url: str | None = None,
        connect_timeout: float = 60.0,
        read_timeout: float = 60.0,
        max_attempts: int | None = None,
        clock: Any = time.time,
        sleep: Any = time.sleep,
        credentials: Any = current,
    ) -> None:
        entry = service_entry(service)  # an unknown service is refused here, never guessed
        self.service = service
        self.region = region
        self.signing_name, self.target_prefix = entry.signing_name, entry.target_prefix
        json_version = entry.json_version
        self.content_type = "application/x-amz-json-" + json_version
        self.query_compatible = entry.query_compatible
        config = resolve(service, region, endpoint_url, max_attempts)
        self.endpoint_url, self.max_attempts = config.endpoint_url, config.max_attempts
        url = urlsplit(self.endpoint_url)
        self.netloc, self.path = url.netloc, url.path or "/"  # a path is kept, as botocore keeps it
        ca_bundle = config.ca_bundle if url.scheme == "https" else None
        self.pool_key: Key = (url.scheme, url.hostname or "", url.port, ca_bundle)
        self.connect_timeout, self.read_timeout = connect_timeout, read_timeout
        self.clock, self.sleep = clock, sleep
        self.credentials: Callable[[], Credentials] = credentials
        self.quota = RetryQuota()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        operation = "".join(part.capitalize() for part in name.split("_"))
        return lambda **params: self.call(operation, **params)

    def close(self) -> None:
        """Close the idle connections of this client's endpoint (the next call opens a new one)."""
        pool(self.pool_key).close()

    def signed_headers(
        self, operation: str, body: bytes, invocation_id: str | None = None, attempt: int = 1
    ) -> dict[str, str]:
        """The request's headers, signed with the current credentials (lambdas.awscredentials).

        As botocore's: amz-sdk-invocation-id (one per call) and amz-sdk-request (`attempt=N; max=M`) are sent
        unsigned; botocore's User-Agent (unsigned too) is not sent.
        """
        credentials = self.credentials()
        amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(self.clock()))
        headers = {
            "Host": self.netloc,
            "X-Amz-Date": amz_date,
            "X-Amz-Target": f"{self.target_prefix}.{operation}",
            "Content-Type": self.content_type,
        }
        if self.query_compatible:  # botocore's serializer adds it before signing (_handle_query_compatible_trait)
            headers["x-amzn-query-mode"] = "true"
        if credentials.token:
            headers["X-Amz-Security-Token"] = credentials.token
        headers["Authorization"] = signature_headers(
            "POST",
            self.path,
            "",
            list(headers.items()),
            body,
            access_key=credentials.access_key,
            secret_key=credentials.secret_key,
            region=self.region,
            service=self.signing_name,
            amz_date=amz_date,
        )
        if invocation_id is not None:  # after signing: botocore adds them unsigned
            headers["amz-sdk-invocation-id"] = invocation_id
            headers["amz-sdk-request"] = f"attempt={attempt}; max={self.max_attempts}"
        return headers

    def _send(self, headers: dict[str, str], body: bytes) -> tuple[int, http.client.HTTPMessage, bytes]:
        connections = pool(self.pool_key)
        connection = connections.take(self.connect_timeout, self.read_timeout)
        try:
            connection.request("POST", self.path, body, headers)
            response = connection.getresponse()
            data = response.read()
        except BaseException:
            connection.close()  # a half-read connection cannot be reused
            raise
        if response.will_close:  # Connection: close, or HTTP/1.0
            connection.close()
        else:
            connections.give(connection)
        return response.status, response.headers, data

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """Send `operation` with `params` (the API's own member names) and return the decoded answer."""
        token = IDEMPOTENCY_TOKENS[self.service].get(operation)
        if token is not None and token not in params:
            params[token] = uuid4()
        body = json.dumps(params, default=_blob).encode()
        invocation_id, attempt, acquired = uuid4(), 0, 0
        while True:
            attempt += 1
            status: int | None = None
            failure: Exception
            code, retry_after, request_id = None, None, None
            try:
                status, headers, data = self._send(self.signed_headers(operation, body, invocation_id, attempt), body)
                request_id = headers.get(REQUEST_ID_HEADER)
                if status < 300:
                    answer = _decoded(headers, data, request_id, self.service == "dynamodb")
                    self.quota.release(acquired or NO_RETRY_INCREMENT)
                    answer["ResponseMetadata"] = _metadata(status, headers, attempt)
                    if attempt >= self.max_attempts:  # botocore's checker flags a success at the last attempt too
                        answer["ResponseMetadata"]["MaxAttemptsReached"] = True
                    return answer
            except (OSError, http.client.HTTPException, _BadAnswer) as error:  # socket.timeout, ssl errors: OSError
                status, failure = None, error
            else:
                error_response = _error(status, headers, data, attempt)
                code, retry_after = error_response["Error"]["Code"], headers.get(RETRY_AFTER_HEADER)
                failure = ClientError(error_response, operation)
            throttling = is_throttling(self.service, operation, status, code)
            if attempt >= self.max_attempts or not is_retryable(self.service, operation, status, code):
                raise _final(failure, operation, self.endpoint_url, MaxAttemptsReached=attempt >= self.max_attempts)
            acquired = THROTTLING_RETRY_COST if throttling else RETRY_COST
            if not self.quota.acquire(acquired):
                raise _final(failure, operation, self.endpoint_url, RetryQuotaReached=True)
            self.sleep(backoff(self.service, attempt, throttling, _random(), retry_after))


def _final(failure: Exception, operation: str, endpoint_url: str, **flags: bool) -> Exception:
    """The exception a call raises when it stops retrying: the service's ClientError with botocore's retry flags in
    ResponseMetadata, or an EndpointConnectionError for a failure without a usable answer."""
    if isinstance(failure, ClientError):
        failure.response["ResponseMetadata"].update({k: v for k, v in flags.items() if v})
        return failure
    request_id = getattr(failure, "request_id", None)
    error = EndpointConnectionError(f"{endpoint_url}: {operation}: {failure!r}", request_id)
    error.__cause__ = failure
    return error


def _metadata(status: int, headers: http.client.HTTPMessage, attempt: int) -> dict[str, Any]:
    """botocore's ResponseMetadata: the request id, status, headers (lower-cased names) and retries made."""
    metadata: dict[str, Any] = {}
    request_id = headers.get(REQUEST_ID_HEADER)
    if request_id is not None:
        metadata["RequestId"] = request_id
    metadata["HTTPStatusCode"] = status
    metadata["HTTPHeaders"] = {name.lower(): value for name, value in headers.items()}
    metadata["RetryAttempts"] = attempt - 1
    return metadata


def _decoded(
    headers: http.client.HTTPMessage, data: bytes, request_id: str | None, attribute_values: bool = False
) -> dict[str, Any]:
    """A 2xx answer's members; a body cut short (or failing DynamoDB's CRC32) is a transport failure, as urllib3's
    IncompleteRead is in botocore, never a JSONDecodeError from the depths of a handler. `attribute_values`: the
    answer holds DynamoDB AttributeValues, whose `B` and `BS` are blobs botocore hands back as bytes."""
    expected = headers.get(CRC32_HEADER)
    if expected is not None and expected.isdigit() and int(expected) != crc32(data) & 0xFFFFFFFF:
        raise _BadAnswer(f"the body fails its {CRC32_HEADER} checksum", request_id)
    if not data:
        return {}
    try:
        answer = json.loads(data, object_hook=_blobs_as_bytes if attribute_values else _without_nulls)
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise _BadAnswer(f"the body is not a whole JSON document ({len(data)} bytes): {error}", request_id) from None
    if not isinstance(answer, dict):
        raise _BadAnswer("the body is not a JSON object", request_id)
    return answer


def _error(status: int, headers: http.client.HTTPMessage, data: bytes, attempt: int) -> dict[str, Any]:
    """botocore's error shape from a JSON-protocol error body (parsers.BaseJSONParser._do_error_parse): `__type` is
    "[namespace#]Code[:more]" (Smithy awsJson1_0/1_1: what follows a `:` is dropped, then the namespace), the
    status as the code when there is none, a body that is not JSON as the message, an empty or HTML 5xx page as
    the status and its reason (_do_generic_error_parse); the request id."""
    metadata = _metadata(status, headers, attempt)
    if status >= 500 and (not data.strip() or data.strip().startswith(b"<html>")):  # a proxy's or generic page
        return {
            "Error": {"Code": str(status), "Message": http.client.responses.get(status, "")},
            "ResponseMetadata": metadata,
        }
    try:
        body = json.loads(data) if data else {}
    except ValueError:
        body = {"message": data.decode(errors="replace")}
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("__type") or status).partition(":")[0].rpartition("#")[2]
    error = {"Code": code, "Message": body.get("message", body.get("Message", ""))}
    query_error = headers.get(QUERY_ERROR_HEADER)
    if query_error is not None:  # parsers._do_query_compatible_error_parse, for any JSON answer that carries it
        parts = query_error.split(";")
        if len(parts) == 2 and parts[0]:
            error = {"Code": parts[0], "Message": error["Message"], "QueryErrorCode": code, "Type": parts[1]}
    response = {k: v for k, v in body.items() if k != "__type"}  # botocore keeps a modeled error's message
    return response | {"Error": error, "ResponseMetadata": metadata}


def _blob(value: object) -> str:
    """bytes as the JSON protocol sends a blob (a `B` attribute, SecretBinary): base64, as botocore serializes it."""
    if isinstance(value, bytes | bytearray):
        from base64 import b64encode  # only a call with bytes needs it: not imported on every cold start

        return b64encode(value).decode()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def uuid4() -> str:
    """A random (version 4) UUID from os.urandom, as uuid.uuid4() makes it (the uuid module costs its import)."""
    value = bytearray(os.urandom(16))
    value[6] = (value[6] & 0x0F) | 0x40
    value[8] = (value[8] & 0x3F) | 0x80
    text = value.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def _without_nulls(members: dict[str, Any]) -> dict[str, Any]:
    """Members that are JSON null are left out, as botocore's JSON parser leaves them out."""
    return {name: value for name, value in members.items() if value is not None}


def _blobs_as_bytes(members: dict[str, Any]) -> dict[str, Any]:
    """`_without_nulls`, and a DynamoDB AttributeValue's blob as bytes (botocore's parser decodes every shape its
    service model types `blob`: in DynamoDB's that is AttributeValue's B and BS). An AttributeValue holds exactly one
    member; a map that only holds an attribute named "B" has an AttributeValue (a dict), not a string, under it."""
    members = _without_nulls(members)
    if len(members) == 1:
        if isinstance(value := members.get("B"), str):
            from base64 import b64decode  # only answers with a blob need it: not imported on every cold start

            return {"B": b64decode(value)}
        if isinstance(values := members.get("BS"), list) and all(isinstance(v, str) for v in values):
            from base64 import b64decode

            return {"BS": [b64decode(v) for v in values]}
    return members


_random: Final = SystemRandom().random
"""Backoff jitter from os.urandom: stays random in every environment restored from one SnapStart snapshot."""


__all__ = [
    "SERVICES",
    "Client",
    "ClientConfigurationError",
    "ClientError",
    "EndpointConnectionError",
    "UnknownServiceError",
    "signature_headers",
]
