"""Each entity's home region (write to your Region), and calls to a home replica: 503 when it is down.

"Write to your Region" (https://docs.aws.amazon.com/prescriptive-guidance/latest/dynamodb-global-tables/write-to-your-region.html)
"assigns different data subsets to different home Regions and allows write operations to an item only through
its home Region": conditions are evaluated against the one replica that has every write of the item. The home is
negotiated once: a record `<pk>` / `HOME` claimed by a conditional write in the registry region (HOME_REGION), for
the region that served the entity's first write; it never changes, so a replica's copy is missing or right.
Reads are local, at most the replication lag behind; a Consistency-Token newer than the local answer reads the
home replica instead. Never re-homed during an outage (LWW would drop the writes the home had not replicated
yet): its writes get 503 with Retry-After. docs/consistency.md has the reasoning and sources.

STRONG (MRSC) tables ("Key facts about MRSC",
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-global-table-design.html): every call runs in
the serving replica. ReplicatedWriteConflictException (retryable, nothing written) is retried for up to
CONFLICT_DEADLINE_SECONDS, so the retry meets the other region's write (409 for a stale version); a replica
without quorum fails writes and strongly consistent reads: 503 with Retry-After, and its health check fails.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from random import SystemRandom
from typing import TYPE_CHECKING, Final, TypeVar

from lambdas.awsclient import ClientError, EndpointConnectionError
from lambdas.runtime.errors import UnavailableError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

    from lambdas.aws import HomeCache

T = TypeVar("T")

HOME_SK: Final = "HOME"
"""Sort key of an entity's home record (beside the entity's own items, under its partition key)."""
RETRY_AFTER_SECONDS: Final = 2
"""What a 503 asks the client to wait; the router's health checks need ~2 probe intervals to react."""
UNAVAILABLE_CODES: Final = frozenset(
    {"InternalServerError", "ServiceUnavailable", "ServiceUnavailableException", "RequestLimitExceeded"}
)
"""DynamoDB errors that say "not now" rather than "no" (retryable server-side errors; an MRSC replica without
quorum answers with a server error, HTTP 500: FIS's isolation of an MRSC replica counts them as SystemErrors)."""
CONFLICT: Final = "ReplicatedWriteConflictException"
CONFLICT_DEADLINE_SECONDS: Final = 1.5
"""How long a write keeps retrying an MRSC write conflict before answering 503 with Retry-After."""
CONFLICT_BASE_SECONDS: Final = 0.02
CONFLICT_CAP_SECONDS: Final = 0.2
# Not `random`: its state is in a SnapStart snapshot, so every restored environment would draw the same pauses
# (as lambdas/awsclient.py explains).
_random: Final = SystemRandom().random


@contextlib.contextmanager
def home_region(replicas: Replicas, region: str) -> Iterator[None]:
    """Turn "another region's replica, the data's home, did not answer" into UnavailableError (503, Retry-After
    RETRY_AFTER_SECONDS). A call to the serving region's own replica is not wrapped: its failure is the region's
    (lambdas/runtime/errors.py `unavailable`: 503, Retry-After long enough for Route 53 to move callers)."""
    if region == replicas.serving:
        yield
        return
    try:
        yield
    except EndpointConnectionError as error:
        raise UnavailableError(
            f"The table replica in {region} that holds this data is unavailable", RETRY_AFTER_SECONDS
        ) from error
    except ClientError as error:
        if error.code in UNAVAILABLE_CODES:
            raise UnavailableError(
                f"The table replica in {region} that holds this data is unavailable", RETRY_AFTER_SECONDS
            ) from error
        raise


def retry_conflicts(
    write: Callable[[], T], sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic
) -> T:
    """`write()`, run again after ReplicatedWriteConflictException (full-jitter backoff) until it answers otherwise.

    The exception means the request was rejected, nothing written, so running the same write again is safe.
    Past the deadline: UnavailableError (503 with Retry-After), never a guess at the outcome.
    """
    deadline = clock() + CONFLICT_DEADLINE_SECONDS
    attempt = 0
    while True:
        try:
            return write()
        except ClientError as error:
            if error.code != CONFLICT:
                raise
            attempt += 1
            pause = _random() * min(CONFLICT_CAP_SECONDS, CONFLICT_BASE_SECONDS * 2**attempt)
            if clock() + pause > deadline:
                raise UnavailableError(
                    "Another region is changing this data at the same moment; retry", RETRY_AFTER_SECONDS
                ) from error
            sleep(pause)


@dataclass(frozen=True)
class Replicas:
    """Where a handler's table calls can go: the serving replica, any region's, and the registry of homes."""

    serving: str
    registry: str
    """Where homes are claimed (HOME_REGION)."""
    strong: bool
    """A STRONG (MRSC) table: every replica is current, so every call stays in the serving region."""
    client: Callable[[str], DynamoDBClient]
    """The client of a region's replica (lambdas/aws.py dynamodb_in)."""
    homes: HomeCache | None = None
    """The homes this environment has seen (lambdas/aws.py `homes`); None: none kept."""

    @property
    def local(self) -> DynamoDBClient:
        """The serving region's replica."""
        return self.client(self.serving)


def caller_partition(sub: str) -> str:
    """The partition key of a caller's own entities (its account, items, keys): their home is the caller's."""
    return f"USER#{sub}"


def _home_key(pk: str) -> dict[str, AttributeValueTypeDef]:
    return {"pk": {"S": pk}, "sk": {"S": HOME_SK}}


def _registered(replicas: Replicas, table: str, pk: str) -> str | None:
    with home_region(replicas, replicas.registry):
        registry = replicas.client(replicas.registry)
        found = registry.get_item(TableName=table, Key=_home_key(pk), ConsistentRead=True).get("Item")
    return None if found is None else found["home"]["S"]


def _remember(replicas: Replicas, table: str, pk: str, home: str | None) -> str | None:
    if home is not None and replicas.homes is not None:
        replicas.homes.put(table, pk, home)
    return home


def find_home(replicas: Replicas, table: str, pk: str) -> str | None:
    """The home region of entity `pk`: this environment's cache, else the serving replica's copy of its record, else
    the registry's; None if none.

    A home never changes, so a cached or local copy is right when it is there; only a missing one needs the registry.
    """
    if replicas.strong:
        return replicas.serving
    cached = None if replicas.homes is None else replicas.homes.get(table, pk)
    if cached is not None:
        return cached
    found = replicas.local.get_item(TableName=table, Key=_home_key(pk)).get("Item")
    home = _registered(replicas, table, pk) if found is None else found["home"]["S"]
    return _remember(replicas, table, pk, home)


def claim_home(replicas: Replicas, table: str, pk: str) -> str:
    """The home region of entity `pk`, claimed for the serving region if it has none yet (its first write)."""
    home = find_home(replicas, table, pk)
    if home is not None:
        return home
    record = {**_home_key(pk), "home": {"S": replicas.serving}}
    try:
        with home_region(replicas, replicas.registry):
            replicas.client(replicas.registry).put_item(
                TableName=table, Item=record, ConditionExpression="attribute_not_exists(pk)"
            )
        return str(_remember(replicas, table, pk, replicas.serving))
    except ClientError as error:
        if error.code != "ConditionalCheckFailedException":
            raise
    # another region's first write claimed it a moment ago
    return str(_remember(replicas, table, pk, _registered(replicas, table, pk)))
