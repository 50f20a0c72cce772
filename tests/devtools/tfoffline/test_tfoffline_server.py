"""The plugin process on its own: go-plugin handshake, AutoMTLS, and tfplugin6 calls over gRPC."""

from __future__ import annotations

import base64
import datetime
import json
import os
import socket
import ssl
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from devtools.tfoffline import cty, schema
from devtools.tfoffline.proto import tfplugin6_pb2 as pb
from devtools.tfoffline.server import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def _client_certificate(tmp_path: Path, name: str) -> tuple[str, Path, Path]:
    """A self-signed P-521 certificate like go-plugin's client makes: (PEM, cert file, key file)."""
    key = ec.generate_private_key(ec.SECP521R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA512())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM)
    cert_file, key_file = tmp_path / f"{name}.crt", tmp_path / f"{name}.key"
    cert_file.write_bytes(pem)
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return pem.decode(), cert_file, key_file


class Plugin:
    """A running stand-in plugin and its handshake line."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "devtools.tfoffline.server", name],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        self.handshake = self.proc.stdout.readline().strip().split("|")

    @property
    def socket_path(self) -> str:
        return self.handshake[3]

    def call(self, rpc: str, request: Any, response_type: Any, service: str = "tfplugin6.Provider") -> Any:
        with grpc.insecure_channel(f"unix:{self.socket_path}") as channel:
            method = channel.unary_unary(
                f"/{service}/{rpc}",
                request_serializer=lambda message: message.SerializeToString(),
                response_deserializer=response_type.FromString,
            )
            return method(request, timeout=30)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait(timeout=10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        return code


PLUGIN_ENV = {MAGIC_COOKIE_KEY: MAGIC_COOKIE_VALUE, "PLUGIN_PROTOCOL_VERSIONS": "5,6"}


@pytest.fixture
def plain_plugin() -> Iterator[Plugin]:
    plugin = Plugin("aws", PLUGIN_ENV)
    yield plugin
    plugin.stop()


def test_plugin_refuses_to_run_without_terraform() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "devtools.tfoffline.server", "aws"],
        env={k: v for k, v in os.environ.items() if k != MAGIC_COOKIE_KEY},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Terraform starts it" in proc.stderr


def test_plugin_handshake_announces_protocol_6_over_grpc(plain_plugin: Plugin) -> None:
    core, protocol, network, _, transport, _ = plain_plugin.handshake
    assert (core, protocol, network, transport) == ("1", "6", "unix", "grpc")


def test_plugin_serves_the_pinned_schema(plain_plugin: Plugin) -> None:
    response = plain_plugin.call("GetProviderSchema", pb.GetProviderSchema.Request(), pb.GetProviderSchema.Response)
    # The vendored document, trimmed (vendor.py): every resource type it holds is served.
    vendored = json.loads((schema.schema_dir() / schema.PROVIDERS["aws"][1]).read_text())
    resources = vendored["provider_schemas"][schema.PROVIDERS["aws"][0]]["resource_schemas"]
    assert set(response.resource_schemas) == set(resources)
    assert "aws_dynamodb_table" in response.resource_schemas
    assert response.server_capabilities.get_provider_schema_optional


def test_plugin_plans_a_create_over_grpc(plain_plugin: Plugin) -> None:
    block = schema.load("aws").resource("aws_sns_topic")["block"]
    ty = schema.block_type(block)
    config = cty.encode({"name": "alarms"}, ty)
    request = pb.PlanResourceChange.Request(
        type_name="aws_sns_topic",
        prior_state=pb.DynamicValue(msgpack=cty.encode(None, ty)),
        proposed_new_state=pb.DynamicValue(msgpack=config),
        config=pb.DynamicValue(msgpack=config),
    )
    response = plain_plugin.call("PlanResourceChange", request, pb.PlanResourceChange.Response)
    planned = cty.decode(response.planned_state.msgpack, ty)
    assert list(response.diagnostics) == []
    assert planned["name"] == "alarms"
    assert planned["arn"] is cty.UNKNOWN
    assert planned["region"] == "us-east-1"


def test_plugin_reports_its_own_failures_as_diagnostics(plain_plugin: Plugin) -> None:
    request = pb.ValidateResourceConfig.Request(type_name="aws_no_such_thing")
    response = plain_plugin.call("ValidateResourceConfig", request, pb.ValidateResourceConfig.Response)
    assert "aws_no_such_thing" in response.diagnostics[0].summary


def test_plugin_exits_on_controller_shutdown(plain_plugin: Plugin) -> None:
    with grpc.insecure_channel(f"unix:{plain_plugin.socket_path}") as channel:
        shutdown = channel.unary_unary("/plugin.GRPCController/Shutdown", request_serializer=lambda m: m)
        shutdown(b"", timeout=10)
    assert plain_plugin.proc.wait(timeout=10) == 0


def _tls_connect(plugin: Plugin, server_cert_pem: str, cert: Path, key: Path) -> ssl.SSLSocket:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cadata=server_cert_pem)
    context.load_cert_chain(cert, key)
    context.set_alpn_protocols(["h2"])
    raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    raw.settimeout(10)
    raw.connect(plugin.socket_path)
    return context.wrap_socket(raw, server_hostname="localhost")


def test_plugin_accepts_terraforms_p521_client_certificate_only(tmp_path: Path) -> None:
    # GIVEN Terraform's AutoMTLS: a P-521 client certificate announced in PLUGIN_CLIENT_CERT
    client_pem, client_cert, client_key = _client_certificate(tmp_path, "terraform")
    _, other_cert, other_key = _client_certificate(tmp_path, "intruder")
    plugin = Plugin("archive", {**PLUGIN_ENV, "PLUGIN_CLIENT_CERT": client_pem})
    try:
        # THEN the handshake line carries the server certificate (DER, base64 without padding)
        encoded = plugin.handshake[5]
        der = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
        server_cert = x509.load_der_x509_certificate(der)
        san = server_cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert san.get_values_for_type(x509.DNSName) == ["localhost"]
        server_pem = server_cert.public_bytes(serialization.Encoding.PEM).decode()

        # AND the announced client certificate gets through TLS with ALPN h2
        with _tls_connect(plugin, server_pem, client_cert, client_key) as tls:
            assert tls.selected_alpn_protocol() == "h2"

        # AND any other certificate is turned away
        with pytest.raises((ssl.SSLError, ConnectionError, TimeoutError)):  # TLS 1.3: fails on the first read
            with _tls_connect(plugin, server_pem, other_cert, other_key) as tls:
                tls.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
                if not tls.recv(1):
                    raise ConnectionError("closed")
    finally:
        plugin.stop()
