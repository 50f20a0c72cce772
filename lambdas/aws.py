"""AWS access for the handlers: settings from the environment, clients and the secret, once per container.

Everything is lazy and cached (functools.cache), so a warm invocation reuses the clients and tests
create them against moto (clear the caches with `reset()`). Clients are lambdas.awsclient's standard-library
client with botocore's call shape (botocore would cost ~200 ms of cold start: lambdas/README.md).
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, cast

from lambdas.awsclient import Client, ClientError, EndpointConnectionError
from lambdas.awsconfig import partition
from lambdas.awspool import close_all

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_secretsmanager import SecretsManagerClient

SECRET_TTL_SECONDS: Final = 300.0
"""How long a secret value is reused before it is read again (rotation is picked up within this)."""
CURRENT: Final = "AWSCURRENT"
HEALTH_CONFIG: Final = {"connect_timeout": 2.0, "read_timeout": 3.0, "max_attempts": 1}
"""Health checks answer within seconds: no retries. Not one second: on a loaded machine that reported a healthy
region as failing; Route 53 no longer probes /health (the failover canary decides), so no 4 s limit binds it."""
HOME_CONFIG: Final = {"connect_timeout": 2.0, "read_timeout": 5.0, "max_attempts": 2}
"""Cross-region calls fail fast (a home region that does not answer becomes a 503 with Retry-After)."""
DEFAULT_CONFIG: Final = {"connect_timeout": 60.0, "read_timeout": 60.0}
"""botocore's defaults; the attempts are its standard mode's for the service (4 for DynamoDB, 3 for Secrets
Manager: lambdas/awsretries.py), or AWS_MAX_ATTEMPTS."""


TABLE_CONSISTENCIES: Final = ("EVENTUAL", "STRONG")
"""The values of TABLE_CONSISTENCY (contract/operation.py TableConsistency)."""


class ConfigurationError(Exception):
    """A required environment variable is missing."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What Terraform (and Lambda, for the region) put in the environment."""

    table_name: str
    secret_id: str
    region: str
    home_region: str
    """HOME_REGION: where HOME_REGION data is written and where entities' homes are claimed (the first of `regions`;
    docs/consistency.md); the serving region when unset (one region)."""
    table_consistency: str = "EVENTUAL"
    """TABLE_CONSISTENCY: the global table's mode, EVENTUAL (MREC) or STRONG (MRSC), as Terraform created it."""

    @property
    def strong(self) -> bool:
        """Whether the table is multi-Region strongly consistent (every replica answers with the latest version)."""
        return self.table_consistency == "STRONG"


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ConfigurationError(f"environment variable {name} is not set")
    return value


@functools.cache
def settings() -> Settings:
    """The settings, read from the environment once per container."""
    region = os.environ.get("AWS_REGION") or _required("AWS_DEFAULT_REGION")
    consistency = os.environ.get("TABLE_CONSISTENCY") or "EVENTUAL"
    if consistency not in TABLE_CONSISTENCIES:
        raise ConfigurationError(
            f"TABLE_CONSISTENCY must be one of {', '.join(TABLE_CONSISTENCIES)}, not {consistency}"
        )
    return Settings(
        table_name=_required("TABLE_NAME"),
        secret_id=_required("SECRET_ID"),
        region=region,
        home_region=os.environ.get("HOME_REGION") or region,
        table_consistency=consistency,
    )


def _client(service: str, config: dict[str, Any] | None = None, region: str | None = None) -> Any:
    region = region or settings().region
    # Lambda sets no endpoint variable: the client uses the region's public endpoint. The local stack
    # (localapi) points each region's replica at its own link with DYNAMODB_ENDPOINT_<REGION>.
    variable = "DYNAMODB_ENDPOINT_" + region.upper().replace("-", "_")
    endpoint = os.environ.get(variable) if service == "dynamodb" else None
    return Client(service, region, endpoint_url=endpoint or None, **(config or DEFAULT_CONFIG))


@functools.cache
def dynamodb() -> DynamoDBClient:
    """The DynamoDB client of the serving region."""
    return cast("DynamoDBClient", _client("dynamodb"))


@functools.cache
def dynamodb_in(region: str) -> DynamoDBClient:
    """The DynamoDB client of `region`'s replica (the serving region's own client for the serving region).

    Home-region writes are sent to the home region's endpoint from every region, so the home replica
    evaluates every condition (a conditional write is evaluated against the replica it is sent to).
    """
    if region == settings().region:
        return dynamodb()
    return cast("DynamoDBClient", _client("dynamodb", HOME_CONFIG, region))


@functools.cache
def secretsmanager() -> SecretsManagerClient:
    """The Secrets Manager client of the serving region (the secret is replicated to every region)."""
    return cast("SecretsManagerClient", _client("secretsmanager"))


@functools.cache
def health_dynamodb() -> DynamoDBClient:
    """A DynamoDB client with one-second timeouts and no retries, for health checks."""
    return cast("DynamoDBClient", _client("dynamodb", HEALTH_CONFIG))


@functools.cache
def health_secretsmanager() -> SecretsManagerClient:
    """A Secrets Manager client with one-second timeouts and no retries, for health checks."""
    return cast("SecretsManagerClient", _client("secretsmanager", HEALTH_CONFIG))


@functools.cache
def client(service: str) -> Any:
    """A client of `service` in the serving region: any JSON-protocol service lambdas/awsclient.py knows (`SERVICES`),
    for the calls to the team's own resources an operation declares (contract/calls.py `Call`)."""
    return _client(service)


def resource_arn(name: str) -> str:
    """The ARN, in this region, of the team's resource declared as `Resource(name, ...)`: Terraform sets `<NAME>_ARN`
    from its `resources` variable (terraform/modules/regional/lambda.tf), on the functions that declare a call to it."""
    return _required(f"{name.upper()}_ARN")


def queue_url(name: str) -> str:
    """The URL of the team's SQS queue declared as `Resource(name, SQS_QUEUE)`, for SendMessage's QueueUrl, from its ARN
    (`arn:<partition>:sqs:<region>:<account>:<queue>`, Service Authorization Reference) as the SQS Developer Guide's
    "Amazon SQS queue and message identifiers" gives it: `https://sqs.us-east-2.amazonaws.com/123456789012/MyQueue`,
    i.e. the region's SQS endpoint (General Reference "Amazon Simple Queue Service endpoints and quotas":
    sqs.<region>.<the partition's DNS suffix>), then the account and the queue name. The request itself goes to the
    client's own endpoint (FIPS, dual-stack, AWS_ENDPOINT_URL_SQS): the URL names the queue."""
    arn = resource_arn(name)
    parts = arn.split(":")
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "sqs" or not all(parts[3:]):
        raise ConfigurationError(f"{name.upper()}_ARN is not an SQS queue ARN (arn:<partition>:sqs:...): {arn}")
    region, account, queue = parts[3:]
    return f"https://sqs.{region}.{partition(region).dns_suffix}/{account}/{queue}"


class SecretCache:
    """Secret values (JSON objects) kept in memory for `ttl` seconds. Values are never logged."""

    def __init__(self, ttl: float = SECRET_TTL_SECONDS, clock: Any = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._values: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}

    def get(
        self, client: SecretsManagerClient, secret_id: str, stage: str = CURRENT, max_age: float | None = None
    ) -> dict[str, Any]:
        """The JSON value at `stage` (a missing AWSPREVIOUS: {}), read at most once per `ttl` or `max_age`."""
        now = self.clock()
        cached = self._values.get((secret_id, stage))
        if cached is not None and now - cached[0] < (self.ttl if max_age is None else min(self.ttl, max_age)):
            return cached[1]
        try:
            value = json.loads(client.get_secret_value(SecretId=secret_id, VersionStage=stage)["SecretString"])
        except ClientError as error:
            if stage == CURRENT or error.code != "ResourceNotFoundException":
                raise
            value = {}
        if not isinstance(value, dict):
            raise ConfigurationError(f"secret {secret_id} is not a JSON object")
        self._values[(secret_id, stage)] = (now, value)
        return value

    def clear(self) -> None:
        """Forget every value."""
        self._values.clear()


secrets: Final = SecretCache()


class HomeCache:
    """Entities' homes this warm environment has seen, (table, pk) => region, the least recently used dropped past
    `size`. A home never changes once claimed (docs/consistency.md), so an entry never goes stale: a cached entity's
    writes skip the GetItem of its HOME record. An OrderedDict under a lock (stdlib only, as every handler module):
    the local gateway runs handlers on several threads at once."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._homes: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, table: str, pk: str) -> str | None:
        """The cached home, or None."""
        with self._lock:
            home = self._homes.get((table, pk))
            if home is not None:
                self._homes.move_to_end((table, pk))
            return home

    def put(self, table: str, pk: str, home: str) -> None:
        """Remember `pk`'s home."""
        with self._lock:
            self._homes[(table, pk)] = home
            self._homes.move_to_end((table, pk))
            while len(self._homes) > self.size:
                self._homes.popitem(last=False)

    def clear(self) -> None:
        """Forget every home (tests, or another table)."""
        with self._lock:
            self._homes.clear()


HOMES_CACHED: Final = 4096
"""Entities whose home a warm environment remembers (a few hundred bytes each)."""
homes: Final = HomeCache(HOMES_CACHED)
"""The container's secret cache."""


def secret(name: str) -> Any:
    """Field `name` of this function's secret (SECRET_ID), from the cache."""
    value = secrets.get(secretsmanager(), settings().secret_id)
    if name not in value:
        raise ConfigurationError(f"secret {settings().secret_id} has no field {name}")
    return value[name]


def reset() -> None:
    """Forget settings, clients, cached secrets and homes (tests, or after the environment changed)."""
    close_all()
    for cached in (settings, dynamodb, dynamodb_in, secretsmanager, health_dynamodb, health_secretsmanager, client):
        cached.cache_clear()
    secrets.clear()
    homes.clear()


__all__ = ["ClientError", "EndpointConnectionError"]
