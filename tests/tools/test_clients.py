"""tools/clients.py: the generated Python client joins a comma-separated query parameter (openapi-python-client
repeats every list parameter whatever its `explode`), and a generator that changes the line fails the build."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tools import clients

if TYPE_CHECKING:
    from pathlib import Path

GENERATED = """def _get_kwargs(level: list[int]) -> dict[str, Any]:
    params: dict[str, Any] = {}

    json_level = list(level)
    params["level"] = json_level

    return {"params": params}
"""


@pytest.fixture
def manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = {"query": {"properties": {"level": {"type": "array", "explode": False}, "tag": {"type": "array"}}}}
    operations = {"list_things": {"method": "GET", "path": "/v1/things", "inputs": rules}}
    monkeypatch.setattr(clients, "_manifest", lambda: {"operations": operations})


def _module(root: Path, text: str) -> Path:
    module = root / "api" / "things" / "list_things.py"
    module.parent.mkdir(parents=True)
    module.write_text(text, encoding="utf-8")
    return module


@pytest.mark.usefixtures("manifest")
def test_clients_python_comma_separated_parameter_is_joined_into_one_value(tmp_path: Path) -> None:
    module = _module(tmp_path, GENERATED)
    assert clients._join_comma_separated(tmp_path) == [module]
    namespace: dict[str, Any] = {"Any": Any}
    exec(module.read_text(encoding="utf-8"), namespace)  # the edited module, as the client runs it
    assert namespace["_get_kwargs"]([1, 3]) == {"params": {"level": "1,3"}}
    assert namespace["_get_kwargs"]([]) == {"params": {"level": None}}  # dropped, as an empty repeated list is


@pytest.mark.usefixtures("manifest")
def test_clients_python_a_changed_generator_line_fails_the_build(tmp_path: Path) -> None:
    _module(tmp_path, GENERATED.replace('params["level"] = json_level', 'params.update({"level": json_level})'))
    with pytest.raises(SystemExit, match="no `params\\['level'\\] = ...` line to join"):
        clients._join_comma_separated(tmp_path)


def test_clients_typescript_lists_the_comma_separated_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    # the orders API declares `priority` COMMA_SEPARATED on GET /v1/orders (examples/orders/contract/models.py)
    monkeypatch.setattr(clients, "MANIFEST", clients.ROOT / "examples" / "orders" / "api" / "routes.json")
    listed = clients.COMMA_LINE.replace("= [];", '= [["GET", "/v1/orders", "priority"]];')
    assert listed in clients._render("index.ts")
