"""lambdas.awsclient: SigV4 against AWS's published test suite and against botocore's signer, the JSON
protocol against moto's server, errors and retries as botocore's "standard" mode treats them."""

from __future__ import annotations

import datetime
import json
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

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
        secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",  # noqa: S106 (the suite's published example key)
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
    """Answers POSTs from a script of (status, body) pairs, one per request, on one kept-alive connection."""

    protocol_version = "HTTP/1.1"
    script: list[tuple[int, dict[str, str]]] = []
    seen: list[tuple[str, int]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append((self.headers["X-Amz-Target"], self.client_address[1]))
        status, body = self.script.pop(0)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def scripted(aws_credentials):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Scripted.seen = []
    yield f"http://127.0.0.1:{server.server_port}"
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

    assert client.get_item(TableName="t", Key={})["Item"] == {"pk": {"S": "A"}}
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 1
    assert 0 <= sleeps[1] <= 2
    assert len({port for _, port in Scripted.seen}) == 1  # kept alive
    assert {target for target, _ in Scripted.seen} == {"DynamoDB_20120810.GetItem"}
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

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        super().do_POST()
        self.close_connection = True

    def finish(self) -> None:
        super().finish()
        self.closed.set()


@pytest.fixture
def closes_when_idle(aws_credentials):
    server = ThreadingHTTPServer(("127.0.0.1", 0), ClosesWhenIdle)
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
    assert ClosesWhenIdle.closed.wait(5)

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
