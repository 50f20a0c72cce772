"""Fixtures of the local API tests: HTTP calls, a local API per module, and in-process gateways."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from localapi import document
from localapi.cluster import LocalApi, Options

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Reply:
    """One HTTP response."""

    status: int
    headers: dict[str, str]
    raw: bytes
    body: Any = field(default=None)

    @property
    def region(self) -> str | None:
        """The region the router sent the request to."""
        return self.headers.get("x-localapi-region")


def call(
    url: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: Any = None,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Reply:
    """Send one request to `url` (http://127.0.0.1:<port>) and decode a JSON answer."""
    host, port = url.removeprefix("http://").split(":")
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    payload = raw
    if body is not None:
        payload = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        data = response.read()
        reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        connection.close()
    if data and reply.headers.get("content-type", "").startswith("application/json"):
        reply.body = json.loads(data)
    return reply


@pytest.fixture(scope="session")
def api() -> document.ApiDocument:
    """The committed deployable document."""
    return document.load()


@pytest.fixture(scope="module")
def single_region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    """The local API in one region, on ephemeral ports, as `make serve` runs it."""
    options = Options(regions=["us-east-1"], port=0, state_dir=tmp_path_factory.mktemp("state"))
    with LocalApi(options) as local:
        yield local


@pytest.fixture(scope="module")
def two_regions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    """The local API in us-east-1 (home) and eu-west-1, with fast Route 53-style health checks."""
    options = Options(
        regions=["us-east-1", "eu-west-1"],
        port=0,
        state_dir=tmp_path_factory.mktemp("state"),
        probe_interval=0.25,
        failure_threshold=2,
    )
    with LocalApi(options) as local:
        yield local


@pytest.fixture
def http() -> Callable[..., Reply]:
    """`call` as a fixture."""
    return call
