"""The failover signal, locally: a flood of anonymous /health cannot move routing; a table outage does.

Route 53 used to probe the public, throttled GET /health and count a 429 as a failure, so anyone could fail
a region over. The router here now routes as the deployed kit does (devtools/lab/failover.py: the failover
canary and the region's 5xx share). The same bounded flood (127.0.0.1 only) is sent against the old
signal too, to show the attack was real. Then a caller following the documented retry policy rides a
real table outage out: its requests answer 503 with Retry-After in the failed region (never 500), the
router fails it over, and the caller sees no error.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest

from devtools.lab.client import Outcome, RetryPolicy, call, call_with_retries
from devtools.lab.cluster import LocalApi, Options

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow
HOME, AWAY = "us-east-1", "eu-west-1"
FLOOD_REQUESTS = 400
"""A bounded flood: 400 anonymous GET /health from 8 threads, about 20 times the method's 10 per second."""
FLOOD_THREADS = 8


def _options(tmp_path_factory: pytest.TempPathFactory, signal: str) -> Options:
    return Options(
        regions=[HOME, AWAY],
        port=0,
        state_dir=tmp_path_factory.mktemp("state"),
        probe_interval=0.25,
        failure_threshold=2,
        failover_signal=signal,
    )


@pytest.fixture(scope="module")
def canary_routed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalApi]:
    with LocalApi(_options(tmp_path_factory, "canary")) as local:
        yield local


def flood(local: LocalApi) -> tuple[dict[int, int], list[bool]]:
    """Send the flood through the front door; the statuses seen, and HOME's health after every check meanwhile."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    seen: list[bool] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            local.router.wait_rounds(1, timeout=2.0)
            seen.append(local.router.regions[HOME].healthy)

    def send(_: int) -> None:
        status = call(local.url, "GET", "/health", timeout=10.0).status
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with ThreadPoolExecutor(FLOOD_THREADS) as pool:
        list(pool.map(send, range(FLOOD_REQUESTS)))
    assert local.router.wait_rounds(local.options.failure_threshold + 1, timeout=60.0)
    done.set()
    watcher.join(5)
    return statuses, seen


def test_failover_signal_a_health_flood_does_not_move_routing(canary_routed: LocalApi) -> None:
    local = canary_routed

    statuses, health = flood(local)

    assert statuses.get(429, 0) > FLOOD_REQUESTS // 2, statuses  # the flood did exhaust /health's throttle
    assert len(health) >= 2 * local.options.failure_threshold, "too few checks ran during the flood"
    assert all(health), f"{HOME} was failed over by anonymous /health requests: {health}"
    assert call(local.url, "GET", "/health").region == HOME
    print(f"flood (canary signal): {statuses}, {len(health)} checks, {HOME} healthy in all")  # pytest -rP


def test_failover_signal_the_old_signal_was_forgeable(tmp_path_factory: pytest.TempPathFactory) -> None:
    # GIVEN Route 53 probing the public /health, as the kit did before
    with LocalApi(_options(tmp_path_factory, "health")) as local:
        # WHEN anonymous callers flood it, in up to five bursts: on a loaded machine one burst can be slow
        # enough for a check to fall between its 429s, and an attacker simply keeps sending (CI saw 5 checks pass)
        for _ in range(5):
            statuses, health = flood(local)
            if not all(health):
                break

    assert statuses.get(429, 0) > FLOOD_REQUESTS // 2, statuses
    assert not all(health), "the flood should have failed the region over under the old signal"
    print(f"flood (old /health signal): {statuses}, {HOME} unhealthy in {health.count(False)} of {len(health)} checks")


def test_failover_signal_a_table_outage_moves_callers_who_see_no_error(canary_routed: LocalApi) -> None:
    local = canary_routed
    token = local.token(["api/items.read", "api/items.write"])
    policy = RetryPolicy()
    outcomes: list[Outcome] = []
    stop = threading.Event()

    def caller() -> None:
        while not stop.is_set():
            outcomes.append(call_with_retries(local.url, "GET", "/v1/items", policy, token=token))
            key = {"Idempotency-Key": str(uuid.uuid4())}
            outcomes.append(
                call_with_retries(local.url, "POST", "/v1/items", policy, token=token, body={"name": "x"}, headers=key)
            )
            time.sleep(0.05)

    # GIVEN a caller served by its home region
    assert call(local.url, "GET", "/health").region == HOME
    thread = threading.Thread(target=caller, daemon=True)
    thread.start()
    time.sleep(1.0)

    # WHEN the home region's table becomes unreachable (its Lambdas and the other region's calls alike)
    local.set_table_reachable(HOME, False)
    assert local.router.wait_rounds(local.options.failure_threshold + 2, timeout=60.0)  # returns once they ran
    failed_over = not local.router.regions[HOME].healthy
    outage_started = time.monotonic()
    direct = call(local.gateways[HOME].url, "GET", "/v1/items", token=token)
    routed = call(local.url, "GET", "/v1/items", token=token)
    time.sleep(6.0)  # the caller retries through the outage (keyed creates wait for the home region)
    local.set_table_reachable(HOME, True)
    time.sleep(6.0)
    stop.set()
    thread.join(120)

    # THEN the failed region answered 503 with Retry-After, the router moved the caller, and no call failed
    assert failed_over, local.router.status()
    assert direct.status == 503 and int(direct.headers["retry-after"]) >= 1, (direct.status, direct.body)
    assert routed.status == 200 and routed.region == AWAY
    finals = [outcome.reply.status if outcome.reply else None for outcome in outcomes]
    assert finals and all(status is not None and status < 300 for status in finals), finals
    retried = [status for outcome in outcomes for status in outcome.statuses[:-1]]
    assert retried and set(retried) <= {503}, retried  # what the caller rode out: 503s, never a 500
    longest = max(outcome.retries for outcome in outcomes)
    print(  # the figures of /work/notes (pytest -rP shows them)
        f"drill: {len(outcomes)} calls, {sum(o.retries for o in outcomes)} retries (at most {longest} in one call), "
        f"0 client-visible errors; outage {time.monotonic() - outage_started:.1f} s"
    )
