"""lambdas.awsclient: SigV4 against AWS's published test suite and against botocore's signer, the JSON
protocol against moto's server, errors and retries as botocore's "standard" mode treats them."""

from __future__ import annotations

import datetime
import json
import random
import re
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from lambdas import awsclient, awspool
from lambdas.awsclient import Client, ClientError, EndpointConnectionError, signature_headers

SUITE = Path(__file__).parent / "data" / "aws4_testsuite"
VECTORS = sorted(path.stem for path in SUITE.glob("*.req"))


def parse_request(text: str) -> tuple[str, str, str, list[tuple[str, str]], bytes]:
    """Method, path, query, headers (in order, repeated names kept) and body of a suite .req file."""
    head, _, body = text.partition("\n\n")
    request_line, *header_lines = head.split("\n")
    method, target, _ = request_line.split(" ")
    path, _, query = target.partition("?")
    headers = [(name, value) for name, _, value in (line.partition(":") for line in header_lines)]
    return method, path, query, headers, body.encode()


def test_awsclient_an_unknown_service_is_refused_at_creation():
    with pytest.raises(awsclient.UnknownServiceError, match=r"cannot call .sns.: .* events, secretsmanager, sqs only"):
        Client("sns", "eu-west-1", endpoint_url="http://127.0.0.1:1")


def test_awsclient_every_service_has_its_tables():
    # a service the client speaks has its idempotency members, retry errors and endpoint rule: none is a KeyError later
    from lambdas import awsconfig, awsretries

    for service in awsclient.SERVICES:
        assert service in awsclient.IDEMPOTENCY_TOKENS
        assert service in awsretries.MODELED_ERRORS
        assert awsconfig.rules_endpoint(
            service, "eu-west-1", fips=False, dual_stack=False, account_id=None, account_mode="preferred"
        ).startswith("https://")


def test_awsclient_suite_has_vectors():
    assert len(VECTORS) >= 15


@pytest.mark.parametrize("name", VECTORS)
def test_awsclient_signs_like_the_aws_sigv4_test_suite(name):
    method, path, query, headers, body = parse_request((SUITE / f"{name}.req").read_text())
    amz_date = {key.lower(): value for key, value in headers}["x-amz-date"]

    authorization = signature_headers(
        method,
        path,
        query,
        headers,
        body,
        access_key="AKIDEXAMPLE",
        secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region="us-east-1",
        service="service",
        amz_date=amz_date,
    )

    assert authorization == (SUITE / f"{name}.authz").read_text().strip()


@pytest.mark.parametrize(("service", "operation"), [("dynamodb", "GetItem"), ("secretsmanager", "GetSecretValue")])
def test_awsclient_signs_like_botocore_for_the_same_request_and_clock(service, operation, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "session-token-example")
    client = Client(service, "eu-west-1", clock=lambda: 1764590400.0)  # 2025-12-01T12:00:00Z
    body = json.dumps({"TableName": "t", "Key": {"pk": {"S": "a"}}}).encode()
    ours = client.signed_headers(operation, body)

    request = AWSRequest(
        method="POST",
        url=client.endpoint_url + "/",
        data=body,
        headers={"X-Amz-Target": ours["X-Amz-Target"], "Content-Type": ours["Content-Type"]},
    )
    monkeypatch.setattr("botocore.auth.get_current_datetime", lambda: datetime.datetime(2025, 12, 1, 12, 0, 0))
    credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token-example")
    SigV4Auth(credentials, service, "eu-west-1").add_auth(request)

    assert ours["Authorization"] == request.headers["Authorization"]
    assert ours["X-Amz-Security-Token"] == request.headers["X-Amz-Security-Token"]


def test_awsclient_speaks_json_to_moto_and_maps_errors(stack):
    client = Client("dynamodb", stack.region)
    item = {"pk": {"S": "A"}, "sk": {"S": "B"}, "n": {"N": "1"}}
    client.put_item(TableName=stack.table_name, Item=item, ConditionExpression="attribute_not_exists(pk)")

    assert client.get_item(TableName=stack.table_name, Key={"pk": {"S": "A"}, "sk": {"S": "B"}})["Item"] == item
    with pytest.raises(ClientError) as raised:
        client.put_item(TableName=stack.table_name, Item=item, ConditionExpression="attribute_not_exists(pk)")
    assert raised.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    secrets = Client("secretsmanager", stack.region)
    assert "cursor_hmac_key" in json.loads(secrets.call("GetSecretValue", SecretId=stack.secret_id)["SecretString"])
    with pytest.raises(ClientError) as raised:
        secrets.get_secret_value(SecretId="missing")
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    client.close()
    secrets.close()


class Scripted(BaseHTTPRequestHandler):
    """Answers POSTs from a script, one entry per request, on kept-alive connections: (status, body) or
    (status, body, headers); a bytes body is sent as it is, headers replace the defaults (a Content-Length
    larger than the body cuts the answer short)."""

    protocol_version = "HTTP/1.1"
    script: list[tuple[Any, ...]] = []
    seen: list[tuple[str, int]] = []
    bodies: list[dict[str, Any]] = []
    headers_seen: list[dict[str, str]] = []

    def do_POST(self) -> None:
        self.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.seen.append((self.headers["X-Amz-Target"], self.client_address[1]))
        self.headers_seen.append({":path": self.path} | {name.lower(): value for name, value in self.headers.items()})
        status, body, *more = self.script.pop(0)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/x-amz-json-1.0", "Content-Length": str(len(data))} | (
            more[0] if more else {}
        )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        if int(headers["Content-Length"]) != len(data):
            self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def scripted(aws_credentials):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Scripted.seen, Scripted.bodies, Scripted.headers_seen = [], [], []
    yield f"http://127.0.0.1:{server.server_port}"
    awspool.close_all()
    server.shutdown()
    server.server_close()


THROTTLED = (400, {"__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException"})
UNAVAILABLE = (503, {"__type": "ServiceUnavailable"})
OK = (200, {"Item": {"pk": {"S": "A"}}})


CONFLICT = (400, {"__type": "com.amazonaws.dynamodb.v20120810#ReplicatedWriteConflictException"})


@pytest.mark.parametrize("failure", [THROTTLED, UNAVAILABLE, (500, {"__type": "InternalServerError"}), CONFLICT])
def test_awsclient_retries_throttling_and_5xx_with_backoff_on_one_connection(scripted, failure):
    Scripted.script = [failure, failure, OK]
    sleeps: list[float] = []
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted, sleep=sleeps.append)

    assert client.put_item(TableName="t", Item={})["Item"] == {"pk": {"S": "A"}}  # (PutItem declares all four)
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 1
    assert 0 <= sleeps[1] <= 2
    assert len({port for _, port in Scripted.seen}) == 1  # kept alive
    assert {target for target, _ in Scripted.seen} == {"DynamoDB_20120810.PutItem"}
    client.close()


def test_awsclient_gives_up_after_the_attempt_limit(scripted):
    # botocore's standard mode gives DynamoDB 4 attempts (retries/standard.py, _SERVICE_MAX_ATTEMPTS)
    Scripted.script = [THROTTLED] * 4
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted, sleep=lambda _: None)

    with pytest.raises(ClientError) as raised:
        client.get_item(TableName="t", Key={})
    assert raised.value.code == "ProvisionedThroughputExceededException"
    assert raised.value.response["ResponseMetadata"]["MaxAttemptsReached"] is True
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 3
    assert len(Scripted.seen) == 4
    client.close()


@pytest.mark.parametrize(
    "failure",
    [
        (400, {"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "message": "no"}),
        (400, {"__type": "ValidationException", "message": "bad"}),
        (403, {"__type": "AccessDeniedException"}),
    ],
)
def test_awsclient_raises_other_errors_at_once(scripted, failure):
    Scripted.script = [failure]
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted, sleep=lambda _: pytest.fail("retried"))

    with pytest.raises(ClientError) as raised:
        client.put_item(TableName="t", Item={})
    assert raised.value.response["Error"]["Code"] == failure[1]["__type"].rpartition("#")[2]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == failure[0]
    client.close()


def test_awsclient_unreachable_endpoint_is_retried_then_an_endpoint_error(aws_credentials):
    sleeps: list[float] = []
    client = Client("dynamodb", "us-east-1", endpoint_url="http://127.0.0.1:9", connect_timeout=1, sleep=sleeps.append)

    with pytest.raises(EndpointConnectionError, match="127.0.0.1:9"):
        client.get_item(TableName="t", Key={})
    assert len(sleeps) == Client("dynamodb", "us-east-1").max_attempts - 1 == 3


class ClosesWhenIdle(Scripted):
    """Answers one request per connection, then closes it without saying so (no `Connection: close`), as a
    server or NAT drops a kept-alive connection that sat idle while Lambda froze the environment."""

    closed = threading.Event()

    def do_POST(self) -> None:
        super().do_POST()
        self.close_connection = True


class ClosingServer(ThreadingHTTPServer):
    def shutdown_request(self, request: Any) -> None:
        # the handler's finish() runs before socketserver closes the socket: signal only once it is closed,
        # or the client can send on the connection before the server's FIN exists (a race CI once lost)
        super().shutdown_request(request)
        ClosesWhenIdle.closed.set()


@pytest.fixture
def closes_when_idle(aws_credentials):
    ClosesWhenIdle.closed.clear()
    server = ClosingServer(("127.0.0.1", 0), ClosesWhenIdle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    Scripted.seen = []
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_awsclient_stale_kept_alive_connection_is_replaced_before_use(closes_when_idle):
    # GIVEN a client without retries (the health check's) whose kept-alive connection the server has closed
    Scripted.script = [OK, OK]
    client = Client("dynamodb", "us-east-1", endpoint_url=closes_when_idle, max_attempts=1, sleep=pytest.fail)
    client.get_item(TableName="t", Key={})
    assert ClosesWhenIdle.closed.wait(60)

    # WHEN it sends the next request
    answer = client.get_item(TableName="t", Key={})

    # THEN the pool saw the connection closed and sent the request on a new one, with no retry
    assert answer["Item"] == {"pk": {"S": "A"}}
    assert len(Scripted.seen) == 2
    assert len({port for _, port in Scripted.seen}) == 2
    client.close()


def test_awsclient_a_new_connection_that_fails_is_not_retried_at_once(aws_credentials):
    # a refused connection is not a stale one: it takes the retry policy's attempts and backoff
    client = Client("dynamodb", "us-east-1", endpoint_url="http://127.0.0.1:9", max_attempts=1, sleep=pytest.fail)

    with pytest.raises(EndpointConnectionError):
        client.get_item(TableName="t", Key={})


def test_awsclient_jitter_does_not_repeat_with_the_random_module_state(scripted):
    # Environments restored from one SnapStart snapshot share `random`'s state; the jitter must not follow it
    def sleeps_after_seeding() -> list[float]:
        random.seed(20261202)
        Scripted.script = [THROTTLED, THROTTLED, OK]
        sleeps: list[float] = []
        client = Client("dynamodb", "us-east-1", endpoint_url=scripted, sleep=sleeps.append)
        client.get_item(TableName="t", Key={})
        client.close()
        return sleeps

    assert sleeps_after_seeding() != sleeps_after_seeding()


def test_awsclient_client_error_carries_its_code():
    error = ClientError({"Error": {"Code": "ConditionalCheckFailedException", "Message": "no"}}, "PutItem")

    assert error.code == "ConditionalCheckFailedException"
    assert str(error) == "An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: no"


@pytest.fixture
def no_jitter(monkeypatch):
    """The jitter at its top (1.0), so a backoff is its cap: the base shows (1 s throttling, 25 ms otherwise)."""
    monkeypatch.setattr(awsclient, "_random", lambda: 1.0)


REQUEST_ID = {"x-amzn-RequestId": "ABCDEF0123456789"}


@pytest.mark.parametrize(
    ("type_", "code"),
    [
        ("com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException:http://internal.amazon.com/", None),
        ("ConditionalCheckFailedException:", None),
        ("aws.protocoltests#ConditionalCheckFailedException:extra:more", None),
    ],
)
def test_awsclient_type_loses_the_protocols_colon_suffix_and_namespace(scripted, type_, code):
    # Smithy awsJson1_0: "If a : character is present, then take only the contents before the first :"
    Scripted.script = [(400, {"__type": type_, "message": "no"})]
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted)

    with pytest.raises(ClientError) as raised:
        client.put_item(TableName="t", Item={})
    assert raised.value.code == "ConditionalCheckFailedException"


def test_awsclient_a_suffixed_throttle_is_retried_as_a_throttle(scripted, no_jitter):
    throttled = (400, {"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException:http://internal/"})
    Scripted.script = [throttled, OK]
    sleeps: list[float] = []
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted, sleep=sleeps.append)

    assert client.get_item(TableName="t", Key={})["Item"] == {"pk": {"S": "A"}}
    assert sleeps == [1.0]


def test_awsclient_every_error_and_answer_carries_the_request_id(scripted):
    Scripted.script = [(200, {"Item": {}}, REQUEST_ID), (400, {"__type": "ValidationException"}, REQUEST_ID)]
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted)

    assert client.get_item(TableName="t", Key={})["ResponseMetadata"]["RequestId"] == "ABCDEF0123456789"
    with pytest.raises(ClientError) as raised:
        client.get_item(TableName="t", Key={})
    assert raised.value.response["ResponseMetadata"]["RequestId"] == "ABCDEF0123456789"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize(
    "cut",
    [
        (200, b'{"Item": {"pk": {"S": "A"', {"Content-Length": "100"} | REQUEST_ID),  # shorter than it said
        (200, b'{"Item": {"pk": {"S": "A"', REQUEST_ID),  # a whole message, but not a whole JSON document
        (200, b'{"Item": {}}', {"x-amz-crc32": "1"} | REQUEST_ID),  # fails DynamoDB's checksum
    ],
)
def test_awsclient_a_cut_short_answer_is_a_transport_failure_retried_then_an_endpoint_error(scripted, cut):
    # GIVEN every attempt's answer cut short; WHEN a call is made
    Scripted.script = [cut] * 4
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted, sleep=lambda _: None)

    # THEN each attempt failed as a dropped connection does (retried), and the last raised the error the services map
    # to 503, never a JSONDecodeError
    with pytest.raises(EndpointConnectionError) as raised:
        client.get_item(TableName="t", Key={})
    assert len(Scripted.seen) == 4
    if "Content-Length" not in cut[2]:
        assert raised.value.request_id == "ABCDEF0123456789"


def test_awsclient_the_right_checksum_is_accepted(scripted):
    from binascii import crc32

    body = b'{"Item": {}}'
    Scripted.script = [(200, body, {"x-amz-crc32": str(crc32(body))})]

    assert Client("dynamodb", "us-east-1", endpoint_url=scripted).get_item(TableName="t", Key={})["Item"] == {}


@pytest.mark.parametrize(("answer", "sleep"), [((429, b""), 1.0), ((429, {"__type": "Unmodeled"}), 1.0)])
def test_awsclient_a_bare_429_is_retried_as_a_throttle(scripted, no_jitter, answer, sleep):
    Scripted.script = [answer, OK]
    sleeps: list[float] = []
    client = Client("secretsmanager", "us-east-1", endpoint_url=scripted, sleep=sleeps.append)

    assert client.get_secret_value(SecretId="s")["Item"] == {"pk": {"S": "A"}}
    assert sleeps == [sleep]


def test_awsclient_x_amz_retry_after_raises_the_backoff_up_to_5_s_more(scripted, no_jitter):
    Scripted.script = [(503, {}, {"x-amz-retry-after": "3000"}), (503, {}, {"x-amz-retry-after": "90000"}), OK]
    sleeps: list[float] = []
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted, sleep=sleeps.append)

    client.get_item(TableName="t", Key={})

    assert sleeps == [3.0, pytest.approx(5.05)]  # 3 s asked; 90 s asked, capped at 5 s beyond the 50 ms backoff


def test_awsclient_an_empty_retry_quota_raises_at_once(scripted):
    # GIVEN a client whose retry quota a brownout has nearly drained (less than one retry's 14)
    Scripted.script = [UNAVAILABLE]
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted, sleep=pytest.fail)
    client.quota.available = 13

    # WHEN a call fails with a retryable error, THEN it is not retried, and says why as botocore does
    with pytest.raises(ClientError) as raised:
        client.get_item(TableName="t", Key={})
    assert raised.value.response["ResponseMetadata"]["RetryQuotaReached"] is True
    assert len(Scripted.seen) == 1


def test_awsclient_a_success_refills_the_quota(scripted):
    Scripted.script = [UNAVAILABLE, OK, OK]
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted, sleep=lambda _: None)
    client.quota.available = 100

    client.get_item(TableName="t", Key={})  # one retry took 14, its success gave them back
    assert client.quota.available == 100
    client.get_item(TableName="t", Key={})  # a first-time success gives 1
    assert client.quota.available == 101


def test_awsclient_transact_write_items_carries_one_client_request_token_over_its_retries(scripted):
    Scripted.script = [UNAVAILABLE, UNAVAILABLE, (200, {})]
    client = Client("dynamodb", "us-east-1", endpoint_url=scripted, sleep=lambda _: None)

    client.transact_write_items(TransactItems=[])

    tokens = {body["ClientRequestToken"] for body in Scripted.bodies}
    assert len(tokens) == 1
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", tokens.pop())
    invocations = {headers["amz-sdk-invocation-id"] for headers in Scripted.headers_seen}
    assert len(invocations) == 1
    assert [headers["amz-sdk-request"] for headers in Scripted.headers_seen] == [
        "attempt=1; max=4",
        "attempt=2; max=4",
        "attempt=3; max=4",
    ]


def test_awsclient_a_callers_client_request_token_is_kept(scripted):
    Scripted.script = [(200, {})]

    Client("dynamodb", "us-east-1", endpoint_url=scripted).transact_write_items(
        TransactItems=[], ClientRequestToken="mine"
    )

    assert Scripted.bodies[0]["ClientRequestToken"] == "mine"


class ResetsMidAnswer(Scripted):
    """Answers the first request whole, then resets the kept-alive connection in the middle of the second answer
    (after the write may have been applied)."""

    def do_POST(self) -> None:
        if self.seen:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.seen.append((self.headers["X-Amz-Target"], self.client_address[1]))
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{")
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        super().do_POST()


def test_awsclient_a_reset_mid_answer_is_one_attempt_not_resent_beyond_the_budget(aws_credentials):
    server = ThreadingHTTPServer(("127.0.0.1", 0), ResetsMidAnswer)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Scripted.seen, Scripted.bodies, Scripted.headers_seen, Scripted.script = [], [], [], [OK]
    client = Client("dynamodb", "us-east-1", endpoint_url=f"http://127.0.0.1:{server.server_port}", max_attempts=1)
    client.put_item(TableName="t", Item={})

    with pytest.raises(EndpointConnectionError):
        client.put_item(TableName="t", Item={})
    assert len(Scripted.seen) == 2  # the second request went once, as the attempt budget (1) says
    server.shutdown()
    server.server_close()
