"""tools/clients.py renders its templates from one manifest, read once, through one placeholder table; the generated
Python client joins a comma-separated query parameter (openapi-python-client repeats every list parameter whatever
its `explode`), and a generator that changes the line fails the build."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from tools import clients

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(clients.MANIFEST.read_text(encoding="utf-8"))
    return {**loaded, "api_version": "9.8.7", "retry_policy": {**loaded["retry_policy"], "budget_s": 123}}


@pytest.mark.parametrize("name", ["retry.py", "index.ts", "README.python.md", "README.typescript.md"])
def test_render_fills_every_placeholder_from_the_manifest_it_is_given(name: str, manifest: dict[str, Any]) -> None:
    text = clients._render(name, manifest)
    assert not re.findall(r"\b__[A-Z][A-Z_]+__\b", text)
    assert "123" in text  # the given manifest's budget, not the file's
    placeholders = clients._placeholders(manifest)
    for placeholder in clients.REQUIRED.get(name, ()):
        # each code placeholder becomes the manifest's value (an empty list renders as the template's own line)
        assert placeholders[placeholder] in text
        assert placeholders[placeholder] == placeholder or placeholder not in text


def test_the_python_retry_module_carries_the_policy_and_the_creates(manifest: dict[str, Any]) -> None:
    text = clients._render("retry.py", manifest)
    assert "BUDGET_SECONDS = 123.0" in text
    creates = [
        (op["method"], op["path"]) for op in manifest["operations"].values() if op["retry"] == "with-idempotency-key"
    ]
    assert f"IDEMPOTENT_CREATES: tuple[tuple[str, str], ...] = {tuple(creates)!r}" in text


def test_a_template_that_lost_a_code_placeholder_is_refused(
    manifest: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = (clients.TEMPLATES / "retry.py").read_text(encoding="utf-8")
    (tmp_path / "retry.py").write_text(template.replace("BASE_SECONDS = 0.0", "BASE_SECONDS = 0.5"), encoding="utf-8")
    monkeypatch.setattr(clients, "TEMPLATES", tmp_path)
    with pytest.raises(SystemExit, match="tools/clientgen/retry.py: no placeholder 'BASE_SECONDS = 0.0' to render"):
        clients._render("retry.py", manifest)


def test_generate_reads_the_manifest_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    reads: list[None] = []
    real = clients._manifest

    def counted() -> dict[str, Any]:
        reads.append(None)
        return real()

    monkeypatch.setattr(clients, "_manifest", counted)
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(clients, "typescript", lambda out, manifest: seen.append(manifest))
    monkeypatch.setattr(clients, "python", lambda out, manifest: seen.append(manifest))
    clients.generate(tmp_path)
    assert len(reads) == 1
    assert seen[0] is seen[1]


GENERATED = """def _get_kwargs(level: list[int]) -> dict[str, Any]:
    params: dict[str, Any] = {}

    json_level = list(level)
    params["level"] = json_level

    return {"params": params}
"""


RULES = {"query": {"properties": {"level": {"type": "array", "explode": False}, "tag": {"type": "array"}}}}
THINGS = {"operations": {"list_things": {"method": "GET", "path": "/v1/things", "inputs": RULES}}}


def _module(root: Path, text: str) -> Path:
    module = root / "api" / "things" / "list_things.py"
    module.parent.mkdir(parents=True)
    module.write_text(text, encoding="utf-8")
    return module


def test_clients_python_comma_separated_parameter_is_joined_into_one_value(tmp_path: Path) -> None:
    module = _module(tmp_path, GENERATED)
    assert clients._join_comma_separated(tmp_path, THINGS) == [module]
    namespace: dict[str, Any] = {"Any": Any}
    exec(module.read_text(encoding="utf-8"), namespace)  # the edited module, as the client runs it
    assert namespace["_get_kwargs"]([1, 3]) == {"params": {"level": "1,3"}}
    assert namespace["_get_kwargs"]([]) == {"params": {"level": None}}  # dropped, as an empty repeated list is


def test_clients_python_a_changed_generator_line_fails_the_build(tmp_path: Path) -> None:
    _module(tmp_path, GENERATED.replace('params["level"] = json_level', 'params.update({"level": json_level})'))
    with pytest.raises(SystemExit, match="no `params\\['level'\\] = ...` line to join"):
        clients._join_comma_separated(tmp_path, THINGS)


def test_clients_typescript_lists_the_comma_separated_parameters() -> None:
    # the orders API declares `priority` COMMA_SEPARATED on GET /v1/orders (examples/orders/contract/models.py)
    orders = json.loads((clients.ROOT / "examples" / "orders" / "api" / "routes.json").read_text(encoding="utf-8"))
    listed = clients.COMMA_LINE.replace("= [];", '= [["GET", "/v1/orders", "priority"]];')
    assert listed in clients._render("index.ts", orders)
