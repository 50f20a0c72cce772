"""Finding 6 with WAF on: every region plans the kit's web ACL, its association and its logging.

Plans terraform/ itself through the offline harness (devtools/tfoffline) for 1, 2 and 3 regions with
`waf = { create = true }`; the ACL's rule is checked in terraform/tests/waf.tftest.hcl.
"""

from __future__ import annotations

import pytest

from devtools.tfoffline.harness import Harness, PlanSummary
from tools import tfcheck

TERRAFORM = tfcheck.TERRAFORM_DIR
REGIONS = ["us-east-1", "us-east-2", "us-west-2"]
WAF_RESOURCES = (
    "aws_wafv2_web_acl.this[0]",
    "aws_wafv2_web_acl_association.this[0]",
    "aws_cloudwatch_log_group.waf[0]",
    "aws_wafv2_web_acl_logging_configuration.this[0]",
)


@pytest.fixture(scope="module")
def plans() -> list[PlanSummary]:
    if not list((tfcheck.ROOT / "build" / "lambdas").glob("*.zip")):
        pytest.fail("build/lambdas has no packages: run `make package` (the plans hash the zips)")
    harness = Harness(real=False)
    harness.init(TERRAFORM)
    cases = [{"regions": REGIONS[:n], "waf": {"create": True}} for n in range(1, len(REGIONS) + 1)]
    return harness.plans(TERRAFORM, cases)


def test_waf_plans_succeed(plans: list[PlanSummary]) -> None:
    for plan in plans:
        assert plan.run.ok, "\n".join(plan.diagnostics) or plan.run.output


def test_waf_every_region_gets_its_acl_association_and_logging(plans: list[PlanSummary]) -> None:
    for plan, count in zip(plans, range(1, len(REGIONS) + 1), strict=True):
        for region in REGIONS[:count]:
            prefix = f'module.api.module.regional["{region}"].'
            assert [name for name in WAF_RESOURCES if prefix + name not in plan.creates] == [], region
        waf = [addr for addr in plan.creates if any(addr.endswith(name) for name in WAF_RESOURCES)]
        assert len(waf) == len(WAF_RESOURCES) * count


def test_waf_adds_the_same_resources_per_region(plans: list[PlanSummary]) -> None:
    steps = {b.add - a.add for a, b in zip(plans, plans[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() > len(WAF_RESOURCES)
