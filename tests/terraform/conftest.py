"""Fixtures for the Terraform checks: the generated contract files and the modules' HCL blocks."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devtools import hcl
from tools import tfcheck

API = tfcheck.ROOT / "api"
TRIGGER: dict[str, Any] = {
    **json.loads((API / "routes.json").read_text())["triggers"]["pre_token_generation"],
    "package_dir": str(tfcheck.ROOT / "build" / "lambdas"),
}
"""modules/global's pre_token_generation input, as modules/api passes it (validations read no file)."""


@pytest.fixture(scope="session")
def routes() -> dict[str, Any]:
    path = API / "routes.json"
    if not path.exists():
        pytest.fail("api/routes.json is missing: run `make swagger`")
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def document() -> dict[str, Any]:
    path = API / "openapi.aws.json"
    if not path.exists():
        pytest.fail("api/openapi.aws.json is missing: run `make swagger`")
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def global_blocks() -> list[hcl.Block]:
    return hcl.blocks(tfcheck.TERRAFORM_DIR / "modules" / "global")


@pytest.fixture(scope="session")
def regional_blocks() -> list[hcl.Block]:
    return hcl.blocks(tfcheck.TERRAFORM_DIR / "modules" / "regional")


@pytest.fixture(scope="session")
def api_blocks() -> list[hcl.Block]:
    # modules/api composes global + regional; terraform/ and the examples only call it.
    return hcl.blocks(tfcheck.TERRAFORM_DIR / "modules" / "api")
