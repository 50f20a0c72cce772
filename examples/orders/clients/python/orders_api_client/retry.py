"""The API's documented retry policy as an httpx transport (added to the generated package by `make clients`).

429, 500, 502, 503, 504 and lost connections are retried with exponential backoff and full jitter (100 ms
base, doubling, at most 5 s, at least `Retry-After`) for up to 60 s.
A POST is retried only with an `Idempotency-Key` header; a PUT carries the version it read, so a repeat that
landed gets 409.
"""

from __future__ import annotations

import random
import time

import httpx

# The API's retry policy (api/routes.json `retry_policy`), rendered by `make clients`.
RETRIED = frozenset({429, 500, 502, 503, 504})
BASE_SECONDS = 0.1
CAP_SECONDS = 5.0
BUDGET_SECONDS = 60.0


def retry_delay(attempt: int, retry_after: str | None, rand: float | None = None) -> float:
    """Seconds to wait before retry number `attempt` (0-based)."""
    backoff = (random.random() if rand is None else rand) * min(CAP_SECONDS, BASE_SECONDS * 2**attempt)
    floor = float(retry_after) if retry_after is not None and retry_after.isdigit() else 0.0
    return float(max(backoff, floor))


class RetryTransport(httpx.BaseTransport):
    """Wraps a transport; pass it as `httpx_args={"transport": RetryTransport()}` to a generated Client."""

    def __init__(self, inner: httpx.BaseTransport | None = None, retry_for: float = BUDGET_SECONDS) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.retry_for = retry_for

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started = time.monotonic()
        retryable = request.method != "POST" or "Idempotency-Key" in request.headers
        attempt = 0
        while True:
            try:
                response: httpx.Response | None = self.inner.handle_request(request)
                failure: Exception | None = None
            except httpx.TransportError as error:
                response, failure = None, error
            again = retryable and (response is None or response.status_code in RETRIED)
            delay = retry_delay(attempt, response.headers.get("Retry-After") if response is not None else None)
            if not again or time.monotonic() - started + delay > self.retry_for:
                if response is None:
                    assert failure is not None
                    raise failure
                return response
            if response is not None:
                response.close()
            time.sleep(delay)
            attempt += 1

    def close(self) -> None:
        self.inner.close()
