"""Hand guards: rules the schema cannot carry, checked on configuration values."""

from __future__ import annotations

from typing import Any

from devtools.tfoffline import guards
from devtools.tfoffline.cty import UNKNOWN


def _table(**values: Any) -> dict[str, Any]:
    base = {"name": "t", "billing_mode": "PAY_PER_REQUEST", "stream_enabled": True}
    return {**base, "stream_view_type": "NEW_AND_OLD_IMAGES", **values}


def _summaries(config: dict[str, Any], region: str = "us-east-1") -> list[str]:
    return [finding.summary for finding in guards.check("aws_dynamodb_table", config, region)]


def _replicas(*regions: str, mode: str = "STRONG") -> list[dict[str, Any]]:
    return [{"region_name": region, "consistency_mode": mode} for region in regions]


def test_guard_accepts_the_kits_table() -> None:
    assert _summaries(_table(replica=_replicas("us-east-2", "us-west-2", mode="EVENTUAL"))) == []


def test_guard_rejects_unknown_billing_mode() -> None:
    assert _summaries(_table(billing_mode="ON_DEMAND")) == [
        'expected billing_mode to be one of ["PAY_PER_REQUEST" "PROVISIONED"], got ON_DEMAND'
    ]


def test_guard_rejects_capacity_on_on_demand_indexes() -> None:
    gsi = {"name": "by_owner", "read_capacity": 5}
    assert _summaries(_table(global_secondary_index=[gsi])) == [
        'read_capacity can not be set when billing_mode is "PAY_PER_REQUEST" (global_secondary_index by_owner)'
    ]


def test_guard_requires_capacity_when_provisioned_by_default() -> None:
    # GIVEN no billing_mode: the provider's default is PROVISIONED
    summaries = _summaries(_table(billing_mode=None))
    assert 'read_capacity must be set when billing_mode is "PROVISIONED"' in summaries


def test_guard_skips_unknown_values() -> None:
    assert _summaries(_table(billing_mode=UNKNOWN, read_capacity=5)) == []


def test_guard_rejects_replica_in_the_tables_own_region() -> None:
    assert "replica region us-east-1 is the table's own region" in _summaries(
        _table(replica=_replicas("us-east-1", mode="EVENTUAL"))
    )


def test_guard_requires_new_and_old_images_for_replicas() -> None:
    summaries = _summaries(_table(stream_view_type="KEYS_ONLY", replica=_replicas("us-east-2", mode="EVENTUAL")))
    assert summaries == ["replicas need streams with NEW_AND_OLD_IMAGES"]


def test_guard_accepts_strong_consistency_in_three_regions_of_one_set() -> None:
    assert _summaries(_table(replica=_replicas("us-east-2", "us-west-2"))) == []


def test_guard_accepts_strong_consistency_with_a_witness() -> None:
    config = _table(replica=_replicas("us-east-2"), global_table_witness=[{"region_name": "us-west-2"}])
    assert _summaries(config) == []


def test_guard_rejects_strong_consistency_in_two_regions() -> None:
    assert _summaries(_table(replica=_replicas("us-east-2"))) == [
        "multi-Region strong consistency needs exactly three regions"
    ]


def test_guard_rejects_strong_consistency_across_region_sets() -> None:
    summaries = _summaries(_table(replica=_replicas("eu-west-1", "us-west-2")))
    assert summaries == [
        "regions eu-west-1, us-east-1, us-west-2 are not one multi-Region strong consistency region set"
    ]


def test_guard_rejects_mixed_consistency_modes() -> None:
    replicas = [*_replicas("us-east-2"), *_replicas("us-west-2", mode="EVENTUAL")]
    assert "all replicas of a strongly consistent table must use consistency_mode STRONG" in _summaries(
        _table(replica=replicas)
    )


def test_guard_checks_lambda_ranges() -> None:
    findings = guards.check("aws_lambda_function", {"memory_size": 64, "timeout": 901}, "us-east-1")
    assert [f.summary for f in findings] == [
        "expected memory_size to be in the range (128 - 10240), got 64",
        "expected timeout to be in the range (1 - 900), got 901",
    ]


def test_guard_checks_log_retention_values() -> None:
    findings = guards.check("aws_cloudwatch_log_group", {"retention_in_days": 10}, "us-east-1")
    assert len(findings) == 1
    assert findings[0].summary.startswith("expected retention_in_days to be one of [0 1 3 5 7 14 30")


def test_guard_wants_exactly_one_archive_source() -> None:
    both = {"source_file": "a.py", "source_dir": "src", "source_content": None, "source": []}
    assert len(guards.check("archive_file", both, "us-east-1")) == 1
    one = {"source_file": "a.py", "source_dir": None, "source_content": None, "source": []}
    assert guards.check("archive_file", one, "us-east-1") == []


def _acl(**rate: Any) -> dict[str, Any]:
    rule = {
        "name": "rate-per-ip",
        "action": [{"block": [{}], "allow": [], "captcha": [], "challenge": [], "count": []}],
        "statement": [{"rate_based_statement": [{"limit": 2000, "evaluation_window_sec": 300, **rate}]}],
        "visibility_config": [{"metric_name": "kit-rate-per-ip"}],
    }
    return {
        "name": "kit",
        "scope": "REGIONAL",
        "default_action": [{"allow": [{}], "block": []}],
        "visibility_config": [{"metric_name": "kit"}],
        "rule": [rule],
    }


def _waf(type_name: str, config: dict[str, Any]) -> list[str]:
    return [finding.summary for finding in guards.check(type_name, config, "us-east-1")]


def test_guard_accepts_the_kits_web_acl() -> None:
    assert _waf("aws_wafv2_web_acl", _acl(aggregate_key_type="IP")) == []


def test_guard_skips_unknown_web_acl_values() -> None:
    # GIVEN values a validate cannot know yet (variables, dynamic blocks)
    config = _acl(limit=UNKNOWN, evaluation_window_sec=UNKNOWN)
    config["rule"][0]["action"] = [{"block": UNKNOWN, "count": UNKNOWN}]
    assert _waf("aws_wafv2_web_acl", config) == []


def test_guard_rejects_a_rule_with_two_actions() -> None:
    config = _acl()
    config["rule"][0]["action"][0]["count"] = [{}]
    assert _waf("aws_wafv2_web_acl", config) == [
        "rule rate-per-ip: action must set exactly one of allow, block, captcha, challenge, count"
    ]


def test_guard_rejects_a_rate_limit_above_the_maximum() -> None:
    assert _waf("aws_wafv2_web_acl", _acl(limit=2_000_000_001)) == [
        "rule rate-per-ip: expected limit to be in the range (10 - 2000000000), got 2000000001"
    ]


def test_guard_rejects_a_web_acl_name_over_128_characters() -> None:
    assert _waf("aws_wafv2_web_acl", {**_acl(), "name": "a" * 129}) == [
        f"expected length of name to be in the range (1 - 128), got {'a' * 129}"
    ]


def test_guard_rejects_a_web_acl_of_another_region() -> None:
    acl = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/kit/0000-1111"
    assert _waf("aws_wafv2_web_acl_association", {"web_acl_arn": acl, "region": None}) == [
        "web_acl_arn is in eu-west-1, the association in us-east-1"
    ]


def test_guard_accepts_an_unknown_web_acl_arn() -> None:
    assert _waf("aws_wafv2_web_acl_association", {"web_acl_arn": UNKNOWN, "region": "us-east-1"}) == []


def test_guard_accepts_the_kits_web_acl_description() -> None:
    assert _waf("aws_wafv2_web_acl", {**_acl(), "description": "kit: requests per source IP in eu-west-1"}) == []


def test_guard_rejects_a_web_acl_description_with_parentheses() -> None:
    # GIVEN the description the kit had: CreateWebACL's pattern has no parentheses (every apply failed)
    description = "kit: requests per source IP (us-east-1)"
    assert _waf("aws_wafv2_web_acl", {**_acl(), "description": description}) == [
        f"invalid value for description ({description!r} does not match the CreateWebACL Description pattern)"
    ]


def test_guard_rejects_an_alarm_action_of_another_region() -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:kit-alarms"
    alarm = {"region": "eu-west-1", "alarm_actions": [topic], "ok_actions": [topic]}
    assert _waf("aws_cloudwatch_metric_alarm", alarm)[0] == (
        f"Invalid region us-east-1 specified. Only eu-west-1 is supported. (alarm_actions: {topic})"
    )


def test_guard_accepts_alarm_actions_of_the_alarms_region() -> None:
    topic = "arn:aws:sns:eu-west-1:123456789012:kit-alarms"
    assert _waf("aws_cloudwatch_metric_alarm", {"region": "eu-west-1", "alarm_actions": [topic, UNKNOWN]}) == []
    assert _waf("aws_cloudwatch_metric_alarm", {"region": "eu-west-1", "ok_actions": UNKNOWN}) == []


def test_guard_rejects_a_hosted_ui_prefix_with_a_reserved_word() -> None:
    assert _waf("aws_cognito_user_pool_domain", {"domain": "myaws-api-123456789012"}) == [
        "domain prefix 'myaws-api-123456789012' contains the reserved word 'aws'"
    ]


def test_guard_accepts_a_custom_hosted_ui_domain() -> None:
    assert _waf("aws_cognito_user_pool_domain", {"domain": "auth.aws-fans.example.com"}) == []
