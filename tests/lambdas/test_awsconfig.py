"""lambdas.awsconfig: the SDK settings the client honours, those it refuses by name, and its endpoints against
botocore's own endpoint rules and partitions (the pinned botocore is the oracle: a bump that changes them fails here).
"""

from __future__ import annotations

import functools
import itertools

import botocore.session
import pytest
from botocore.endpoint_provider import EndpointProvider
from botocore.exceptions import EndpointResolutionError

from lambdas import awsconfig, awsservices
from lambdas.awsclient import Client
from lambdas.awsconfig import ClientConfigurationError
from lambdas.awsservices import UnknownServiceError

SERVICES = tuple(awsservices.SERVICES)
SETTINGS = (
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_ENDPOINT_URL_SECRETS_MANAGER",
    "AWS_ENDPOINT_URL_EVENTBRIDGE",
    "AWS_ENDPOINT_URL_SQS",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_ACCOUNT_ID",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
    "AWS_CA_BUNDLE",
    *awsconfig.REFUSED,
)


@pytest.fixture(autouse=True)
def _no_settings(aws_credentials, monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


def _loader():
    return botocore.session.get_session().get_component("data_loader")


def test_awsconfig_partitions_are_botocores():
    theirs = _loader().load_data("partitions")["partitions"]

    assert [
        awsconfig.Partition(p["id"], p["regionRegex"], p["outputs"]["dnsSuffix"], p["outputs"]["dualStackDnsSuffix"])
        for p in theirs
    ] == list(awsconfig.PARTITIONS)
    assert all(p["outputs"]["supportsFIPS"] and p["outputs"]["supportsDualStack"] for p in theirs)


def test_awsconfig_every_listed_region_matches_its_own_partitions_pattern_only():
    # botocore looks a region up in the partitions' lists before their patterns; the client keeps the patterns only
    for listed in _loader().load_data("partitions")["partitions"]:
        for region in listed["regions"]:
            if not region.endswith("-global"):  # pseudo-regions, no Lambda runs there
                assert awsconfig.partition(region).name == listed["id"], region


def _regions() -> list[str]:
    """Every region botocore lists, and one per partition that only its pattern claims."""
    partitions = _loader().load_data("partitions")["partitions"]
    listed = sorted({region for p in partitions for region in p["regions"] if not region.endswith("-global")})
    unlisted = ["us-west-9", "cn-south-7", "us-gov-north-3", "us-iso-south-4", "us-isob-north-2", "eu-isoe-north-5"]
    return [*listed, *unlisted, "us-isof-north-6", "eusc-de-west-8"]


@functools.cache
def _provider(service: str) -> EndpointProvider:
    loader = _loader()
    return EndpointProvider(
        ruleset_data=loader.load_service_model(service, "endpoint-rule-set-1"),
        partition_data=loader.load_data("partitions"),
    )


def _botocore_endpoint(service: str, **params: object) -> str:
    provider = _provider(service)
    try:
        return str(provider.resolve_endpoint(**params).url)
    except EndpointResolutionError:
        return "refused"


def _ours(service: str, region: str, fips: bool, dual_stack: bool, account_id: str | None, mode: str) -> str:
    try:
        return awsconfig.rules_endpoint(
            service, region, fips=fips, dual_stack=dual_stack, account_id=account_id, account_mode=mode
        )
    except ClientConfigurationError:
        return "refused"


@pytest.mark.parametrize("service", SERVICES)
def test_awsconfig_endpoints_are_botocores_for_every_region_fips_and_dual_stack(service):
    differences = []
    accounts = [(None, "preferred"), ("123456789012", "preferred"), ("123456789012", "disabled"), (None, "required")]
    for region, fips, dual_stack, (account_id, mode) in itertools.product(
        _regions(), (False, True), (False, True), accounts if service == "dynamodb" else [(None, "preferred")]
    ):
        params: dict[str, object] = {"Region": region, "UseFIPS": fips, "UseDualStack": dual_stack}
        if service == "dynamodb":
            params |= {"AccountIdEndpointMode": mode} | ({"AccountId": account_id} if account_id else {})
        theirs = _botocore_endpoint(service, **params)
        ours = _ours(service, region, fips, dual_stack, account_id, mode)
        if ours != theirs:
            differences.append((region, fips, dual_stack, account_id, mode, ours, theirs))

    assert differences == []


def test_awsconfig_a_region_no_partition_claims_is_refused_not_guessed():
    # botocore falls back to the aws partition and sends to an amazonaws.com host it made up
    assert _botocore_endpoint("dynamodb", Region="xx-nowhere-1", UseFIPS=False, UseDualStack=False).endswith(
        "amazonaws.com"
    )

    with pytest.raises(ClientConfigurationError, match="xx-nowhere-1.*no known partition"):
        Client("dynamodb", "xx-nowhere-1")


def test_awsconfig_iso_regions_get_their_partitions_suffix():
    assert Client("dynamodb", "us-iso-east-1").endpoint_url == "https://dynamodb.us-iso-east-1.c2s.ic.gov"
    assert (
        Client("secretsmanager", "us-isob-east-1").endpoint_url == "https://secretsmanager.us-isob-east-1.sc2s.sgov.gov"
    )


def test_awsconfig_fips_and_dual_stack_from_the_environment(monkeypatch):
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "true")
    assert Client("dynamodb", "eu-west-1").endpoint_url == "https://dynamodb-fips.eu-west-1.amazonaws.com"
    monkeypatch.setenv("AWS_USE_DUALSTACK_ENDPOINT", "true")
    assert Client("dynamodb", "eu-west-1").endpoint_url == "https://dynamodb-fips.eu-west-1.api.aws"
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "false")
    assert Client("secretsmanager", "eu-west-1").endpoint_url == "https://secretsmanager.eu-west-1.amazonaws.com"


def test_awsconfig_endpoint_variables_use_the_sdks_service_ids(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:6000/")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:7000/base")

    assert Client("secretsmanager", "eu-west-1").endpoint_url == "http://127.0.0.1:6000/"
    assert Client("dynamodb", "eu-west-1").path == "/base"
    monkeypatch.delenv("AWS_ENDPOINT_URL_DYNAMODB")
    assert Client("dynamodb", "eu-west-1").endpoint_url == "http://127.0.0.1:5000"


def test_awsconfig_an_unknown_service_is_refused_never_sent_to_another_services_endpoint():
    # the stranger's case: sqs (then unknown) resolved to https://<account>.ddb.<region>.amazonaws.com (DynamoDB's)
    for fips, dual_stack in itertools.product((False, True), repeat=2):
        with pytest.raises(UnknownServiceError, match=r"cannot call 'sns': it speaks the AWS JSON protocol to "):
            awsconfig.rules_endpoint(
                "sns", "eu-west-1", fips=fips, dual_stack=dual_stack, account_id="1234", account_mode="preferred"
            )
    with pytest.raises(UnknownServiceError, match="'sns'"):
        awsconfig.configured_endpoint("sns")


def test_awsconfig_a_known_service_without_its_endpoint_rule_is_refused(monkeypatch):
    # GIVEN a service added to lambdas/awsservices.py but not to rules_endpoint
    monkeypatch.setitem(
        awsservices.SERVICES, "kinesis", awsservices.Service("kinesis", "1.1", "Kinesis_20131202", "Kinesis")
    )

    with pytest.raises(ClientConfigurationError, match="no endpoint rule for 'kinesis' in lambdas/awsconfig.py"):
        awsconfig.rules_endpoint(
            "kinesis", "eu-west-1", fips=False, dual_stack=False, account_id="123456789012", account_mode="preferred"
        )


def test_awsconfig_ignore_configured_endpoint_urls(monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
    monkeypatch.setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")

    assert Client("dynamodb", "eu-west-1").endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("AWS_ENDPOINT_URL_SECRETSMANAGER", "http://127.0.0.1:1", "AWS_ENDPOINT_URL_SECRETS_MANAGER"),
        ("AWS_RETRY_MODE", "adaptive", "AWS_RETRY_MODE=adaptive"),
        ("AWS_RETRY_MODE", "legacy", "AWS_RETRY_MODE=legacy"),
        ("AWS_DEFAULTS_MODE", "in-region", "AWS_DEFAULTS_MODE"),
        ("AWS_ENDPOINT_DISCOVERY_ENABLED", "true", "AWS_ENDPOINT_DISCOVERY_ENABLED"),
        ("AWS_MAX_ATTEMPTS", "many", "AWS_MAX_ATTEMPTS"),
        ("AWS_MAX_ATTEMPTS", "0", "AWS_MAX_ATTEMPTS"),
        ("AWS_CA_BUNDLE", "/nonexistent/ca.pem", "AWS_CA_BUNDLE"),
        ("AWS_USE_FIPS_ENDPOINT", "yes", "AWS_USE_FIPS_ENDPOINT"),
        ("AWS_ACCOUNT_ID_ENDPOINT_MODE", "sometimes", "AWS_ACCOUNT_ID_ENDPOINT_MODE"),
        ("AWS_PROFILE", "dev", "AWS_PROFILE=dev: profiles are not read"),
        ("AWS_SDK_UA_APP_ID", "my-app", "AWS_SDK_UA_APP_ID=my-app"),
    ],
)
def test_awsconfig_what_cannot_be_honoured_is_refused_at_creation_by_name(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)

    with pytest.raises(ClientConfigurationError, match=message):
        Client("secretsmanager", "eu-west-1")


@pytest.mark.parametrize("name", ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"])
def test_awsconfig_a_shared_file_that_exists_is_refused_one_that_does_not_is_no_settings(monkeypatch, tmp_path, name):
    # botocore reads these files; this client reads neither, so an existing one would be ignored silently
    monkeypatch.setenv(name, str(tmp_path / "missing"))
    assert Client("dynamodb", "eu-west-1").endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"
    (tmp_path / "config").write_text("[default]\nregion = eu-west-1\n")
    monkeypatch.setenv(name, str(tmp_path / "config"))
    with pytest.raises(ClientConfigurationError, match=f"{name}=.*files are not read"):
        Client("dynamodb", "eu-west-1")


@pytest.mark.parametrize(
    ("name", "value"), [("AWS_DEFAULTS_MODE", "legacy"), ("AWS_RETRY_MODE", "standard"), ("AWS_PROFILE", "default")]
)
def test_awsconfig_the_defaults_spelled_out_are_accepted(monkeypatch, name, value):
    monkeypatch.setenv(name, value)

    assert Client("dynamodb", "eu-west-1").endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"


def test_awsconfig_fips_with_a_configured_endpoint_is_refused(monkeypatch):
    # the rule sets' "Invalid Configuration: FIPS and custom endpoint are not supported"
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "true")

    with pytest.raises(ClientConfigurationError, match="AWS_USE_FIPS_ENDPOINT"):
        Client("dynamodb", "eu-west-1")


def test_awsconfig_max_attempts_from_the_environment_and_botocores_per_service(monkeypatch):
    assert (Client("dynamodb", "eu-west-1").max_attempts, Client("secretsmanager", "eu-west-1").max_attempts) == (4, 3)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "7")
    assert Client("dynamodb", "eu-west-1").max_attempts == 7
    assert Client("dynamodb", "eu-west-1", max_attempts=1).max_attempts == 1  # an explicit setting wins, as Config


def test_awsconfig_ca_bundle_replaces_the_default_store(monkeypatch, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("AWS_CA_BUNDLE", str(bundle))

    client = Client("dynamodb", "eu-west-1")

    assert client.pool_key[3] == str(bundle)


def test_awsconfig_account_endpoints_from_aws_account_id(monkeypatch):
    monkeypatch.setenv("AWS_ACCOUNT_ID", "123456789012")
    assert Client("dynamodb", "eu-west-1").endpoint_url == "https://123456789012.ddb.eu-west-1.amazonaws.com"
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    assert Client("dynamodb", "eu-west-1").endpoint_url == "https://dynamodb.eu-west-1.amazonaws.com"
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "required")
    monkeypatch.delenv("AWS_ACCOUNT_ID")
    with pytest.raises(ClientConfigurationError, match="AWS_ACCOUNT_ID"):
        Client("dynamodb", "eu-west-1")
