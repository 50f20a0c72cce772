"""Generate the requirements/inputs/outputs tables of each Terraform README from the code.

    python tools/tfdocs.py terraform          # rewrite every README.md under terraform/
    python tools/tfdocs.py --check terraform  # exit 1 if a table is stale (CI)

Every directory that holds .tf files gets its tables between the markers terraform-docs uses,
so either tool can maintain them:

    <!-- BEGIN_TF_DOCS -->
    ...
    <!-- END_TF_DOCS -->

Text outside the markers is left alone; a README without markers gets them appended.
Parsing uses python-hcl2 (no Terraform binary needed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import hcl2
from hcl2 import SerializationOptions

BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"
SKIPPED_PARTS = {".terraform", "tests"}
_OPTIONS = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)


def load_dir(path: Path) -> dict[str, list[Any]]:
    """All top-level blocks of the .tf files of one directory, merged by block type."""
    merged: dict[str, list[Any]] = {}
    for tf_file in sorted(path.glob("*.tf")):
        with tf_file.open() as handle:
            for block_type, blocks in hcl2.load(handle, serialization_options=_OPTIONS).items():
                merged.setdefault(block_type, []).extend(blocks)
    return merged


def module_dirs(base: Path) -> list[Path]:
    """Every directory under base that holds .tf files."""
    return sorted({path.parent for path in base.rglob("*.tf") if not SKIPPED_PARTS & set(path.relative_to(base).parts)})


def expression(value: str) -> str:
    """An HCL expression as written: python-hcl2 wraps non-literal expressions in ${...}."""
    text = value.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return text


def _cell(text: str) -> str:
    """Table-cell text: one line, pipes escaped, angle brackets shown rather than read as HTML."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _code(text: str) -> str:
    return "`" + " ".join(text.split()).replace("|", "\\|") + "`"


def _default(value: Any) -> str:
    if isinstance(value, str) and value.startswith("${"):
        return _code(expression(value))
    return _code(json.dumps(value, sort_keys=True))


def render(path: Path) -> str:
    """The generated block (markers included) for the module in path."""
    blocks = load_dir(path)
    lines = [BEGIN]

    requirements: list[tuple[str, str]] = []
    for terraform in blocks.get("terraform", []):
        if "required_version" in terraform:
            requirements.append(("terraform", terraform["required_version"]))
        for providers in terraform.get("required_providers", []):
            for provider, spec in sorted(providers.items()):
                requirements.append((f"{provider} ({spec.get('source', '')})", spec.get("version", "any")))
    if requirements:
        lines += ["## Requirements", "", "| Name | Version |", "|------|---------|"]
        lines += [f"| {_cell(name)} | {_code(version)} |" for name, version in requirements]
        lines.append("")

    variables = [(name, body) for block in blocks.get("variable", []) for name, body in block.items()]
    # Required inputs first, then by name.
    variables.sort(key=lambda item: ("default" in item[1], item[0]))
    lines += ["## Inputs", ""]
    if variables:
        lines += [
            "| Name | Description | Type | Default | Required |",
            "|------|-------------|------|---------|:--------:|",
        ]
        for name, body in variables:
            required = "default" not in body
            default = "n/a" if required else _default(body["default"])
            type_ = _code(expression(body.get("type", "any")))
            description = _cell(body.get("description", ""))
            lines.append(f"| {name} | {description} | {type_} | {default} | {'yes' if required else 'no'} |")
    else:
        lines.append("No inputs.")
    lines.append("")

    outputs = sorted((name, body) for block in blocks.get("output", []) for name, body in block.items())
    lines += ["## Outputs", ""]
    if outputs:
        lines += ["| Name | Description |", "|------|-------------|"]
        lines += [f"| {name} | {_cell(body.get('description', ''))} |" for name, body in outputs]
    else:
        lines.append("No outputs.")
    lines.append(END)
    return "\n".join(lines)


def updated_readme(path: Path) -> tuple[Path, str, str]:
    """(README path, current text, text with fresh tables) for the module in path."""
    readme = path / "README.md"
    current = readme.read_text() if readme.exists() else f"# {path.name}\n"
    block = render(path)
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        fresh = f"{head}{block}{tail}"
    else:
        fresh = f"{current.rstrip()}\n\n{block}\n"
    return readme, current, fresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", type=Path, help="directory to scan, e.g. terraform")
    parser.add_argument("--check", action="store_true", help="report stale READMEs instead of writing them")
    args = parser.parse_args(argv)

    stale = []
    for path in module_dirs(args.base):
        readme, current, fresh = updated_readme(path)
        if current == fresh:
            continue
        stale.append(readme)
        if not args.check:
            readme.write_text(fresh)
    verb = "stale" if args.check else "updated"
    for readme in stale:
        print(f"{verb}: {readme}")
    if args.check and stale:
        print("run `make tf-docs` to regenerate the tables", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
