"""A TCP proxy that can cut one region's compute off its table (the drill's regional failure).

Each region's handlers reach DynamoDB through their own proxy (AWS_ENDPOINT_URL_DYNAMODB). While the
proxy is down it resets every connection, new or open, the way an unreachable endpoint looks to an
SDK; the table itself, and its replication, keep going.
"""

from __future__ import annotations

import socket
import struct
import threading
from typing import Final

HOST: Final = "127.0.0.1"
_LINGER_RESET: Final = struct.pack("ii", 1, 0)


class FaultProxy:
    """Forwards 127.0.0.1:<port> to `target_port` while up; resets connections while down."""

    def __init__(self, target_port: int, name: str = "fault-proxy") -> None:
        self.target_port = target_port
        self.name = name
        self._up = threading.Event()
        self._up.set()
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
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
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), name=f"{self.name}-pipe", daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            source.settimeout(None)
            while True:
                data = source.recv(65536)
                if not data:
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
    """Close with RST, as a refused or broken connection."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
