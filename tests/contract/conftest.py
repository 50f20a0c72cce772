"""Fixtures for the contract tests: freshly generated documents, built once per session."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import pytest

from contract.build import DEPLOYABLE, PUBLIC, ROOT, generate

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="session")
def artefacts() -> dict[Path, str]:
    return generate()


@pytest.fixture(scope="session")
def _deployable(artefacts: dict[Path, str]) -> dict[str, Any]:
    return json.loads(artefacts[DEPLOYABLE])  # type: ignore[no-any-return]


@pytest.fixture
def deployable(_deployable: dict[str, Any]) -> dict[str, Any]:
    """A copy of the deployable document that a test may break."""
    return copy.deepcopy(_deployable)


@pytest.fixture(scope="session")
def public(artefacts: dict[Path, str]) -> dict[str, Any]:
    return json.loads(artefacts[PUBLIC])  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
