"""What the client READMEs (tools/clientgen/README.*.md) say that depends on the API: its package, title and folder,
and calls built from its own manifest, so the README's code runs as written for any API, not only the kit's.

The calls are the first public operation and the first one needing a token (by path) that a caller can make with
no input: a GET with no path parameter, no required query or header parameter, no body and a JSON answer. An API
with none of either kind gets a README without that call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


def _callable_as_is(op: dict[str, Any]) -> bool:
    """Whether the operation needs no argument: the README's call must run against any fresh local API."""
    inputs = op["inputs"]
    required = [name for where in ("query", "header") for name in ((inputs.get(where) or {}).get("required") or ())]
    binary = inputs.get("binary") or {}
    return (
        op["method"] == "GET"
        and not inputs.get("path")
        and not inputs.get("body")
        and not required
        and not binary.get("request")
        and not binary.get("responses")
    )


def examples(manifest: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(operation_id, operation) of the README's calls: the first public one, then the first needing a token."""
    ops = sorted(manifest["operations"].items(), key=lambda item: (item[1]["path"], item[0]))
    chosen = []
    for public in (True, False):
        chosen += [(op_id, op) for op_id, op in ops if op["public"] is public and _callable_as_is(op)][:1]
    return chosen


def _what(op: dict[str, Any]) -> str:
    scopes = " ".join(op["scopes"])
    return f"{op['method']} {op['path']}: " + (f"needs the scope {scopes}" if scopes else "public, no token needed")


def _python_calls(manifest: dict[str, Any], package: str, package_dir: Path) -> str:
    chosen = examples(manifest)
    imports, calls, names = [], [], []
    for op_id, op in chosen:
        [module] = package_dir.glob(f"api/*/{op_id}.py")
        imports.append(f"from {package}.api.{module.parent.name} import {op_id}")
        calls += [f"# {_what(op)}", f"{op_id}_answer = {op_id}.sync_detailed(client=api)"]
        calls.append(f"assert {op_id}_answer.status_code == 200, {op_id}_answer.parsed  # else .parsed is an Error")
        names.append(op_id)
    if not chosen:
        return "# Every operation of this API takes inputs: each module's sync() lists them."
    last = chosen[-1][0]
    printed = ", ".join(f'"{name}", {name}_answer.status_code.value' for name in names[:-1])
    return "\n".join([
        *sorted(imports), "", *calls,
        "# sync() and asyncio() return the parsed model alone: the 200's, or an Error (code, message, field).",
        "", "",
        "async def main() -> None:",
        f"    again = await {last}.asyncio_detailed(client=api)  # asyncio() retries the same way",
        f"    print({printed + ', ' if printed else ''}\"{last}\", again.status_code.value)",
        "", "", "asyncio.run(main())",
    ])  # fmt: skip


def _typescript_calls(manifest: dict[str, Any]) -> str:
    chosen = examples(manifest)
    if not chosen:
        return "// Every operation of this API takes inputs: its path's `params` lists them."
    lines, printed = [], []
    for op_id, op in chosen:
        name = "".join(part.capitalize() if i else part for i, part in enumerate(op_id.split("_")))
        lines += [
            f"// {_what(op)}",
            f'const {name} = await api.GET("{op["path"]}");',
            f"if ({name}.error) throw new Error(JSON.stringify({name}.error));  // code, message, field",
        ]
        printed.append(f'"{op_id}", {name}.response.status')
    return "\n".join([*lines, f"console.log({', '.join(printed)});"])


def token_scopes(manifest: dict[str, Any]) -> list[str]:
    """The scopes the README's calls need: its `make token` asks for them (the local sign-in's default scopes are
    the kit's own, localapi's trigger)."""
    return sorted({scope for _, op in examples(manifest) for scope in op["scopes"]})


def expected_output(manifest: dict[str, Any]) -> str:
    """The last line the README's calls print against a running API: each call's name and 200."""
    return " ".join(f"{op_id} 200" for op_id, _ in examples(manifest))


def placeholders(
    manifest: dict[str, Any], out: Path, root: Path, py_package: str, ts_package: str, package_dir: Path | None
) -> dict[str, str]:
    """The README placeholders of one API; `package_dir`: its generated Python package (the modules the Python
    README imports), None while the TypeScript client is generated."""
    api = out.parent.relative_to(root).as_posix()
    public = [f"`{op['method']} {op['path']}`" for _, op in sorted(manifest["operations"].items()) if op["public"]]
    return {
        "__TITLE__": manifest["title"],
        "__PY_PACKAGE__": py_package,
        "__PY_DIST__": py_package.replace("_", "-"),
        "__TS_PACKAGE__": ts_package,
        "__TS_TARBALL__": f"{ts_package.lstrip('@').replace('/', '-')}-{manifest['api_version']}.tgz",
        "__CLIENTS__": out.relative_to(root).as_posix(),
        "__DOCUMENT__": f"{'' if api == '.' else api + '/'}api/openapi.json",
        "__SERVE__": "make serve" if api == "." else f"make serve API={api}",
        "__TOKEN_SCOPES__": f' SCOPES="{" ".join(token_scopes(manifest))}"' if token_scopes(manifest) else "",
        "__NEEDS_TOKEN__": f"Every operation but {', '.join(public)} needs" if public else "Every operation needs",
        "__PY_CALLS__": _python_calls(manifest, py_package, package_dir) if package_dir else "",
        "__TS_CALLS__": _typescript_calls(manifest),
    }
