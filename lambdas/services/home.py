"""Calls to the home region's replica: when it cannot be reached, a 503 with Retry-After, never a guess.

Why not re-home to the serving region during an outage: with eventual (MREC) replication, the writes the
home region acknowledged but had not yet replicated would be overwritten by last-writer-wins when it
comes back (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html,
"Conflict resolution"), and conditions evaluated against a stale replica let two writers both win.
So the kit refuses (503) and the client retries with backoff until the home region answers.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Final

from lambdas.awsclient import ClientError, EndpointConnectionError
from lambdas.runtime.errors import UnavailableError

if TYPE_CHECKING:
    from collections.abc import Iterator

RETRY_AFTER_SECONDS: Final = 2
"""What a 503 asks the client to wait; the router's health checks need ~2 probe intervals to react."""
UNAVAILABLE_CODES: Final = frozenset(
    {"InternalServerError", "ServiceUnavailable", "ServiceUnavailableException", "RequestLimitExceeded"}
)
"""DynamoDB errors that say "not now" rather than "no" (retryable server-side errors)."""


@contextlib.contextmanager
def home_region(region: str) -> Iterator[None]:
    """Turn "the home replica did not answer" into UnavailableError (503, Retry-After)."""
    try:
        yield
    except EndpointConnectionError as error:
        raise UnavailableError(f"The home region {region} of this data is unavailable", RETRY_AFTER_SECONDS) from error
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in UNAVAILABLE_CODES:
            raise UnavailableError(
                f"The home region {region} of this data is unavailable", RETRY_AFTER_SECONDS
            ) from error
        raise
