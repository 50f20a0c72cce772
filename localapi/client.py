"""A minimal HTTP client for the local API (the end-to-end tests and drills use it; no dependencies)."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from typing import Any


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
