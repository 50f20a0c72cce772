"""The generated TypeScript client: type-checked by tsc, then driven by `node --test` against the local API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from contract.routes import VERSION

if TYPE_CHECKING:
    from devtools.lab.cluster import LocalApi

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "tools" / "node" / "node_modules"  # installed by `make clients` (npm ci), never here
TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": True,
        "types": ["node"], "outDir": "out", "noEmitOnError": True,
    },
    "include": ["test/client.test.ts"],
}  # fmt: skip


def test_clients_typescript_every_operation_against_local_api(local: LocalApi, tmp_path: Path) -> None:
    assert (NODE_MODULES / ".bin" / "tsc").exists(), "run `make clients` first (installs tools/node)"
    shutil.copytree(ROOT / "clients" / "typescript", tmp_path / "client")
    (tmp_path / "test").mkdir()
    shutil.copy(Path(__file__).with_name("client.test.ts"), tmp_path / "test" / "client.test.ts")
    (tmp_path / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    (tmp_path / "package.json").write_text(json.dumps({"type": "module"}))
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    typecheck = subprocess.run(
        [str(NODE_MODULES / ".bin" / "tsc"), "-p", "tsconfig.json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert typecheck.returncode == 0, typecheck.stdout + typecheck.stderr
    env = {
        **os.environ,
        "BASE_URL": local.url,
        "TOKEN": local.token(),
        "OPERATOR_TOKEN": local.operator_token("client-operator"),
        "CONTRACT_VERSION": VERSION,
    }
    run = subprocess.run(
        ["node", "--test", "out/client.test.js"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "# fail 0" in run.stdout and "# pass 8" in run.stdout, run.stdout


def test_clients_typescript_refuses_an_unknown_body_field(tmp_path: Path) -> None:
    # GIVEN a call of the first operation with a body, holding every field it declares plus one it does not
    public = json.loads((ROOT / "api" / "openapi.json").read_text(encoding="utf-8"))
    method, path, spec = next(
        (m, p, s) for p, item in public["paths"].items() for m, s in item.items() if "requestBody" in s
    )
    ref = spec["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = public["components"]["schemas"][ref]["properties"]
    body = {name: field.get("example", 1 if field.get("type") in ("integer", "number") else "x")
            for name, field in fields.items()}  # fmt: skip
    params = {
        where: {p["name"]: "x" for p in spec.get("parameters", []) if p["in"] == where and p["required"]}
        for where in ("path", "query", "header")
    }
    call = {"params": {where: names for where, names in params.items() if names}, "body": {**body, "notAField": 1}}
    shutil.copytree(ROOT / "clients" / "typescript", tmp_path / "client")
    (tmp_path / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    (tmp_path / "call.mts").write_text(
        'import { createClient } from "./client/src/index.js";\n'
        'const api = createClient({ baseUrl: "http://127.0.0.1:8080" });\n'
        f"await api.{method.upper()}({json.dumps(path)}, {json.dumps(call)});\n",
        encoding="utf-8",
    )
    # WHEN tsc checks it (strict, as the README runs it)
    args = ["--strict", "--noEmit", "--module", "nodenext", "--target", "es2022", "--types", "node", "call.mts"]
    tsc = str(NODE_MODULES / ".bin" / "tsc")
    typecheck = subprocess.run([tsc, *args], cwd=tmp_path, capture_output=True, text=True)
    # THEN it refuses the unknown field by name, and nothing else
    errors = [line for line in typecheck.stdout.splitlines() if "error TS" in line]
    assert typecheck.returncode != 0
    line = (tmp_path / "call.mts").read_text(encoding="utf-8").splitlines()[2]
    column = line.index(json.dumps("notAField")) + 1
    at = f"call.mts(3,{column})"  # tsc points at the unknown field
    assert len(errors) == 1 and errors[0].startswith(at), typecheck.stdout
