"""The vendored, trimmed provider schemas hold every type the configurations use."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devtools.tfoffline import vendor
from devtools.tfoffline.schema import PROVIDERS, SECTIONS, schema_dir

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
