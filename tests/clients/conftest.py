"""Fixtures of the generated-client tests: one local API (as `make serve` runs it) per module."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from devtools.lab.cluster import LocalApi, Options

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "clients" / "python"))  # the generated package, as `pip install` would expose it


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    options = Options(regions=["us-east-1"], port=0, state_dir=tmp_path_factory.mktemp("state"))
    with LocalApi(options) as api:
        yield api
