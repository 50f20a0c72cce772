"""Home-region calls: MRSC write conflicts retried, then 503 with Retry-After; homes found once per environment."""

import random

import pytest

from lambdas import aws
from lambdas.awsclient import ClientError, EndpointConnectionError
from lambdas.runtime.errors import REGION_RETRY_AFTER_SECONDS, UnavailableError, unavailable
from lambdas.services import home


def conflict() -> ClientError:
    return ClientError({"Error": {"Code": "ReplicatedWriteConflictException", "Message": "busy"}}, "PutItem")


class Clock:
    """A fake clock the fake sleep advances."""

    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def test_retry_conflicts_runs_the_write_again_until_the_other_region_is_done():
    clock, attempts = Clock(), []

    def write() -> str:
        attempts.append(clock.now)
        if len(attempts) < 3:
            raise conflict()
        return "written"

    assert home.retry_conflicts(write, clock.sleep, lambda: clock.now) == "written"
    assert len(attempts) == 3
    assert all(0 <= pause <= home.CONFLICT_CAP_SECONDS for pause in clock.pauses)


def test_retry_conflicts_past_its_deadline_is_503_with_retry_after():
    clock = Clock()

    def write() -> str:
        raise conflict()

    with pytest.raises(UnavailableError) as raised:
        home.retry_conflicts(write, clock.sleep, lambda: clock.now)
    assert raised.value.retry_after == home.RETRY_AFTER_SECONDS
    assert clock.now <= home.CONFLICT_DEADLINE_SECONDS


def test_retry_conflicts_passes_other_errors_through_at_once():
    def write() -> str:
        raise ClientError({"Error": {"Code": "ConditionalCheckFailedException", "Message": "no"}}, "PutItem")

    with pytest.raises(ClientError):
        home.retry_conflicts(write, lambda _: pytest.fail("no retry"), lambda: 0.0)


def test_retry_conflicts_pauses_do_not_repeat_with_the_random_module_state():
    # Environments restored from one SnapStart snapshot share `random`'s state; the pauses must not follow it
    def pauses_after_seeding() -> list[float]:
        random.seed(20261202)
        clock, attempts = Clock(), []

        def write() -> str:
            attempts.append(clock.now)
            if len(attempts) < 4:
                raise conflict()
            return "written"

        home.retry_conflicts(write, clock.sleep, lambda: clock.now)
        return clock.pauses

    assert pauses_after_seeding() != pauses_after_seeding()


class Replica:
    """One region's replica of the table, holding HOME records; counts its calls."""

    def __init__(self, homes: dict[str, str] | None = None, down: bool = False) -> None:
        self.homes = dict(homes or {})
        self.down = down
        self.calls: list[str] = []

    def get_item(self, TableName: str, Key: dict, ConsistentRead: bool = False) -> dict:
        self.calls.append("GetItem")
        if self.down:
            raise EndpointConnectionError("refused")
        home = self.homes.get(Key["pk"]["S"])
        return {} if home is None else {"Item": {"home": {"S": home}}}

    def put_item(self, TableName: str, Item: dict, ConditionExpression: str) -> dict:
        self.calls.append("PutItem")
        self.homes.setdefault(Item["pk"]["S"], Item["home"]["S"])
        return {}


def replicas(clients: dict[str, Replica], cache: aws.HomeCache | None) -> home.Replicas:
    return home.Replicas("eu-west-1", "us-east-1", False, clients.__getitem__, cache)  # type: ignore[arg-type]


def test_home_region_is_a_home_failure_only_for_another_region_s_replica():
    both = replicas({}, None)
    # another region's replica that does not answer: the data's home is down (503, Retry-After 2)
    with pytest.raises(UnavailableError) as raised, home.home_region(both, "us-east-1"):
        raise EndpointConnectionError("refused")
    assert raised.value.retry_after == home.RETRY_AFTER_SECONDS
    # the serving region's own: the region's failure, left to lambdas/runtime/errors.py (Retry-After 5)
    with pytest.raises(EndpointConnectionError), home.home_region(both, "eu-west-1"):
        raise EndpointConnectionError("refused")
    assert unavailable(EndpointConnectionError("refused")).retry_after == REGION_RETRY_AFTER_SECONDS


def test_find_home_reads_the_home_record_once_per_warm_environment():
    # GIVEN an entity homed in us-east-1, its record replicated here
    local = Replica({"USER#ada": "us-east-1"})
    cached = replicas({"eu-west-1": local, "us-east-1": Replica()}, aws.HomeCache(8))
    # WHEN two writes look its home up
    homes = [home.find_home(cached, "t", "USER#ada") for _ in range(2)]
    # THEN one GetItem answered both (a home never changes once claimed)
    assert homes == ["us-east-1", "us-east-1"]
    assert local.calls == ["GetItem"]
    # while without the cache every write pays it
    uncached = replicas({"eu-west-1": local, "us-east-1": Replica()}, None)
    home.find_home(uncached, "t", "USER#ada")
    assert local.calls == ["GetItem", "GetItem"]


def test_a_claimed_home_is_remembered_without_reading_it_back():
    local, registry = Replica(), Replica()
    cached = replicas({"eu-west-1": local, "us-east-1": registry}, aws.HomeCache(8))
    assert home.claim_home(cached, "t", "USER#new") == "eu-west-1"
    calls = (len(local.calls), len(registry.calls))
    assert home.claim_home(cached, "t", "USER#new") == "eu-west-1"
    assert (len(local.calls), len(registry.calls)) == calls


def test_the_home_cache_is_bounded_least_recently_used_first():
    cache = aws.HomeCache(2)
    cache.put("t", "USER#a", "us-east-1")
    cache.put("t", "USER#b", "eu-west-1")
    assert cache.get("t", "USER#a") == "us-east-1"  # a is now the most recently used
    cache.put("t", "USER#c", "us-east-1")
    assert (cache.get("t", "USER#a"), cache.get("t", "USER#b"), cache.get("t", "USER#c")) == (
        "us-east-1",
        None,
        "us-east-1",
    )
    assert cache.get("other-table", "USER#a") is None  # per table


def test_the_home_of_a_missing_record_is_not_remembered():
    local, registry = Replica(), Replica()
    cached = replicas({"eu-west-1": local, "us-east-1": registry}, aws.HomeCache(8))
    assert home.find_home(cached, "t", "USER#nobody") is None
    registry.homes["USER#nobody"] = "us-east-1"  # claimed by another region's first write since
    assert home.find_home(cached, "t", "USER#nobody") == "us-east-1"
