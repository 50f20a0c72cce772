"""docs/deploy.md's per-region counts (the bold ones in "What it creates"), checked against terraform/modules."""

from __future__ import annotations

import json
import re
from pathlib import Path

from devtools import hcl

ROOT = Path(__file__).parents[2]
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()
REGIONAL = hcl.blocks(ROOT / "terraform" / "modules" / "regional")
ALARM = "aws_cloudwatch_metric_alarm"
HEALTH_CHECK = "aws_route53_health_check"
MINUTES_A_MONTH = 60 * 24 * 30


def _resources(kind: str) -> list[hcl.Block]:
    return [block for block in REGIONAL if block.kind == "resource" and block.labels[0] == kind]


def _with_domain_only(block: hcl.Block) -> bool:
    return "local.create_domain" in block.attributes.get("count", "")


def _per_operation(block: hcl.Block) -> bool:
    return block.attributes.get("for_each") == "var.operations"


def _default_of(variable: str, attribute: str) -> str:
    text = hcl.find(REGIONAL, "variable", variable).attributes["type"]
    found = re.search(rf"\b{attribute}\s*=\s*optional\(bool,\s*(\w+)\)", text)
    assert found, f"{variable}.{attribute} has no optional(bool, ...) default"
    return found.group(1)


def test_deploy_doc_alarms_per_region_match_the_regional_module() -> None:
    alarms = _resources(ALARM)
    fixed = [a for a in alarms if not _per_operation(a) and not _with_domain_only(a)]
    per_operation = [a for a in alarms if _per_operation(a)]
    domain_only = [a for a in alarms if _with_domain_only(a)]
    assert len(per_operation) == 1  # "one throttles alarm per operation"
    assert f"**{len(fixed)} + N CloudWatch alarms**" in DEPLOY
    assert f"**+{len(domain_only)} alarm** (certificate expiry)" in DEPLOY
    operations = len(json.loads((ROOT / "api" / "routes.json").read_text())["operations"])
    assert f"N = {operations} for the kit's contract" in DEPLOY
    price = (len(fixed) + operations) * 0.10
    assert f"CloudWatch alarms: {len(fixed)} + N standard alarms at $0.10 | ${price:.2f} |" in DEPLOY


def test_deploy_doc_health_checks_exist_with_a_domain_only_and_probe_no_endpoint() -> None:
    checks = _resources(HEALTH_CHECK)
    assert all(_with_domain_only(check) for check in checks)  # "without a domain none"
    assert f"**{len(checks)} Route 53 health checks**" in DEPLOY
    types = sorted(check.attributes["type"].strip('"') for check in checks)
    assert types == ["CALCULATED", "CLOUDWATCH_METRIC", "CLOUDWATCH_METRIC"]  # two on alarms, one calculated
    assert "**None probes an endpoint**" in DEPLOY


def test_deploy_doc_canary_runs_a_month_match_its_schedule() -> None:
    rule = hcl.find(REGIONAL, "resource", "aws_cloudwatch_event_rule", "canary")
    assert rule.attributes["schedule_expression"] == '"rate(1 minute)"'
    assert f"**{MINUTES_A_MONTH:,} runs a month**" in DEPLOY
    assert f"{MINUTES_A_MONTH:,} at $3.50 per million" in DEPLOY


def test_deploy_doc_waf_and_topic_are_off_by_default() -> None:
    assert _default_of("waf", "create") == "false"
    assert _default_of("alarms", "create_topic") == "false"
    assert "**Both are off by default**" in DEPLOY
    assert "`waf = { create = true }`" in DEPLOY and "`alarms = { create_topic = true }`" in DEPLOY
