"""The vendored, trimmed provider schemas hold every type the configurations use."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devtools.tfoffline import vendor
from devtools.tfoffline.schema import PROVIDERS, SECTIONS, _strip_schema, schema_dir

# fixtures/broken/* misspell types on purpose (Terraform must refuse them), so they are not checked.
CHECKED_ROOTS = (
    vendor.REPO_ROOT / "terraform",
    vendor.REPO_ROOT / "tests" / "devtools" / "tfoffline" / "fixtures" / "basic",
)


@pytest.fixture(scope="module")
def vendored() -> dict[str, dict[str, Any]]:
    sections: dict[str, dict[str, Any]] = {section: {} for section in SECTIONS}
    for address, file in PROVIDERS.values():
        raw = json.loads((schema_dir() / file).read_text())["provider_schemas"][address]
        assert "block" in raw["provider"], f"{file}: the provider block schema is missing"
        for section in SECTIONS:
            sections[section].update(raw[section])
    return sections


def test_vendor_schema_keeps_the_aws_provider_block() -> None:
    address, file = PROVIDERS["aws"]
    provider = json.loads((schema_dir() / file).read_text())["provider_schemas"][address]["provider"]
    assert {"region", "default_tags"} <= set(provider["block"]["attributes"]) | set(provider["block"]["block_types"])


def test_vendor_schema_holds_every_type_the_configurations_use(vendored: dict[str, dict[str, Any]]) -> None:
    used = vendor.used_types(CHECKED_ROOTS)
    missing = [
        f"{section} {name}" for section in SECTIONS for name in sorted(used[section]) if name not in vendored[section]
    ]
    assert not missing, (
        f"the trimmed provider schemas lack {', '.join(missing)}: regenerate them with {vendor.REGENERATE}"
    )


def test_vendor_schema_keeps_only_what_the_trimming_rule_keeps(vendored: dict[str, dict[str, Any]]) -> None:
    used = vendor.used_types()
    extra = [name for section in SECTIONS for name in vendored[section] if not vendor.keep(section, name, used)]
    assert extra == []


def test_vendor_trim_keeps_used_types_and_families_only() -> None:
    block: dict[str, Any] = {
        "version": 0,
        "block": {"attributes": {"x": {"type": "string", "optional": True, "description": "d"}}},
    }
    document = {
        "format_version": "1.0",
        "provider_schemas": {
            "registry.terraform.io/hashicorp/aws": {
                "provider": block,
                "resource_schemas": {"aws_lambda_alias": block, "aws_quicksight_user": block, "aws_x": block},
                "data_source_schemas": {"aws_x": block},
            }
        },
    }
    used = {section: set() for section in SECTIONS} | {"data_source_schemas": {"aws_x"}}
    raw = vendor.trim("registry.terraform.io/hashicorp/aws", document, used)["provider_schemas"]
    trimmed = raw["registry.terraform.io/hashicorp/aws"]
    assert sorted(trimmed["resource_schemas"]) == ["aws_lambda_alias"]
    assert sorted(trimmed["data_source_schemas"]) == ["aws_x"]
    assert trimmed["provider"]["block"]["attributes"]["x"] == {"optional": True, "type": "string"}


def _supplement() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((schema_dir() / vendor.SUPPLEMENTS["aws"]).read_text())
    return document


def test_vendor_supplement_names_its_source_and_what_it_leaves_out() -> None:
    provenance = _supplement()["provenance"]
    assert "hashicorp/terraform-provider-aws" in provenance["source"]
    assert set(provenance["commits"]) == {"internal/service/wafv2/web_acl.go", "internal/service/wafv2/schemas.go"}
    assert all(len(commit) == 40 for commit in provenance["commits"].values())
    assert "rule.statement" in provenance["partial"]


def test_vendor_schema_holds_the_supplements_web_acl(vendored: dict[str, dict[str, Any]]) -> None:
    # GIVEN the type the upstream 6.47.0 dump lacks, written by hand
    supplement = vendor.supplement("aws")["resource_schemas"]["aws_wafv2_web_acl"]
    # THEN the vendored (merged) document serves exactly it
    assert vendored["resource_schemas"]["aws_wafv2_web_acl"] == _strip_schema(supplement)
    statement = supplement["block"]["block_types"]["rule"]["block"]["block_types"]["statement"]["block"]
    assert set(statement["block_types"]) == {"rate_based_statement"}


def _shape(block: dict[str, Any]) -> dict[str, Any]:
    """Attribute names and flags, block names, nested: what SDK and framework resources share."""
    return {
        "attributes": {name: sorted(k for k in attr if k != "type") for name, attr in block["attributes"].items()},
        "blocks": {name: _shape(nested["block"]) for name, nested in block["block_types"].items()},
    }


def test_vendor_supplement_agrees_with_the_dumps_shared_blocks(vendored: dict[str, dict[str, Any]]) -> None:
    # GIVEN aws_wafv2_web_acl_rule_group_association, which the 6.47.0 dump has and which reuses the
    # web ACL's visibility_config and rule actions
    real = vendored["resource_schemas"]["aws_wafv2_web_acl_rule_group_association"]["block"]
    acl = vendored["resource_schemas"]["aws_wafv2_web_acl"]["block"]
    rule = acl["block_types"]["rule"]["block"]
    action_to_use = real["block_types"]["rule_group_reference"]["block"]["block_types"]["rule_action_override"]
    assert _shape(rule["block_types"]["action"]["block"]) == _shape(
        action_to_use["block"]["block_types"]["action_to_use"]["block"]
    )
    assert _shape(rule["block_types"]["visibility_config"]["block"]) == _shape(
        real["block_types"]["visibility_config"]["block"]
    )


def test_vendor_merge_adds_missing_types_and_lets_the_source_win() -> None:
    address = "registry.terraform.io/hashicorp/aws"
    source = {"version": 0, "block": {"attributes": {"real": {"type": "string", "optional": True}}}}
    written = {"version": 0, "block": {"attributes": {"hand": {"type": "string", "optional": True}}}}
    trimmed = {"provider_schemas": {address: {section: {} for section in SECTIONS}}}
    trimmed["provider_schemas"][address]["resource_schemas"]["aws_known"] = _strip_schema(source)
    extra = {"resource_schemas": {"aws_known": written, "aws_missing": written}}
    merged = vendor.merge(trimmed, address, extra)["provider_schemas"][address]["resource_schemas"]
    assert merged == {"aws_known": _strip_schema(source), "aws_missing": _strip_schema(written)}
