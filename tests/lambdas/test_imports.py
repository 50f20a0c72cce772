"""What runs in Lambda imports only the standard library and lambdas itself (no botocore: lambdas/awsclient.py is
its AWS client), and every operation of the contract has its handler module declaring the contract's scopes."""

import ast
import importlib
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
LAMBDAS = ROOT / "lambdas"
ALLOWED = set(sys.stdlib_module_names) | {"lambdas", "__future__"}
FORBIDDEN = {"pydantic", "pydantic_core", "fastapi", "starlette", "mangum", "aws_lambda_powertools", "flask", "chalice"}
ROUTES = json.loads((ROOT / "api" / "routes.json").read_text())["operations"]


def runtime_imports(path):
    """Top-level names of modules `path` imports at run time (imports under TYPE_CHECKING excluded)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    type_checking_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            type_checking_only.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    names = set()
    for node in ast.walk(tree):
        if id(node) in type_checking_only:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


MODULES = sorted(LAMBDAS.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_imports_only_stdlib_and_lambdas(path):
    outside = runtime_imports(path) - ALLOWED

    assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)} at run time"


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_imports_no_framework_or_pydantic_even_for_type_checking(path):
    tree = ast.parse(path.read_text())
    names = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    names |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}

    assert not names & FORBIDDEN


def test_imports_detects_a_forbidden_import(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text("from typing import TYPE_CHECKING\nimport pydantic\nif TYPE_CHECKING:\n    import mypy_boto3\n")

    assert runtime_imports(module) - ALLOWED == {"pydantic"}


def test_imports_handler_module_per_operation():
    handlers = {path.stem for path in (LAMBDAS / "handlers").glob("*.py") if path.stem != "__init__"}

    assert handlers == set(ROUTES)


@pytest.mark.parametrize("operation_id", sorted(ROUTES))
def test_imports_handler_declares_the_contracts_scopes(operation_id):
    from lambdas.runtime.operation import REGISTRY

    module = importlib.import_module(ROUTES[operation_id]["handler"].rsplit(".", 1)[0])

    assert callable(module.handler)
    assert REGISTRY[operation_id].scopes == tuple(ROUTES[operation_id]["scopes"])
    assert REGISTRY[operation_id].public == ROUTES[operation_id]["public"]
