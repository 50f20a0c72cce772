"""Home-region writes across two regions: the four guarantees, repeated as tests.

Against the local two-region stack (us-east-1 and eu-west-1; the replicator plays the global table with last
writer wins, and each region's Lambdas reach the other's replica through a link delayed by the latency table's
85 ms). The demo account is homed where its first write was served; every account write is a conditional write
in that home replica, so exactly one writer of a version wins, wherever it is served, and every acknowledged
write survives replication. Reads are local; a client sending back its Consistency-Token never reads older.
"""

from __future__ import annotations

import threading
import time
from functools import partial
from typing import TYPE_CHECKING, Any

import pytest

from devtools.lab.client import Reply, call
from localapi.backends.stack import TABLE_NAME

if TYPE_CHECKING:
    from devtools.lab.cluster import LocalApi

pytestmark = pytest.mark.slow
HOME, AWAY = "us-east-1", "eu-west-1"
SCOPES = ["api/accounts.read", "api/accounts.write", "api/items.write", "api/hits.write"]


@pytest.fixture(scope="module")
def token(two_regions: LocalApi) -> str:
    return two_regions.token(SCOPES)


class Ledger:
    """Every write a client saw acknowledged (200), in order."""

    def __init__(self, local: LocalApi, token: str) -> None:
        self.local, self.token = local, token
        self.acknowledged: list[dict[str, Any]] = []
        self.start = current(local, token)["version"]

    def put(self, location: str, version: int, name: str) -> Reply:
        reply = call(
            self.local.url,
            "PUT",
            "/v1/accounts/me",
            token=self.token,
            body={"displayName": name, "locale": "en-GB", "version": version},
            headers={"X-Localapi-Location": location},
        )
        assert reply.region == location, "the router must send each caller to its own region"
        assert reply.status in (200, 409), reply.body
        return reply

    def record(self, replies: list[Reply]) -> None:
        self.acknowledged += [reply.body for reply in replies if reply.status == 200]

    def assert_nothing_lost(self) -> None:
        """Each acknowledged write made the next version, and both replicas converge on the last one."""
        assert [a["version"] for a in self.acknowledged] == list(
            range(self.start + 1, self.start + 1 + len(self.acknowledged))
        ), "an acknowledged write was overwritten (two writes acknowledged for one version)"
        assert self.local.replicator is not None and self.local.replicator.wait_idle()
        last = self.acknowledged[-1]
        for region in (HOME, AWAY):
            stored = replica(self.local, region)
            assert (int(stored["version"]["N"]), stored["displayName"]["S"]) == (last["version"], last["displayName"])


def current(local: LocalApi, token: str, location: str = HOME, at_least: int | None = None) -> dict[str, Any]:
    """The account read in `location`, sending `at_least` as the Consistency-Token (read your writes)."""
    headers = {"X-Localapi-Location": location}
    if at_least is not None:
        headers["Consistency-Token"] = str(at_least)
    reply = call(local.url, "GET", "/v1/accounts/me", token=token, headers=headers)
    assert reply.status == 200, reply.body
    assert reply.headers["consistency-token"] == str(reply.body["version"])
    return dict(reply.body)


def replica(local: LocalApi, region: str) -> dict[str, Any]:
    """The demo user's account as stored in `region`'s replica (the only account in the table)."""
    items = local.moto.client("dynamodb", region).scan(
        TableName=TABLE_NAME,
        FilterExpression="sk = :account",
        ExpressionAttributeValues={":account": {"S": "ACCOUNT"}},
        ConsistentRead=True,
    )["Items"]
    assert len(items) == 1
    return dict(items[0])


def together(calls: list[Any]) -> list[Reply]:
    """Run the calls at the same moment (a barrier), return their replies in order."""
    barrier = threading.Barrier(len(calls))
    replies: list[Reply | None] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        replies[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(reply is not None for reply in replies)
    return [reply for reply in replies if reply is not None]


def test_same_version_put_in_each_region_together_one_200_one_409_nothing_lost(two_regions, token):
    ledger = Ledger(two_regions, token)
    wins = {HOME: 0, AWAY: 0}
    for trial in range(50):
        version = ledger.start + trial
        replies = together([partial(ledger.put, r, version, f"t{trial}-{r}") for r in (HOME, AWAY)])
        assert sorted(reply.status for reply in replies) == [200, 409], [r.body for r in replies]
        ledger.record(replies)
        wins[next(r.region for r in replies if r.status == 200) or "?"] += 1
    print(f"\nSAME-VERSION PAIRS trials=50 one_200_one_409=50 wins={wins}")
    ledger.assert_nothing_lost()


def test_five_writers_per_region_exactly_one_winner_per_trial(two_regions, token):
    ledger = Ledger(two_regions, token)
    for trial in range(10):
        version = ledger.start + trial
        calls = [partial(ledger.put, r, version, f"t{trial}-{r}-{w}") for r in (HOME, AWAY) for w in range(5)]
        replies = together(calls)
        assert sorted(reply.status for reply in replies) == [200] + [409] * 9
        ledger.record(replies)
    print("\nFIVE WRITERS PER REGION trials=10 winners_per_trial=1 acknowledged=10 lost=0")
    ledger.assert_nothing_lost()


@pytest.mark.parametrize("gap_ms", [0, 25, 50, 75, 100, 150])
def test_write_in_one_region_then_the_other_after_a_gap_the_second_is_409(two_regions, token, gap_ms):
    ledger = Ledger(two_regions, token)
    for trial in range(10):
        version = ledger.start + trial
        first = ledger.put(HOME, version, f"home-{gap_ms}-{trial}")
        time.sleep(gap_ms / 1000)
        second = ledger.put(AWAY, version, f"away-{gap_ms}-{trial}")
        assert (first.status, second.status) == (200, 409)
        ledger.record([first, second])
    ledger.assert_nothing_lost()


def test_a_stale_write_from_the_other_region_never_takes_the_version_back(two_regions, token):
    ledger = Ledger(two_regions, token)
    for trial in range(10):
        base = ledger.start + 3 * trial
        ledger.record([ledger.put(HOME, base + step, f"home-{trial}-{step}") for step in range(3)])
        stale = ledger.put(AWAY, base, f"stale-{trial}")  # eu-west-1 still believes version `base`
        assert stale.status == 409
        assert current(two_regions, token, AWAY, at_least=base + 3)["version"] == base + 3  # never older
    ledger.assert_nothing_lost()
