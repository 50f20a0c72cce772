"""Health of the serving region: what a request needs, each checked with a short timeout.

- table: DescribeTable says ACTIVE/UPDATING *and* a strongly consistent GetItem on a key no item uses
  answers (the data plane the handlers use, not only the control plane);
- secret: GetSecretValue answers and the value is a JSON object whose `cursor_hmac_key` is a
  non-empty string (a secret without a value, e.g. `secret.generate_value = false` and nothing set
  yet, makes list_items fail). The value is never logged or returned.

GET /health (for people and monitors) and the failover canary (lambdas/triggers/canary.py, what Route 53's
decision rests on) both run it. The checks run side by side (the answer comes within about one timeout) and
never raise: a failing dependency is reported, not thrown.
"""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_secretsmanager import SecretsManagerClient

    from lambdas.contract_types import DependencyCheck, Health

Dependency = Literal["table", "secret"]
DEADLINE_SECONDS: Final = 4.0
"""A check still running after this is reported as failed (the clients' own timeouts should come first)."""
_USABLE_TABLE_STATES: Final = frozenset({"ACTIVE", "UPDATING"})
_PROBE_KEY: Final = {"pk": {"S": "HEALTH#probe"}, "sk": {"S": "HEALTH#probe"}}
"""A key no item uses: GetItem on it exercises the data plane without reading user data."""
_SECRET_FIELD: Final = "cursor_hmac_key"


def _table_usable(dynamodb: DynamoDBClient, table: str) -> bool:
    if dynamodb.describe_table(TableName=table)["Table"].get("TableStatus") not in _USABLE_TABLE_STATES:
        return False
    # Strongly consistent: an MRSC replica that has lost its quorum still serves eventually consistent reads
    # but refuses these (and writes), so the region must report unhealthy and be failed over
    # (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-global-table-design.html).
    dynamodb.get_item(TableName=table, Key=_PROBE_KEY, ConsistentRead=True)  # raises when the data plane refuses
    return True


def _secret_usable(secretsmanager: SecretsManagerClient, secret_id: str) -> bool:
    value = json.loads(secretsmanager.get_secret_value(SecretId=secret_id)["SecretString"])
    return isinstance(value, dict) and isinstance(value.get(_SECRET_FIELD), str) and bool(value[_SECRET_FIELD])


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
    """Check the table (state and a data-plane read) and the secret (its value's shape) at once."""
    probes: dict[Dependency, Callable[[], bool]] = {
        "table": lambda: _table_usable(dynamodb, table),
        "secret": lambda: _secret_usable(secretsmanager, secret_id),
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
