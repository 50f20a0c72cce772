"""A TCP proxy that can cut one region's compute off its table (the drill's regional failure).

Each region's handlers reach DynamoDB through their own proxy (AWS_ENDPOINT_URL_DYNAMODB), and reach
another region's replica (home-region writes) through a link proxy with that region's latency
(DYNAMODB_ENDPOINT_<REGION>). While a proxy is down it resets every connection, new or open, the way an
unreachable endpoint looks to an SDK; the table itself, and its replication, keep going.

`lose_answers(n)` plays the other failure a writer must survive: the next n requests reach the table and are
applied, but their answers never come back (the connection is reset instead), as when a response is lost or
arrives after the SDK's read timeout. The SDK retries, and its retry meets its own write.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from typing import Final

HOST: Final = "127.0.0.1"
_LINGER_RESET: Final = struct.pack("ii", 1, 0)


class FaultProxy:
    """Forwards 127.0.0.1:<port> to `target_port` while up; resets connections while down."""

    def __init__(self, target_port: int, name: str = "fault-proxy", delay_seconds: float = 0.0) -> None:
        self.target_port = target_port
        self.name = name
        self.delay_seconds = delay_seconds
        """The round trip to a remote region: half before a request is passed on, half before its answer."""
        self._up = threading.Event()
        self._up.set()
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self.connections = 0
        """Connections accepted while up (a STRONG table's links must see none: no cross-region call)."""
        self._answers_to_lose = 0
        self.answers_lost = 0
        self._listener = socket.create_server((HOST, 0))
        self._listener.settimeout(0.2)
        self._thread = threading.Thread(target=self._accept, name=name, daemon=True)

    @property
    def port(self) -> int:
        """The local port clients use."""
        return int(self._listener.getsockname()[1])

    @property
    def url(self) -> str:
        """The endpoint URL clients use."""
        return f"http://{HOST}:{self.port}"

    @property
    def up(self) -> bool:
        """Whether traffic passes."""
        return self._up.is_set()

    def start(self) -> FaultProxy:
        """Start accepting."""
        self._thread.start()
        return self

    def set_up(self, up: bool) -> None:
        """Let traffic through (True) or cut it and reset open connections (False)."""
        if up:
            self._up.set()
            return
        self._up.clear()
        with self._lock:
            for sock in list(self._open):
                _reset(sock)
            self._open.clear()

    def lose_answers(self, count: int) -> None:
        """Let the next `count` requests through but reset their connections instead of answering them."""
        with self._lock:
            self._answers_to_lose = count

    def _losing(self) -> bool:
        with self._lock:
            if self._answers_to_lose <= 0:
                return False
            self._answers_to_lose -= 1
            self.answers_lost += 1
            return True

    def stop(self) -> None:
        """Stop accepting and close everything."""
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(5)
        self._listener.close()
        self.set_up(False)

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            if not self._up.is_set():
                _reset(client)
                continue
            try:
                upstream = socket.create_connection((HOST, self.target_port), timeout=5)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                if not self._up.is_set():  # cut while connecting: set_up(False) reset the open ones before this one
                    _reset(client)
                    upstream.close()
                    continue
                self._open.update((client, upstream))
                self.connections += 1
            requested = threading.Event()
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(
                    target=self._pipe,
                    args=(source, sink, requested, source is upstream),
                    name=f"{self.name}-pipe",
                    daemon=True,
                ).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, requested: threading.Event, answers: bool) -> None:
        try:
            source.settimeout(None)
            while True:
                data = source.recv(65536)
                if not data:
                    break
                # Half the round trip on the way out (first bytes of a request), half on the way back.
                if not answers and not requested.is_set():
                    requested.set()
                    time.sleep(self.delay_seconds / 2)
                elif answers and requested.is_set():
                    requested.clear()
                    time.sleep(self.delay_seconds / 2)
                    if self._losing():  # applied upstream; the answer is lost on its way back
                        _reset(sink)
                        break
                if self.delay_seconds and not self._up.is_set():  # cut meanwhile: the bytes are lost
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            with self._lock:
                self._open.discard(source)
                self._open.discard(sink)


def _reset(sock: socket.socket) -> None:
    """Close with RST, as a refused or broken connection.

    shutdown() first: close() alone does not wake a pipe thread blocked in recv() on the socket, and
    the kernel keeps the connection open until that recv returns, so the SDK waited for its read
    timeout (60 s) instead of seeing the connection break.
    """
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
    except OSError:
        pass
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
