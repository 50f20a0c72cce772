"""The failover canary: what Route 53's decision rests on (lambdas/triggers/canary.py)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest

from lambdas import aws
from lambdas.triggers import canary

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.conftest import Stack


class _Door:
    """A front door on 127.0.0.1 answering GET with `status`, recording the Host header it got."""

    def __init__(self) -> None:
        self.status = 200
        self.hosts: list[str] = []
        door = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                door.hosts.append(self.headers.get("Host", ""))
                self.send_response(door.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def env(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("CANARY_HOST", "127.0.0.1")
        monkeypatch.setenv("CANARY_SERVER_NAME", "api.example.com")
        monkeypatch.setenv("CANARY_PATH", "/health")


@pytest.fixture
def door() -> Iterator[_Door]:
    served = _Door()
    yield served
    served.server.shutdown()
    served.server.server_close()


def _door_for(served: _Door) -> canary.FrontDoor:
    return canary.FrontDoor("127.0.0.1", "api.example.com", "/health", served.server.server_address[1], tls=False)


def _run(stack: Stack, served: _Door) -> list[str]:
    config = aws.settings()
    return canary.probe(
        lambda: canary.dependencies(
            aws.health_dynamodb(), stack.table_name, aws.health_secretsmanager(), stack.secret_id, config.region
        ),
        lambda: canary.front_door(_door_for(served)),
    )


def test_canary_passes_a_serving_region(stack: Stack, door: _Door) -> None:
    assert _run(stack, door) == []
    assert door.hosts == ["api.example.com"]  # the custom domain's name, on the region's own endpoint


def test_canary_passes_a_throttled_front_door(stack: Stack, door: _Door) -> None:
    # GIVEN an anonymous flood has used up GET /health's throttle: the gateway answers 429
    door.status = 429

    assert _run(stack, door) == []


def test_canary_fails_a_missing_base_path_mapping(stack: Stack, door: _Door) -> None:
    # GIVEN the region's custom domain has no mapping: API Gateway answers 403
    door.status = 403

    assert _run(stack, door) == ["front door: HTTP 403"]
    assert len(door.hosts) == canary.TRIES


def test_canary_fails_a_region_whose_table_is_gone(stack: Stack, door: _Door) -> None:
    stack.dynamodb.delete_table(TableName=stack.table_name)

    assert _run(stack, door) == ["dependencies: table"]


def test_canary_fails_a_front_door_that_does_not_answer(stack: Stack) -> None:
    closed = canary.FrontDoor("127.0.0.1", "api.example.com", "/health", 9, tls=False)

    failure = canary.front_door(closed, timeout=1.0)
    assert failure is not None and failure.startswith("front door: ConnectionRefusedError")


def test_canary_handler_raises_so_the_errors_metric_counts_it(
    stack: Stack, door: _Door, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the environment Terraform gives the canary, and a front door that answers 502
    door.env(monkeypatch)
    monkeypatch.setattr(canary, "front_door", lambda d: None if d.server_name == "api.example.com" else "wrong name")
    assert canary.handler({}, None) == {"region": stack.region, "ok": True}

    stack.dynamodb.delete_table(TableName=stack.table_name)
    with pytest.raises(canary.CanaryError, match="dependencies: table"):
        canary.handler({}, None)
