"""Calls to the home region's replica: when it cannot be reached, a 503 with Retry-After, never a guess.

Why not re-home to the serving region during an outage: with eventual (MREC) replication, the writes the
home region acknowledged but had not yet replicated would be overwritten by last-writer-wins when it
comes back (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html,
"Conflict resolution"), and conditions evaluated against a stale replica let two writers both win.
So the kit refuses (503) and the client retries with backoff until the home region answers.

On a STRONG (MRSC) table the same operations run in the serving region's replica, and two DynamoDB errors
are new (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-global-table-design.html,
"Key facts about MRSC"): ReplicatedWriteConflictException, when another region is modifying the item at
that moment (retryable; nothing was written), and the errors of a replica that has lost its quorum (no
second region reachable, or catching up after an outage: writes and strongly consistent reads fail).
A conflict is retried here, with backoff, for up to CONFLICT_DEADLINE_SECONDS (after the retries the
client makes, as botocore does, for an error the model marks retryable): the retry then meets the other
region's write, so a stale version gets its 409. A region without quorum answers 503 with Retry-After,
and its health check (a strongly consistent read) fails, so Route 53 sends the clients elsewhere.
"""

from __future__ import annotations

import contextlib
import time
from random import SystemRandom
from typing import TYPE_CHECKING, Final, TypeVar

from lambdas.awsclient import ClientError, EndpointConnectionError
from lambdas.runtime.errors import UnavailableError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

T = TypeVar("T")

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
def home_region(region: str) -> Iterator[None]:
    """Turn "the home replica did not answer" into UnavailableError (503, Retry-After)."""
    try:
        yield
    except EndpointConnectionError as error:
        raise UnavailableError(
            f"The table replica in {region} that holds this data is unavailable", RETRY_AFTER_SECONDS
        ) from error
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in UNAVAILABLE_CODES:
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
            if error.response.get("Error", {}).get("Code") != CONFLICT:
                raise
            attempt += 1
            pause = _random() * min(CONFLICT_CAP_SECONDS, CONFLICT_BASE_SECONDS * 2**attempt)
            if clock() + pause > deadline:
                raise UnavailableError(
                    "Another region is changing this data at the same moment; retry", RETRY_AFTER_SECONDS
                ) from error
            sleep(pause)
