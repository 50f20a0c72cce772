"""Fixtures of the local API tests: HTTP calls, a local API per module, and in-process gateways."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from devtools.lab.client import Reply, call
from devtools.lab.cluster import LocalApi, Options
from localapi.apigateway import document

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


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


@pytest.fixture(scope="module")
def strong_regions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    """The local API on a STRONG (MRSC) table in the US region set: us-east-1, us-east-2, us-west-2."""
    options = Options(
        regions=["us-east-1", "us-east-2", "us-west-2"],
        port=0,
        state_dir=tmp_path_factory.mktemp("state"),
        probe_interval=0.25,
        failure_threshold=2,
        consistency="STRONG",
    )
    with LocalApi(options) as local:
        yield local
