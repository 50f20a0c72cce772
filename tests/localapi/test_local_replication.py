"""The local global table (replicator) and the Route 53-style router, each on its own."""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING, Any

import pytest

from devtools.lab.faults import FaultProxy
from devtools.lab.replicator import Replicator, Version
from devtools.lab.router import RegionHealth, Router, default_latency
from localapi.apigateway.events import IncomingRequest
from localapi.apigateway.responses import HttpResponse
from localapi.apigateway.server import MAX_READ_BYTES, PortInUseError, Server
from localapi.backends.stack import TABLE_NAME, MotoStack, new_secret_value
from tests.conftest import MANIFEST

if TYPE_CHECKING:
    from collections.abc import Iterator

REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoStack]:
    stack = MotoStack().start()
    secret = new_secret_value()
    for region in REGIONS:
        stack.seed_region(region, secret, MANIFEST["table"])
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture
def replicated(moto: MotoStack) -> Iterator[tuple[MotoStack, Replicator]]:
    replicator = Replicator(REGIONS, TABLE_NAME, moto.client, poll_seconds=0.05).start()
    try:
        yield moto, replicator
    finally:
        replicator.stop()


def item(pk: str, value: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": "A"}, "value": {"S": value}}


def read(moto: MotoStack, region: str, pk: str) -> dict[str, Any] | None:
    found = moto.client("dynamodb", region).get_item(
        TableName=TABLE_NAME, Key={"pk": {"S": pk}, "sk": {"S": "A"}}, ConsistentRead=True
    )
    result: dict[str, Any] | None = found.get("Item")
    return result


def test_replicator_copies_writes_and_deletes_to_every_region(replicated: tuple[MotoStack, Replicator]) -> None:
    moto, replicator = replicated
    moto.client("dynamodb", "eu-west-1").put_item(TableName=TABLE_NAME, Item=item("copy", "v1"))
    assert replicator.wait_idle()
    assert all(read(moto, region, "copy") == item("copy", "v1") for region in REGIONS)

    moto.client("dynamodb", "ap-southeast-2").delete_item(
        TableName=TABLE_NAME, Key={"pk": {"S": "copy"}, "sk": {"S": "A"}}
    )
    assert replicator.wait_idle()
    assert all(read(moto, region, "copy") is None for region in REGIONS)


def test_replicator_converges_on_the_last_writer_under_concurrent_writes(
    replicated: tuple[MotoStack, Replicator],
) -> None:
    # GIVEN every region writes the same item many times at once
    moto, replicator = replicated
    clients = {region: moto.client("dynamodb", region) for region in REGIONS}

    def write(region: str) -> None:
        for n in range(15):
            clients[region].put_item(TableName=TABLE_NAME, Item=item("race", f"{region}-{n}"))

    threads = [threading.Thread(target=write, args=(region,)) for region in REGIONS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert replicator.wait_idle()

    # THEN all regions hold the same final version, one of the last writes of some region
    finals = {region: read(moto, region, "race") for region in REGIONS}
    values = {final["value"]["S"] for final in finals.values() if final}
    assert len(values) == 1, finals
    assert values.pop().endswith("-14")


def test_replicator_does_not_echo_its_own_writes(replicated: tuple[MotoStack, Replicator]) -> None:
    moto, replicator = replicated
    assert replicator.wait_idle()
    before = replicator.applied
    moto.client("dynamodb", "us-east-1").put_item(TableName=TABLE_NAME, Item=item("echo", "once"))
    assert replicator.wait_idle()
    assert replicator.wait_idle()
    assert replicator.applied - before == len(REGIONS) - 1


def test_version_last_writer_wins_ties_to_greater_region() -> None:
    assert Version(2, "a", None).beats(Version(1, "z", None))
    assert Version(1, "z", None).beats(Version(1, "a", None))
    assert not Version(1, "a", None).beats(Version(1, "z", None))


def test_region_health_flips_after_threshold_consecutive_checks() -> None:
    health = RegionHealth("us-east-1", "http://127.0.0.1:1")
    assert not health.record(False, 2)
    assert health.record(False, 2) and not health.healthy
    assert not health.record(True, 2)
    assert health.record(True, 2) and health.healthy


class StubRegion:
    """A regional endpoint whose /health answers `status`."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.status = 200
        self.server = Server(self, 0, name=region).start()

    def handle(self, request: IncomingRequest, host: str = "", port: int = 0) -> HttpResponse:
        return HttpResponse(self.status if request.path == "/health" else 200, [], self.region.encode())


def test_router_prefers_nearest_healthy_region_and_fails_over() -> None:
    regions = {name: StubRegion(name) for name in ("us-east-1", "eu-west-1")}
    router = Router(default_latency(list(regions)), "us-east-1", interval=0.05, failure_threshold=2)
    for name, stub in regions.items():
        router.add_region(name, stub.server.url)
    router.start()
    try:
        assert router.choose(None) == "us-east-1"
        assert router.choose("eu-west-1") == "eu-west-1"
        regions["us-east-1"].status = 503
        assert router.wait_rounds(3, timeout=60)
        assert router.choose(None) == "eu-west-1"
        regions["eu-west-1"].status = 503
        assert router.wait_rounds(3, timeout=60)
        assert router.choose(None) == "us-east-1"  # none healthy: Route 53 answers as if all were
        regions["eu-west-1"].status = 200
        assert router.wait_rounds(3, timeout=60)
        request = IncomingRequest("GET", "/x", [], [], b"", "203.0.113.9")
        assert router.handle(request).body == b"eu-west-1"
    finally:
        router.stop()
        for stub in regions.values():
            stub.server.stop()


def test_router_reports_no_health_change_once_stopped(caplog: pytest.LogCaptureFixture) -> None:
    # GIVEN a router whose check is under way when stop() is asked, and fails because the region is going away
    router = Router(default_latency(["us-east-1"]), "us-east-1", interval=0.01, failure_threshold=1)
    router.add_region("us-east-1", "http://127.0.0.1:1")
    router.check = lambda health: (True, 200)
    router.start()
    checking, release = threading.Event(), threading.Event()

    def going_away(health: RegionHealth) -> tuple[bool, int | None]:
        checking.set()
        release.wait(60)
        return False, None

    router.check = going_away
    assert checking.wait(60)
    # WHEN it stops while that check runs
    stopping = threading.Thread(target=router.stop)
    stopping.start()
    while not router._stop.is_set():
        time.sleep(0.01)
    release.set()
    stopping.join(60)
    # THEN the failing check counts for nothing: no UNHEALTHY line at teardown
    assert router.regions["us-east-1"].healthy
    assert not [r for r in caplog.records if "UNHEALTHY" in r.getMessage()]


def test_server_answers_a_body_it_will_not_read_as_the_gateway_does() -> None:
    import http.client

    stub = StubRegion("x")
    connection = http.client.HTTPConnection("127.0.0.1", stub.server.port, timeout=5)
    try:
        connection.putrequest("POST", "/v1/items")
        connection.putheader("Content-Length", str(MAX_READ_BYTES + 1))
        connection.endheaders()
        response = connection.getresponse()
        assert (response.status, response.getheader("Content-Type")) == (413, "application/json")
        assert json.loads(response.read()) == {"message": "Request Too Long"}
    finally:
        connection.close()
        stub.server.stop()


def test_server_reports_busy_port() -> None:
    stubs = [StubRegion("x"), StubRegion("y")]
    first = Server(stubs[0], 0)
    try:
        with pytest.raises(PortInUseError, match=str(first.port)):
            Server(stubs[1], first.port)
    finally:
        first.stop()
        for stub in stubs:  # each serves on a port of its own too: not left running for the rest of the session
            stub.server.stop()


def through(proxy: FaultProxy) -> Any:
    """A DynamoDB client through `proxy`, without retries. A cut shows at once (a reset), so its timeouts are only
    a bound, generous for a loaded machine (1 s once was all a healthy answer had)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "dynamodb",
        region_name="us-east-1",
        endpoint_url=proxy.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=30, read_timeout=30),
    )


def test_fault_proxy_cuts_and_restores_the_link(moto: MotoStack) -> None:
    from botocore.exceptions import ConnectionClosedError, EndpointConnectionError

    proxy = FaultProxy(moto.port).start()
    try:
        client = through(proxy)
        assert client.describe_table(TableName=TABLE_NAME)["Table"]["TableName"] == TABLE_NAME
        proxy.set_up(False)
        with pytest.raises((EndpointConnectionError, ConnectionClosedError)):
            client.describe_table(TableName=TABLE_NAME)
        proxy.set_up(True)
        assert client.describe_table(TableName=TABLE_NAME)["Table"]["TableName"] == TABLE_NAME
    finally:
        proxy.stop()


def test_fault_proxy_a_connection_accepted_as_the_link_is_cut_is_cut_too(
    moto: MotoStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from botocore.exceptions import ConnectionClosedError, EndpointConnectionError

    proxy = FaultProxy(moto.port).start()
    connect = socket.create_connection

    def cut_meanwhile(*args: Any, **kwargs: Any) -> socket.socket:
        proxy.set_up(False)  # GIVEN the cut lands while the proxy connects a new caller upstream
        return connect(*args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", cut_meanwhile)  # the proxy's (devtools/lab/faults.py)
    try:
        client = through(proxy)
        # WHEN that caller sends THEN its connection is cut as the open ones were (kept alive, it would have carried
        # a region's calls through the whole outage)
        with pytest.raises((EndpointConnectionError, ConnectionClosedError)):
            client.describe_table(TableName=TABLE_NAME)
        client.close()
    finally:
        proxy.stop()
