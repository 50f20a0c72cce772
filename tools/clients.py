"""`make clients`: the typed TypeScript and Python clients of the public document, under clients/.

    python -m tools.clients           generate and write clients/typescript and clients/python
    python -m tools.clients --check   the same into a temporary folder: fail if clients/ differs

TypeScript: openapi-typescript's types (src/schema.d.ts) + tools/clientgen/index.ts (openapi-fetch with
sign-in and retries), compiled by tsc into dist/. Python: openapi-python-client, plus
tools/clientgen/retry.py and bodies.py. Both carry the contract's VERSION and a README. Every tool is pinned
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

from tools import client_readme

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


COMMA_LINE: Final = "const COMMA_SEPARATED: ReadonlyArray<readonly [string, string, string]> = [];"
"""The line of index.ts that lists the query parameters sent comma-separated (`style: form, explode: false`)."""

BINARY_LINE: Final = {
    "index.ts": "const BINARY_BODIES: Readonly<Record<string, BinaryBody>> = {};",
    "python-templates/endpoint_module.py.jinja": "{% set BINARY_BODIES = {} %}",
}
"""The line of each template that lists the binary bodies: the clients send the declared Content-Type and Accept and
hand back bytes, so no caller needs to know API Gateway's rule on the first Accept type, and refuse a request body
over its declared `max_bytes` before sending it (a doomed upload is never retried)."""


def _comma_separated(manifest: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(operation_id, method, path, name) of each query parameter the manifest's input rules split at commas
    (`explode: false`, contract.models.base.COMMA_SEPARATED): neither generator honours `explode: false` (both
    repeat every array parameter, measured), so the clients are told which ones to join."""
    return [
        (op_id, op["method"], op["path"], name)
        for op_id, op in sorted(manifest["operations"].items())
        for name, rule in ((op["inputs"].get("query") or {}).get("properties") or {}).items()
        if rule.get("explode") is False
    ]


def _binary_bodies(manifest: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    """The media types of each binary body in the manifest (its `inputs.binary`) and a request's `max_bytes`, keyed
    by "METHOD path" for openapi-fetch (index.ts, which also gets the operation_id to name in its refusal), by
    operation_id for openapi-python-client's endpoint template."""
    bodies: dict[str, dict[str, Any]] = {}
    for operation_id, op in manifest["operations"].items():
        binary = op["inputs"].get("binary") or {}
        body: dict[str, Any] = {}
        if binary.get("request"):
            body["request"] = list(binary["request"]["media_types"])
            body["max_bytes"] = binary["request"]["max_bytes"]
            if not name.endswith(".jinja"):
                body["operation"] = operation_id
        answers = [t for _, answer in sorted(binary.get("responses", {}).items()) for t in answer["media_types"]]
        if answers:
            body["response"] = list(dict.fromkeys(answers))
        if body:
            bodies[operation_id if name.endswith(".jinja") else f"{op['method']} {op['path']}"] = body
    return bodies


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
    comma = _comma_separated(manifest)
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
        COMMA_LINE: COMMA_LINE.replace("= [];", f"= {json.dumps([[m, p, n] for _, m, p, n in comma])};"),
        **{line: line.replace("= {}", f"= {json.dumps(_binary_bodies(manifest, name), sort_keys=True)}")
           for name, line in BINARY_LINE.items()},
    }  # fmt: skip


REQUIRED: Final = {
    "retry.py": (
        "RETRIED: frozenset[int] = frozenset()",
        "BASE_SECONDS = 0.0",
        "CAP_SECONDS = 0.0",
        "BUDGET_SECONDS = 0.0",
        ": these are placeholders.",
        "IDEMPOTENT_CREATES: tuple[tuple[str, str], ...] = ()",
    ),
    "index.ts": (
        "const IDEMPOTENT_CREATES: ReadonlyArray<readonly [string, string]> = [];",
        COMMA_LINE,
        BINARY_LINE["index.ts"],
    ),
    "python-templates/endpoint_module.py.jinja": (BINARY_LINE["python-templates/endpoint_module.py.jinja"],),
}
"""The code placeholders each template must hold: one that went missing would leave a client with the template's
empty policy."""


def _render(name: str, manifest: dict[str, Any], package_dir: Path | None = None) -> str:
    """The template `name` of tools/clientgen with its placeholders filled (a line holding the policy's summary
    is wrapped at 110 columns); a README's also name the API's own package and calls (tools/client_readme.py),
    those of the Python README the modules generated in `package_dir`."""
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    missing = [placeholder for placeholder in REQUIRED.get(name, ()) if placeholder not in text]
    if missing:
        raise SystemExit(f"tools/clientgen/{name}: no placeholder {missing[0]!r} to render")
    placeholders = _placeholders(manifest)
    if name.startswith("README."):
        placeholders |= client_readme.placeholders(manifest, OUT, ROOT, PY_PACKAGE, TS_PACKAGE, package_dir)
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


def _join_comma_separated(package: Path, manifest: dict[str, Any]) -> list[Path]:
    """openapi-python-client sends a list query parameter repeated whatever its `explode`: each one declared
    comma-separated gets its items joined into one value in its operation's module (booleans as JSON spells
    them). The generated line is checked, so a generator that changes it fails the build, not the request."""
    edited = []
    for op_id, _, _, name in _comma_separated(manifest):
        [module] = package.glob(f"api/*/{op_id}.py")
        text = module.read_text(encoding="utf-8")
        line = re.compile(rf'^( *)params\["{re.escape(name)}"\] = (\w+)$', re.MULTILINE)
        found = list(line.finditer(text))
        if len(found) != 1:
            raise SystemExit(f"{module.name}: no `params[{name!r}] = ...` line to join (openapi-python-client changed)")
        match, value = found[0], found[0].group(2)
        text_of = "str(item).lower() if isinstance(item, bool) else str(item)"
        joined = (
            f'{match.group(1)}params["{name}"] = (",".join({text_of} for item in {value}) or None) '
            f"if isinstance({value}, list) else {value}  # style: form, explode: false; [] is omitted, as repeated"
        )
        module.write_text(text[: match.start()] + joined + text[match.end() :], encoding="utf-8")
        edited.append(module)
    return edited


def typescript(out: Path, manifest: dict[str, Any]) -> None:
    """clients/typescript: package.json, README, src/ (schema.d.ts generated, index.ts) and dist/."""
    if not (NODE_MODULES / ".bin" / "openapi-typescript").exists():
        raise SystemExit("openapi-typescript is not installed: run `make clients` (npm ci in tools/node)")
    src = out / "src"
    src.mkdir(parents=True)
    bin_ = NODE_MODULES / ".bin"
    # openapi-typescript's CLI through its Node API (tools/node/openapi-types.mjs): a default does not make a request
    # field required (--default-non-nullable false), and a binary body is a Blob.
    _run(["node", str(NODE_MODULES.parent / "openapi-types.mjs"), str(DOCUMENT), str(src / "schema.d.ts")], ROOT)
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
    """clients/python: openapi-python-client's package, the retry transport, the binary bodies' size check
    (bodies.py) and our README."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    with tempfile.TemporaryDirectory() as work:
        config = Path(work) / "config.yaml"
        text = (TEMPLATES / "python-config.yaml").read_text(encoding="utf-8")
        text = text.replace("multiregion_api_client", PY_PACKAGE).replace(
            "multiregion-api-client", PY_PACKAGE.replace("_", "-")
        )
        # openapi-python-client reads raw bytes (`File`) only as application/octet-stream: every binary media type of
        # the contract (contract/binary.py) is read as that; the client sends the declared Content-Type itself.
        overrides = "".join(f"  {t}: application/octet-stream\n" for t in manifest.get("binary_media_types", ()))
        text += f"content_type_overrides:\n{overrides}" if overrides else ""
        config.write_text(text + f"package_version_override: {manifest['api_version']}\n", encoding="utf-8")
        # Its endpoint template with the contract's binary bodies (tools/clientgen/python-templates); the package's
        # own templates for the rest.
        templates = Path(work) / "templates"
        templates.mkdir()
        endpoint = "python-templates/endpoint_module.py.jinja"
        (templates / Path(endpoint).name).write_text(_render(endpoint, manifest), encoding="utf-8")
        # Generated outside the repository, so ruff formats it with its defaults, not our settings.
        target = Path(work) / "python"
        generator = Path(sys.executable).parent / "openapi-python-client"
        _run([str(generator), "generate", "--path", str(DOCUMENT), "--config", str(config), "--meta", "pdm",
              "--custom-template-path", str(templates), "--output-path", str(target)], Path(work), env)  # fmt: skip
        edited = _join_comma_separated(target / PY_PACKAGE, manifest)
        if edited:  # formatted as the generator's post-hooks format the rest
            _run([str(Path(sys.executable).parent / "ruff"), "format", "--quiet", *map(str, edited)], target, env)
        (target / PY_PACKAGE / "retry.py").write_text(_render("retry.py", manifest), encoding="utf-8")
        shutil.copy(TEMPLATES / "bodies.py", target / PY_PACKAGE / "bodies.py")
        (target / "README.md").write_text(_render("README.python.md", manifest, target / PY_PACKAGE), encoding="utf-8")
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
