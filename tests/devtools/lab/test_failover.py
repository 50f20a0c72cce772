"""The lab's failover signal (devtools/lab/failover.py) reads what Terraform and the contract declare."""

from __future__ import annotations

from typing import Any

import pytest

from devtools import hcl
from devtools.lab.failover import CanarySignal, health_check_default
from devtools.lab.router import RegionHealth
from tools import tfcheck

REGIONAL = tfcheck.TERRAFORM_DIR / "modules" / "regional"


def terraform_health_check() -> dict[str, Any]:
    """modules/regional's health_check with its defaults, as Terraform evaluates it."""
    variable = hcl.find(hcl.blocks(REGIONAL / "variables.tf"), "variable", "health_check")
    evaluated: dict[str, Any] = hcl.evaluate([variable.text], {}, {"h": "var.health_check"})["h"]
    return evaluated


@pytest.mark.parametrize("attribute", ["error_rate_threshold", "failing_minutes", "canary_timeout_seconds"])
def test_health_check_defaults_are_terraform_s(attribute: str) -> None:
    assert health_check_default(attribute) == terraform_health_check()[attribute]


def test_without_a_health_operation_the_5xx_share_alone_decides() -> None:
    # GIVEN an API without a health operation (no triggers.canary): no canary run, nothing is probed
    signal = CanarySignal({"us-east-1": "http://127.0.0.1:9"}, "http://127.0.0.1:9", "t", "s", health_path=None)
    region = RegionHealth("us-east-1", "http://127.0.0.1:9")
    assert signal(region) == (True, None)
    # WHEN more than Terraform's error_rate_threshold of the requests got a 5xx, THEN the check fails
    errors = int(10 * signal.error_rate_threshold) + 1
    region.requests, region.server_errors = 10, errors
    assert signal(region) == (False, None)
    assert signal.failures["us-east-1"] == [f"error rate: {errors / 10:.0%} of the requests got a 5xx"]
