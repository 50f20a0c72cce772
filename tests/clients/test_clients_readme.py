"""The client READMEs, run as written: in a new folder, every `sh` block in order (the code blocks of the README's
language concatenated into app.mts / app.py first), against the local API, as a newcomer would.

`KIT` is this clone; `API_URL` and `TOKEN` point the README's `${API_URL:-...}` defaults at the test's local API
(its port is ephemeral). The installs go through npm and pip as the README says (npm prefers its cache, which
`make clients` filled); so a README that cannot install, type-check or run fails here.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from devtools.lab.cluster import LocalApi

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
pytestmark = pytest.mark.slow


def blocks(readme: Path, language: str) -> list[str]:
    """The README's code blocks of `language`, in order."""
    return [body for lang, body in BLOCK.findall(readme.read_text(encoding="utf-8")) if lang == language]


def run_readme(readme: Path, language: str, app: str, local: LocalApi, folder: Path) -> str:
    (folder / app).write_text("\n".join(blocks(readme, language)), encoding="utf-8")
    env = {
        **os.environ,
        "KIT": str(ROOT),
        "API_URL": local.url,
        "TOKEN": local.token(),
        "npm_config_prefer_offline": "true",
        "npm_config_fund": "false",
        "npm_config_audit": "false",
    }
    output = []
    for script in blocks(readme, "sh"):
        run = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script], cwd=folder, env=env, capture_output=True, text=True, timeout=600
        )
        assert run.returncode == 0, f"{readme.name}: this block failed:\n{script}\n{run.stdout}\n{run.stderr}"
        output.append(run.stdout)
    return "".join(output)


def test_clients_readme_typescript_runs_as_written(local: LocalApi, tmp_path: Path) -> None:
    readme = ROOT / "clients" / "typescript" / "README.md"
    out = run_readme(readme, "ts", "app.mts", local, tmp_path)
    # The package came with its dependency, resolved from the packed tarball (not a link into the clone).
    installed = tmp_path / "node_modules" / "@multiregion-api-kit" / "client"
    assert installed.is_dir() and not installed.is_symlink()
    assert (tmp_path / "node_modules" / "openapi-fetch" / "package.json").exists()
    assert out.strip().splitlines()[-1].startswith("Ada Tea ")


def test_clients_readme_python_runs_as_written(local: LocalApi, tmp_path: Path) -> None:
    readme = ROOT / "clients" / "python" / "README.md"
    out = run_readme(readme, "python", "app.py", local, tmp_path)
    assert out.strip().splitlines()[-1].startswith("Ada Tea ")
