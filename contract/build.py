"""`make swagger` / `make contract-check`: turn the contract into its committed artefacts.

    python -m contract.build           generate, lint, validate, report breaking changes, write
    python -m contract.build --check   the same without writing: fail if a file is stale or a
                                       breaking change is not acknowledged by a major version bump

Nothing is written unless every artefact was generated, linted and validated: a bad contract
leaves the previous files intact.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from contract import docs_page, handler_types, manifest
from contract.apigateway import ApiGatewayPlugin
from contract.breaking import acknowledged, breaking_changes
from contract.compiled import compile_api
from contract.errors import ContractError, one_line
from contract.lint import lint
from contract.openapi import PublicPlugin, render

if TYPE_CHECKING:
    from contract.compiled import ApiDeclaration

ROOT = Path(__file__).resolve().parent.parent
DEPLOYABLE = Path("api/openapi.aws.json")
PUBLIC = Path("api/openapi.json")
DOCS = Path("api/index.html")
DOCS_REDIRECT = Path("api/oauth2-redirect.html")
MANIFEST = Path("api/routes.json")
HANDLER_TYPES = Path("lambdas/contract_types.py")
API = "contract.routes"
"""The module that declares the API (`--api`): ROUTES, TITLE, VERSION, ... (contract/compiled.py ApiDeclaration)."""


def dumps(document: dict[str, Any]) -> str:
    """Stable JSON: sorted keys, so every contract change is a reviewable diff."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_api(module: str = API) -> ApiDeclaration:
    """The API declared by `module` (a dotted module name); ContractError if it cannot be imported."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ContractError(f"cannot import the API module {module!r}: {error}") from error


def shown(path: Path) -> Path:
    """`path` as the person running `make` names it: relative to the working directory when under it."""
    path = path.absolute()  # not resolved: a symbolic link stays as the person sees it
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def _operation_decorator(handler: Path) -> ast.Call | None:
    """The `@operation(...)` call that decorates the module's `handler` function, if it has one."""
    try:
        tree = ast.parse(handler.read_text(encoding="utf-8"), str(handler))
    except SyntaxError as error:
        raise ContractError(f"{shown(handler)}:{error.lineno}: {error.msg}") from None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "handler":
            for decorator in node.decorator_list:
                called = decorator.func if isinstance(decorator, ast.Call) else None
                if getattr(called, "id", None) == "operation" or getattr(called, "attr", None) == "operation":
                    return cast("ast.Call", decorator)
    return None


def check_handlers(api: ApiDeclaration) -> None:
    """Every operation has its handler module (what no declaration can check by itself): lambdas/handlers/ beside
    the API's contract/ package (the kit's own, or examples/orders/'s), whose `@operation` names the operation and,
    in another API, passes that API's contract_types (the kit's lambdas.contract_types knows none of its operations;
    read statically: the module cannot be imported before its contract_types is written). An API declared outside
    a module file (tests) has no such place and is not checked."""
    declared = getattr(api, "__file__", None)
    if declared is None:
        return
    root = Path(declared).resolve().parents[1]
    another = bool(getattr(api, "__name__", "").rpartition(".")[0].rpartition(".")[0])  # examples.orders.contract...
    for op in api.ROUTES:
        handler = root / "lambdas" / "handlers" / f"{op.operation_id}.py"
        where = f"{op.method} {op.path} ({op.operation_id})"
        if not handler.exists():
            raise ContractError(
                f"{where}: no handler: create {shown(handler)} with "
                "`handler(event, context)` (CONTRIBUTING.md, Add an endpoint)"
            )
        call = _operation_decorator(handler)
        if call is None:
            continue
        named = call.args[0].value if call.args and isinstance(call.args[0], ast.Constant) else op.operation_id
        if named != op.operation_id or (another and len(call.args) + len(call.keywords) < 2):
            fix = f"@operation({op.operation_id!r}{', contract_types' if another else ''})"
            after = " after `from .. import contract_types` (its own contract, docs/shapes.md)" if another else ""
            raise ContractError(f"{where}: {shown(handler)}:{call.lineno}: @{ast.unparse(call)}: write {fix}{after}")


def generate(api: ApiDeclaration | None = None) -> dict[Path, str]:
    """Every artefact's path and content: renderings of the API compiled once; raises ContractError if the
    contract cannot be deployed or an operation has no handler."""
    api = api if api is not None else load_api()
    check_handlers(api)
    compiled = compile_api(api)
    deployable = render(compiled, ApiGatewayPlugin(compiled))
    public = render(compiled, PublicPlugin(compiled))
    text = dumps(deployable)
    findings = lint(deployable, text)
    if findings:
        raise ContractError(
            "the deployable document breaks API Gateway import rules:\n  " + "\n  ".join(map(str, findings))
        )
    for name, document in (("deployable", deployable), ("public", public)):
        try:
            validate(document)
        except OpenAPIValidationError as error:
            message = str(error.message).strip().splitlines()[0]
            raise ContractError(f"the {name} document is not valid OpenAPI: {message}") from error
    return {
        DEPLOYABLE: text,
        PUBLIC: dumps(public),
        DOCS: docs_page.render(public),
        DOCS_REDIRECT: docs_page.render_redirect(),
        MANIFEST: dumps(manifest.render(compiled)),
        HANDLER_TYPES: handler_types.render(compiled),
    }


def write_atomically(root: Path, files: dict[Path, str]) -> list[Path]:
    """Write the files that changed, each through a temporary file and a rename; return them."""
    changed = [path for path, text in files.items() if _read(root / path) != text]
    for path in changed:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, delete=False) as handle:
            handle.write(files[path])
        Path(handle.name).chmod(0o644)
        Path(handle.name).replace(target)
    return changed


def baseline(root: Path, *, committed: bool = False) -> tuple[str, dict[str, Any]] | None:
    """The public document to compare against (it keeps the exact shape: nullable, enums, formats, unions):
    CONTRACT_BASE, else the last committed revision if the working copy differs from it (always, with `committed`:
    what `make swagger` compares with, so a change is reported until it is committed), else the revision before the
    last change."""

    def show(rev: str) -> dict[str, Any] | None:
        result = subprocess.run(
            ["git", "show", f"{rev}:./{PUBLIC}"], cwd=root, capture_output=True, text=True, check=False
        )
        return json.loads(result.stdout) if result.returncode == 0 else None

    if rev := os.environ.get("CONTRACT_BASE"):
        document = show(rev)
        return (rev, document) if document is not None else None
    head = show("HEAD")
    if committed:
        return ("HEAD", head) if head is not None else None
    if head is not None and head != json.loads(_read(root / PUBLIC) or "null"):
        return "HEAD", head
    log = subprocess.run(
        ["git", "log", "-n", "1", "--format=%H", "--", str(PUBLIC)],
        cwd=root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    last = log.stdout.strip()
    if not last:
        return None
    document = show(f"{last}^")
    return (f"{last[:12]}^", document) if document is not None else None


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def report(old: dict[str, Any], new: dict[str, Any], against: str, declared: str = "contract/routes.py") -> bool:
    """Print the breaking changes from `old` to `new`; True if there are some not acknowledged (`declared`: the file
    whose VERSION acknowledges them)."""
    changes = breaking_changes(old, new)
    if not changes:
        print(f"breaking changes against {against}: none")
        return False
    ok = acknowledged(old, new)
    print(f"breaking changes against {against} ({'acknowledged by the major version' if ok else 'NOT acknowledged'}):")
    for change in changes:
        print(f"  - {change}")
    if not ok:
        print(f"  bump the major version of VERSION in {declared} to acknowledge them")
    return not ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contract.build", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; fail on stale files or unacknowledged breaks"
    )
    parser.add_argument("--api", default=API, help=f"the module that declares the API (default {API})")
    parser.add_argument(
        "--out", default=".", help="the folder the artefacts go under (api/, lambdas/contract_types.py; default .)"
    )
    args = parser.parse_args(argv)
    root = ROOT / args.out
    try:
        files = generate(load_api(args.api))
    except Exception as error:  # every mistake in the contract is one line: contract/errors.py
        print(one_line(error, args.api), file=sys.stderr)
        return 1
    new = json.loads(files[PUBLIC])
    # Paths as the person running `make` (in the kit's root) names them: examples/orders/api/... with API=
    out = Path(args.out)
    declared = args.api.replace(".", "/") + ".py"
    if args.check:
        stale = [str(out / path) for path, text in files.items() if _read(root / path) != text]
        if stale:
            print(f"stale generated files (run `make swagger` and commit): {', '.join(stale)}", file=sys.stderr)
        base = baseline(root)
        unacknowledged = report(base[1], new, base[0], declared) if base else False
        return 1 if stale or unacknowledged else 0
    base = baseline(root, committed=True)
    if base is not None:
        report(base[1], new, f"{base[0]}:{out / PUBLIC}", declared)
    changed = write_atomically(root, files)
    for path in files:
        print(f"{'wrote    ' if path in changed else 'unchanged'} {out / path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
