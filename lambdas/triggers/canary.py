"""The failover canary: what decides whether Route 53 sends callers to this region (not GET /health).

An EventBridge rule runs it every minute in each region (terraform/modules/regional/failover.tf). It raises
when the region cannot serve, so the function's Errors metric feeds the alarm behind the region's Route 53
health check. Two probes, neither of which a caller on the internet can make fail:

- dependencies, in-process, exactly as GET /health checks them (lambdas/services/health.py): the table's data
  plane and the secret. No public endpoint is involved, so no flood of requests can turn it red;
- the front door: GET of the health path through this region's own endpoint: the custom domain's regional
  endpoint (the API Gateway regional domain name, with the custom domain as TLS server name and Host, and its
  certificate verified, which Route 53's HTTPS checks never do) or, without a domain, the stage's invoke URL.
  A 2xx passes, and so does a 429: the domain, its base path mapping and the stage answered, and a throttled
  /health is exactly what an anonymous flood causes, never a failure of the region. Anything else (403 of a
  missing base path mapping, a 5xx, a TLS, DNS or connection error, a timeout) fails.

Each probe gets a second try before it counts: a loaded region's one slow answer is not an outage.
"""

from __future__ import annotations

import http.client
import os
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from lambdas import aws
from lambdas.awspool import tls_context
from lambdas.runtime.log import get_logger
from lambdas.services.health import check_health

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_secretsmanager import SecretsManagerClient

TIMEOUT_SECONDS: Final = 5.0
"""Per front-door request: well inside the function's timeout (two tries of each probe)."""
TRIES: Final = 2
PASSING: Final = frozenset({429})
"""Statuses outside 2xx that still pass the front door (see the module docstring)."""


class CanaryError(Exception):
    """The region failed a probe: the invocation fails, which is the signal."""


@dataclass(frozen=True, slots=True)
class FrontDoor:
    """Where the front-door probe connects, the name it presents (SNI and Host), and the path it asks for."""

    host: str
    server_name: str
    path: str
    port: int = 443
    tls: bool = True

    @classmethod
    def from_environment(cls) -> FrontDoor:
        """CANARY_HOST, CANARY_SERVER_NAME and CANARY_PATH, as Terraform sets them."""
        host = os.environ["CANARY_HOST"]
        return cls(host, os.environ.get("CANARY_SERVER_NAME") or host, os.environ["CANARY_PATH"])


class _Connection(http.client.HTTPSConnection):
    """HTTPS to `host` with another TLS server name: the regional endpoint of a custom domain."""

    def __init__(self, door: FrontDoor, timeout: float) -> None:
        super().__init__(door.host, door.port, timeout=timeout, context=tls_context())
        self._server_name = door.server_name

    def connect(self) -> None:
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self._server_name)  # type: ignore[attr-defined]


def front_door(door: FrontDoor, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """None when the front door answers as it should, else what went wrong."""
    connection = (
        _Connection(door, timeout) if door.tls else http.client.HTTPConnection(door.host, door.port, timeout=timeout)
    )
    try:
        connection.request("GET", door.path, headers={"Host": door.server_name, "User-Agent": "failover-canary"})
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as error:  # ssl.SSLError and timeouts are OSError
        return f"front door: {type(error).__name__}: {error}"
    finally:
        connection.close()
    if 200 <= response.status < 300 or response.status in PASSING:
        return None
    return f"front door: HTTP {response.status}"


def dependencies(
    dynamodb: DynamoDBClient, table: str, secretsmanager: SecretsManagerClient, secret_id: str, region: str
) -> str | None:
    """None when the table and the secret serve, else which of them failed."""
    health = check_health(dynamodb, table, secretsmanager, secret_id, region)
    failing = [check["name"] for check in health["checks"] if not check["ok"]]
    return f"dependencies: {', '.join(failing)}" if failing else None


def probe(*checks: Any) -> list[str]:
    """Run each check (a callable returning None or a failure) up to TRIES times; the failures that remain."""
    failures = []
    for check in checks:
        failure = None
        for _ in range(TRIES):
            failure = check()
            if failure is None:
                break
        if failure is not None:
            failures.append(failure)
    return failures


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Probe the region; raise CanaryError (a function error, counted by the alarm) when it cannot serve."""
    config = aws.settings()
    door = FrontDoor.from_environment()
    failures = probe(
        lambda: dependencies(
            aws.health_dynamodb(), config.table_name, aws.health_secretsmanager(), config.secret_id, config.region
        ),
        lambda: front_door(door),
    )
    if failures:
        get_logger().error("region failing", extra={"failures": failures})
        raise CanaryError("; ".join(failures))
    return {"region": config.region, "ok": True}
