"""tools/client_readme.py: a client README and the packages' metadata name the API they were generated for, and its
calls are ones any fresh API answers (tests/clients/test_clients_readme.py runs them: the kit's, examples/orders)."""

from __future__ import annotations

import copy
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tools import client_readme

ROOT = Path(__file__).resolve().parents[2]
APIS = {"multiregion_api_client": ROOT, "orders_api_client": ROOT / "examples" / "orders"}


def _manifest(root: Path) -> dict[str, Any]:
    return json.loads((root / "api" / "routes.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize(("package", "root"), APIS.items())
def test_client_readme_and_metadata_name_the_api(package: str, root: Path) -> None:
    manifest = _manifest(root)
    pyproject = tomllib.loads((root / "clients" / "python" / "pyproject.toml").read_text(encoding="utf-8"))
    npm = json.loads((root / "clients" / "typescript" / "package.json").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == package.replace("_", "-")
    assert manifest["title"] in pyproject["project"]["description"]
    assert manifest["title"] in npm["description"]
    python = (root / "clients" / "python" / "README.md").read_text(encoding="utf-8")
    typescript = (root / "clients" / "typescript" / "README.md").read_text(encoding="utf-8")
    assert python.startswith(f"# {package.replace('_', '-')} {manifest['api_version']} (Python)\n")
    assert typescript.startswith(f"# {npm['name']} {manifest['api_version']} (TypeScript)\n")
    for readme in (python, typescript):
        assert f"Typed client of the {manifest['title']}," in readme
    for other in set(APIS) - {package}:  # no other API's package (the kit's README was every API's before)
        assert other not in python and other.replace("_", "-") not in python
    assert f'from "{npm["name"]}"' in typescript
    for op_id, op in client_readme.examples(manifest):
        assert f"import {op_id}" in python and f'api.GET("{op["path"]}")' in typescript


@pytest.mark.parametrize("root", APIS.values())
def test_client_readme_calls_need_no_input(root: Path) -> None:
    manifest = _manifest(root)
    chosen = client_readme.examples(manifest)
    assert [op["public"] for _, op in chosen] == [True, False]  # both APIs have one of each
    for _, op in chosen:
        assert op["method"] == "GET" and not op["inputs"]["path"] and not op["inputs"]["body"]
    assert client_readme.token_scopes(manifest) == sorted(chosen[1][1]["scopes"])


def test_client_readme_an_api_whose_operations_all_take_inputs_gets_no_call(tmp_path: Path) -> None:
    manifest = copy.deepcopy(_manifest(ROOT))
    for op in manifest["operations"].values():
        op["inputs"]["path"] = {"properties": {"id": {"type": "string"}}, "required": ["id"]}
    assert client_readme.examples(manifest) == []
    found = client_readme.placeholders(manifest, ROOT / "clients", ROOT, "p", "@s/p", tmp_path)
    assert found["__PY_CALLS__"].startswith("# Every operation of this API takes inputs")
    assert found["__TS_CALLS__"].startswith("// Every operation of this API takes inputs")
    assert found["__TOKEN_SCOPES__"] == ""
