"""Broken configurations are rejected by Terraform itself (schema checks) or by the stand-in's guards.

Every case is a directory under fixtures/broken/; they run side by side once per session, and each
test then checks one rejection and the message it came with.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from devtools.tfoffline.harness import Harness, Run

BROKEN = Path(__file__).parent / "fixtures" / "broken"
# Cases whose values are only known at plan time (validate sees unknown variables).
PLAN_CASES = {"strong_consistency_two_regions"}


@pytest.fixture(scope="module")
def outcomes(harness: Harness) -> dict[str, Run]:
    """validate (or plan) of every broken fixture, keyed by its directory name."""
    cases = sorted(path.name for path in BROKEN.iterdir() if path.is_dir())

    def run(case: str) -> Run:
        if case in PLAN_CASES:
            return harness.terraform(BROKEN / case, "plan", "-no-color", "-input=false", "-lock=false")
        return harness.validate(BROKEN / case)

    for case in cases:
        harness.init(BROKEN / case)
    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip(cases, pool.map(run, cases), strict=True))


def _flat(text: str) -> str:
    """Terraform wraps long messages; compare them on one line."""
    return re.sub(r"\s+", " ", text)


def _assert_rejected(run: Run, *messages: str) -> None:
    assert run.code != 0, f"expected a failure, got exit 0:\n{run.output}"
    for message in messages:
        assert message in _flat(run.output), f"missing {message!r} in:\n{run.output}"


def test_validate_rejects_misspelled_argument(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["misspelled_argument"],
        "Error: Unsupported argument",
        'An argument named "fucntion_name" is not expected here. Did you mean "function_name"?',
    )


def test_validate_rejects_wrong_type(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["wrong_type"],
        "Error: Incorrect attribute value type",
        'Inappropriate value for attribute "memory_size": number required',
    )


def test_validate_rejects_missing_required_argument(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["missing_required_argument"],
        "Error: Missing required argument",
        'The argument "name" is required, but no definition was found.',
    )


def test_validate_rejects_block_given_twice(outcomes: dict[str, Run]) -> None:
    _assert_rejected(outcomes["block_twice"], "Error: Too many ttl blocks", 'No more than 1 "ttl" blocks are allowed')


def test_validate_rejects_unknown_resource_type(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["unknown_resource_type"],
        "Error: Invalid resource type",
        'The provider hashicorp/aws does not support resource type "aws_dynamodb_tabel". '
        'Did you mean "aws_dynamodb_table"?',
    )


def test_guard_rejects_billing_mode_value(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["billing_mode_value"],
        'Error: expected billing_mode to be one of ["PAY_PER_REQUEST" "PROVISIONED"], got ON_DEMAND',
        'billing_mode = "ON_DEMAND"',  # Terraform points at the offending line
    )


def test_guard_rejects_capacity_on_demand(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["on_demand_with_capacity"],
        'Error: read_capacity can not be set when billing_mode is "PAY_PER_REQUEST"',
        'Error: write_capacity can not be set when billing_mode is "PAY_PER_REQUEST"',
    )


def test_guard_rejects_strong_consistency_in_two_regions_at_plan(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["strong_consistency_two_regions"],
        "Error: multi-Region strong consistency needs exactly three regions",
        "regions eu-west-1, us-east-1 are not one multi-Region strong consistency region set",
    )


# aws_wafv2_web_acl: the provider's validators (internal/service/wafv2, see guards.py) and AWS's rules.


def test_guard_rejects_web_acl_name_pattern(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["web_acl_name_pattern"],
        "Error: invalid value for name (must contain only alphanumeric hyphen and underscore characters)",
        'name = "broken api"',
    )


def test_guard_rejects_web_acl_scope_value(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["web_acl_scope_value"], 'Error: expected scope to be one of ["CLOUDFRONT" "REGIONAL"], got GLOBAL'
    )


def test_guard_rejects_web_acl_default_action_with_both(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["web_acl_default_action_both"],
        "Error: default_action must set exactly one of allow, block",
        "Got allow, block; AWS WAF refuses the web ACL (WAFInvalidParameterException).",
    )


def test_guard_rejects_web_acl_rule_without_action(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["web_acl_rule_without_action"],
        "Error: rule rate: action is required for a rule that does not reference a rule group",
    )


def test_guard_rejects_web_acl_rate_limit_below_minimum(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["web_acl_rate_limit_minimum"],
        "Error: rule rate: expected limit to be in the range (10 - 2000000000), got 5",
    )


def test_guard_rejects_web_acl_evaluation_window(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["web_acl_evaluation_window_value"],
        "Error: rule rate: expected evaluation_window_sec to be one of [60 120 300 600], got 180",
    )


def test_guard_rejects_web_acl_aggregate_key_type(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["web_acl_aggregate_key_type_value"],
        'Error: rule rate: expected aggregate_key_type to be one of ["IP" "FORWARDED_IP" "CUSTOM_KEYS" "CONSTANT"], '
        "got SOURCE_IP",
    )


def test_guard_rejects_web_acl_metric_name_pattern(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["web_acl_metric_name_pattern"],
        "Error: rule rate: invalid value for metric_name (must contain only alphanumeric hyphen and underscore "
        "characters)",
    )


def test_guard_rejects_cloudfront_web_acl_on_a_stage(outcomes: dict[str, Run]) -> None:
    _assert_rejected(
        outcomes["web_acl_association_cloudfront_acl"],
        "Error: web_acl_arn is a CLOUDFRONT (global) web ACL",
        "Only a REGIONAL web ACL can be associated with a regional resource such as an API Gateway stage.",
    )


def test_validate_rejects_statement_outside_the_partial_web_acl_schema(outcomes: dict[str, Run]) -> None:
    # The vendored aws_wafv2_web_acl knows rate_based_statement only (schemas/*.supplement.json).
    _assert_rejected(
        outcomes["web_acl_statement_outside_the_supplement"],
        "Error: Unsupported block type",
        'Blocks of type "geo_match_statement" are not expected here.',
    )
