"""What lambdas.awsclient reads from the environment, as the SDKs define it; what it cannot honour it refuses.

Read once per client, at its creation (never at import: SnapStart). Each setting is the SDKs' own
(https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html; botocore/configprovider.py):
- endpoints: AWS_ENDPOINT_URL_<SERVICE ID> (DYNAMODB, SECRETS_MANAGER), then AWS_ENDPOINT_URL, both skipped when
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true (feature-ss-endpoints.html); a path in the URL is kept, as
  botocore keeps it (awsrequest._urljoin); else the service's endpoint rules (botocore's endpoint-rule-set-1.json
  of each service, over data/partitions.json) with AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT
  (feature-endpoints.html) and DynamoDB's account endpoints (AWS_ACCOUNT_ID, AWS_ACCOUNT_ID_ENDPOINT_MODE:
  feature-account-endpoints.html);
- retries: AWS_RETRY_MODE (only "standard" is implemented), AWS_MAX_ATTEMPTS (feature-retry-behavior.html);
- TLS: AWS_CA_BUNDLE (a file of PEM certificates that replaces the default store, as botocore's `verify`).
tests/lambdas/test_awsconfig.py checks the endpoints against botocore's own rule engine for every region of
every partition.

Unlike botocore, a region no partition claims is refused, not sent to an `amazonaws.com` host it guessed.
"""

from __future__ import annotations

import os
import re
from typing import Final, NamedTuple
from urllib.parse import urlsplit

from lambdas.awsretries import DEFAULT_MAX_ATTEMPTS, SERVICE_MAX_ATTEMPTS
from lambdas.awsservices import SERVICES, service_entry

SERVICE_IDS: Final = {name: entry.service_id for name, entry in SERVICES.items()}
"""Each service's serviceId (its model's metadata, lambdas/awsservices.py), which names its endpoint variable."""


class Partition(NamedTuple):
    """One partition of botocore's data/partitions.json: the regions it holds and its DNS suffixes.

    Only the pattern is kept: every region the file lists by name (but its `*-global` pseudo-regions, which
    are no Lambda region) also matches its partition's pattern and no other (tests/lambdas/test_awsconfig.py).
    """

    name: str
    region_regex: str
    dns_suffix: str
    dual_stack_dns_suffix: str


PARTITIONS: Final = (
    Partition("aws", r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$", "amazonaws.com", "api.aws"),
    Partition("aws-cn", r"^cn\-\w+\-\d+$", "amazonaws.com.cn", "api.amazonwebservices.com.cn"),
    Partition("aws-eusc", r"^eusc\-(de)\-\w+\-\d+$", "amazonaws.eu", "api.amazonwebservices.eu"),
    Partition("aws-iso", r"^us\-iso\-\w+\-\d+$", "c2s.ic.gov", "api.aws.ic.gov"),
    Partition("aws-iso-b", r"^us\-isob\-\w+\-\d+$", "sc2s.sgov.gov", "api.aws.scloud"),
    Partition("aws-iso-e", r"^eu\-isoe\-\w+\-\d+$", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"),
    Partition("aws-iso-f", r"^us\-isof\-\w+\-\d+$", "csp.hci.ic.gov", "api.aws.hci.ic.gov"),
    Partition("aws-us-gov", r"^us\-gov\-\w+\-\d+$", "amazonaws.com", "api.aws"),
)
"""botocore's data/partitions.json (tests/lambdas/test_awsconfig.py compares them); every one supports FIPS and
dual-stack endpoints there (the test checks that too)."""
EVENTS_FIPS_WITHOUT_PREFIX: Final = frozenset({"us-gov-east-1", "us-gov-west-1"})
"""GovCloud regions whose EventBridge FIPS endpoint is events.<region> (its endpoint-rule-set-1.json); in GovCloud its
dual-stack FIPS endpoint never has the -fips prefix."""
ACCOUNT_ID_ENDPOINT_MODES: Final = ("preferred", "disabled", "required")
ACCOUNT_ENDPOINT_REGIONS: Final = frozenset({"us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1"})
"""Regions outside partition aws where DynamoDB has account endpoints (its endpoint-rule-set-1.json)."""
RETRY_MODE: Final = "standard"
REFUSED: Final = {
    "AWS_ENDPOINT_URL_SECRETSMANAGER": "not an SDK variable: the SDKs read AWS_ENDPOINT_URL_SECRETS_MANAGER",
    "AWS_ENDPOINT_DISCOVERY_ENABLED": "endpoint discovery (DescribeEndpoints) is not implemented; unset it",
    "AWS_DEFAULTS_MODE": "only the default ('legacy') defaults mode is implemented; unset it",
    "AWS_PROFILE": "profiles are not read (no config or credentials file): unset it; a function gets its role's "
    "credentials from the environment (awscredentials.py)",
    "AWS_SDK_UA_APP_ID": "this client sends no User-Agent, so no app id: unset it",
}
"""Variables the SDKs read that this client does not implement: set (to anything but the default), they fail the
client's creation rather than be silently ignored."""
_DEFAULTS: Final = {
    "AWS_ENDPOINT_DISCOVERY_ENABLED": ("false", "auto"),
    "AWS_DEFAULTS_MODE": ("legacy",),
    "AWS_PROFILE": ("default",),
}
FILES_NOT_READ: Final = ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE")
"""The SDKs' shared files: this client reads neither, so one that exists is refused (its settings would be ignored);
a path to no file is what botocore also treats as no settings."""


class ClientConfigurationError(Exception):
    """An SDK setting in the environment that this client cannot honour, or an invalid value of one."""


class Config(NamedTuple):
    """A client's settings, as resolved from the environment and its arguments."""

    endpoint_url: str
    max_attempts: int
    ca_bundle: str | None


def _flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value not in ("", "true", "false"):
        raise ClientConfigurationError(f"{name} must be true or false, not {value!r}")
    return value == "true"


def partition(region: str) -> Partition:
    """The partition whose pattern matches `region` (botocore's aws.partition, which tries its lists first).

    A region no partition claims is refused: botocore would fall back to `aws` and guess a host.
    """
    for candidate in PARTITIONS:
        if re.match(candidate.region_regex, region):
            return candidate
    raise ClientConfigurationError(
        f"region {region!r} is in no known partition ({', '.join(p.name for p in PARTITIONS)}): check AWS_REGION"
    )


def configured_endpoint(service: str) -> str | None:
    """AWS_ENDPOINT_URL_<SERVICE ID>, then AWS_ENDPOINT_URL, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS."""
    if _flag("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"):
        return None
    name = "AWS_ENDPOINT_URL_" + service_entry(service).service_id.upper().replace(" ", "_")
    return os.environ.get(name) or os.environ.get("AWS_ENDPOINT_URL") or None


def rules_endpoint(
    service: str, region: str, *, fips: bool, dual_stack: bool, account_id: str | None, account_mode: str
) -> str:
    """The service's endpoint rules (endpoint-rule-set-1.json) for a region, without a configured endpoint.

    Each service has its own branch; one with none (unknown to lambdas/awsservices.py, or known there but without its
    rule here) is refused, never given another service's endpoint."""
    service_entry(service)  # UnknownServiceError names the services the client can call
    if not region:
        raise ClientConfigurationError("no region: set AWS_REGION")
    if service == "dynamodb" and region == "local":
        if fips or dual_stack:
            raise ClientConfigurationError("AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT: not with region local")
        return "http://localhost:8000"
    part = partition(region)
    suffix = part.dual_stack_dns_suffix if dual_stack else part.dns_suffix
    if service == "secretsmanager":
        if fips and part.name in ("aws", "aws-us-gov"):  # dual-stack too: the rule set says so
            return f"https://secretsmanager-fips.{region}.amazonaws.com"
        if dual_stack and not fips and part.name in ("aws", "aws-us-gov"):
            return f"https://secretsmanager.{region}.amazonaws.com"
        if dual_stack and not fips and part.name == "aws-cn":
            return f"https://secretsmanager.{region}.amazonaws.com.cn"
        return f"https://secretsmanager{'-fips' if fips else ''}.{region}.{suffix}"
    if service == "events":
        fips_prefix = not (part.name == "aws-us-gov" and (dual_stack or region in EVENTS_FIPS_WITHOUT_PREFIX))
        return f"https://events{'-fips' if fips and fips_prefix else ''}.{region}.{suffix}"
    if service == "sqs":  # its rule set: in GovCloud the FIPS endpoint without dual-stack is sqs.<region>
        if fips and not dual_stack and part.name == "aws-us-gov":
            return f"https://sqs.{region}.amazonaws.com"
        return f"https://sqs{'-fips' if fips else ''}.{region}.{suffix}"
    if service != "dynamodb":
        raise ClientConfigurationError(
            f"no endpoint rule for {service!r} in lambdas/awsconfig.py: add its botocore endpoint-rule-set-1.json rule"
        )
    accounts_here = part.name == "aws" or region in ACCOUNT_ENDPOINT_REGIONS
    if account_mode == "required" and (fips or not accounts_here):
        raise ClientConfigurationError(
            f"AWS_ACCOUNT_ID_ENDPOINT_MODE=required: DynamoDB has no account endpoints in {region}"
            + (" with FIPS" if fips else "")
        )
    if fips:
        return f"https://dynamodb{'' if part.name == 'aws-us-gov' and not dual_stack else '-fips'}.{region}.{suffix}"
    if accounts_here and account_mode != "disabled":
        if account_id:
            if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?", account_id):
                raise ClientConfigurationError(f"AWS_ACCOUNT_ID {account_id!r} is not a valid account id")
            return f"https://{account_id}.ddb.{region}.{suffix}"
        if account_mode == "required":
            raise ClientConfigurationError("AWS_ACCOUNT_ID_ENDPOINT_MODE=required but AWS_ACCOUNT_ID is not set")
    return f"https://dynamodb.{region}.{suffix}"


def resolve(service: str, region: str, endpoint_url: str | None, max_attempts: int | None) -> Config:
    """The client's endpoint, attempts and CA bundle; ClientConfigurationError names what cannot be honoured."""
    for name, reason in REFUSED.items():
        value = os.environ.get(name)
        if value and value.strip().lower() not in _DEFAULTS.get(name, ()):
            raise ClientConfigurationError(f"{name}={value}: {reason}")
    for name in FILES_NOT_READ:
        path = os.environ.get(name)
        if path and os.path.exists(path):  # noqa: PTH110 (pathlib costs an import)
            raise ClientConfigurationError(f"{name}={path}: shared config and credentials files are not read; unset it")
    mode = os.environ.get("AWS_RETRY_MODE", RETRY_MODE).strip().lower() or RETRY_MODE
    if mode != RETRY_MODE:
        raise ClientConfigurationError(f"AWS_RETRY_MODE={mode}: only {RETRY_MODE} retries are implemented; unset it")
    fips, dual_stack = _flag("AWS_USE_FIPS_ENDPOINT"), _flag("AWS_USE_DUALSTACK_ENDPOINT")
    account_mode = os.environ.get("AWS_ACCOUNT_ID_ENDPOINT_MODE", "preferred").strip().lower() or "preferred"
    if account_mode not in ACCOUNT_ID_ENDPOINT_MODES:
        raise ClientConfigurationError(
            f"AWS_ACCOUNT_ID_ENDPOINT_MODE must be one of {', '.join(ACCOUNT_ID_ENDPOINT_MODES)}, not {account_mode!r}"
        )
    url = endpoint_url or configured_endpoint(service)
    if url:
        if fips or dual_stack:  # the rule sets' "FIPS and custom endpoint are not supported"
            raise ClientConfigurationError(
                "AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT with a configured endpoint: unset one of them"
            )
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ClientConfigurationError(f"endpoint {url!r}: expected http(s)://host[:port][/path]")
    else:
        account_id = os.environ.get("AWS_ACCOUNT_ID") or None
        url = rules_endpoint(
            service, region, fips=fips, dual_stack=dual_stack, account_id=account_id, account_mode=account_mode
        )
    if max_attempts is None:
        configured = os.environ.get("AWS_MAX_ATTEMPTS")
        if configured:
            try:
                max_attempts = int(configured)
            except ValueError:
                raise ClientConfigurationError(f"AWS_MAX_ATTEMPTS must be an integer, not {configured!r}") from None
            if max_attempts < 1:
                raise ClientConfigurationError(f"AWS_MAX_ATTEMPTS must be at least 1, not {max_attempts}")
    if max_attempts is None:
        max_attempts = SERVICE_MAX_ATTEMPTS.get(service, DEFAULT_MAX_ATTEMPTS)
    ca_bundle = os.environ.get("AWS_CA_BUNDLE") or None
    if ca_bundle is not None and not os.path.isfile(ca_bundle):  # noqa: PTH113 (pathlib costs an import)
        raise ClientConfigurationError(f"AWS_CA_BUNDLE={ca_bundle}: no such file")
    return Config(url, max_attempts, ca_bundle)
