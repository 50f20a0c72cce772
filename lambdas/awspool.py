"""Kept-alive connections for lambdas.awsclient: one bounded pool per endpoint, shared by every client and thread.

A request takes an idle connection (or opens one), and gives it back when the answer has been read whole; a
connection that failed is closed, never given back. At most POOL_SIZE idle connections are kept per endpoint
(botocore's max_pool_connections); one given back to a full pool is closed (urllib3 discards it the same way),
so the descriptors a process holds are bounded by the pool size plus the requests in flight, however many threads
come and go (the health check probes on two new threads per call; the local gateway serves on a thread per
request).

Before reuse, an idle connection whose socket is readable is closed instead: the server (or a NAT) dropped it
while it sat idle, e.g. while Lambda froze the environment (a FIN, a reset, a TLS close_notify all make it
readable). urllib3 checks the same way (util/wait.py, `is_connection_dropped`); a request that then fails is a
failed attempt, as in botocore.

Nothing is created at import (SnapStart): pools, sockets and the TLS context come with the first request.
"""

from __future__ import annotations

import http.client
import select
import ssl
import threading
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import socket

POOL_SIZE: Final = 10
"""Idle connections kept per endpoint (botocore's default max_pool_connections)."""

Key = tuple[str, str, int | None, str | None]
"""scheme, host, port, CA bundle."""


class Pool:
    """Idle connections to one endpoint, taken and given back under a lock."""

    def __init__(self, key: Key, size: int = POOL_SIZE) -> None:
        self.key = key
        self.size = size
        self._idle: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def take(self, connect_timeout: float, read_timeout: float) -> http.client.HTTPConnection:
        """An idle connection that is still open, else a new one; sends and reads time out after `read_timeout`."""
        while True:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
            if connection is None:
                break
            if connection.sock is not None and not _dropped(connection.sock):
                connection.sock.settimeout(read_timeout)
                return connection
            connection.close()
        scheme, host, port, ca_bundle = self.key
        if scheme == "https":
            connection = http.client.HTTPSConnection(
                host, port, timeout=connect_timeout, context=tls_context(ca_bundle)
            )
        else:
            connection = http.client.HTTPConnection(host, port, timeout=connect_timeout)
        try:
            connection.connect()
        except BaseException:
            connection.close()
            raise
        if connection.sock is not None:
            connection.sock.settimeout(read_timeout)
        return connection

    def give(self, connection: http.client.HTTPConnection) -> None:
        """Keep `connection` for the next request, or close it when the pool is full."""
        with self._lock:
            if len(self._idle) < self.size:
                self._idle.append(connection)
                return
        connection.close()

    def idle(self) -> int:
        """How many connections wait in the pool."""
        return len(self._idle)

    def close(self) -> None:
        """Close every idle connection (those in use are closed when given back to a full pool or on failure)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def _dropped(sock: socket.socket) -> bool:
    """Whether an idle socket is readable (EOF, a reset, or bytes nobody asked for): it cannot carry a request."""
    poller = select.poll()  # poll, not select: select fails on descriptors above 1023
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


_pools: dict[Key, Pool] = {}
_lock = threading.Lock()


def pool(key: Key) -> Pool:
    """The process's pool for an endpoint (created on first use)."""
    found = _pools.get(key)
    if found is None:
        with _lock:
            found = _pools.setdefault(key, Pool(key))
    return found


def close_all() -> None:
    """Close every pool's idle connections (tests; the next request opens new ones)."""
    with _lock:
        pools = list(_pools.values())
    for each in pools:
        each.close()


_contexts: dict[str | None, ssl.SSLContext] = {}


def tls_context(ca_bundle: str | None = None) -> ssl.SSLContext:
    """One verifying TLS context per CA bundle (creating one loads the CA store, ~5-20 ms), shared by the pools and
    the failover canary's probes; AWS_CA_BUNDLE replaces the default store, as botocore's `verify=<path>`."""
    context = _contexts.get(ca_bundle)
    if context is None:
        context = _contexts[ca_bundle] = ssl.create_default_context(cafile=ca_bundle)
    return context
