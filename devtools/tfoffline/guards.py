"""Hand guards: the provider-side rules a schema cannot express, for the resources this project uses.

A schema knows names, types and required/optional/computed. The real provider also has value
validators, defaults and cross-field rules; a few of those matter for this kit and are repeated here,
worded like the real provider (or the AWS API) words them. The stand-in runs them while validating
(values known then) and again while planning (values that were unknown at validate time).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeGuard

from devtools.tfoffline.cty import UNKNOWN

# Regions where DynamoDB multi-Region strong consistency (MRSC) can be used; all replicas of one
# table must come from the same set.
MRSC_REGION_SETS = {
    "US": frozenset({"us-east-1", "us-east-2", "us-west-2"}),
    "EU": frozenset({"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"}),
    "AP": frozenset({"ap-northeast-1", "ap-northeast-2", "ap-northeast-3"}),
}
BILLING_MODES = ("PAY_PER_REQUEST", "PROVISIONED")
STREAM_VIEW_TYPES = ("KEYS_ONLY", "NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE")
CONSISTENCY_MODES = ("EVENTUAL", "STRONG")
LOG_RETENTION_DAYS: tuple[int, ...] = (0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096)
LOG_RETENTION_DAYS += (1827, 2192, 2557, 2922, 3288, 3653)
ENDPOINT_TYPES = ("EDGE", "PRIVATE", "REGIONAL")
# WAFv2 value validators of hashicorp/aws (internal/service/wafv2, the commits named in
# schemas/hashicorp-aws-6.47.0.supplement.json): enum.Validate[awstypes.Scope] and
# [awstypes.RateBasedStatementAggregateKeyType] (the AWS API's enums, API_CreateWebACL / API_RateBasedStatement).
WAF_SCOPES = ("CLOUDFRONT", "REGIONAL")
WAF_AGGREGATE_KEY_TYPES = ("IP", "FORWARDED_IP", "CUSTOM_KEYS", "CONSTANT")
# schemas.go rateBasedStatementSchema: "evaluation_window_sec" validation.IntInSlice([]int{60, 120, 300, 600}).
WAF_EVALUATION_WINDOWS = (60, 120, 300, 600)
# schemas.go rateBasedStatementSchema: "limit" validation.IntBetween(10, 2000000000) (AWS lowered the floor from 100).
WAF_RATE_LIMIT = (10, 2_000_000_000)
# web_acl.go "name" and schemas.go visibilityConfigSchema "metric_name": StringLenBetween(1, 128) and this pattern.
WAF_NAME = re.compile(r"^[0-9A-Za-z_-]+$")
WAF_NAME_MESSAGE = "must contain only alphanumeric hyphen and underscore characters"
# AWS WAF API CreateWebACL, Description: length 1-256 and this pattern; the provider checks the length only
# (web_acl.go "description" StringLenBetween(1, 256)), so a parenthesis failed every apply.
WAF_DESCRIPTION = re.compile(r"^[\w+=:#@/\-,\.][\w+=:#@/\-,\.\s]+[\w+=:#@/\-,\.]$")
# Cognito developer guide, cognito-user-pools-assign-domain-prefix: a prefix may not contain these.
COGNITO_RESERVED = ("aws", "amazon", "cognito")


@dataclass(frozen=True)
class Finding:
    """One error, with the attribute path it points at (names and list indexes)."""

    summary: str
    detail: str = ""
    path: tuple[str | int, ...] = ()


Guard = Callable[[dict[str, Any], str], list[Finding]]


def check(type_name: str, config: Any, region: str) -> list[Finding]:
    """Every finding for one resource or data source configuration (unknown values are skipped)."""
    guard = GUARDS.get(type_name)
    if guard is None or not isinstance(config, dict):
        return []
    return guard(config, region)


def _known(value: Any) -> TypeGuard[Any]:
    # A TypeGuard, so mypy knows a known value is no longer None (the value's type comes from cty).
    return value is not None and value is not UNKNOWN


def _one_of(
    config: dict[str, Any], name: str, allowed: tuple[Any, ...], path: tuple[str | int, ...] = ()
) -> list[Finding]:
    value = config.get(name)
    if not _known(value) or value in allowed:
        return []
    shown = " ".join(f'"{item}"' if isinstance(item, str) else str(item) for item in allowed)
    return [Finding(f"expected {name} to be one of [{shown}], got {value}", path=(*path, name))]


def _between(config: dict[str, Any], name: str, low: int, high: int) -> list[Finding]:
    value = config.get(name)
    if not _known(value) or low <= value <= high:
        return []
    return [Finding(f"expected {name} to be in the range ({low} - {high}), got {value}", path=(name,))]


def _blocks(config: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = config.get(name)
    if not _known(value):
        return []
    return [item for item in value if isinstance(item, dict)]


# --------------------------------------------------------------------------------------------------
# aws_dynamodb_table


def dynamodb_table(config: dict[str, Any], region: str) -> list[Finding]:
    """billing_mode values, capacities per billing mode, streams, replicas and strong consistency."""
    findings = _one_of(config, "billing_mode", BILLING_MODES)
    findings += _one_of(config, "stream_view_type", STREAM_VIEW_TYPES)
    findings += _capacity(config)
    findings += _streams(config)
    findings += _replicas(config, config.get("region") if _known(config.get("region")) else region)
    return findings


def _capacity(config: dict[str, Any]) -> list[Finding]:
    mode = config.get("billing_mode")
    if mode is UNKNOWN:
        return []
    mode = mode or "PROVISIONED"  # the provider's default
    findings = []
    gsis = [("global_secondary_index", i, gsi) for i, gsi in enumerate(_blocks(config, "global_secondary_index"))]
    for owner, index, holder in [("", 0, config), *gsis]:
        where = f" (global_secondary_index {holder.get('name')})" if owner else ""
        base: tuple[str | int, ...] = (owner, index) if owner else ()
        for name in ("read_capacity", "write_capacity"):
            value = holder.get(name)
            if mode == "PAY_PER_REQUEST" and _known(value) and value > 0:
                findings.append(
                    Finding(
                        f'{name} can not be set when billing_mode is "PAY_PER_REQUEST"{where}',
                        "On-demand tables and their indexes have no provisioned capacity; remove it or use "
                        'billing_mode = "PROVISIONED".',
                        (*base, name),
                    )
                )
            if mode == "PROVISIONED" and value is None:
                findings.append(Finding(f'{name} must be set when billing_mode is "PROVISIONED"{where}', path=base))
    return findings


def _streams(config: dict[str, Any]) -> list[Finding]:
    enabled, view = config.get("stream_enabled"), config.get("stream_view_type")
    if enabled is True and view is None:
        return [Finding("stream_view_type is required when stream_enabled = true", path=("stream_view_type",))]
    if enabled is False and _known(view) and view:
        return [Finding("stream_view_type can only be set when stream_enabled = true", path=("stream_view_type",))]
    return []


def _replicas(config: dict[str, Any], table_region: Any) -> list[Finding]:
    replicas = _blocks(config, "replica")
    if not replicas:
        return []
    findings = []
    if config.get("stream_enabled") is False or (
        _known(config.get("stream_view_type")) and config["stream_view_type"] != "NEW_AND_OLD_IMAGES"
    ):
        findings.append(
            Finding(
                "replicas need streams with NEW_AND_OLD_IMAGES",
                "DynamoDB global tables replicate through the stream: set stream_enabled = true and "
                'stream_view_type = "NEW_AND_OLD_IMAGES".',
                ("stream_view_type",),
            )
        )
    regions = [r.get("region_name") for r in replicas]
    known_regions: list[str] = [r for r in regions if _known(r)]
    if _known(table_region) and table_region in known_regions:
        findings.append(
            Finding(
                f"replica region {table_region} is the table's own region",
                "A replica block names the other regions only; the table itself already lives in its region.",
                ("replica",),
            )
        )
    duplicates = sorted({r for r in known_regions if known_regions.count(r) > 1})
    if duplicates:
        findings.append(Finding(f"replica regions repeat: {', '.join(duplicates)}", path=("replica",)))
    for i, replica in enumerate(replicas):
        findings += _one_of(replica, "consistency_mode", CONSISTENCY_MODES, ("replica", i))
    findings += _strong_consistency(config, replicas, table_region, known_regions)
    return findings


def _strong_consistency(
    config: dict[str, Any], replicas: list[dict[str, Any]], table_region: Any, regions: list[str]
) -> list[Finding]:
    modes = [r.get("consistency_mode") for r in replicas]
    if "STRONG" not in modes or UNKNOWN in modes:
        return []
    findings = []
    if any(mode != "STRONG" for mode in modes):
        findings.append(
            Finding("all replicas of a strongly consistent table must use consistency_mode STRONG", path=("replica",))
        )
    witness = [w.get("region_name") for w in _blocks(config, "global_table_witness")]
    total = 1 + len(replicas) + len(witness)
    if total != 3 or len(replicas) not in (1, 2) or (len(replicas) == 1 and not witness):
        findings.append(
            Finding(
                "multi-Region strong consistency needs exactly three regions",
                "Either two replicas, or one replica and a global_table_witness, besides the table's region; "
                f"got {total}.",
                ("replica",),
            )
        )
    if not all(_known(r) for r in regions + witness) or not _known(table_region):
        return findings
    everyone = {table_region, *regions, *witness}
    if not any(everyone <= region_set for region_set in MRSC_REGION_SETS.values()):
        sets = "; ".join(f"{name}: {', '.join(sorted(members))}" for name, members in MRSC_REGION_SETS.items())
        findings.append(
            Finding(
                f"regions {', '.join(sorted(everyone))} are not one multi-Region strong consistency region set",
                f"All regions of a strongly consistent global table must belong to one set ({sets}).",
                ("replica",),
            )
        )
    return findings


# --------------------------------------------------------------------------------------------------
# others


def lambda_function(config: dict[str, Any], region: str) -> list[Finding]:
    """memory_size and timeout ranges."""
    return _between(config, "memory_size", 128, 10240) + _between(config, "timeout", 1, 900)


def log_group(config: dict[str, Any], region: str) -> list[Finding]:
    """retention_in_days is one of CloudWatch's fixed values."""
    return _one_of(config, "retention_in_days", LOG_RETENTION_DAYS)


def rest_api(config: dict[str, Any], region: str) -> list[Finding]:
    """endpoint_configuration types."""
    findings = []
    for i, endpoint in enumerate(_blocks(config, "endpoint_configuration")):
        for item in endpoint.get("types") or []:
            if _known(item) and item not in ENDPOINT_TYPES:
                findings.append(
                    Finding(
                        f"expected types to be one of {list(ENDPOINT_TYPES)}, got {item}",
                        path=("endpoint_configuration", i, "types"),
                    )
                )
    return findings


def archive_file(config: dict[str, Any], region: str) -> list[Finding]:
    """Exactly one source, as the archive provider demands."""
    given = [name for name in ("source_file", "source_dir", "source_content") if config.get(name) is not None]
    if config.get("source"):
        given.append("source")
    if config.get("source_content") is not None and config.get("source_content_filename") is None:
        return [Finding('"source_content": all of `source_content,source_content_filename` must be specified')]
    if len(given) == 1 or UNKNOWN in (config.get("source_file"), config.get("source_dir"), config.get("source")):
        return []
    return [
        Finding(
            'Invalid combination of arguments: "source_file": one of '
            "`source,source_content_filename,source_dir,source_file` must be specified",
            f"Got {', '.join(given) or 'none'}.",
        )
    ]


# --------------------------------------------------------------------------------------------------
# aws_wafv2_web_acl, aws_wafv2_web_acl_association


def _waf_name(config: dict[str, Any], name: str, path: tuple[str | int, ...] = ()) -> list[Finding]:
    value = config.get(name)
    if not _known(value):
        return []
    if not 1 <= len(value) <= 128:
        return [Finding(f"expected length of {name} to be in the range (1 - 128), got {value}", path=(*path, name))]
    if not WAF_NAME.match(value):
        return [Finding(f"invalid value for {name} ({WAF_NAME_MESSAGE})", path=(*path, name))]
    return []


def _one_action(holder: dict[str, Any], name: str, choices: tuple[str, ...], where: str) -> list[Finding]:
    blocks = _blocks(holder, name)
    given = [choice for block in blocks for choice in choices if _blocks(block, choice)]
    # A dynamic block whose for_each is not known yet (validate time) decides nothing.
    if any(block.get(choice) is UNKNOWN for block in blocks for choice in choices):
        return []
    if not blocks or len(given) == 1:
        return []
    return [
        Finding(
            f"{where}{name} must set exactly one of {', '.join(choices)}",
            f"Got {', '.join(given) or 'none'}; AWS WAF refuses the web ACL (WAFInvalidParameterException).",
            (name,) if not where else ("rule",),
        )
    ]


def _waf_description(config: dict[str, Any]) -> list[Finding]:
    value = config.get("description")
    if not _known(value) or (1 <= len(value) <= 256 and WAF_DESCRIPTION.match(value)):
        return []
    return [
        Finding(
            f"invalid value for description ({value!r} does not match the CreateWebACL Description pattern)",
            "AWS WAF refuses it (WAFInvalidParameterException): letters, digits, whitespace and + = : # @ / - , . "
            "only, neither starting nor ending with whitespace; no parentheses.",
            ("description",),
        )
    ]


def web_acl(config: dict[str, Any], region: str) -> list[Finding]:
    """Name, description, scope, visibility metric names, rate-based statements, and one action per rule."""
    findings = _waf_name(config, "name") + _waf_description(config) + _one_of(config, "scope", WAF_SCOPES)
    # AWS API DefaultAction: "You must specify either this Block option or Allow" (exactly one).
    findings += _one_action(config, "default_action", ("allow", "block"), "")
    for visibility in _blocks(config, "visibility_config"):
        findings += _waf_name(visibility, "metric_name", ("visibility_config", 0))
    for rule in _blocks(config, "rule"):
        # Paths stop at the rule: a set's elements have no index Terraform could point at.
        where = f"rule {rule.get('name')}: "
        if _known(rule.get("name")) and not 1 <= len(rule["name"]) <= 128:  # web_acl.go rule "name"
            summary = f"expected length of name to be in the range (1 - 128), got {rule['name']}"
            findings.append(Finding(summary, path=("rule",)))
        for visibility in _blocks(rule, "visibility_config"):
            findings += [Finding(where + f.summary, path=("rule",)) for f in _waf_name(visibility, "metric_name")]
        # AWS API Rule: Action is for rules whose statement does not reference a rule group, OverrideAction
        # only for those that do; the kit's statements never do, so an action must be there.
        if not _blocks(rule, "action"):
            summary = f"{where}action is required for a rule that does not reference a rule group"
            findings.append(Finding(summary, path=("rule",)))
        findings += _one_action(rule, "action", ("allow", "block", "captcha", "challenge", "count"), where)
        for statement in _blocks(rule, "statement"):
            for rate in _blocks(statement, "rate_based_statement"):
                findings += _rate_based(rate, where)
    return findings


def _rate_based(rate: dict[str, Any], where: str) -> list[Finding]:
    low, high = WAF_RATE_LIMIT
    found = _between(rate, "limit", low, high) + _one_of(rate, "evaluation_window_sec", WAF_EVALUATION_WINDOWS)
    found += _one_of(rate, "aggregate_key_type", WAF_AGGREGATE_KEY_TYPES)
    return [Finding(where + finding.summary, finding.detail, ("rule",)) for finding in found]


def web_acl_association(config: dict[str, Any], region: str) -> list[Finding]:
    """A stage takes a REGIONAL web ACL of its own region."""
    # AWS API AssociateWebACL: a CloudFront (global) ACL is never associated this way, and the
    # resource and the ACL are in one region (WAF developer guide, "Associating a protection").
    acl = config.get("web_acl_arn")
    if not _known(acl) or not acl.startswith("arn:"):
        return []
    parts = acl.split(":", 5)
    where = config.get("region") if _known(config.get("region")) else region
    if len(parts) == 6 and parts[5].startswith("global/"):
        return [
            Finding(
                "web_acl_arn is a CLOUDFRONT (global) web ACL",
                "Only a REGIONAL web ACL can be associated with a regional resource such as an API Gateway stage.",
                ("web_acl_arn",),
            )
        ]
    if len(parts) == 6 and parts[3] != where:
        return [Finding(f"web_acl_arn is in {parts[3]}, the association in {where}", path=("web_acl_arn",))]
    return []


# --------------------------------------------------------------------------------------------------
# aws_cloudwatch_metric_alarm, aws_cognito_user_pool_domain


def metric_alarm(config: dict[str, Any], region: str) -> list[Finding]:
    """Every action ARN is in the alarm's own region."""
    # PutMetricAlarm answers "Invalid region X specified. Only Y is supported." for an action of another
    # region (CloudWatch user guide, AlarmThatSendsEmail: the alarm and its SNS topic share a region).
    where = config.get("region") if _known(config.get("region")) else region
    findings = []
    for name in ("alarm_actions", "ok_actions", "insufficient_data_actions"):
        actions = config.get(name)
        for arn in actions if _known(actions) else []:
            parts = arn.split(":") if _known(arn) else []
            if len(parts) > 3 and parts[0] == "arn" and parts[3] and parts[3] != where:
                findings.append(
                    Finding(
                        f"Invalid region {parts[3]} specified. Only {where} is supported. ({name}: {arn})",
                        f"A CloudWatch alarm in {where} notifies only ARNs of {where}: give each region its own topic.",
                        (name,),
                    )
                )
    return findings


def user_pool_domain(config: dict[str, Any], region: str) -> list[Finding]:
    """A prefix domain holds none of Cognito's reserved words (a custom domain has dots and may)."""
    domain = config.get("domain")
    if not _known(domain) or "." in domain:
        return []
    reserved = [word for word in COGNITO_RESERVED if word in domain.lower()]
    if not reserved:
        return []
    return [
        Finding(
            f"domain prefix {domain!r} contains the reserved word {reserved[0]!r}",
            "Cognito refuses a hosted-UI prefix containing aws, amazon or cognito (CreateUserPoolDomain).",
            ("domain",),
        )
    ]


GUARDS: dict[str, Guard] = {
    "aws_cloudwatch_metric_alarm": metric_alarm,
    "aws_cognito_user_pool_domain": user_pool_domain,
    "aws_wafv2_web_acl": web_acl,
    "aws_wafv2_web_acl_association": web_acl_association,
    "aws_dynamodb_table": dynamodb_table,
    "aws_lambda_function": lambda_function,
    "aws_cloudwatch_log_group": log_group,
    "aws_api_gateway_rest_api": rest_api,
    "archive_file": archive_file,
}
