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
