"""The differential checks: the same call through the pinned botocore and through lambdas.awsclient, with the same
environment, clock, UUIDs and jitter, the same scripted answers: the same URL, signed headers and body on every
attempt, the same number of attempts and sleeps, the same error code, message and request id."""

from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import urlsplit

import botocore.session
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError as BotocoreClientError
from botocore.retries import standard

from lambdas import awsclient
from lambdas.awsclient import Client, ClientError
from tests.lambdas.test_awsclient import Scripted, scripted  # noqa: F401 (the fixture)

NOW = datetime.datetime(2025, 12, 1, 12, 0, 0)
EPOCH = 1764590400.0
UUID = "0f0e0d0c-0b0a-4908-8706-050403020100"
COMPARED = (
    "x-amz-target",
    "content-type",
    "x-amzn-query-mode",
    "x-amz-date",
    "x-amz-security-token",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "authorization",
)
"""Every header botocore signs or sends for the protocol (its User-Agent, unsigned, is not sent by ours)."""


class _Raw:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: Any) -> Any:
        yield self.body


@pytest.fixture
def same_inputs(monkeypatch):
    """One clock, one UUID, one jitter (its top, 1.0) and recorded sleeps for both clients."""
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: NOW)
    monkeypatch.setattr("botocore.endpoint.uuid.uuid4", lambda: UUID)
    monkeypatch.setattr("botocore.handlers.uuid.uuid4", lambda: UUID)
    monkeypatch.setattr(awsclient, "uuid4", lambda: UUID)
    monkeypatch.setattr(awsclient, "_random", lambda: 1.0)
    defaults = list(standard.ExponentialBackoff.__init__.__defaults__ or ())
    defaults[1] = lambda: 1.0  # random=random.random, bound when the class was defined
    monkeypatch.setattr(standard.ExponentialBackoff.__init__, "__defaults__", tuple(defaults))
    sleeps: dict[str, list[float]] = {"botocore": [], "ours": []}
    monkeypatch.setattr("botocore.endpoint.time.sleep", sleeps["botocore"].append)
    return sleeps


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


def botocore_call(service: str, operation: str, script: list[tuple[Any, ...]], **params: Any) -> dict[str, Any]:
    """botocore's requests for one call (answered from `script` at its before-send), and its result or error."""
    client = botocore.session.get_session().create_client(service, region_name="us-east-1")
    sent: list[dict[str, Any]] = []

    def answer(request: Any, **_: Any) -> AWSResponse:
        headers = {
            name.lower(): value.decode() if isinstance(value, bytes) else value
            for name, value in request.headers.items()
        }
        body = request.body if isinstance(request.body, bytes) else request.body.encode()
        sent.append({"url": request.url, "body": json.loads(body), **headers})
        status, data, *more = script.pop(0)
        data = data if isinstance(data, bytes) else json.dumps(data).encode()
        return AWSResponse(
            request.url, status, {k.lower(): v for k, v in (more[0] if more else {}).items()}, _Raw(data)
        )

    client.meta.events.register("before-send", answer)
    try:
        result: Any = client._make_api_call(operation, params)
    except BotocoreClientError as error:
        result = error.response
    return {"sent": sent, "result": result}


def our_call(service: str, operation: str, script: list[tuple[Any, ...]], sleeps: list[float], **params: Any) -> Any:
    Scripted.script = list(script)
    client = Client(service, "us-east-1", clock=lambda: EPOCH, sleep=sleeps.append)
    try:
        result: Any = client.call(operation, **params)
    except ClientError as error:
        result = error.response
    sent = [
        {"url": client.endpoint_url.removesuffix(client.path) + headers[":path"], "body": body, **headers}
        for headers, body in zip(Scripted.headers_seen, Scripted.bodies, strict=True)
    ]
    return {"sent": sent, "result": result}


def _compared(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: request.get(key) for key in ("url", "body", *COMPARED)} for request in sent]


OK_ITEM = (200, {"Item": {"pk": {"S": "A"}}}, {"x-amzn-RequestId": "R1"})
OK_SECRET = (200, {"SecretString": "{}", "Name": "s"}, {"x-amzn-RequestId": "R1"})
UNAVAILABLE = (503, {"__type": "ServiceUnavailable", "message": "down"}, {"x-amzn-RequestId": "R2"})
THROTTLED = (400, {"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException:suffix", "message": "slow"})
# botocore decodes DynamoDB's blobs (AttributeValue B and BS) into bytes, at any depth; a map key named "B" is no blob.
OK_BLOBS = (
    200,
    {"Item": {"pk": {"B": "AP9i"}, "set": {"BS": ["AA==", "/w=="]}, "m": {"M": {"B": {"S": "text"}}}}},
    {"x-amzn-RequestId": "R1"},
)
QUERY_ERROR = {"x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender", "x-amzn-RequestId": "R4"}
SCENARIOS = {
    "success": [OK_ITEM],
    "binary attributes": [OK_BLOBS],
    "5xx then success": [UNAVAILABLE, OK_ITEM],
    "5xx to the last attempt": [UNAVAILABLE] * 4,
    "throttled with the colon suffix": [THROTTLED, THROTTLED, OK_ITEM],
    "bare 429": [(429, b""), OK_ITEM],
    "x-amz-retry-after": [(503, {}, {"x-amz-retry-after": "1500"}), OK_ITEM],
    "not retried": [(400, {"__type": "ConditionalCheckFailedException", "message": "no"}, {"x-amzn-RequestId": "R3"})],
    "not JSON": [(500, b"<html>oops</html>")] * 4,
    # awsQueryCompatible (SQS): the header's code is Error.Code and the one retries look at; any JSON answer with it
    "query error code": [(400, {"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "gone"}, QUERY_ERROR)],
    "query error 429": [(429, {"__type": "QueueDoesNotExist"}, QUERY_ERROR), OK_ITEM],
    "query error header malformed": [(400, {"__type": "QueueDoesNotExist"}, {"x-amzn-query-error": ";Sender"})],
}
CALLS = {
    "dynamodb": ("GetItem", {"TableName": "t", "Key": {"pk": {"S": "A"}, "sk": {"B": b"\x00\xffbinary"}}}),
    "dynamodb-transaction": (
        "TransactWriteItems",
        {"TransactItems": [{"Put": {"TableName": "t", "Item": {"pk": {"S": "A"}}}}]},
    ),
    "secretsmanager": ("GetSecretValue", {"SecretId": "s"}),
    "events": ("PutEvents", {"Entries": [{"Source": "orders", "DetailType": "OrderPlaced", "Detail": "{}"}]}),
    "sqs": ("SendMessage", {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody": "{}"}),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize("call", CALLS)
def test_awsclient_botocore_same_requests_retries_and_results(scripted, same_inputs, monkeypatch, scenario, call):  # noqa: F811
    # GIVEN both clients pointed at one endpoint with a path, the same credentials, clock, UUIDs and jitter
    endpoint = scripted + "/base"
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    service = call.partition("-")[0]
    operation, params = CALLS[call]
    script = SCENARIOS[scenario][: 3 if service == "secretsmanager" and len(SCENARIOS[scenario]) == 4 else None]
    if service == "secretsmanager":  # answers in the operation's shape (botocore drops members it does not model)
        script = [OK_SECRET if answer is OK_ITEM else answer for answer in script]

    # WHEN each makes the call and gets the same answers
    theirs = botocore_call(service, operation, list(script), **params)
    ours = our_call(service, operation, script, same_inputs["ours"], **params)

    # THEN the same requests went (URL with the path, body, every signed header), the same sleeps came between them
    assert _compared(ours["sent"]) == _compared(theirs["sent"])
    assert same_inputs["ours"] == pytest.approx(same_inputs["botocore"])
    # AND the result or the error is the same (code, message, request id, status, the retry flags)
    for key in set(theirs["result"]) - {"ResponseMetadata"}:  # (ours also returns members the model lacks)
        assert ours["result"].get(key) == theirs["result"][key]
    metadata = ("RequestId", "HTTPStatusCode", "RetryAttempts", "MaxAttemptsReached")
    assert {k: ours["result"]["ResponseMetadata"].get(k) for k in metadata} == {
        k: theirs["result"]["ResponseMetadata"].get(k) for k in metadata
    }


ENVIRONMENTS = [
    {},
    {"AWS_USE_FIPS_ENDPOINT": "true"},
    {"AWS_USE_DUALSTACK_ENDPOINT": "true"},
    {"AWS_USE_FIPS_ENDPOINT": "true", "AWS_USE_DUALSTACK_ENDPOINT": "true"},
    {"AWS_ACCOUNT_ID": "123456789012", "AWS_ACCOUNT_ID_ENDPOINT_MODE": "preferred"},
    {"AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:1/sm", "AWS_ENDPOINT_URL": "http://127.0.0.1:2"},
    {"AWS_ENDPOINT_URL_EVENTBRIDGE": "http://127.0.0.1:3/eb", "AWS_ENDPOINT_URL": "http://127.0.0.1:2"},
    {"AWS_ENDPOINT_URL_SQS": "http://127.0.0.1:4/sqs", "AWS_ENDPOINT_URL": "http://127.0.0.1:2"},
    {"AWS_ENDPOINT_URL": "http://127.0.0.1:2/base/"},
    {"AWS_ENDPOINT_URL": "http://127.0.0.1:2", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"},
]


@pytest.mark.parametrize("region", ["us-east-1", "us-gov-west-1", "cn-north-1", "us-iso-east-1", "eusc-de-east-1"])
@pytest.mark.parametrize("environment", ENVIRONMENTS)
@pytest.mark.parametrize("service", ["dynamodb", "secretsmanager", "events", "sqs"])
def test_awsclient_botocore_same_endpoint_from_the_same_environment(monkeypatch, service, environment, region):
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ACCOUNT_ID_ENDPOINT_MODE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    operation, params = CALLS[service]

    client = botocore.session.get_session().create_client(service, region_name=region)
    urls: list[str] = []

    def answer(request: Any, **_: Any) -> AWSResponse:
        urls.append(request.url)
        return AWSResponse(request.url, 200, {}, _Raw(b"{}"))

    client.meta.events.register("before-send", answer)
    try:
        client._make_api_call(operation, params)
        theirs = urls[0]
    except Exception:  # any refusal of botocore's, as ours refuses
        theirs = "refused"
    try:
        ours_client = Client(service, region)
        url = urlsplit(ours_client.endpoint_url)
        ours = f"{url.scheme}://{url.netloc}{ours_client.path}"
    except awsclient.ClientConfigurationError:
        ours = "refused"

    assert ours == theirs


@pytest.mark.parametrize("service", ["dynamodb", "secretsmanager", "events", "sqs"])
def test_awsclient_botocore_same_idempotency_token_members(service):
    # botocore fills every member its model marks idempotencyToken (handlers.generate_idempotent_uuid)
    model = botocore.session.get_session().get_service_model(service)
    theirs = {
        name: member
        for name in model.operation_names
        if model.operation_model(name).input_shape is not None
        for member, shape in model.operation_model(name).input_shape.members.items()
        if shape.metadata.get("idempotencyToken")
    }

    assert awsclient.IDEMPOTENCY_TOKENS[service] == theirs


@pytest.mark.parametrize("service", sorted(awsclient.SERVICES))
def test_awsclient_botocore_protocol_and_target_are_the_models(service):
    metadata = botocore.session.get_session().get_service_model(service).metadata
    signing_name, json_version, target_prefix, service_id, query_compatible = awsclient.SERVICES[service]

    assert metadata["protocol"] == "json"
    assert (signing_name, json_version, target_prefix, service_id) == (
        metadata.get("signingName", metadata["endpointPrefix"]),
        metadata["jsonVersion"],
        metadata["targetPrefix"],
        metadata["serviceId"],
    )
    assert query_compatible == ("awsQueryCompatible" in metadata)  # x-amzn-query-mode sent, x-amzn-query-error read
