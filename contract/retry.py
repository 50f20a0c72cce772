"""The API's client retry policy: one declaration that the public document, the docs, the generated
clients (tools/clients.py fills tools/clientgen/) and localapi's client read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, at least `Retry-After`, within a time budget."""

    statuses: tuple[int, ...]
    """Answers worth retrying (and a lost connection): throttling and the server's own failures."""
    base_ms: int
    """The first delay's ceiling; each retry doubles it."""
    cap_ms: int
    """The most any one delay may be (before `Retry-After`)."""
    budget_s: int
    """No retry starts after this many seconds since the first try."""

    @property
    def text(self) -> str:
        """The policy in one paragraph (the public document's description and the Idempotency-Key header's)."""
        *first, last = (str(status) for status in self.statuses)
        return (
            f"Retry policy: retry on {', '.join(first)} and {last} and on a lost connection, with exponential backoff "
            f"and full jitter ({self.base_ms} ms base, doubling, at most {self.cap_ms // 1000} s between tries; wait "
            "at least `Retry-After` seconds when the response has it), for up to "
            f"{self.budget_s} s: longer than a region's failover with the Terraform defaults, so a failed region's "
            "callers are moved to another region before their client gives up. Send the same `Idempotency-Key` with "
            "every retry of one create; never retry a 4xx other than 429."
        )


RETRY: Final = RetryPolicy(statuses=(429, 500, 502, 503, 504), base_ms=100, cap_ms=5000, budget_s=360)
