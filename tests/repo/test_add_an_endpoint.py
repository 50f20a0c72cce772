"""Adding an endpoint touches the contract, one handler and its test only.

In a scratch copy of the repository (tracked files only), two extra operations are declared in
contract/routes.py (one reads the table; one calls no AWS service, has a patterned path parameter and a
nullable response field), their models, handlers and tests are written, and nothing else is edited; then
`make swagger`, `make package`, `make validate` (the offline Terraform plan and tests) and the
conformance matrix and the handlers' tests run there and pass.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(sys.prefix) if sys.prefix != sys.base_prefix else None
ADDED = ("get_profile", "get_widget")

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
    Operation(
        method="GET",
        path="/v1/widgets/{widgetId}",
        operation_id="get_widget",
        summary="Read a widget",
        description="A widget of the built-in catalogue.",
        tags=("items",),
        path_params=WidgetPath,
        responses={200: Widget},
        errors=(404,),
        scopes=(ITEMS_READ,),
        access=frozenset(),
    ),
)
"""
WIDGET_MODELS = '''"""Widgets: a built-in catalogue, no storage."""

from pydantic import Field

from contract.models.base import ApiModel, Parameters


class Widget(ApiModel):
    """A widget of the catalogue."""

    widget_id: str = Field(description="The widget's id.", examples=["w-7"])
    label: str | None = Field(default=None, description="Its label, if it has one.", examples=["blue"])


class WidgetPath(Parameters):
    """Path parameters of GET /v1/widgets/{widgetId}."""

    widgetId: str = Field(pattern=r"^w-[0-9]{1,9}$", description="The widget to read.")
'''
WIDGET_HANDLER = '''"""GET /v1/widgets/{widgetId}: a widget of the built-in catalogue (no AWS call)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas.runtime.errors import NotFoundError
from lambdas.runtime.operation import operation

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response

CATALOGUE_SIZE = 1000


@operation("get_widget")
def handler(request: Request) -> Response:
    """Read a widget."""
    widget_id = request.path["widgetId"]
    if int(widget_id.removeprefix("w-")) > CATALOGUE_SIZE:
        raise NotFoundError("No such widget")
    return 200, {"widgetId": widget_id, "label": None}
'''
WIDGET_TEST = '''"""GET /v1/widgets/{widgetId}."""


def test_get_widget_of_the_catalogue_has_no_label(api, stack):
    result = api.call("get_widget", path={"widgetId": "w-7"})

    assert result.status == 200
    assert result.body == {"widgetId": "w-7", "label": None}


def _unknown_widget(api, stack, monkeypatch):
    return api.event("get_widget", path={"widgetId": "w-1001"})


CONFORMANCE = {404: _unknown_widget}
'''
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
    imports = "from contract.operation import"
    text = text.replace(imports, f"from contract.models.widgets import Widget, WidgetPath\n{imports}", 1)
    routes.write_text(text.rstrip()[:-1] + OPERATION)
    (kit / "contract" / "models" / "widgets.py").write_text(WIDGET_MODELS)
    (kit / "lambdas" / "handlers" / "get_profile.py").write_text(HANDLER)
    (kit / "lambdas" / "handlers" / "get_widget.py").write_text(WIDGET_HANDLER)
    (kit / "tests" / "lambdas" / "handlers" / "test_get_profile.py").write_text(TEST)
    (kit / "tests" / "lambdas" / "handlers" / "test_get_widget.py").write_text(WIDGET_TEST)
    make = ["make", f"VENV={VENV}", "-o", f"{VENV}/.installed"]

    # WHEN the generators, the packaging and the offline Terraform run there
    _run(kit, *make, "swagger")
    packaged = _run(kit, *make, "package")
    validated = _run(kit, *make, "validate")

    # THEN the new operations are generated, packaged and planned, and their handlers conform
    assert {'"get_profile"', '"get_widget"'} <= set(re.findall(r'"get_\w+"', (kit / "api" / "routes.json").read_text()))
    assert "get_profile.zip" in packaged and "get_widget.zip" in packaged
    assert "terraform test: ok" in validated
    tests = ["tests/lambdas/test_conformance.py", *(f"tests/lambdas/handlers/test_{op}.py" for op in ADDED)]
    outcome = _run(kit, str(VENV / "bin" / "python"), "-m", "pytest", "-v", "-p", "no:cacheprovider", *tests)
    assert " passed" in outcome and "failed" not in outcome
    ran = set(re.findall(r"\[(get_(?:profile|widget)-\d+)\] PASSED", outcome))
    # get_widget calls no AWS service: the generic 200, 400 (its pattern), 401 and 403 and its own 404 run;
    # its 500 and 503 are the gateway's; get_profile reads the table: the generic 500 and 503 run too.
    assert {f"get_widget-{status}" for status in (200, 400, 401, 403, 404)} <= ran
    assert not {"get_widget-500", "get_widget-503"} & ran
    assert {f"get_profile-{status}" for status in (200, 401, 403, 500, 503)} <= ran
