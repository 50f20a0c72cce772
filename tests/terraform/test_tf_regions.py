"""Regions: validation of the list, the global table's replicas, and adding a region by the list alone.

Variable validations and the expressions that fan out per region are evaluated by Terraform itself.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from devtools import hcl
from tests.terraform.conftest import TRIGGER
from tools import tfcheck

if TYPE_CHECKING:
    from devtools.hcl import Block

TERRAFORM = tfcheck.TERRAFORM_DIR
GLOBAL = TERRAFORM / "modules" / "global"
API = TERRAFORM / "modules" / "api"
MANIFEST = tfcheck.ROOT / "api" / "routes.json"
REGION_LITERAL = re.compile(r'"[a-z]{2}(-[a-z]+)+-[0-9]+"')


def root(variables: dict[str, Any], outputs: dict[str, str]) -> dict[str, Any]:
    """Evaluate outputs over the api module's variables (with their validations) and first locals."""
    locals_block = hcl.find(hcl.blocks(API / "main.tf"), "locals")
    sources = [(API / "variables.tf").read_text(), locals_block.text]
    return hcl.evaluate(sources, {"routes_path": str(MANIFEST), **variables}, outputs or {"ok": "true"})


def global_module(variables: dict[str, Any], outputs: dict[str, str] | None = None) -> dict[str, Any]:
    """Evaluate outputs over the global module's variables and its region-only locals."""
    main_locals = next(b for b in hcl.blocks(GLOBAL / "main.tf") if b.kind == "locals").attributes
    locals_text = f"locals {{\n  replica_regions = {main_locals['replica_regions']}\n}}"
    defaults = {
        "name": "kit",
        "operations": {},
        "resource_server": {"identifier": "api", "scopes": {}},
        "pre_token_generation": TRIGGER,
    }
    sources = [(GLOBAL / "variables.tf").read_text(), locals_text]
    return hcl.evaluate(sources, {**defaults, **variables}, outputs or {"ok": "true"})


def refused(message: str, evaluate: Any, *args: Any) -> None:
    """Assert that Terraform refuses the evaluation with message (its diagnostics wrap lines)."""
    with pytest.raises(hcl.EvaluationError) as error:
        evaluate(*args)
    assert message in " ".join(str(error.value).split())


################################################################################
# The regions list
################################################################################


@pytest.mark.parametrize(
    ("regions", "message"),
    [
        ([], "at least one region"),
        (["us-east-1", "eu-west-1", "us-east-1"], "must not repeat"),
        (["useast1"], "look like an AWS region"),
        (["US-EAST-1"], "look like an AWS region"),
        (["us-east-1", "eu-west"], "look like an AWS region"),
    ],
)
def test_invalid_regions_are_refused(regions: list[str], message: str) -> None:
    refused(message, root, {"regions": regions}, {})


def test_first_region_is_the_primary_unless_overridden() -> None:
    regions = ["eu-west-1", "us-east-1", "ap-southeast-2"]
    assert root({"regions": regions}, {"primary": "local.primary_region"})["primary"] == "eu-west-1"
    overridden = root({"regions": regions, "primary_region": "us-east-1"}, {"primary": "local.primary_region"})
    assert overridden["primary"] == "us-east-1"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"regions": ["us-east-1"], "primary_region": "eu-west-1"}, "primary_region must be one of regions"),
        ({"regions": ["us-east-1", "eu-west-1"], "endpoint_type": "EDGE"}, "EDGE with exactly one region"),
        ({"regions": ["us-east-1"], "region_settings": {"eu-west-1": {}}}, "may only name regions"),
        ({"regions": ["us-east-1"], "domain_name": "api.example.com"}, "domain_name and hosted_zone_id together"),
    ],
)
def test_inconsistent_settings_are_refused(variables: dict[str, Any], message: str) -> None:
    refused(message, root, variables, {})


def test_edge_endpoint_is_allowed_with_one_region() -> None:
    assert root({"regions": ["us-east-1"], "endpoint_type": "EDGE"}, {}) == {"ok": True}


################################################################################
# Multi-Region strong consistency
################################################################################


@pytest.mark.parametrize(
    "table",
    [
        {"regions": ["us-east-1", "us-east-2", "us-west-2"]},
        {"regions": ["eu-west-1", "eu-central-1"], "witness_region": "eu-west-3"},
        {"regions": ["ap-northeast-1", "ap-northeast-2", "ap-northeast-3"]},
    ],
)
def test_strong_consistency_accepts_what_aws_allows(table: dict[str, Any]) -> None:
    regions = table.pop("regions")
    variables = {"regions": regions, "primary_region": regions[0], "table": {"consistency_mode": "STRONG", **table}}
    assert global_module(variables) == {"ok": True}


@pytest.mark.parametrize(
    ("regions", "witness", "message"),
    [
        (["us-east-1", "us-east-2"], None, "exactly 3 regions, or exactly 2 regions plus a witness_region"),
        (["us-east-1", "us-east-2", "us-west-2", "eu-west-1"], None, "exactly 3 regions"),
        (["us-east-1"], None, "exactly 3 regions"),
        (["us-east-1", "us-east-2"], "us-east-1", "witness_region that is not one of them"),
        (["us-east-1", "us-east-2", "eu-west-1"], None, "in one region set"),
        (["us-east-1", "us-east-2"], "eu-west-1", "in one region set"),
    ],
)
def test_strong_consistency_refuses_other_region_counts(regions: list[str], witness: str | None, message: str) -> None:
    table = {"consistency_mode": "STRONG", "witness_region": witness}
    refused(message, global_module, {"regions": regions, "primary_region": regions[0], "table": table})


def test_witness_needs_strong_consistency() -> None:
    table = {"witness_region": "us-west-2"}
    variables = {"regions": ["us-east-1", "us-east-2"], "primary_region": "us-east-1", "table": table}
    refused("only applies to consistency_mode STRONG", global_module, variables)


################################################################################
# Replicas: one per other region, each with point-in-time recovery
################################################################################


@pytest.mark.parametrize(
    ("regions", "primary"),
    [(["us-east-1"], "us-east-1"), (["us-east-1", "eu-west-1", "ap-southeast-2"], "eu-west-1")],
)
def test_every_region_but_the_primary_holds_a_replica(regions: list[str], primary: str) -> None:
    values = global_module({"regions": regions, "primary_region": primary}, {"replicas": "local.replica_regions"})
    assert sorted([*values["replicas"], primary]) == sorted(regions)


def test_every_replica_has_point_in_time_recovery(global_blocks: list[Block]) -> None:
    table = hcl.find(global_blocks, "resource", "aws_dynamodb_table", "this")
    assert table.block("point_in_time_recovery").attributes["enabled"] == "true"
    replica = table.block("dynamic", "replica")
    assert replica.attributes["for_each"] == "toset(local.replica_regions)"
    content = replica.block("content")
    assert content.attributes["point_in_time_recovery"] == "true"
    assert content.attributes["kms_key_arn"] == "aws_kms_replica_key.this[replica.value].arn"
    assert content.attributes["deletion_protection_enabled"] == "var.table.enable_deletion_protection"


def test_table_is_the_documented_one(global_blocks: list[Block]) -> None:
    table = hcl.find(global_blocks, "resource", "aws_dynamodb_table", "this")
    assert table.attributes["billing_mode"] == '"PAY_PER_REQUEST"'
    assert table.attributes["stream_view_type"] == '"NEW_AND_OLD_IMAGES"'
    assert (table.attributes["hash_key"], table.attributes["range_key"]) == ('"pk"', '"sk"')
    assert table.block("server_side_encryption").attributes["enabled"] == "true"
    assert table.block("ttl").attributes["attribute_name"] == "var.table.ttl_attribute"


################################################################################
# Adding a region: only the list changes
################################################################################


def test_api_module_fans_out_over_the_list(api_blocks: list[Block]) -> None:
    regional = hcl.find(api_blocks, "module", "regional")
    assert regional.attributes["for_each"] == "toset(var.regions)"
    assert regional.attributes["region"] == "each.key"
    assert hcl.find(api_blocks, "module", "global").attributes["regions"] == "var.regions"


@pytest.mark.parametrize(
    ("kind", "labels", "for_each"),
    [
        ("resource", ("aws_kms_replica_key", "this"), "toset(local.replica_regions)"),
        ("resource", ("aws_kms_alias", "this"), "toset(var.regions)"),
        ("data", ("aws_iam_policy_document", "key"), "toset(var.regions)"),
    ],
)
def test_global_per_region_resources_follow_the_list(
    global_blocks: list[Block], kind: str, labels: tuple[str, str], for_each: str
) -> None:
    assert hcl.find(global_blocks, kind, *labels).attributes["for_each"] == for_each


def test_secret_replicates_to_every_other_region(global_blocks: list[Block]) -> None:
    secret = hcl.find(global_blocks, "resource", "aws_secretsmanager_secret", "this")
    assert secret.block("dynamic", "replica").attributes["for_each"] == "toset(local.replica_regions)"


def test_per_region_arguments_cover_every_listed_region(api_blocks: list[Block]) -> None:
    # GIVEN the regional module call's per-region arguments, evaluated for each region of a list
    regional = hcl.find(api_blocks, "module", "regional")
    names = ("lambda_settings", "throttling")
    outputs = {
        name: "{ for r in var.regions : r => " + re.sub(r"\beach\.key\b", "r", regional.attributes[name]) + " }"
        for name in names
    }
    settings = {"eu-west-1": {"lambda_memory_size": 1024, "throttling_rate_limit": 500}}
    before = root({"regions": ["us-east-1", "eu-west-1"], "region_settings": settings}, outputs)
    # WHEN a region is appended to the list (and nothing else changes)
    after = root({"regions": ["us-east-1", "eu-west-1", "ap-southeast-2"], "region_settings": settings}, outputs)
    # THEN it gets the defaults and the others keep theirs
    for name in names:
        assert {k: v for k, v in after[name].items() if k != "ap-southeast-2"} == before[name]
    assert after["lambda_settings"]["ap-southeast-2"]["memory_size"] == 512
    assert after["lambda_settings"]["eu-west-1"]["memory_size"] == 1024
    assert after["throttling"]["ap-southeast-2"] == {"rate_limit": 100, "burst_limit": 200}
    assert after["throttling"]["eu-west-1"] == {"rate_limit": 500, "burst_limit": 200}


def _literals(block: Block) -> list[str]:
    found = [match.group(0) for expr in block.attributes.values() for match in REGION_LITERAL.finditer(expr)]
    for sub in block.blocks:
        if sub.kind != "validation":  # validations may name AWS's region sets
            found += _literals(sub)
    return found


@pytest.mark.parametrize("path", [TERRAFORM, API, GLOBAL, TERRAFORM / "modules" / "regional"], ids=lambda p: p.name)
def test_no_region_is_written_into_the_configuration(path: Any) -> None:
    literals = []
    for block in hcl.blocks(path):
        if block.kind == "locals":
            # The one exception: CloudFront (EDGE endpoints) takes certificates from us-east-1 only.
            block = hcl.Block(block.kind, block.labels, block.text, dict(block.attributes), block.blocks)
            block.attributes.pop("certificate_regions", None)
            block.attributes.pop("certificate_region", None)
        literals += [f"{block.kind} {block.labels}: {literal}" for literal in _literals(block)]
    assert literals == []
