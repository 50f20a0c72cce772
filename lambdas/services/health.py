"""Health of the serving region: its table and its secret, each checked with a short timeout.

Route 53 probes GET /health and fails the region over when it answers 503, so the checks run side by
side (the answer comes within about one timeout) and never raise: a failing dependency is reported,
not thrown.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_secretsmanager import SecretsManagerClient

    from lambdas.contract_types import DependencyCheck, Health

Dependency = Literal["table", "secret"]
DEADLINE_SECONDS: Final = 2.5
"""A check still running after this is reported as failed (the clients' own timeouts should come first)."""
_USABLE_TABLE_STATES: Final = frozenset({"ACTIVE", "UPDATING"})


def _run(probe: Callable[[], bool], results: dict[str, tuple[bool, int]], name: str) -> None:
    start = time.perf_counter()
    try:
        ok = probe()
    except Exception:  # any failure (timeout, missing resource, access denied) means "not ok"
        ok = False
    results[name] = (ok, int((time.perf_counter() - start) * 1000))


def check_health(
    dynamodb: DynamoDBClient, table: str, secretsmanager: SecretsManagerClient, secret_id: str, region: str
) -> Health:
    """Check the table (DescribeTable) and the secret (DescribeSecret: the value is never fetched) at once."""
    probes: dict[Dependency, Callable[[], bool]] = {
        "table": lambda: dynamodb.describe_table(TableName=table)["Table"].get("TableStatus") in _USABLE_TABLE_STATES,
        "secret": lambda: "DeletedDate" not in secretsmanager.describe_secret(SecretId=secret_id),
    }
    results: dict[str, tuple[bool, int]] = {}
    start = time.perf_counter()
    threads = {
        name: threading.Thread(target=_run, args=(probe, results, name), daemon=True) for name, probe in probes.items()
    }
    for thread in threads.values():
        thread.start()
    checks: list[DependencyCheck] = []
    for name, thread in threads.items():
        thread.join(max(0.0, DEADLINE_SECONDS - (time.perf_counter() - start)))
        ok, latency_ms = results.get(name, (False, int((time.perf_counter() - start) * 1000)))
        checks.append({"name": name, "ok": ok, "latencyMs": latency_ms})
    return {"status": "ok" if all(check["ok"] for check in checks) else "degraded", "region": region, "checks": checks}
