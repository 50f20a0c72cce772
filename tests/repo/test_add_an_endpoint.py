"""Adding an endpoint touches the contract, one handler and its test only.

In a scratch copy of the repository (tracked files only), one extra operation is declared in
contract/routes.py, its handler and its test are written, and nothing else is edited; then
`make swagger`, `make package`, `make validate` (the offline Terraform plan and tests) and the
conformance matrix and the handler's test run there and pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix) if sys.prefix != sys.base_prefix else None

OPERATION = """    Operation(
        method="GET",
        path="/v1/profile",
        operation_id="get_profile",
        summary="Read your profile",
        description="The caller's account as this region's replica holds it.",
        tags=("accounts",),
        responses={200: Account},
        scopes=(ACCOUNTS_READ,),
        access=frozenset({Access.TABLE_GET_ITEM}),
    ),
)
"""
HANDLER = '''"""GET /v1/profile: the caller's account as this region's replica holds it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.accounts import get_account

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("get_profile")
def handler(request: Request) -> Response:
    """Read your profile."""
    settings = aws.settings()
    return 200, get_account(aws.dynamodb(), settings.table_name, request.sub, default=True)
'''
TEST = '''"""GET /v1/profile."""


def test_get_profile_before_any_write_is_version_0(api, stack):
    result = api.call("get_profile")

    assert result.status == 200
    assert result.body["accountId"] == api.sub
    assert result.body["version"] == 0
'''


def _copy(tmp_path: Path) -> Path:
    kit = tmp_path / "kit"
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            target = kit / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            target.chmod(source.stat().st_mode)
            # Keep the mtimes: a copied pyproject.toml newer than .venv/.installed made the sub-make of
            # `make swagger` (`$(MAKE) clients`, which -o does not reach) reinstall .venv from the scratch copy.
            os.utime(target, (source.stat().st_atime, source.stat().st_mtime))
    return kit


def _run(kit: Path, *argv: str) -> str:
    # The scratch copy reuses this checkout's .venv (no second install): VENV points make at it, and
    # -o marks the install stamp as up to date although the copied pyproject.toml is newer.
    env = {**os.environ, "PYTHONPATH": str(kit)}
    result = subprocess.run(argv, cwd=kit, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(argv)} failed in the scratch copy:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_add_an_endpoint_needs_only_contract_handler_and_its_test(tmp_path: Path) -> None:
    assert VENV is not None, "run inside the repository's virtualenv (.venv)"
    # GIVEN a scratch copy with one operation, its handler and its test added, and nothing else
    kit = _copy(tmp_path)
    routes = kit / "contract" / "routes.py"
    text = routes.read_text()
    assert text.rstrip().endswith(")"), "ROUTES is expected to close the module"
    routes.write_text(text.rstrip()[:-1] + OPERATION)
    (kit / "lambdas" / "handlers" / "get_profile.py").write_text(HANDLER)
    (kit / "tests" / "lambdas" / "handlers" / "test_get_profile.py").write_text(TEST)
    make = ["make", f"VENV={VENV}", "-o", f"{VENV}/.installed"]

    # WHEN the generators, the packaging and the offline Terraform run there
    _run(kit, *make, "swagger")
    packaged = _run(kit, *make, "package")
    validated = _run(kit, *make, "validate")

    # THEN the new operation is generated, packaged and planned, and its handler conforms
    assert '"get_profile"' in (kit / "api" / "routes.json").read_text()
    assert "get_profile.zip" in packaged
    assert "terraform test: ok" in validated
    tests = ["tests/lambdas/test_conformance.py", "tests/lambdas/handlers/test_get_profile.py"]
    outcome = _run(kit, str(VENV / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests)
    assert " passed" in outcome and "failed" not in outcome
