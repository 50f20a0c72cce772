"""Regenerate the vendored provider schemas (devtools/tfoffline/schemas/*.json), trimmed.

    python -m devtools.tfoffline.vendor                 # `make schemas`: real providers, needs network
    python -m devtools.tfoffline.vendor --from FILE...  # trim full `terraform providers schema -json` documents

Without --from, Terraform installs the pinned providers from the registry (the harness's real mode,
as TFOFFLINE_REAL=1) into a scratch configuration and prints `terraform providers schema -json`.

Trimming rule: a provider's schema keeps its provider block, every resource, data-source and
ephemeral-resource type that a configuration of this repository names (terraform/**, terraform/tests,
tests/devtools/tfoffline/fixtures) or that the stand-ins serve by name, and every type of the service
families in KEEP_PREFIXES, the ones the kit is likely to grow into. Descriptions are dropped (the
stand-ins never send them) and the JSON is compact, so the files stay a few hundred KB.

Supplements: a type the upstream dump lacks (the aws 6.47.0 dump omits its largest types, among them
aws_wafv2_web_acl) is written by hand from the provider's source in the same shape, with its
provenance, as schemas/<provider file>.supplement.json (SUPPLEMENTS); every run merges it into the
trimmed document, so `make schemas` keeps it. A type the source document does have wins.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from devtools.tfoffline.schema import PROVIDERS, SECTIONS, _strip_schema, schema_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "make schemas (see devtools/tfoffline/README.md, 'Provider schemas')"
# Where configurations live that the offline plan reads.
CONFIG_ROOTS = (REPO_ROOT / "terraform", REPO_ROOT / "tests" / "devtools" / "tfoffline" / "fixtures")
# Types the stand-ins answer by name (datasources.py) even when no configuration uses them yet.
SERVED = {"aws_region", "aws_availability_zones", "aws_default_tags", "aws_caller_identity", "aws_partition"}
KEEP_PREFIXES = (
    "aws_acm_",
    "aws_api_gateway_",
    "aws_apigatewayv2_",
    "aws_cloudwatch_",
    "aws_cognito_",
    "aws_dynamodb_",
    "aws_iam_",
    "aws_kms_",
    "aws_lambda_",
    "aws_route53_",
    "aws_s3_",
    "aws_secretsmanager_",
    "aws_ses_",
    "aws_sesv2_",
    "aws_sns_",
    "aws_sqs_",
    "aws_ssm_",
    "aws_wafv2_",
    "archive_",
)
# Hand-written schemas of types the upstream dump lacks (module docstring), per provider name.
SUPPLEMENTS = {"aws": "hashicorp-aws-6.47.0.supplement.json"}
# Terraform's own resource types (terraform.io/builtin/terraform): no provider schema has them.
BUILTIN_TYPES = {"terraform_data"}
DECLARATION = re.compile(r'^\s*(resource|data|ephemeral)\s+"([A-Za-z0-9_]+)"', re.MULTILINE)
KINDS = {"resource": "resource_schemas", "data": "data_source_schemas", "ephemeral": "ephemeral_resource_schemas"}
# The provider versions the stand-ins serve (the file names carry them).
VERSIONS = {name: file.removesuffix(".json").rsplit("-", 1)[-1] for name, (_, file) in PROVIDERS.items()}


def used_types(roots: tuple[Path, ...] = CONFIG_ROOTS) -> dict[str, set[str]]:
    """Section -> type names declared in any .tf / .tftest.hcl file under roots."""
    found: dict[str, set[str]] = {section: set() for section in SECTIONS}
    for root in roots:
        for path in [*root.rglob("*.tf"), *root.rglob("*.tftest.hcl")]:
            if ".terraform" in path.parts:
                continue
            for kind, type_name in DECLARATION.findall(path.read_text()):
                if type_name not in BUILTIN_TYPES:
                    found[KINDS[kind]].add(type_name)
    return found


def keep(section: str, type_name: str, used: dict[str, set[str]]) -> bool:
    """The trimming rule (module docstring)."""
    return type_name in used[section] or type_name in SERVED or type_name.startswith(KEEP_PREFIXES)


def trim(address: str, document: dict[str, Any], used: dict[str, set[str]]) -> dict[str, Any]:
    """One provider's `providers schema -json` document, trimmed and without descriptions."""
    raw = document["provider_schemas"][address]
    trimmed: dict[str, Any] = {"provider": _strip_schema(raw.get("provider", {"version": 0, "block": {}}))}
    for section in SECTIONS:
        types = raw.get(section, {})
        trimmed[section] = {name: _strip_schema(types[name]) for name in sorted(types) if keep(section, name, used)}
    return {"format_version": document.get("format_version", "1.0"), "provider_schemas": {address: trimmed}}


def supplement(name: str, directory: Path | None = None) -> dict[str, Any]:
    """The hand-written supplement of one provider (its `provider_schemas` entry), or {} when it has none."""
    if name not in SUPPLEMENTS:
        return {}
    document = json.loads(((directory or schema_dir()) / SUPPLEMENTS[name]).read_text())
    raw: dict[str, Any] = document["provider_schemas"][PROVIDERS[name][0]]
    return raw


def merge(trimmed: dict[str, Any], address: str, extra: dict[str, Any]) -> dict[str, Any]:
    """trimmed with the supplement's types added where the source document lacks them."""
    provider = trimmed["provider_schemas"][address]
    for section in SECTIONS:
        for type_name, type_schema in extra.get(section, {}).items():
            if type_name not in provider[section]:
                provider[section][type_name] = _strip_schema(type_schema)
        provider[section] = dict(sorted(provider[section].items()))
    return trimmed


def real_documents() -> list[dict[str, Any]]:
    """`terraform providers schema -json` from the registry's providers, at the pinned versions."""
    from devtools.tfoffline.harness import Harness

    harness = Harness(real=True)
    config = harness.workdir / "schemas-source"
    config.mkdir(parents=True, exist_ok=True)
    providers = "\n".join(
        f'    {name} = {{ source = "{address.split("/", 1)[1]}", version = "{VERSIONS[name]}" }}'
        for name, (address, _) in PROVIDERS.items()
    )
    (config / "main.tf").write_text(f"terraform {{\n  required_providers {{\n{providers}\n  }}\n}}\n")
    harness.init(config)
    run = harness.terraform(config, "providers", "schema", "-json", check=True)
    return [json.loads(run.stdout)]


def write(documents: list[dict[str, Any]], out_dir: Path) -> list[Path]:
    """Trim every pinned provider found in documents into out_dir; return the files written."""
    used = used_types()
    written = []
    for name, (address, file) in PROVIDERS.items():
        source = next((doc for doc in documents if address in doc.get("provider_schemas", {})), None)
        if source is None:
            raise SystemExit(f"schemas: no document holds {address} (give its `providers schema -json` with --from)")
        path = out_dir / file
        document = merge(trim(address, source, used), address, supplement(name))
        text = json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="sources", type=Path, nargs="+", help="full schema documents to trim")
    parser.add_argument("--out", type=Path, default=schema_dir(), help="where to write (default: the vendored dir)")
    args = parser.parse_args(argv)
    documents = [json.loads(path.read_text()) for path in args.sources] if args.sources else real_documents()
    for path in write(documents, args.out):
        print(f"schemas: wrote {path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}", end="")
        print(f" ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
