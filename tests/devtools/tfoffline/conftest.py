"""Shared fixtures: one harness (stand-in providers) for every test that runs Terraform."""

from __future__ import annotations

import pytest

from devtools.tfoffline.harness import Harness


@pytest.fixture(scope="session")
def harness() -> Harness:
    """The offline harness, even when the caller's environment asks for real providers."""
    return Harness(real=False)
