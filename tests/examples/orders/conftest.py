"""The orders API (examples/orders) served as `make serve API=examples/orders` serves it: one local API per module."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from devtools.lab.cluster import LocalApi, Options

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[3]
ORDERS = ROOT / "examples" / "orders"
sys.path.insert(0, str(ORDERS / "clients" / "python"))  # its generated client, as `pip install` would expose it


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    options = Options(
        regions=["us-east-1"],
        port=0,
        state_dir=tmp_path_factory.mktemp("state"),
        api_dir=ORDERS / "api",
        handler_prefix="examples.orders.lambdas.handlers",
    )
    with LocalApi(options) as api:
        yield api
