"""`make clients`: the typed TypeScript and Python clients of the public document, under clients/.

    python -m tools.clients           generate and write clients/typescript and clients/python
    python -m tools.clients --check   the same into a temporary folder: fail if clients/ differs

TypeScript: openapi-typescript's types (src/schema.d.ts) + tools/clientgen/index.ts (openapi-fetch with
sign-in and retries), compiled by tsc into dist/. Python: openapi-python-client, plus
tools/clientgen/retry.py. Both carry the contract's VERSION and a README. Every tool is pinned
(tools/node/package-lock.json, constraints.txt), so the same contract always gives the same bytes.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "api" / "openapi.json"
MANIFEST = ROOT / "api" / "routes.json"
OUT = ROOT / "clients"
TEMPLATES: Final = ROOT / "tools" / "clientgen"
NODE_MODULES: Final = ROOT / "tools" / "node" / "node_modules"
TS_PACKAGE = "@multiregion-api-kit/client"
PY_PACKAGE = "multiregion_api_client"


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, env=env)
    # openapi-python-client leaves out what it cannot parse with only a warning: a client missing a response
    # type would be a silent change of the contract, so a warning fails the build as an error does.
    if result.returncode != 0 or "Warning(s) encountered" in result.stdout + result.stderr:
        raise SystemExit(f"{' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}")


def _manifest() -> dict[str, Any]:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _placeholders(manifest: dict[str, Any]) -> dict[str, str]:
    """What each placeholder of the templates stands for: the contract's version, its retry policy (the manifest's
    `retry_policy`, contract/retry.py) and the creates taking an Idempotency-Key (the clients add one, a UUID, when
    the caller sends none), so the clients restate nothing. `__TOKENS__` sit in text; the other placeholders are
    code, so a template stays valid Python (retry.py), and must be in the templates REQUIRED names them for."""
    policy = manifest["retry_policy"]
    statuses = [str(status) for status in policy["statuses"]]
    creates = [
        (op["method"], op["path"]) for op in manifest["operations"].values() if op["retry"] == "with-idempotency-key"
    ]
    return {
        "__VERSION__": manifest["api_version"],
        "__RETRY_STATUSES__": ", ".join(statuses),
        "__RETRY_BASE_MS__": str(policy["base_ms"]),
        "__RETRY_CAP_MS__": str(policy["cap_ms"]),
        "__RETRY_CAP_S__": str(policy["cap_ms"] // 1000),
        "__RETRY_BUDGET_MS__": f"{policy['budget_s'] * 1000:_}",
        "__RETRY_BUDGET_S__": str(policy["budget_s"]),
        "__RETRY_SUMMARY__": f"{', '.join(statuses)} and lost connections are retried with exponential backoff and "
        f"full jitter ({policy['base_ms']} ms base, doubling, at most {policy['cap_ms'] // 1000} s, at least "
        f"`Retry-After`) for up to {policy['budget_s']} s",
        "RETRIED: frozenset[int] = frozenset()": f"RETRIED = frozenset({{{', '.join(statuses)}}})",
        "BASE_SECONDS = 0.0": f"BASE_SECONDS = {policy['base_ms'] / 1000}",
        "CAP_SECONDS = 0.0": f"CAP_SECONDS = {policy['cap_ms'] / 1000}",
        "BUDGET_SECONDS = 0.0": f"BUDGET_SECONDS = {float(policy['budget_s'])}",
        ": these are placeholders.": ".",
        "IDEMPOTENT_CREATES: tuple[tuple[str, str], ...] = ()": f"IDEMPOTENT_CREATES: tuple[tuple[str, str], ...] = "
        f"{tuple(creates)!r}",
        "const IDEMPOTENT_CREATES: ReadonlyArray<readonly [string, string]> = [];": "const IDEMPOTENT_CREATES: "
        f"ReadonlyArray<readonly [string, string]> = {json.dumps([list(create) for create in creates])};",
    }


REQUIRED: Final = {
    "retry.py": (
        "RETRIED: frozenset[int] = frozenset()",
        "BASE_SECONDS = 0.0",
        "CAP_SECONDS = 0.0",
        "BUDGET_SECONDS = 0.0",
        ": these are placeholders.",
        "IDEMPOTENT_CREATES: tuple[tuple[str, str], ...] = ()",
    ),
    "index.ts": ("const IDEMPOTENT_CREATES: ReadonlyArray<readonly [string, string]> = [];",),
}
"""The code placeholders each template must hold: one that went missing would leave a client with the template's
empty policy."""


def _render(name: str, manifest: dict[str, Any]) -> str:
    """The template `name` of tools/clientgen with its placeholders filled (a line holding the policy's summary
    is wrapped at 110 columns)."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    missing = [placeholder for placeholder in REQUIRED.get(name, ()) if placeholder not in text]
    if missing:
        raise SystemExit(f"tools/clientgen/{name}: no placeholder {missing[0]!r} to render")
    placeholders = _placeholders(manifest)
    lines = []
    for line in text.splitlines(keepends=True):
        wrap = "__RETRY_SUMMARY__" in line
        for placeholder, value in placeholders.items():
            line = line.replace(placeholder, value)
        if wrap:  # a number stays with its unit ("60 s"): textwrap splits at ASCII whitespace only
            line = textwrap.fill(re.sub(r"(\d) (m?s\b)", "\\1\u00a0\\2", line.rstrip("\n")), width=110)
            line = line.replace("\u00a0", " ") + "\n"
        lines.append(line)
    return "".join(lines)


def typescript(out: Path, manifest: dict[str, Any]) -> None:
    """clients/typescript: package.json, README, src/ (schema.d.ts generated, index.ts) and dist/."""
    if not (NODE_MODULES / ".bin" / "openapi-typescript").exists():
        raise SystemExit("openapi-typescript is not installed: run `make clients` (npm ci in tools/node)")
    src = out / "src"
    src.mkdir(parents=True)
    bin_ = NODE_MODULES / ".bin"
    # A default does not make a request field required (openapi-typescript marks it so unless told).
    args = [str(DOCUMENT), "--default-non-nullable", "false", "--output", str(src / "schema.d.ts")]
    _run([str(bin_ / "openapi-typescript"), *args], ROOT)
    (src / "index.ts").write_text(_render("index.ts", manifest), encoding="utf-8")
    fetch_version = json.loads((NODE_MODULES / "openapi-fetch" / "package.json").read_text())["version"]
    package = {
        "name": TS_PACKAGE,
        "version": manifest["api_version"],
        "description": f"Typed client of the {manifest['title']} (generated by `make clients`; do not edit).",
        "license": "Apache-2.0",
        "type": "module",
        "main": "dist/index.js",
        "types": "dist/index.d.ts",
        "exports": {".": {"types": "./dist/index.d.ts", "default": "./dist/index.js"}},
        "files": ["dist", "src", "README.md"],
        "engines": {"node": ">=22"},
        "dependencies": {"openapi-fetch": fetch_version},
    }
    (out / "package.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    shutil.copy(TEMPLATES / "tsconfig.json", out / "tsconfig.json")
    (out / "README.md").write_text(_render("README.typescript.md", manifest), encoding="utf-8")
    # tsc resolves openapi-fetch and @types/node through a node_modules link, removed afterwards.
    (out / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    try:
        _run([str(bin_ / "tsc"), "-p", str(out / "tsconfig.json")], out)
    finally:
        (out / "node_modules").unlink()
    shutil.copy(src / "schema.d.ts", out / "dist" / "schema.d.ts")


def python(out: Path, manifest: dict[str, Any]) -> None:
    """clients/python: openapi-python-client's package, the retry transport and our README."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as work:
        config = Path(work) / "config.yaml"
        text = (TEMPLATES / "python-config.yaml").read_text(encoding="utf-8")
        text = text.replace("multiregion_api_client", PY_PACKAGE).replace(
            "multiregion-api-client", PY_PACKAGE.replace("_", "-")
        )
        config.write_text(text + f"package_version_override: {manifest['api_version']}\n", encoding="utf-8")
        # Generated outside the repository, so ruff formats it with its defaults, not our settings.
        target = Path(work) / "python"
        generator = Path(sys.executable).parent / "openapi-python-client"
        _run([str(generator), "generate", "--path", str(DOCUMENT), "--config", str(config),
              "--meta", "pdm", "--output-path", str(target)], Path(work), env)  # fmt: skip
        (target / PY_PACKAGE / "retry.py").write_text(_render("retry.py", manifest), encoding="utf-8")
        (target / "README.md").write_text(_render("README.python.md", manifest), encoding="utf-8")
        (target / ".gitignore").unlink(missing_ok=True)
        shutil.rmtree(target / ".ruff_cache", ignore_errors=True)
        shutil.copytree(target, out)


def generate(out: Path) -> None:
    """Both clients of the selected API, from its manifest read once."""
    manifest = _manifest()
    typescript(out / "typescript", manifest)
    python(out / "python", manifest)


def differences(left: Path, right: Path) -> list[str]:
    """Relative paths that differ between two trees (missing on either side or other bytes)."""

    def files(root: Path) -> set[str]:
        return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()

    a, b = files(left), files(right)
    changed = {p for p in a & b if not filecmp.cmp(left / p, right / p, shallow=False)}
    return sorted((a ^ b) | changed)


def _select(api_root: Path) -> None:
    """Read and write another API's files (make clients API=examples/orders): its document, manifest, clients/,
    and name its packages after its folder (orders_api_client), so both APIs' clients can be installed together."""
    global DOCUMENT, MANIFEST, OUT, PY_PACKAGE, TS_PACKAGE
    DOCUMENT, MANIFEST, OUT = api_root / "api" / "openapi.json", api_root / "api" / "routes.json", api_root / "clients"
    PY_PACKAGE, TS_PACKAGE = f"{api_root.name}_api_client", f"@multiregion-api-kit/{api_root.name}-client"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.clients", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; fail if clients/ is stale")
    parser.add_argument("--api-root", type=Path, help="another API's folder: its api/ in, its clients/ out")
    args = parser.parse_args(argv)
    if args.api_root:
        _select(ROOT / args.api_root)
    with tempfile.TemporaryDirectory() as work:
        fresh = Path(work) / "clients"
        generate(fresh)
        stale = differences(fresh, OUT)
        if args.check:
            if stale:
                print(f"stale clients (run `make clients` and commit): {', '.join(stale[:10])}", file=sys.stderr)
                return 1
            print("clients: up to date")
            return 0
        if stale:
            shutil.rmtree(OUT, ignore_errors=True)
            shutil.copytree(fresh, OUT)
        for name in ("typescript", "python"):
            size = sum(p.stat().st_size for p in (OUT / name).rglob("*") if p.is_file())
            count = sum(1 for p in (OUT / name).rglob("*") if p.is_file())
            where = (OUT / name).relative_to(ROOT)
            print(f"{'wrote    ' if stale else 'unchanged'} {where}: {count} files, {size / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
