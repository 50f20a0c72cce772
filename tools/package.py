"""Build one deterministic Lambda zip per operation (build/lambdas/<operation_id>.zip) and per user-pool trigger
(build/lambdas/triggers.<name>.zip).

Each zip holds only the modules of lambdas/ that its handler imports at run time, found by walking
the imports (ast) from the handler module; the standard library comes with the Lambda runtime (nothing
else is imported: tests/lambdas/test_imports.py). Its lambdas/contract_types.py is the manifest's
`contract_types` of the operation, copied: only that operation's rules (INPUTS, SCOPES, SCOPE_GROUPS),
rendered by `make swagger` (contract/compiled.py); the source module's TypedDicts serve type checking only,
and the other operations' rules would be compiled on every cold start for nothing.
The same sources always give the same bytes: sorted entries, fixed timestamps (1980-01-01), fixed
permissions (0644), fixed compression.

    python tools/package.py [--out build/lambdas] [--max-bytes 28672]
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import zipfile
from pathlib import Path
from typing import Any, Final

ROOT: Final = Path(__file__).resolve().parents[1]
PACKAGE: Final = "lambdas"
ROUTES: Final = ROOT / "api" / "routes.json"
MAX_BYTES: Final = 28 * 1024
"""The handler zips' budget: 20 KB until the handlers checked every pydantic shape (unions, null, formats), the AWS
client reached botocore's retry and configuration parity (lambdas/README.md) and accounts got their own home
region, now 28 (cold start measured by `make bench`, not by this number)."""
_EPOCH: Final = (1980, 1, 1, 0, 0, 0)
_MODE: Final = 0o100644 << 16  # regular file, rw-r--r--
CONTRACT_MODULE: Final = "lambdas/contract_types.py"
CONTRACT_NAMES: Final = frozenset({"API_VERSION", "INPUTS", "SCOPES", "SCOPE_GROUPS"})
"""What a zip's contract_types defines: code that runs in Lambda may import only these from it."""


def _module_path(module: str, root: Path = ROOT) -> Path | None:
    """The source file of `module` if it is part of lambdas/ (a module or a package), else None."""
    if module != PACKAGE and not module.startswith(PACKAGE + "."):
        return None
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(module: str, path: Path) -> set[str]:
    """Modules `module` (at `path`) imports at run time; `if TYPE_CHECKING:` blocks are skipped."""
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node.test)
        for stmt in node.body
        for child in ast.walk(stmt)
    }
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join([*parts, node.module] if node.module else parts)
            else:
                base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)  # `from pkg import submodule`
    return found


def closure(handler_module: str, root: Path = ROOT, api_root: Path | None = None) -> dict[str, Path]:
    """Archive name -> source of every lambdas/ module `handler_module` needs, with parent packages.

    `api_root`: another API's folder (examples/orders) whose lambdas/ (handlers, services, contract_types)
    is looked in first; the kit's lambdas/ (the runtime) fills the rest, under the same archive names.
    """
    files: dict[str, Path] = {}
    pending = [handler_module]
    seen: set[str] = set()
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        found = [(base, _module_path(module, base)) for base in (api_root, root) if base is not None]
        base, path = next(((base, path) for base, path in found if path is not None), (root, None))
        if path is None:
            continue
        files[path.relative_to(base).as_posix()] = path
        parts = module.split(".")
        pending.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages run first
        pending.extend(_imported(module, path))
    return files


class _Compactor(ast.NodeTransformer):
    """Drops what only readers and type checkers use: annotations of functions and of assignments outside
    class bodies (a class's annotations stay: dataclass and NamedTuple fields are made from them), the
    bodies of `if TYPE_CHECKING:` (never run) and string statements (the docstrings of constants, no-ops)."""

    def __init__(self) -> None:
        self.in_class = False

    def visit_Expr(self, node: ast.Expr) -> ast.AST | None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return None
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        outer, self.in_class = self.in_class, True
        self.generic_visit(node)
        self.in_class = outer
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        outer, self.in_class = self.in_class, False
        node.returns = None
        arguments = node.args
        for argument in (
            *arguments.posonlyargs,
            *arguments.args,
            *arguments.kwonlyargs,
            arguments.vararg,
            arguments.kwarg,
        ):
            if argument is not None:
                argument.annotation = None
        self.generic_visit(node)
        self.in_class = outer
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST | None:
        if self.in_class:
            return node
        if node.value is None:
            return None
        return ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)

    def visit_If(self, node: ast.If) -> ast.AST:
        if _is_type_checking(node.test) and not node.orelse:
            node.body = [ast.Pass()]
            return node
        self.generic_visit(node)
        return node


def _without_docstrings(source: str) -> str:
    """The module without docstrings, comments, annotations or TYPE_CHECKING imports (ast round trip,
    `_Compactor`): Lambda compiles what it reads on every cold start (no .pyc in the zip), and the zip
    stays under its 28 KB budget."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    tree = _Compactor().visit(tree)
    for node in ast.walk(tree):
        if getattr(node, "body", None) == []:
            node.body = [ast.Pass()]  # type: ignore[attr-defined]  # a body that held only strings
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def write_zip(target: Path, sources: dict[str, str]) -> int:
    """Write `sources` (archive name -> module source) into `target` deterministically; returns the size in bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(sources):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = _MODE
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _without_docstrings(sources[name]).encode(), compresslevel=9)
    return target.stat().st_size


def _entry(operation: dict[str, Any], operation_id: str, key: str, routes: Path, kind: str = "operation") -> str:
    """The manifest's `key` of the operation or trigger (handler, package, contract_types): the manifest alone
    says them."""
    value = operation.get(key)
    if not isinstance(value, str) or not value:
        raise SystemExit(f"{routes}: {kind} {operation_id} has no {key!r}: run `make swagger`")
    return value


def _module_name(archive_name: str) -> str:
    return archive_name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def _check_contract_imports(files: dict[str, Path]) -> None:
    """Fail if run-time code imports from lambdas.contract_types a name the zip's module does not define."""
    prefix = CONTRACT_MODULE.removesuffix(".py").replace("/", ".") + "."
    for name, path in sorted(files.items()):
        missing = sorted(
            found.removeprefix(prefix)
            for found in _imported(_module_name(name), path)
            if found.startswith(prefix) and found.removeprefix(prefix) not in CONTRACT_NAMES
        )
        if missing:
            raise SystemExit(
                f"{path}: imports {', '.join(missing)} from lambdas.contract_types at run time, but a zip's "
                f"contract_types defines only {', '.join(sorted(CONTRACT_NAMES))}: import types under TYPE_CHECKING"
            )


def package(out: Path, routes: Path = ROUTES, root: Path = ROOT, api_root: Path | None = None) -> dict[str, int]:
    """Build every operation's and every user-pool trigger's zip into `out`; returns zip name -> size."""
    manifest = json.loads(routes.read_text())
    sizes: dict[str, int] = {}
    for kind, entries in (("operation", manifest["operations"]), ("trigger", manifest["triggers"])):
        for operation_id, operation in sorted(entries.items()):
            handler_module = _entry(operation, operation_id, "handler", routes, kind).rsplit(".", 1)[0]
            files = closure(handler_module, root, api_root)
            if handler_module.replace(".", "/") + ".py" not in files:
                raise SystemExit(f"{operation_id}: handler module {handler_module} not found under {root}")
            _check_contract_imports(files)
            sources = {name: path.read_text() for name, path in files.items()}
            if CONTRACT_MODULE in sources:
                sources[CONTRACT_MODULE] = _entry(operation, operation_id, "contract_types", routes, kind)
            name = _entry(operation, operation_id, "package", routes, kind)
            sizes[name] = write_zip(out / name, sources)
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "lambdas")
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES)
    parser.add_argument("--api-root", type=Path, help="another API's folder (its api/routes.json and lambdas/)")
    args = parser.parse_args(argv)
    api_root = args.api_root.resolve() if args.api_root else None
    routes = api_root / "api" / "routes.json" if api_root else ROUTES
    sizes = package(args.out, routes, ROOT, api_root)
    too_big = {name: size for name, size in sizes.items() if size > args.max_bytes}
    for name, size in sizes.items():
        print(f"{args.out / name}  {size:6d} bytes{'  TOO BIG' if name in too_big else ''}")
    if too_big:
        print(f"zips over {args.max_bytes} bytes: {sorted(too_big)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
