"""A minimal HTTP client for the local API (the end-to-end tests and drills use it; no dependencies)."""

from __future__ import annotations

import http.client
import json
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from localapi.apigateway.document import API_DIR, MANIFEST

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass
class Reply:
    """One HTTP response."""

    status: int
    headers: dict[str, str]
    raw: bytes
    body: Any = field(default=None)

    @property
    def region(self) -> str | None:
        """The region the router sent the request to."""
        return self.headers.get("x-localapi-region")


def call(
    url: str,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: Any = None,
    raw: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> Reply:
    """Send one request to `url` (http://127.0.0.1:<port>) and decode a JSON answer."""
    host, port = url.removeprefix("http://").split(":")
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    payload = raw
    if body is not None:
        payload = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        data = response.read()
        reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        connection.close()
    if data and reply.headers.get("content-type", "").startswith("application/json"):
        reply.body = json.loads(data)
    return reply


POLICY: Final[dict[str, Any]] = json.loads((API_DIR / MANIFEST).read_text(encoding="utf-8"))["retry_policy"]
"""The API's documented retry policy, from the route manifest (api/routes.json `retry_policy`, contract/retry.py)."""
RETRYABLE: Final = frozenset(POLICY["statuses"])
"""The statuses the policy retries."""


@dataclass
class RetryPolicy:
    """The client retry policy the API documents: full-jitter exponential backoff, Retry-After honoured.

    Full jitter as AWS recommends it (https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/).
    """

    base_seconds: float = POLICY["base_ms"] / 1000
    cap_seconds: float = POLICY["cap_ms"] / 1000
    budget_seconds: float = float(POLICY["budget_s"])
    random: Callable[[], float] = random.random

    def wait(self, attempt: int, reply: Reply | None) -> float:
        """Seconds to wait before retry number `attempt` (1-based) after `reply` (None: no answer)."""
        backoff: float = self.random() * min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1))
        retry_after = reply.headers.get("retry-after") if reply is not None else None
        return max(backoff, float(retry_after)) if retry_after and retry_after.isdigit() else backoff


@dataclass
class Outcome:
    """The final reply of a call with retries, and how many retries it took."""

    reply: Reply | None
    retries: int
    statuses: list[int | None] = field(default_factory=list)
    """Every attempt's status (None: no answer)."""
    regions: list[str | None] = field(default_factory=list)
    """Every attempt's answering region, as the router names it (None: no answer, or no router)."""


def call_with_retries(url: str, method: str, path: str, policy: RetryPolicy | None = None, **kwargs: Any) -> Outcome:
    """`call`, retried as the documented policy says; the caller sends an Idempotency-Key for creates."""
    policy = policy or RetryPolicy()
    deadline = time.monotonic() + policy.budget_seconds
    outcome = Outcome(None, 0)
    while True:
        try:
            reply: Reply | None = call(url, method, path, **kwargs)
        except OSError:
            reply = None
        outcome.reply = reply
        outcome.statuses.append(reply.status if reply is not None else None)
        outcome.regions.append(reply.region if reply is not None else None)
        if reply is not None and reply.status not in RETRYABLE:
            return outcome
        pause = policy.wait(outcome.retries + 1, reply)
        if time.monotonic() + pause > deadline:
            return outcome
        time.sleep(pause)
        outcome.retries += 1
