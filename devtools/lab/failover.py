"""The failover signal of the deployed kit, played locally: what the router's health checks look at.

terraform/modules/regional/failover.tf routes each region on a calculated Route 53 check of two alarms:
the failover canary (lambdas/triggers/canary.py, every minute: the region's table and secret in-process,
then GET /health through the region's own front door, a 429 passing) and the region's share of 5xx.
Here each router check is one canary run, with the region's own table link (so a cut table fails it) and
its own gateway as the front door, plus the share of 5xx the router forwarded from the region since the
last check; `failure_threshold` failing checks in a row stand for `health_check.failing_minutes`.
Nothing a caller sends to the router can make a run fail: the dependency probe has no public endpoint,
and a throttled /health passes the front door.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import boto3
from botocore.config import Config

from lambdas.triggers import canary
from localapi.backends.stack import CREDENTIALS

if TYPE_CHECKING:
    from devtools.lab.router import RegionHealth

ERROR_RATE_THRESHOLD: Final = 0.5
"""Terraform's health_check.error_rate_threshold default (modules/regional variables.tf)."""
HEALTH_CLIENT: Final = Config(connect_timeout=2.0, read_timeout=3.0, retries={"max_attempts": 1, "mode": "standard"})
"""lambdas/aws.py HEALTH_CONFIG, in botocore's terms."""


class CanarySignal:
    """One health check per call: the canary's probes and the error-rate alarm of a region."""

    def __init__(
        self,
        table_endpoints: dict[str, str],
        moto_endpoint: str,
        table: str,
        secret_id: str,
        error_rate_threshold: float = ERROR_RATE_THRESHOLD,
    ) -> None:
        self.table, self.secret_id = table, secret_id
        self.error_rate_threshold = error_rate_threshold
        self._clients: dict[str, tuple[Any, Any]] = {
            region: (
                boto3.client(  # type: ignore[call-overload]
                    "dynamodb", region_name=region, endpoint_url=endpoint, config=HEALTH_CLIENT, **CREDENTIALS
                ),
                boto3.client(  # type: ignore[call-overload]
                    "secretsmanager",
                    region_name=region,
                    endpoint_url=moto_endpoint,
                    config=HEALTH_CLIENT,
                    **CREDENTIALS,
                ),
            )
            for region, endpoint in table_endpoints.items()
        }
        self.failures: dict[str, list[str]] = {region: [] for region in table_endpoints}
        """The last run's failures per region (the canary's log line)."""

    def __call__(self, health: RegionHealth) -> tuple[bool, int | None]:
        dynamodb, secretsmanager = self._clients[health.region]
        host, port = health.url.removeprefix("http://").split(":")
        door = canary.FrontDoor(host, host, "/health", int(port), tls=False)
        failures = canary.probe(
            lambda: canary.dependencies(dynamodb, self.table, secretsmanager, self.secret_id, health.region),
            lambda: canary.front_door(door),
        )
        rate = health.error_rate()
        if rate is not None and rate > self.error_rate_threshold:
            failures.append(f"error rate: {rate:.0%} of the requests got a 5xx")
        self.failures[health.region] = failures
        return not failures, None
