"""lambda_settings.snap_start: the runtime rule (with its message) and the root planned for 1, 2 and 3 regions.

The resources' arguments are asserted by terraform/tests/snapstart_plan.tftest.hcl and
snapstart_apply.tftest.hcl (terraform test cannot check a validation's message: this file does).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from devtools import hcl
from devtools.tfoffline.harness import Harness
from tools import tfcheck

REGIONAL = tfcheck.TERRAFORM_DIR / "modules" / "regional"
MESSAGE = "lambda_settings.snap_start needs runtime python3.12 or newer (Lambda SnapStart supports Python 3.12+)"


def lambda_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The regional module's lambda_settings after its type and validations (Terraform evaluates them)."""
    variable = hcl.find(hcl.blocks(REGIONAL / "variables.tf"), "variable", "lambda_settings")
    return hcl.evaluate([variable.text], {"lambda_settings": settings}, {"settings": "var.lambda_settings"})


@pytest.mark.parametrize("runtime", ["python3.11", "python3.9", "nodejs22.x", "java21", "python3.12.1"])
def test_snap_start_refuses_runtimes_before_python_3_12(runtime: str) -> None:
    with pytest.raises(hcl.EvaluationError) as error:
        lambda_settings({"snap_start": True, "runtime": runtime})
    assert f"{MESSAGE}, not {runtime}." in " ".join(str(error.value).split())


@pytest.mark.parametrize("runtime", ["python3.12", "python3.13", "python3.14"])
def test_snap_start_accepts_python_3_12_and_newer(runtime: str) -> None:
    assert lambda_settings({"snap_start": True, "runtime": runtime})["settings"]["snap_start"] is True


def test_snap_start_is_off_by_default_and_then_any_runtime_is_allowed() -> None:
    assert lambda_settings({})["settings"]["snap_start"] is False
    assert lambda_settings({"runtime": "python3.11"})["settings"]["runtime"] == "python3.11"


def test_snap_start_root_plans_each_added_region_with_the_same_step(routes: dict[str, Any]) -> None:
    # GIVEN the root with snap_start on (make validate plans it without)
    regions = ["us-east-1", "us-east-2", "us-west-2"]
    settings = json.dumps({"snap_start": True})
    cases = [{"regions": regions[:count], "lambda_settings": settings} for count in (1, 2, 3)]

    # WHEN Terraform plans it for 1, 2 and 3 regions (offline stand-in providers)
    plans = Harness(real=False).plans(tfcheck.TERRAFORM_DIR, cases)

    # THEN every region adds the same resources, among them one alias per operation
    assert [plan.run.ok for plan in plans] == [True] * 3, "\n".join(d for plan in plans for d in plan.diagnostics)
    steps = {plans[1].add - plans[0].add, plans[2].add - plans[1].add}
    assert len(steps) == 1
    assert steps.pop() > 0
    for count, plan in enumerate(plans, start=1):
        aliases = [address for address in plan.creates if ".aws_lambda_alias.this[" in address]
        assert len(aliases) == count * len(routes["operations"])
