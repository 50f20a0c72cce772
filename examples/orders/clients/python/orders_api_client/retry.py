"""The API's documented retry policy as an httpx transport (added to the generated package by `make clients`).

429, 500, 502, 503, 504 and lost connections are retried with exponential backoff and full jitter (100 ms
base, doubling, at most 5 s, at least `Retry-After`) for up to 360 s.
A POST is retried only with an `Idempotency-Key` header; a PUT retried after its first attempt landed gets 200
(the API recognises its own write). The creates that take an `Idempotency-Key` get one (a random UUID) when the
caller sends none, so their retries never create twice.

It also carries the API's `Consistency-Token` (read your writes across regions): the last token each path
answered is sent back on the next request to that path, so a read never returns an older version than the
client has already seen, whichever region serves it.

One transport serves both clients: `httpx_args={"transport": RetryTransport()}` reaches the generated `Client`'s
`httpx.Client` and `httpx.AsyncClient` alike (sync() and asyncio()).
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import uuid

import httpx

# The API's retry policy (api/routes.json `retry_policy`), rendered by `make clients`.
RETRIED = frozenset({429, 500, 502, 503, 504})
BASE_SECONDS = 0.1
CAP_SECONDS = 5.0
BUDGET_SECONDS = 360.0
IDEMPOTENCY_KEY = "Idempotency-Key"
TOKEN = "Consistency-Token"
IDEMPOTENT_CREATES: tuple[tuple[str, str], ...] = ()  # (method, path template): filled in by `make clients`
# A base URL may carry a path prefix; a path parameter is one segment.
_CREATES = [
    (method, re.compile(".*" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))))
    for method, path in IDEMPOTENT_CREATES
]


def retry_delay(attempt: int, retry_after: str | None, rand: float | None = None) -> float:
    """Seconds to wait before retry number `attempt` (0-based)."""
    backoff = (random.random() if rand is None else rand) * min(CAP_SECONDS, BASE_SECONDS * 2**attempt)
    floor = float(retry_after) if retry_after is not None and retry_after.isdigit() else 0.0
    return float(max(backoff, floor))


def with_idempotency_key(request: httpx.Request) -> httpx.Request:
    """`request`, with a fresh Idempotency-Key if it is a create that takes one and carries none."""
    if IDEMPOTENCY_KEY not in request.headers and any(
        request.method == method and pattern.fullmatch(request.url.path) for method, pattern in _CREATES
    ):
        request.headers[IDEMPOTENCY_KEY] = str(uuid.uuid4())
    return request


class _Policy:
    """One request's retry decisions."""

    def __init__(self, request: httpx.Request, retry_for: float) -> None:
        self.retryable = request.method != "POST" or IDEMPOTENCY_KEY in request.headers
        self.started = time.monotonic()
        self.retry_for = retry_for
        self.attempt = 0

    def delay(self, response: httpx.Response | None) -> float | None:
        """Seconds to wait before the next attempt, or None to answer with this outcome."""
        again = self.retryable and (response is None or response.status_code in RETRIED)
        delay = retry_delay(self.attempt, response.headers.get("Retry-After") if response is not None else None)
        if not again or time.monotonic() - self.started + delay > self.retry_for:
            return None
        self.attempt += 1
        return delay


class RetryTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Wraps a transport (sync and async); pass it as `httpx_args={"transport": RetryTransport()}` to a Client."""

    def __init__(
        self,
        inner: httpx.BaseTransport | None = None,
        retry_for: float = BUDGET_SECONDS,
        async_inner: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.async_inner = async_inner or httpx.AsyncHTTPTransport()
        self.retry_for = retry_for
        self.tokens: dict[str, str] = {}
        """The last Consistency-Token answered per path."""

    def _prepare(self, request: httpx.Request) -> _Policy:
        if (token := self.tokens.get(request.url.path)) is not None and TOKEN not in request.headers:
            request.headers[TOKEN] = token
        return _Policy(with_idempotency_key(request), self.retry_for)

    def _answer(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        if TOKEN in response.headers:
            self.tokens[request.url.path] = response.headers[TOKEN]
        return response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        policy = self._prepare(request)
        while True:
            response: httpx.Response | None = None
            try:
                response = self.inner.handle_request(request)
            except httpx.TransportError as error:
                if (delay := policy.delay(None)) is None:
                    raise error
            else:
                if (delay := policy.delay(response)) is None:
                    return self._answer(request, response)
                response.close()
            time.sleep(delay)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        policy = self._prepare(request)
        while True:
            response: httpx.Response | None = None
            try:
                response = await self.async_inner.handle_async_request(request)
            except httpx.TransportError as error:
                if (delay := policy.delay(None)) is None:
                    raise error
            else:
                if (delay := policy.delay(response)) is None:
                    return self._answer(request, response)
                await response.aclose()
            await asyncio.sleep(delay)

    def close(self) -> None:
        self.inner.close()

    async def aclose(self) -> None:
        await self.async_inner.aclose()
