"""The failover signal of the deployed kit, played locally: what the router's health checks look at.

terraform/modules/regional/failover.tf routes each region on a calculated Route 53 check of two alarms:
the failover canary (lambdas/triggers/canary.py, every minute: the region's table and secret in-process,
then GET of the contract's health path through the region's own front door, a 429 passing) and the
region's share of 5xx. Here each router check is one canary run, with the region's own table link (so a cut
table fails it) and its own gateway as the front door, plus the share of 5xx the router forwarded from the
region since the last check; `failure_threshold` failing checks in a row stand for
`health_check.failing_minutes`. An API without a health operation has no canary (the manifest's
triggers.canary): then, as in Terraform, the 5xx share alone decides. Nothing a caller sends to the router
can make a run fail: the dependency probe has no public endpoint, and a throttled health request passes the
front door.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import boto3
from botocore.config import Config

from lambdas.aws import HEALTH_CONFIG
from lambdas.triggers import canary
from localapi.backends.stack import CREDENTIALS

if TYPE_CHECKING:
    from devtools.lab.router import RegionHealth

HEALTH_CHECK_VARIABLE: Final = Path(__file__).resolve().parents[2] / "terraform/modules/regional/variables.tf"


def health_check_default(attribute: str) -> float:
    """A default of modules/regional's `health_check` (`<attribute> = optional(number, <default>)`), read where
    Terraform declares it."""
    text = HEALTH_CHECK_VARIABLE.read_text(encoding="utf-8")
    match = re.search(rf"^\s*{attribute}\s*=\s*optional\(number,\s*([0-9.]+)\)", text, re.MULTILINE)
    if match is None:
        raise LookupError(f"{HEALTH_CHECK_VARIABLE}: no `{attribute} = optional(number, ...)` in health_check")
    return float(match.group(1))


# The clients of the canary's dependency probe, as lambdas/aws.py configures them in Lambda.
HEALTH_CLIENT: Final = Config(
    connect_timeout=HEALTH_CONFIG["connect_timeout"],
    read_timeout=HEALTH_CONFIG["read_timeout"],
    retries={"max_attempts": int(HEALTH_CONFIG["max_attempts"]), "mode": "standard"},
)


class CanarySignal:
    """One health check per call: the canary's probes and the error-rate alarm of a region."""

    def __init__(
        self,
        table_endpoints: dict[str, str],
        moto_endpoint: str,
        table: str,
        secret_id: str,
        health_path: str | None,
        error_rate_threshold: float | None = None,
    ) -> None:
        self.table, self.secret_id, self.health_path = table, secret_id, health_path
        self.error_rate_threshold = (
            health_check_default("error_rate_threshold") if error_rate_threshold is None else error_rate_threshold
        )
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
        failures = [] if self.health_path is None else self._canary(health)
        rate = health.error_rate()
        if rate is not None and rate > self.error_rate_threshold:
            failures.append(f"error rate: {rate:.0%} of the requests got a 5xx")
        self.failures[health.region] = failures
        return not failures, None

    def _canary(self, health: RegionHealth) -> list[str]:
        dynamodb, secretsmanager = self._clients[health.region]
        host, port = health.url.removeprefix("http://").split(":")
        door = canary.FrontDoor(host, host, str(self.health_path), int(port), tls=False)
        return canary.probe(
            lambda: canary.dependencies(dynamodb, self.table, secretsmanager, self.secret_id, health.region),
            lambda: canary.front_door(door),
        )
