"""The client READMEs, run as written: in a new folder, every `sh` block in order (the code blocks of the README's
language concatenated into app.mts / app.py first), against the local API, as a newcomer would. For the kit's API
and for examples/orders, so a README's package names and calls (tools/client_readme.py) hold for another API too.

`KIT` is this clone; `API_URL` and `TOKEN` point the README's `${API_URL:-...}` defaults at the test's local API
(its port is ephemeral). The installs go through npm and pip as the README says (npm prefers its cache, which
`make clients` filled); so a README that cannot install, type-check or run fails here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from devtools.lab.cluster import LocalApi, Options
from tools import client_readme

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
pytestmark = pytest.mark.slow
APIS = {"kit": ROOT, "orders": ROOT / "examples" / "orders"}


@pytest.fixture(scope="module", params=sorted(APIS))
def api_root(request: pytest.FixtureRequest) -> Path:
    return APIS[request.param]


@pytest.fixture(scope="module")
def local(api_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    """The API as `make serve [API=...]` serves it."""
    options = Options(regions=["us-east-1"], port=0, state_dir=tmp_path_factory.mktemp("state"))
    if api_root != ROOT:
        options.api_dir = api_root / "api"
        options.handler_prefix = f"{api_root.relative_to(ROOT).as_posix().replace('/', '.')}.lambdas.handlers"
    with LocalApi(options) as api:
        yield api


def expected(api_root: Path) -> str:
    """What the README's calls print last: each call's operation and 200."""
    manifest = json.loads((api_root / "api" / "routes.json").read_text(encoding="utf-8"))
    assert client_readme.examples(manifest), "no call the README can make as written"
    return client_readme.expected_output(manifest)


def blocks(readme: Path, language: str) -> list[str]:
    """The README's code blocks of `language`, in order."""
    return [body for lang, body in BLOCK.findall(readme.read_text(encoding="utf-8")) if lang == language]


def run_readme(readme: Path, language: str, app: str, local: LocalApi, folder: Path) -> str:
    (folder / app).write_text("\n".join(blocks(readme, language)), encoding="utf-8")
    manifest = json.loads((readme.parents[2] / "api" / "routes.json").read_text(encoding="utf-8"))
    env = {
        **os.environ,
        "KIT": str(ROOT),
        "API_URL": local.url,
        "TOKEN": local.token(client_readme.token_scopes(manifest)),  # what the README's `make token SCOPES=...` gives
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


def test_clients_readme_typescript_runs_as_written(api_root: Path, local: LocalApi, tmp_path: Path) -> None:
    folder = api_root / "clients" / "typescript"
    out = run_readme(folder / "README.md", "ts", "app.mts", local, tmp_path)
    # The package came with its dependency, resolved from the packed tarball (not a link into the clone).
    package = json.loads((folder / "package.json").read_text(encoding="utf-8"))["name"]
    installed = tmp_path / "node_modules" / package
    assert installed.is_dir() and not installed.is_symlink()
    assert (tmp_path / "node_modules" / "openapi-fetch" / "package.json").exists()
    assert out.strip().splitlines()[-1] == expected(api_root)


def test_clients_readme_python_runs_as_written(api_root: Path, local: LocalApi, tmp_path: Path) -> None:
    out = run_readme(api_root / "clients" / "python" / "README.md", "python", "app.py", local, tmp_path)
    assert out.strip().splitlines()[-1] == expected(api_root)
