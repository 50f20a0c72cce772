"""Every operation of the orders API through its generated TypeScript client: tsc, then `node --test`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from devtools.lab.cluster import LocalApi

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[3]
NODE_MODULES = ROOT / "tools" / "node" / "node_modules"  # installed by `make clients` (npm ci), never here
TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": True,
        "types": ["node"], "outDir": "out", "noEmitOnError": True,
    },
    "include": ["test/orders.test.ts"],
}  # fmt: skip


def test_orders_every_operation_through_the_typescript_client(local: LocalApi, tmp_path: Path) -> None:
    assert (NODE_MODULES / ".bin" / "tsc").exists(), "run `make clients` first (installs tools/node)"
    shutil.copytree(ROOT / "examples" / "orders" / "clients" / "typescript", tmp_path / "client")
    (tmp_path / "test").mkdir()
    shutil.copy(Path(__file__).with_name("orders.test.ts"), tmp_path / "test" / "orders.test.ts")
    (tmp_path / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    (tmp_path / "package.json").write_text(json.dumps({"type": "module"}))
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    tsc = [str(NODE_MODULES / ".bin" / "tsc"), "-p", "tsconfig.json"]
    typecheck = subprocess.run(tsc, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert typecheck.returncode == 0, typecheck.stdout + typecheck.stderr
    env = {**os.environ, "BASE_URL": local.url, "TOKEN": local.token(["orders/orders.read", "orders/orders.write"])}
    run = subprocess.run(
        ["node", "--test", "out/orders.test.js"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "# fail 0" in run.stdout and "# pass 4" in run.stdout, run.stdout
