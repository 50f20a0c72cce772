"""What the wheel ships and what it leaves out (pyproject.toml, README's layout, localapi/README.md): the
product packages never import the development-only ones (devtools/, the multi-region lab among them) at
module level, so the wheel's modules import without them."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from setuptools import find_packages

ROOT = Path(__file__).parents[2]
SHIPPED = ("contract", "lambdas", "localapi", "tools")
REACH_INS = {"localapi/__main__.py", "localapi/regional.py"}
"""The documented function-level reach-ins into the lab (localapi/README.md, "What runs"): `python -m localapi
serve|token` runs the lab's LocalApi, and a gateway started with --release-dir runs the release drill's zips."""


def _wheel_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted(find_packages(str(ROOT), include=include))


def _devtools_imports(path: Path) -> tuple[list[int], list[int]]:
    """Line numbers of `devtools` imports at module level and inside functions."""
    tree = ast.parse(path.read_text(), str(path))
    top = {id(node) for node in tree.body}
    module_level, in_functions = [], []
    for node in ast.walk(tree):
        names = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        if any(name == "devtools" or name.startswith("devtools.") for name in names):
            (module_level if id(node) in top else in_functions).append(node.lineno)
    return module_level, in_functions


def test_the_wheel_ships_the_local_services_and_not_the_lab() -> None:
    packages = _wheel_packages()
    assert {"localapi", "localapi.apigateway", "localapi.cognitoidp", "localapi.backends"} <= set(packages)
    assert [p for p in packages if p.split(".")[0] not in SHIPPED] == []


def test_shipped_modules_import_no_development_package_at_module_level() -> None:
    module_level, reach_ins = [], set()
    for package in SHIPPED:
        for path in sorted((ROOT / package).rglob("*.py")):
            top, inner = _devtools_imports(path)
            where = path.relative_to(ROOT).as_posix()
            module_level += [f"{where}:{line}" for line in top]
            reach_ins |= {where} if inner else set()
    assert module_level == []
    assert reach_ins == REACH_INS


def test_the_import_scan_sees_a_module_level_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import devtools.lab\n\ndef f():\n    from devtools.lab import cluster\n")
    assert _devtools_imports(module) == ([1], [4])
