"""Build one deterministic Lambda zip per operation: build/lambdas/<operation_id>.zip.

Each zip holds only the modules of lambdas/ that its handler imports at run time, found by walking
the imports (ast) from the handler module; the standard library and botocore come with the Lambda
runtime. The same sources always give the same bytes: sorted entries, fixed timestamps (1980-01-01),
fixed permissions (0644), fixed compression.

    python tools/package.py [--out build/lambdas] [--max-bytes 20480]
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
MAX_BYTES: Final = 20 * 1024
_EPOCH: Final = (1980, 1, 1, 0, 0, 0)
_MODE: Final = 0o100644 << 16  # regular file, rw-r--r--


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


def closure(handler_module: str, root: Path = ROOT) -> dict[str, Path]:
    """Archive name -> source of every lambdas/ module `handler_module` needs, with parent packages."""
    files: dict[str, Path] = {}
    pending = [handler_module]
    seen: set[str] = set()
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        path = _module_path(module, root)
        if path is None:
            continue
        files[path.relative_to(root).as_posix()] = path
        parts = module.split(".")
        pending.extend(".".join(parts[:i]) for i in range(1, len(parts)))  # parent packages run first
        pending.extend(_imported(module, path))
    return files


def _without_docstrings(source: str) -> str:
    """The module without docstrings and comments (ast round trip): Lambda compiles what it reads on every
    cold start (no .pyc in the zip), and the zip stays under its 20 KB budget."""
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
    return ast.unparse(tree) + "\n"


def write_zip(target: Path, files: dict[str, Path]) -> int:
    """Write `files` into `target` deterministically; returns the size in bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.external_attr = _MODE
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, _without_docstrings(files[name].read_text()).encode(), compresslevel=9)
    return target.stat().st_size


def _entry(operation: dict[str, Any], operation_id: str, key: str, routes: Path) -> str:
    """The manifest's `key` of the operation (handler, package): the manifest alone says them."""
    value = operation.get(key)
    if not isinstance(value, str) or not value:
        raise SystemExit(f"{routes}: operation {operation_id} has no {key!r}: run `make swagger`")
    return value


def package(out: Path, routes: Path = ROUTES, root: Path = ROOT) -> dict[str, int]:
    """Build every operation's zip into `out`; returns zip name -> size."""
    operations = json.loads(routes.read_text())["operations"]
    sizes: dict[str, int] = {}
    for operation_id, operation in sorted(operations.items()):
        handler_module = _entry(operation, operation_id, "handler", routes).rsplit(".", 1)[0]
        files = closure(handler_module, root)
        if handler_module.replace(".", "/") + ".py" not in files:
            raise SystemExit(f"{operation_id}: handler module {handler_module} not found under {root}")
        name = _entry(operation, operation_id, "package", routes)
        sizes[name] = write_zip(out / name, files)
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "lambdas")
    parser.add_argument("--max-bytes", type=int, default=MAX_BYTES)
    args = parser.parse_args(argv)
    sizes = package(args.out)
    too_big = {name: size for name, size in sizes.items() if size > args.max_bytes}
    for name, size in sizes.items():
        print(f"{args.out / name}  {size:6d} bytes{'  TOO BIG' if name in too_big else ''}")
    if too_big:
        print(f"zips over {args.max_bytes} bytes: {sorted(too_big)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
