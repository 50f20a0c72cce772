"""Review round 2 (issue 20): the failover signal, and the findings a plan or the offline harness can catch.

Each bad configuration is refused with its message (Terraform evaluates the validations, devtools/tfoffline
guards what the provider does not); what no plan can see is stated in the module README, checked here too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from contract.models.items import RETRY_POLICY
from contract.operation import _OPERATION_ID
from contract.retry import RETRY
from devtools import hcl
from devtools.lab.client import RetryPolicy
from devtools.lab.failover import health_check_default
from devtools.tfoffline import guards
from tests.terraform.test_tf_findings import MODULES, _global, _refused, _regional

REGIONAL = hcl.blocks(MODULES / "regional")
GLOBAL = hcl.blocks(MODULES / "global")


def test_failover_detection_with_the_defaults_is_330_seconds() -> None:
    # The worst case the regional output failover_detection_seconds states: the next canary run (60 s) may take
    # its whole timeout, then failing_minutes failing minutes, one more for CloudWatch to evaluate, 60 s of DNS.
    timeout, minutes = health_check_default("canary_timeout_seconds"), health_check_default("failing_minutes")
    output = hcl.find(REGIONAL, "output", "failover_detection_seconds").attributes["value"]

    assert output == "60 + var.health_check.canary_timeout_seconds + 60 * var.health_check.failing_minutes + 60 + 60"
    assert 60 + timeout + 60 * minutes + 60 + 60 == 330


def test_client_retry_policy_outlasts_the_failover_detection() -> None:
    detection = 60 + health_check_default("canary_timeout_seconds") + 60 * health_check_default("failing_minutes")
    detection += 120

    budget = RETRY.budget_s
    assert budget > detection
    assert f"for up to {budget} s" in RETRY_POLICY  # the public document's description
    assert RetryPolicy().budget_seconds == budget  # localapi's drills
    python = (MODULES.parents[1] / "clients" / "python" / "multiregion_api_client" / "retry.py").read_text()
    assert f"BUDGET_SECONDS = {float(budget)}" in python  # the generated Python client
    typescript = (MODULES.parents[1] / "clients" / "typescript" / "src" / "index.ts").read_text()
    assert f"options.retryForMs ?? {budget * 1000:_}" in typescript  # the generated TypeScript client


def test_route53_never_probes_the_public_health_endpoint() -> None:
    # Finding 1: a 429 of the throttled /health counted as a failure; every Route 53 check now watches an alarm.
    checks = [block for block in REGIONAL if block.kind == "resource" and block.labels[0] == "aws_route53_health_check"]
    types = {block.labels[1]: block.attributes["type"] for block in checks}

    assert types == {"canary": '"CLOUDWATCH_METRIC"', "error_rate": '"CLOUDWATCH_METRIC"', "this": '"CALCULATED"'}
    api = hcl.blocks(MODULES / "api")
    assert not [block for block in api if block.kind == "resource" and block.labels[0] == "aws_route53_health_check"]


def test_route53_alarms_use_what_route53_supports() -> None:
    # Route 53 API AlarmIdentifier: standard resolution, Average/Minimum/Maximum/Sum/SampleCount only.
    for name in ("canary", "failover_error_rate"):
        alarm = hcl.find(REGIONAL, "resource", "aws_cloudwatch_metric_alarm", name)
        assert alarm.attributes["statistic"] in {'"Sum"', '"Average"'}
        assert "extended_statistic" not in alarm.attributes and alarm.attributes["period"] == "60"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        # Finding 6: an alarm's actions must be in its region
        (
            {"region": "eu-west-1", "alarms": {"actions": ["arn:aws:sns:us-east-1:123456789012:ops"]}},
            "alarms.actions must all be ARNs in eu-west-1: a CloudWatch alarm in eu-west-1 can notify only a topic",
        ),
        (
            {
                "endpoint_type": "EDGE",
                "region": "eu-west-1",
                "alarms": {"certificate_actions": ["arn:aws:sns:eu-west-1:1:x"]},
            },
            "alarms.certificate_actions must all be ARNs in the certificate's region (us-east-1 for EDGE",
        ),
        ({"health_check": {"failing_minutes": 0}}, "health_check.failing_minutes must be a whole number of minutes"),
        ({"health_check": {"canary_timeout_seconds": 60}}, "before the next minute's run"),
    ],
)
def test_regional_module_refuses_round_2(variables: dict[str, Any], message: str) -> None:
    _refused(message, _regional, **variables)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        # Finding 10: the default prefix is "<name>-<account id>"; Cognito refuses aws, amazon, cognito
        ({"name": "aws-shop"}, "must not contain aws, amazon or cognito (Cognito refuses them)"),
        ({"cognito": {"domain_prefix": "my-cognito"}}, "must not contain aws, amazon or cognito"),
        ({"cognito": {"domain_prefix": "-bad"}}, "cognito.domain_prefix must be 1-63 lowercase letters"),
    ],
)
def test_global_module_refuses_round_2(variables: dict[str, Any], message: str) -> None:
    _refused(message, _global, **variables)


def test_global_module_accepts_a_reserved_word_in_name_with_its_own_prefix() -> None:
    assert _global(name="aws-shop", cognito={"domain_prefix": "shop-auth"}) == {"ok": True}


def test_kits_web_acl_description_passes_the_create_web_acl_pattern() -> None:
    # Finding 5: the description had parentheses; the guard repeats the API's pattern.
    acl = hcl.find(REGIONAL, "resource", "aws_wafv2_web_acl", "this")
    rendered = (
        acl.attributes["description"].strip('"').replace("${var.name}", "kit").replace("${var.region}", "us-east-1")
    )

    assert guards.WAF_DESCRIPTION.match(rendered), rendered
    assert guards.check("aws_wafv2_web_acl", {"description": rendered}, "us-east-1") == []


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("aws_cognito_user_pool_client", "this"),
        ("aws_cognito_user_pool_client", "operator"),
        ("aws_cognito_user_pool_domain", "this"),
    ],
)
def test_what_installed_apps_depend_on_cannot_be_destroyed(kind: str, name: str) -> None:
    # Finding 9: a destroy (or the pool's replacement) fails at plan, before anything is deleted.
    lifecycle = hcl.find(GLOBAL, "resource", kind, name).block("lifecycle")
    assert lifecycle.attributes["prevent_destroy"] == "true"


def test_certificate_expiry_alarm_is_quiet_until_acm_reports() -> None:
    # Finding 11: ACM publishes DaysToExpiry daily; "breaching" alarmed on every new deployment.
    alarm = hcl.find(REGIONAL, "resource", "aws_cloudwatch_metric_alarm", "certificate_expiry")
    assert alarm.attributes["treat_missing_data"] == '"missing"'
    assert alarm.attributes["alarm_actions"] == "local.certificate_alarm_actions"


def test_logging_role_trusts_api_gateway_without_source_account() -> None:
    # Finding 8: no AWS page says API Gateway sends aws:SourceAccount; PassRole guards the role instead.
    trust = hcl.find(GLOBAL, "data", "aws_iam_policy_document", "api_gateway_assume_role").block("statement")
    assert [block for block in trust.blocks if block.kind == "condition"] == []
    assert trust.block("principals").attributes["identifiers"] == '["apigateway.amazonaws.com"]'


def test_module_readme_states_the_failover_and_the_recovery_recipes() -> None:
    readme = " ".join((MODULES / "regional" / "README.md").read_text().split())
    for sentence in (
        "no caller can make it fail",
        "330 s with the defaults",
        "terraform state rm",
    ):
        assert sentence in readme or sentence in " ".join((MODULES / "global" / "README.md").read_text().split())


def test_kit_named_functions_and_roles_cannot_take_an_operations_name() -> None:
    # Every operation's function and role is "<name>-<operation_id>": a kit-owned one whose suffix were a valid
    # operation_id (an operation called `canary`) would pass the plan and fail the apply (the name exists).
    suffixes = {
        suffix
        for path in (MODULES / "global").glob("*.tf")
        if path.name != "cognito.tf"  # app clients and the resource server: not functions, roles or log groups
        for suffix in re.findall(r'"\$\{var\.name\}-([^"$]+)"', path.read_text())
    }
    assert {"failover-canary", "code-deploy", "pre-token-generation", "apigateway-cloudwatch"} <= suffixes
    assert [suffix for suffix in suffixes if _OPERATION_ID.match(suffix)] == []
