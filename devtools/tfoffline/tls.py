"""The TLS end of go-plugin's AutoMTLS, in front of a plaintext gRPC server.

Terraform's plugin client presents an ECDSA P-521 certificate. gRPC's own TLS (BoringSSL) does not
offer P-521 signatures in its CertificateRequest, so Go would send no certificate and the handshake
fails. Python's ssl module (OpenSSL) accepts it; we terminate TLS here (ALPN h2, client certificate
required and pinned to PLUGIN_CLIENT_CERT) and pass the bytes on to the gRPC server's private unix
socket. One thread per connection; TLS runs over memory BIOs so one thread can pump both ways.
"""

from __future__ import annotations

import select
import socket
import ssl
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

CHUNK = 256 * 1024


def server_context(cert_file: Path, key_file: Path, client_cert_pem: str) -> ssl.SSLContext:
    """A TLS server context that accepts exactly the client certificate Terraform announced."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    context.load_verify_locations(cadata=client_cert_pem)
    context.verify_mode = ssl.CERT_REQUIRED
    context.set_alpn_protocols(["h2"])
    return context


class TlsFront:
    """Accept TLS connections on `listen_path` and relay them to the plaintext `backend_path`."""

    def __init__(self, context: ssl.SSLContext, listen_path: Path, backend_path: Path) -> None:
        self.context = context
        self.backend_path = backend_path
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(listen_path))
        self.listener.listen(8)

    def start(self) -> None:
        """Serve in a daemon thread."""
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(conn,), daemon=True).start()

    def _relay(self, conn: socket.socket) -> None:
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = self.context.wrap_bio(incoming, outgoing, server_side=True)
        backend = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            backend.connect(str(self.backend_path))
            self._pump(conn, backend, tls, incoming, outgoing)
        except (OSError, ssl.SSLError):
            pass
        finally:
            backend.close()
            conn.close()

    @staticmethod
    def _pump(
        conn: socket.socket,
        backend: socket.socket,
        tls: ssl.SSLObject,
        incoming: ssl.MemoryBIO,
        outgoing: ssl.MemoryBIO,
    ) -> None:
        handshaken = False
        while True:
            readable, _, _ = select.select([conn, backend] if handshaken else [conn], [], [])
            if conn in readable:
                data = conn.recv(CHUNK)
                if not data:
                    return
                incoming.write(data)
                if not handshaken:
                    try:
                        tls.do_handshake()
                        handshaken = True
                    except ssl.SSLWantReadError:
                        pass
                if handshaken:
                    plain = _drain(tls)
                    if plain:
                        backend.sendall(plain)
            if handshaken and backend in readable:
                data = backend.recv(CHUNK)
                if not data:
                    return
                tls.write(data)
            pending = outgoing.read()
            if pending:
                conn.sendall(pending)


def _drain(tls: ssl.SSLObject) -> bytes:
    chunks = []
    while True:
        try:
            chunk = tls.read(CHUNK)
        except ssl.SSLWantReadError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
