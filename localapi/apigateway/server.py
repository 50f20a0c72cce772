"""HTTP/1.1 servers (standard library) in front of a gateway or the router, bound to 127.0.0.1 only."""

from __future__ import annotations

import errno
import ipaddress
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Final, Protocol
from urllib.parse import parse_qsl, urlsplit

from localapi.apigateway.events import IncomingRequest

if TYPE_CHECKING:
    from localapi.apigateway.responses import HttpResponse

HOST: Final = "127.0.0.1"
REGION_HEADER: Final = "X-Localapi-Region"
"""The region that answered (set by the multi-region router, devtools/lab/router.py): the access log names it."""
MAX_READ_BYTES: Final = 11 * 1024 * 1024
TOO_LARGE_BODY: Final = b'{"message": "Request Too Long"}'
LOG = logging.getLogger("localapi.access")


class PortInUseError(Exception):
    """The port is taken by another program."""


class App(Protocol):
    """Answers one request."""

    def handle(self, request: IncomingRequest, host: str = ..., port: int = ...) -> HttpResponse: ...


def _source_ip(peer: str, forwarded: str | None, trust_forwarded: bool) -> str:
    """The caller's IP: the TCP peer, or the first X-Forwarded-For hop when a local proxy sent it."""
    if trust_forwarded and forwarded and ipaddress.ip_address(peer).is_loopback:
        first = forwarded.split(",")[0].strip()
        try:
            return str(ipaddress.ip_address(first))
        except ValueError:
            return peer
    return peer


def _handler_class(app: App, trust_forwarded: bool, name: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = name
        sys_version = ""

        def _serve(self) -> None:
            started = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_READ_BYTES:
                # The gateway's own REQUEST_TOO_LARGE answer (apigateway/responses.py), without reading the body.
                self.close_connection = True
                self.send_response(413)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(TOO_LARGE_BODY)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(TOO_LARGE_BODY)
                return
            body = self.rfile.read(length) if length > 0 else b""
            split = urlsplit(self.path)
            request = IncomingRequest(
                method=self.command,
                path=split.path or "/",
                query=parse_qsl(split.query, keep_blank_values=True),
                headers=list(self.headers.items()),
                body=body,
                source_ip=_source_ip(self.client_address[0], self.headers.get("X-Forwarded-For"), trust_forwarded),
            )
            host = (self.headers.get("Host") or HOST).split(":")[0]
            response = app.handle(request, host, self.server.server_port)  # type: ignore[attr-defined]
            # The access log (`make serve` prints it): method, path, status, the region that answered, duration.
            # Written before the answer is sent, so it is in the log by the time the caller has the answer.
            region = next((v for k, v in response.headers if k.lower() == REGION_HEADER.lower()), "-")
            ms = (time.monotonic() - started) * 1000
            LOG.info("%s %s %s %s %.0fms", self.command, self.path, response.status, region, ms)
            try:
                self.send_response(response.status)
                for key, value in response.headers:
                    if key.lower() not in ("content-length", "connection", "transfer-encoding"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the caller gave up (timeout): nothing to answer
                return

        def __getattr__(self, name: str) -> Any:
            # Every method reaches the gateway (TRACE, PROPFIND, ...): it decides what exists.
            if name.startswith("do_"):
                return self._serve
            raise AttributeError(name)

        def log_message(self, format: str, *args: Any) -> None:
            LOG.debug(format, *args)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog is 5: a burst of concurrent callers (the drills send 15 at
    # once) overflowed it and connections were reset.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        LOG.debug("connection from %s failed", client_address, exc_info=True)


class Server:
    """A threaded HTTP server running in a background thread."""

    def __init__(self, app: App, port: int = 0, *, trust_forwarded: bool = True, name: str = "localapi") -> None:
        try:
            self._httpd = _QuietServer((HOST, port), _handler_class(app, trust_forwarded, name))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise PortInUseError(f"port {port} on {HOST} is already in use") from None
            raise
        self._thread = threading.Thread(target=self._httpd.serve_forever, name=f"{name}-http", daemon=True)

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The base URL."""
        return f"http://{HOST}:{self.port}"

    def start(self) -> Server:
        """Serve in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(10)
        self._httpd.server_close()
