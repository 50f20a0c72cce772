"""lambdas.awspool: one bounded pool of kept-alive connections per endpoint, shared by every client and thread; and
the process's descriptors stay bounded however many health checks and data requests it serves."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from lambdas import awspool
from lambdas.awsclient import Client, EndpointConnectionError
from tests.lambdas.test_awsclient import OK, Scripted

ROOT = Path(__file__).parents[2]
DESCRIPTOR_LIMIT = 256
"""RLIMIT_NOFILE in the subprocess: far below Lambda's 1024, so a leak of one descriptor per call fails fast."""
CALLS = 400

SERVE_MANY = """
import json, os, resource, sys
from pathlib import Path

limit, calls = int(sys.argv[1]), int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
import importlib

# The health check: the manifest's public GET that takes no input and calls AWS (what monitors probe), by any name
operations = json.loads(Path("api/routes.json").read_text())["operations"]
probe = next(op for op, spec in sorted(operations.items()) if spec["public"] and spec["method"] == "GET"
             and spec["access"] and not any(spec["inputs"][where] for where in ("path", "query", "header", "body")))
health = importlib.import_module(operations[probe]["handler"].rsplit(".", 1)[0])
recorded = Path(f"tests/events/{probe}.json")
path = operations[probe]["path"]
health_event = json.loads(recorded.read_text()) if recorded.exists() else {
    "httpMethod": "GET", "path": path, "resource": path, "headers": {}, "requestContext": {"requestId": "probe"}}

events = sorted(Path("tests/events").glob("*.json"))
data = [(importlib.import_module(operations[path.stem]["handler"].rsplit(".", 1)[0]), json.loads(path.read_text()))
        for path in events if path.stem != probe and path.stem in operations]

def open_fds():
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:  # EMFILE: every descriptor is taken
        return limit

figures, statuses, first_failure = {"start": open_fds()}, {}, None
for call in range(1, calls + 1):
    status = health.handler(health_event, None)["statusCode"]
    statuses[status] = statuses.get(status, 0) + 1
    if status != 200 and first_failure is None:
        first_failure = call
    module, event = data[call % len(data)]
    module.handler(event, None)
    if call in (1, 10, 100, 250, 500) or call == calls:
        figures[str(call)] = open_fds()
print(json.dumps({"descriptors": figures, "health": statuses, "first_failed_health_check": first_failure}))
"""
"""Calls the health handler and, between them, every other handler on its sample event, in one process whose
descriptor limit is DESCRIPTOR_LIMIT; prints the open descriptors after 1, 10, 100 and `calls` rounds."""


class KeepAlive(BaseHTTPRequestHandler):
    """Forwards each request to moto and answers on a kept-alive HTTP/1.1 connection, as AWS's endpoints do (moto's
    server closes every connection after one answer, which would hide a client that never closes its own)."""

    protocol_version = "HTTP/1.1"
    upstream = ""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        url = urlsplit(self.upstream)
        connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=30)
        try:
            connection.request("POST", self.path, body, dict(self.headers.items()))
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        self.send_response(answer.status)
        for name in ("Content-Type", "x-amzn-RequestId", "x-amz-crc32"):
            if answer.getheader(name) is not None:
                self.send_header(name, answer.getheader(name, ""))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def keep_alive(stack, moto_server, monkeypatch):
    """AWS_ENDPOINT_URL pointed at a kept-alive proxy of the moto server that holds the stack."""
    KeepAlive.upstream = moto_server
    server = ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{server.server_port}")
    yield
    server.shutdown()
    server.server_close()


def serve_many(root: Path, calls: int = CALLS, limit: int = DESCRIPTOR_LIMIT) -> dict[str, Any]:
    """The figures of SERVE_MANY run from `root` (this tree, or another checkout for a before/after figure)."""
    done = subprocess.run(
        [sys.executable, "-c", SERVE_MANY, str(limit), str(calls)],
        env={**os.environ, "PYTHONPATH": str(root)},
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_awspool_descriptors_stay_bounded_over_many_health_checks_and_requests(keep_alive):
    # GIVEN a process limited to 256 descriptors (the old client leaked two per health check: EMFILE at ~120)
    # WHEN it serves 400 health checks, each followed by a data request
    figures = serve_many(ROOT)

    # THEN every health check answered 200, and the descriptors open after 400 are those open after 10
    assert figures["health"] == {"200": CALLS}
    assert figures["first_failed_health_check"] is None
    descriptors = figures["descriptors"]
    assert descriptors[str(CALLS)] <= descriptors["10"]
    assert descriptors[str(CALLS)] - descriptors["start"] <= 2 * awspool.POOL_SIZE


@pytest.fixture
def scripted_server(aws_credentials):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Scripted.seen = []
    yield f"http://127.0.0.1:{server.server_port}"
    awspool.close_all()
    server.shutdown()
    server.server_close()


def test_awspool_threads_share_the_pool_and_reuse_its_connections(scripted_server):
    # GIVEN two clients of one endpoint (the health check's and the handlers')
    Scripted.script = [OK] * 40
    first = Client("dynamodb", "us-east-1", endpoint_url=scripted_server)
    second = Client("dynamodb", "us-east-1", endpoint_url=scripted_server, max_attempts=1)

    # WHEN 20 short-lived threads make one call each, two at a time (as the health check's probes)
    for _ in range(10):
        threads = [threading.Thread(target=client.get_item, kwargs={"Key": {}}) for client in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    # THEN at most two connections were ever opened, and they wait in the pool
    assert len(Scripted.seen) == 20
    assert len({port for _, port in Scripted.seen}) <= 2
    assert awspool.pool(first.pool_key).idle() == len({port for _, port in Scripted.seen})


def test_awspool_keeps_at_most_its_size_and_closes_the_rest():
    key = ("http", "127.0.0.1", 9, None)
    connections = awspool.Pool(key, size=2)
    given = [socket.socketpair() for _ in range(3)]

    class Held:
        def __init__(self, sock: socket.socket) -> None:
            self.sock: socket.socket | None = sock

        def close(self) -> None:
            if self.sock is not None:
                self.sock.close()
            self.sock = None

    held = [Held(ours) for ours, _ in given]
    for connection in held:
        connections.give(connection)  # type: ignore[arg-type]

    assert connections.idle() == 2
    assert held[2].sock is None  # the third, given to a full pool, was closed
    connections.close()
    assert connections.idle() == 0
    assert all(connection.sock is None for connection in held)
    for _, theirs in given:
        theirs.close()


def test_awspool_an_idle_connection_the_server_closed_is_replaced_before_use():
    ours, theirs = socket.socketpair()
    theirs.close()  # the server's FIN while the connection sat idle

    assert awspool._dropped(ours)
    ours.close()


def test_awspool_an_idle_open_connection_is_reused():
    ours, theirs = socket.socketpair()

    assert not awspool._dropped(ours)
    ours.close()
    theirs.close()


def test_awspool_a_failed_connection_is_closed_not_kept(aws_credentials):
    client = Client("dynamodb", "us-east-1", endpoint_url="http://127.0.0.1:9", max_attempts=1)

    with pytest.raises(EndpointConnectionError):
        client.get_item(TableName="t", Key={})
    assert awspool.pool(client.pool_key).idle() == 0
