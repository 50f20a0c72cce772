"""lambdas.awscredentials: the environment's credentials, else the container endpoint's (what Lambda gives a
SnapStart function), against a local stub endpoint and against botocore's own container provider."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar

import pytest
from botocore.credentials import ContainerProvider

from lambdas import awscredentials
from lambdas.awsclient import Client
from lambdas.awscredentials import ContainerCredentials, Credentials, CredentialsError

if TYPE_CHECKING:
    from collections.abc import Iterator

NOW = 1764590400.0  # 2025-12-01T12:00:00Z
TOKEN = "container-token-example"


def answer(key: str, expires: str = "2025-12-01T13:00:00Z") -> tuple[int, dict[str, Any]]:
    """What the endpoint sends for role credentials with access key `key`."""
    return 200, {
        "AccessKeyId": key,
        "SecretAccessKey": f"secret-of-{key}",
        "Token": f"session-of-{key}",
        "Expiration": expires,
    }


class Endpoint(BaseHTTPRequestHandler):
    """A container credentials endpoint: answers each GET from a script, records the headers it got."""

    script: ClassVar[list[tuple[int, dict[str, Any]]]] = []
    seen: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        self.seen.append({"path": self.path, **{name.lower(): value for name, value in self.headers.items()}})
        status, body = self.script.pop(0)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    Endpoint.script, Endpoint.seen = [], []
    yield f"http://127.0.0.1:{server.server_port}/2021-04-23/credentials?role=fn"
    server.shutdown()
    server.server_close()


@pytest.fixture
def snapstart_environment(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> str:
    """The environment Lambda gives a SnapStart function: no access key variables, the endpoint and its token."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(awscredentials.FULL_URI, endpoint)
    monkeypatch.setenv(awscredentials.TOKEN, TOKEN)
    monkeypatch.setattr(awscredentials, "_container", None)
    return endpoint


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def test_awscredentials_environment_comes_first(snapstart_environment, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")

    assert awscredentials.current() == Credentials("AKIDENV", "secret", None)
    assert Endpoint.seen == []


@pytest.mark.parametrize("present", ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])
def test_awscredentials_partial_environment_is_an_error(snapstart_environment, monkeypatch, present):
    monkeypatch.setenv(present, "x")

    with pytest.raises(CredentialsError, match="set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"):
        awscredentials.current()


def test_awscredentials_none_configured_is_an_error_naming_the_sources(snapstart_environment, monkeypatch):
    monkeypatch.delenv(awscredentials.FULL_URI)

    with pytest.raises(CredentialsError, match="AWS_ACCESS_KEY_ID .* AWS_CONTAINER_CREDENTIALS_FULL_URI"):
        awscredentials.current()


def test_awscredentials_container_endpoint_gets_the_token_and_is_cached_until_near_expiry(snapstart_environment):
    Endpoint.script = [answer("ASIAFIRST"), answer("ASIASECOND", "2025-12-01T14:00:00Z")]
    clock = Clock()
    provider = ContainerCredentials(snapstart_environment, clock=clock)

    first = provider.get()
    clock.now = NOW + 44 * 60  # 16 minutes left: still the cached ones
    again = provider.get()
    clock.now = NOW + 46 * 60  # 14 minutes left: botocore's advisory refresh
    refreshed = provider.get()

    assert first == again == Credentials("ASIAFIRST", "secret-of-ASIAFIRST", "session-of-ASIAFIRST")
    assert refreshed.access_key == "ASIASECOND"
    assert len(Endpoint.seen) == 2
    assert {seen["authorization"] for seen in Endpoint.seen} == {TOKEN}
    assert {seen["accept"] for seen in Endpoint.seen} == {"application/json"}
    assert {seen["path"] for seen in Endpoint.seen} == {"/2021-04-23/credentials?role=fn"}


def test_awscredentials_failed_refresh_keeps_the_old_ones_until_the_mandatory_window(snapstart_environment):
    # GIVEN credentials that expire at 13:00, and an endpoint that then fails
    Endpoint.script = [answer("ASIAFIRST"), *[(500, {"message": "down"})] * 6]
    clock = Clock()
    provider = ContainerCredentials(snapstart_environment, clock=clock, sleep=lambda _: None)
    provider.get()

    # WHEN a refresh fails with 12 minutes left, and again with 9 minutes left
    clock.now = NOW + 48 * 60
    kept = provider.get()
    clock.now = NOW + 51 * 60

    # THEN the first keeps the old credentials (advisory), the second is an error (mandatory)
    assert kept.access_key == "ASIAFIRST"
    with pytest.raises(CredentialsError, match="status 500"):
        provider.get()


def test_awscredentials_endpoint_errors_are_retried_then_an_error_without_the_token(snapstart_environment):
    Endpoint.script = [(500, {"message": "busy"})] * 3
    sleeps: list[float] = []

    with pytest.raises(CredentialsError, match=r"status 500.*after 3 attempts") as raised:
        ContainerCredentials(snapstart_environment, clock=Clock(), sleep=sleeps.append).get()
    assert sleeps == [awscredentials.RETRY_SLEEP_SECONDS] * 2
    assert TOKEN not in str(raised.value)
    assert snapstart_environment in str(raised.value)


def test_awscredentials_answer_without_a_field_is_an_error_naming_it(snapstart_environment):
    status, body = answer("ASIAX")
    del body["Token"]
    Endpoint.script = [(status, body)]

    with pytest.raises(CredentialsError, match="the answer has no Token"):
        ContainerCredentials(snapstart_environment, clock=Clock()).get()


@pytest.mark.parametrize(
    ("uri", "allowed"),
    [
        ("http://127.0.0.1:9001/creds", True),
        ("http://127.0.0.2/creds", True),
        ("http://[::1]:9001/creds", True),
        ("http://169.254.170.2/v2/credentials/x", True),
        ("http://localhost/creds", True),
        ("https://credentials.example.com/creds", True),
        ("http://credentials.example.com/creds", False),
        ("http://10.0.0.1/creds", False),
        ("ftp://127.0.0.1/creds", False),
    ],
)
def test_awscredentials_plain_http_only_to_loopback_or_the_agent_addresses(uri, allowed):
    # botocore's rule (utils.py ContainerMetadataFetcher._validate_allowed_url): the token goes nowhere else
    if allowed:
        assert ContainerCredentials(uri).uri == uri
    else:
        with pytest.raises(CredentialsError, match="AWS_CONTAINER_CREDENTIALS_FULL_URI must be https"):
            ContainerCredentials(uri)


def test_awscredentials_agree_with_botocores_container_provider(snapstart_environment):
    # (botocore compares the expiry with the real clock: a far one, so it fetches once)
    Endpoint.script = [answer("ASIAPARITY", "2099-01-01T00:00:00Z"), answer("ASIAPARITY", "2099-01-01T00:00:00Z")]

    ours = ContainerCredentials(snapstart_environment, clock=Clock()).get()
    theirs = ContainerProvider(
        environ={awscredentials.FULL_URI: snapstart_environment, awscredentials.TOKEN: TOKEN}
    ).load()

    assert (ours.access_key, ours.secret_key, ours.token) == (theirs.access_key, theirs.secret_key, theirs.token)
    assert Endpoint.seen[0]["authorization"] == Endpoint.seen[1]["authorization"] == TOKEN


def test_awscredentials_client_signs_with_the_container_credentials(snapstart_environment):
    Endpoint.script = [answer("ASIASIGN", "2099-01-01T00:00:00Z")]  # the module's provider reads the real clock
    client = Client("dynamodb", "eu-west-1", clock=lambda: NOW)

    first = client.signed_headers("GetItem", b"{}")
    second = client.signed_headers("GetItem", b"{}")

    assert first["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=ASIASIGN/20251201/eu-west-1/dynamodb/")
    assert first["X-Amz-Security-Token"] == second["X-Amz-Security-Token"] == "session-of-ASIASIGN"
    assert len(Endpoint.seen) == 1  # one fetch for the container, not one per request


def test_awscredentials_handler_runs_on_container_credentials_against_moto(stack, snapstart_environment, api):
    # GIVEN the table made first, then a SnapStart function's environment (moto accepts any credentials:
    # the endpoint must be asked all the same)
    Endpoint.script = [answer("ASIAHANDLER", "2099-01-01T00:00:00Z")]

    result = api.call("get_health")

    assert result.status == 200
    assert len(Endpoint.seen) == 1
