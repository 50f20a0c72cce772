"""Read your writes with a token: local reads, and the home replica only when the local one is behind.

An eventually consistent read of the serving replica "might not reflect the results of a recently completed write"
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html): at most the
replication lag behind. Each answer carries the entity's version as a Consistency-Token; a client sending it back
gets an answer at least that new, from the entity's home replica (strongly consistent) when the local one is older.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TypeVar

from lambdas.services.home import find_home, home_region

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_dynamodb import DynamoDBClient

    from lambdas.services.home import Replicas

T = TypeVar("T")

CONSISTENCY_TOKEN: Final = "Consistency-Token"
"""The header carrying the version an answer reflects; sent back, a read at least that new (contract/operation.py)."""


def read_at_least(
    replicas: Replicas,
    table: str,
    pk: str,
    read: Callable[[DynamoDBClient, bool], T],
    version: Callable[[T], int],
    token: str | None,
) -> T:
    """`read(client, consistent)` of entity `pk`, from the serving replica unless it is older than `token`.

    Then the entity's home replica is read, strongly consistent (STRONG: the serving replica's strongly consistent
    read, which catches it up). Never an answer older than the token: 503 if the replica that has it is down.
    """
    found = read(replicas.local, False)  # this region's table down: 503 (runtime/errors.py), Route 53 moves callers
    if token is None or version(found) >= int(token):
        return found
    home = find_home(replicas, table, pk) or replicas.registry
    with home_region(replicas, home):
        return read(replicas.client(home), True)
