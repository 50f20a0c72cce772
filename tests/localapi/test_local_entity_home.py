"""Each account's own home region, on the local two-region stack (EVENTUAL: the replicator, last writer wins).

One user is homed in each region (its first write was served there). What the issue asks to hold: reads
served by the caller's own replica (no cross-region call), a travelling user's write going home and its token
read never older, one region's table down costing only the writes homed there (503 with Retry-After) and
losing nothing, a write whose answer was lost answering 200, and a keyed create readable where it was answered.
Timings are measured by bench/homes.py, not asserted here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from devtools.lab.client import Reply, call
from localapi.backends.stack import TABLE_NAME

if TYPE_CHECKING:
    from devtools.lab.cluster import LocalApi

pytestmark = pytest.mark.slow
REGIONS = ("us-east-1", "eu-west-1")
SCOPES = ["api/accounts.read", "api/accounts.write", "api/items.read", "api/items.write"]


def get(local: LocalApi, token: str, where: str, at_least: int | None = None) -> Reply:
    headers = {"X-Localapi-Location": where}
    if at_least is not None:
        headers["Consistency-Token"] = str(at_least)
    return call(local.url, "GET", "/v1/accounts/me", token=token, headers=headers)


def put(local: LocalApi, token: str, where: str, version: int, name: str) -> Reply:
    body = {"displayName": name, "locale": "en-GB", "version": version}
    return call(local.url, "PUT", "/v1/accounts/me", token=token, body=body, headers={"X-Localapi-Location": where})


def stored(local: LocalApi, region: str, sub: str) -> dict[str, Any] | None:
    key = {"pk": {"S": f"USER#{sub}"}, "sk": {"S": "ACCOUNT"}}
    item = local.moto.client("dynamodb", region).get_item(TableName=TABLE_NAME, Key=key, ConsistentRead=True)
    return item.get("Item")


def cross_region_calls(local: LocalApi) -> int:
    return sum(link.connections for link in local.links.values())


class User:
    """A user homed in `home` (first write served there), and the last version the client saw."""

    def __init__(self, local: LocalApi, home: str, name: str) -> None:
        self.local, self.home = local, home
        self.token = local.token(SCOPES, username=name)
        first = put(local, self.token, home, 0, f"{name}-0")
        assert first.status == 200, first.body
        self.sub, self.version = first.body["accountId"], first.body["version"]
        self.acknowledged: list[dict[str, Any]] = [first.body]

    def write(self, where: str) -> Reply:
        reply = put(self.local, self.token, where, self.version, f"{self.home}-{where}-{self.version + 1}")
        if reply.status == 200:
            self.acknowledged.append(reply.body)
            self.version = reply.body["version"]
        return reply


@pytest.fixture(scope="module")
def users(two_regions: LocalApi) -> dict[str, User]:
    homed = {region: User(two_regions, region, f"homed-{region}") for region in REGIONS}
    assert two_regions.replicator is not None and two_regions.replicator.wait_idle()
    return homed


def test_entity_home_reads_are_served_where_the_caller_is_without_crossing_regions(two_regions, users):
    for region, user in users.items():
        before = cross_region_calls(two_regions)
        replies = [get(two_regions, user.token, region, at_least=user.version) for _ in range(5)]
        assert [(r.status, r.region, r.body["version"]) for r in replies] == [(200, region, user.version)] * 5
        assert cross_region_calls(two_regions) == before, "a read of a user homed here crossed regions"


def test_entity_home_writes_of_a_user_homed_here_stay_here(two_regions, users):
    for region, user in users.items():
        before = cross_region_calls(two_regions)
        assert user.write(region).status == 200
        assert cross_region_calls(two_regions) == before, "a write homed here crossed regions"


def test_entity_home_a_travelling_users_write_goes_home_and_its_token_never_reads_older(two_regions, users):
    user = users["us-east-1"]
    for _ in range(10):
        before = cross_region_calls(two_regions)
        written = user.write("eu-west-1")
        assert written.status == 200
        assert cross_region_calls(two_regions) > before  # the conditional write went to its home replica
        token = int(written.headers["consistency-token"])
        read = get(two_regions, user.token, "eu-west-1", at_least=token)  # before replication has delivered it
        assert (read.status, read.body["version"]) == (200, token)


@pytest.mark.parametrize("down", REGIONS)
def test_entity_home_one_region_down_costs_only_the_writes_homed_there_and_loses_nothing(two_regions, users, down):
    local = two_regions
    (up,) = [region for region in REGIONS if region != down]
    local.set_table_reachable(down, False)
    try:
        # every user's account is read in the other region (its replica), whoever's home is down
        for user in users.values():
            read = get(local, user.token, up)
            assert (read.status, read.region) == (200, up), read.body
        # writes of the user homed in the other region: as usual; of the user homed in the region down: 503
        for _ in range(3):
            assert users[up].write(up).status == 200
        refused = users[down].write(up)
        assert (refused.status, refused.headers.get("retry-after")) == (503, "2"), refused.body
    finally:
        local.set_table_reachable(down, True)
    assert users[down].write(up).status == 200  # its home is back: the retry goes through
    assert local.replicator is not None and local.replicator.wait_idle()
    for user in users.values():  # 0 acknowledged writes lost: every replica holds each user's last one
        last = user.acknowledged[-1]
        for region in REGIONS:
            item = stored(local, region, user.sub)
            assert item is not None
            assert (int(item["version"]["N"]), item["displayName"]["S"]) == (last["version"], last["displayName"])
        assert [a["version"] for a in user.acknowledged] == list(range(1, len(user.acknowledged) + 1))


@pytest.mark.parametrize(("home", "served"), [("eu-west-1", "eu-west-1"), ("us-east-1", "eu-west-1")])
def test_entity_home_a_write_whose_answer_was_lost_is_retried_by_the_handler_and_answers_200(
    two_regions, users, home, served
):
    # GIVEN the table applies the write but its answer never reaches the handler (the SDK retries)
    user = users[home]
    path = two_regions.proxies[served] if home == served else two_regions.links[(served, home)]
    lost_before = path.answers_lost
    path.lose_answers(1)
    # WHEN the write is made
    reply = user.write(served)
    # THEN the retry met its own write: 200 with the next version, written once
    assert path.answers_lost == lost_before + 1
    assert reply.status == 200, reply.body
    item = stored(two_regions, home, user.sub)
    assert item is not None and int(item["version"]["N"]) == user.version


def test_entity_home_a_client_retry_of_a_write_that_landed_answers_200(two_regions, users):
    user = users["eu-west-1"]
    body = {"displayName": "sent twice", "locale": "en-GB", "version": user.version}
    first = call(two_regions.url, "PUT", "/v1/accounts/me", token=user.token, body=body)
    again = call(two_regions.url, "PUT", "/v1/accounts/me", token=user.token, body=body)  # its answer was lost
    assert (first.status, again.status) == (200, 200)
    assert again.body == first.body
    user.acknowledged.append(first.body)
    user.version = first.body["version"]


def test_entity_home_a_keyed_create_is_readable_at_once_where_it_was_answered(two_regions, users):
    user, served = users["us-east-1"], "eu-west-1"  # homed elsewhere: the record is written in us-east-1
    headers = {"X-Localapi-Location": served}
    for attempt in range(10):
        keyed = {**headers, "Idempotency-Key": f"read-own-create-{attempt:04d}"}
        created = call(two_regions.url, "POST", "/v1/items", token=user.token, body={"name": "x"}, headers=keyed)
        assert (created.status, created.region) == (201, served), created.body
        read = call(two_regions.url, "GET", f"/v1/items/{created.body['itemId']}", token=user.token, headers=headers)
        assert (read.status, read.region, read.body) == (200, served, created.body)
