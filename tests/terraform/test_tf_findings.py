"""The review's findings that a plan can catch: each bad configuration is refused with its message.

Terraform itself evaluates the modules' variable validations here (tools.hcl.evaluate); the
same cases run as `terraform test` plans in terraform/tests/validations*.tftest.hcl.
"""

from __future__ import annotations

from typing import Any

import pytest

from devtools import hcl
from tests.terraform.conftest import TRIGGER
from tools import tfcheck

MODULES = tfcheck.TERRAFORM_DIR / "modules"
US = ["us-east-1", "us-east-2", "us-west-2"]


def _evaluate(module: str, variables: dict[str, Any]) -> dict[str, Any]:
    return hcl.evaluate([(MODULES / module / "variables.tf").read_text()], variables, {"ok": "true"})


def _global(**variables: Any) -> dict[str, Any]:
    base = {"name": "kit", "regions": US, "primary_region": "us-east-1", "operations": {}}
    return _evaluate(
        "global",
        {**base, "resource_server": {"identifier": "api", "scopes": {}}, "pre_token_generation": TRIGGER, **variables},
    )


def _regional(**variables: Any) -> dict[str, Any]:
    base = {"region": "us-east-1", "name": "kit", "openapi_path": "x", "operations": {}, "functions": {}}
    names = {
        "table_name": "kit",
        "home_region": "us-east-1",
        "secret_name": "kit/app",
        "user_pool_arn": "arn",
        "kms_key_arn": "arn",
        "release_settings": {"codedeploy_role_arn": "arn"},
    }
    return _evaluate("regional", {**base, **names, **variables})


def _refused(message: str, evaluate: Any, **variables: Any) -> None:
    with pytest.raises(hcl.EvaluationError) as error:
        evaluate(**variables)
    assert message in " ".join(str(error.value).split())


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        # 1: TTL is not supported on MRSC tables
        ({"table": {"consistency_mode": "STRONG", "enable_ttl": True}}, "does not support TTL on multi-Region"),
        # 3: DynamoDB table names are 3-255 characters
        ({"name": "ab"}, "a DynamoDB table name needs at least 3"),
        # issue 10: the V2_0 pre token generation trigger needs access-token customization
        ({"cognito": {"user_pool_tier": "LITE"}}, "cognito.user_pool_tier must be ESSENTIALS or PLUS"),
        ({"cognito": {"user_pool_tier": "essentials"}}, "which the LITE plan does not have"),
        # 3: role and function names are at most 64 characters
        (
            {
                "name": "a" * 24,
                "operations": {
                    "o" * 40: {"method": "get", "path": "/x", "access": [], "table_modes": ["EVENTUAL"], "grants": {}}
                },
            },
            "must be at most 64 characters",
        ),
        # 11: DEVELOPER email needs an SES identity
        ({"cognito": {"email": {"sending_account": "DEVELOPER"}}}, "ARN of a verified SES identity"),
        ({"cognito": {"email": {"sending_account": "SES"}}}, "must be COGNITO_DEFAULT or DEVELOPER"),
    ],
)
def test_global_module_refuses(variables: dict[str, Any], message: str) -> None:
    _refused(message, _global, **variables)


def test_global_module_refuses_strong_for_handlers_that_do_not_run_on_it(routes: dict[str, Any]) -> None:
    # GIVEN a manifest whose first operation's handler declares EVENTUAL only (so it has no STRONG grants)
    operation_id, first = sorted(routes["operations"].items())[0]
    eventual = {"table_modes": ["EVENTUAL"], "grants": {"EVENTUAL": first["grants"]["EVENTUAL"]}}
    operations = {**routes["operations"], operation_id: {**first, **eventual}}
    # THEN a STRONG table is refused at plan time, naming the operation
    _refused(
        f"table.consistency_mode STRONG is not supported by the handler code of: {operation_id}",
        _global,
        operations=operations,
        table={"consistency_mode": "STRONG"},
    )
    # AND this build's handlers run on both modes
    assert _global(operations=routes["operations"], table={"consistency_mode": "STRONG"}) == {"ok": True}


def test_global_module_accepts_strong_without_ttl_and_ses_email() -> None:
    ses = "arn:aws:ses:us-east-1:123456789012:identity/example.com"
    email = {"sending_account": "DEVELOPER", "source_arn": ses}
    assert _global(table={"consistency_mode": "STRONG"}, cognito={"email": email}) == {"ok": True}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        # 16: Lambda's environment rules
        ({"lambda_settings": {"environment": {"AWS_REGION": "x"}}}, "a key Lambda reserves"),
        ({"lambda_settings": {"environment": {"TABLE_NAME": "x"}}}, "must not set TABLE_NAME"),
        ({"lambda_settings": {"environment": {"A-B": "x"}}}, "only letters, digits and underscores"),
        ({"lambda_settings": {"environment": {"BIG": "x" * 4000}}}, "Lambda allows 4 KB"),
        # 6: the web ACL must be regional and in the stage's region
        (
            {"web_acl_arn": "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/rate/0000"},
            "web ACL ARN in this module's region",
        ),
        (
            {"web_acl_arn": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/rate/0000"},
            "must be a REGIONAL WAFv2 web ACL ARN",
        ),
        # 6: the kit's web ACL takes what AWS WAF takes, and a stage has one web ACL
        ({"waf": {"create": True, "rate_limit": 5}}, "waf.rate_limit must be a whole number of requests between 10"),
        ({"waf": {"create": True, "rate_limit": 99.5}}, "waf.rate_limit must be a whole number"),
        ({"waf": {"create": True, "evaluation_window_sec": 180}}, "must be 60, 120, 300 or 600"),
        ({"waf": {"create": True, "action": "allow"}}, 'waf.action must be "block" (answer 403) or "count"'),
        (
            {"waf": {"create": True}, "web_acl_arn": "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/rate/0000"},
            "Set waf.create = true or web_acl_arn, not both",
        ),
    ],
)
def test_regional_module_refuses(variables: dict[str, Any], message: str) -> None:
    _refused(message, _regional, **variables)


# Provider CHANGELOG: the release that added each argument modules/global uses.
ARGUMENT_RELEASES = {"consistency_mode": (6, 3), "deletion_protection_enabled": (6, 9), "global_table_witness": (6, 22)}


@pytest.mark.parametrize("module", ["api", "global", "regional"])
def test_provider_floor_covers_the_arguments_used(module: str) -> None:
    # 4: a floor below the release of an argument gives "Unsupported argument" to direct callers.
    versions = (MODULES / module / "versions.tf").read_text()
    floor = tuple(int(part) for part in versions.split('version = ">= ')[-1].split('"')[0].split("."))
    assert floor >= max(ARGUMENT_RELEASES.values())


def test_logging_role_output_waits_for_its_policy() -> None:
    # 12: UpdateAccount must not run before the managed policy is attached.
    output = hcl.find(hcl.blocks(MODULES / "global"), "output", "api_gateway_cloudwatch_role_arn")
    assert output.attributes["depends_on"] == "[aws_iam_role_policy_attachment.api_gateway_cloudwatch]"


def test_rest_api_is_not_create_before_destroy() -> None:
    # 13: it would propagate to everything the API depends on, for nothing.
    api = hcl.find(hcl.blocks(MODULES / "regional"), "resource", "aws_api_gateway_rest_api", "this")
    assert [block for block in api.blocks if block.kind == "lifecycle"] == []


def test_account_setting_is_off_by_default() -> None:
    # 5: one setting per account and region; provider 6 resets it on destroy.
    for module in ("api", "regional"):
        variable = hcl.find(hcl.blocks(MODULES / module), "variable", "create_api_gateway_account")
        assert variable.attributes["default"] == "false"


def test_contract_operation_id_limit_matches_the_longest_name() -> None:
    # 3: contract/operation.py refuses ids that cannot fit 64 with the longest `name` Terraform takes.
    from contract.operation import MAX_NAME_PREFIX, MAX_OPERATION_ID

    for module in ("api", "global"):
        assert f"{{2,{MAX_NAME_PREFIX - 1}}}" in (MODULES / module / "variables.tf").read_text()
    assert MAX_NAME_PREFIX + 1 + MAX_OPERATION_ID == 64
