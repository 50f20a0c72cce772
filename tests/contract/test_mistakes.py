"""Every contract mistake a person makes is one `contract error:` line from `make swagger`, never a traceback.

Each case rebinds ROUTES at the end of a copy of contract/routes.py with one mistake in its first operation (or one
operation added), then runs `python -m contract --check` (what `make contract-check` / `make swagger` run) on the
copy: stderr is exactly one line that names the mistake and the fix. The cases hold for any contract.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from contract.build import ROOT

if TYPE_CHECKING:
    from pathlib import Path


def first(change: str) -> str:
    """ROUTES with `change` made to its first operation."""
    return f"(dataclasses.replace(ROUTES[0], {change}),) + ROUTES[1:]"


_CALLS = '__import__("contract.calls").calls'
_BUS = f"{_CALLS}.Resource('order_events', {_CALLS}.EVENT_BUS)"

MISTAKES = {
    "tag missing from TAGS": (first("tags=('widgets',)"), "tag 'widgets' is not in TAGS"),
    "tags as a string": (first("tags='widgets'"), "tags must be a tuple of tag names"),
    "response model as a string": (first("responses={200: 'Widget'}"), "responses[200] must be a pydantic model class"),
    "request model as a string": (
        first("method='POST', request='WidgetCreate'"),
        "request must be a pydantic model class",
    ),
    "status as a string": (
        first("responses={'200': next(iter(ROUTES[0].responses.values()))}"),
        "must be an HTTP status number",
    ),
    "path without a leading slash": (first("path=ROUTES[0].path.lstrip('/') or 'x'"), "path must start with /: write"),
    "method in lower case": (first("method=ROUTES[0].method.lower()"), "method must be one of GET, POST"),
    "scopes as strings": (first("scopes=('items.read',)"), "scopes must be a tuple of Scope"),
    "operation without a handler": (
        "ROUTES + (dataclasses.replace(ROUTES[0], operation_id='list_widgets', path='/v1/widgets'),)",
        "no handler: create lambdas/handlers/list_widgets.py",
    ),
    "operation declared twice": ("ROUTES + (ROUTES[0],)", "declared twice"),
    "a required argument left out": ("(Operation(method='GET', path='/v1/widgets'),)", "contract/routes.py:"),
    "a wildcard action on a team's resource": (
        first(f"access=frozenset({{{_CALLS}.Call({_BUS}, ('events:Put*',))}})"),
        "action 'events:Put*' has a wildcard: name each action",
    ),
    "another service's action on a team's resource": (
        first(f"access=frozenset({{{_CALLS}.Call({_BUS}, ('sqs:SendMessage',))}})"),
        "action 'sqs:SendMessage' is not a events action",
    ),
    "a call to a service the handlers' client cannot call": (
        first(
            f"access=frozenset({{{_CALLS}.Call({_CALLS}.Resource('alerts', "
            f"{_CALLS}.ResourceType('arn:${{Partition}}:sns:${{Region}}:${{Account}}:${{TopicName}}')), "
            "('sns:Publish',))})"
        ),
        "cannot call sns: it speaks the AWS JSON protocol to dynamodb, events, secretsmanager, sqs only",
    ),
    "a tuple of fixed positions in a response": (
        first("responses={200: __import__('pydantic').create_model('Pair', pair=(tuple[int, str], ...))}"),
        "model Pair field pair: a tuple of fixed positions (prefixItems) has no OpenAPI 3.0 form: use a model",
    ),
    "a field with no JSON form": (
        first(
            "responses={200: __import__('pydantic').create_model('Hook', call=(__import__('typing').Callable, ...))}"
        ),
        "model Hook field call: pydantic has no JSON Schema for Callable",
    ),
    "a resource name that is no snake_case": (
        first(f"access=frozenset({{{_CALLS}.Call({_CALLS}.Resource('OrderEvents', {_CALLS}.EVENT_BUS), ('x:Y',))}})"),
        "Resource 'OrderEvents': the name must be snake_case",
    ),
}


def _contract_copy(tmp_path: Path, routes: str) -> Path:
    shutil.copytree(ROOT / "contract", tmp_path / "contract", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "lambdas").symlink_to(ROOT / "lambdas")
    target = tmp_path / "contract" / "routes.py"
    target.write_text(
        target.read_text(encoding="utf-8") + f"\nimport dataclasses  # noqa\nROUTES = {routes}\n", encoding="utf-8"
    )
    return tmp_path


@pytest.mark.parametrize("mistake", MISTAKES)
def test_mistake_is_one_contract_error_line(tmp_path: Path, mistake: str) -> None:
    routes, expected = MISTAKES[mistake]
    root = _contract_copy(tmp_path, routes)
    run = subprocess.run(
        [sys.executable, "-m", "contract", "--check"], cwd=root, capture_output=True, text=True, check=False
    )
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1, run.stderr
    assert len(lines) == 1 and lines[0].startswith("contract error: "), run.stderr
    assert expected in lines[0], lines[0]
    assert "Traceback" not in run.stderr + run.stdout
