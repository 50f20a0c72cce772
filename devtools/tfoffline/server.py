"""The stand-in provider plugin: a tfplugin6 gRPC server behind go-plugin's handshake.

Terraform starts `terraform-provider-<name>` with TF_PLUGIN_MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS and
(AutoMTLS) PLUGIN_CLIENT_CERT set. We listen on a unix socket with TLS that requires exactly that
client certificate, and print go-plugin's handshake line
`1|6|unix|<socket>|grpc|<our certificate, DER, base64 without padding>`.
Terraform then calls the tfplugin6 Provider service, and plugin.GRPCController/Shutdown when done.
"""

from __future__ import annotations

import base64
import datetime
import os
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from concurrent import futures
from pathlib import Path
from typing import Any

import grpc

from devtools.tfoffline import cty, guards, schema
from devtools.tfoffline.plan import Context, apply_resource, plan_resource
from devtools.tfoffline.proto import tfplugin6_pb2 as pb

MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
MAX_MESSAGE = 256 * 1024 * 1024


def _diag(summary: str, detail: str = "", path: tuple[str | int, ...] = ()) -> Any:
    steps = [
        pb.AttributePath.Step(element_key_int=step)
        if isinstance(step, int)
        else pb.AttributePath.Step(attribute_name=step)
        for step in path
    ]
    attribute = pb.AttributePath(steps=steps) if steps else None
    return pb.Diagnostic(severity=pb.Diagnostic.ERROR, summary=summary, detail=detail, attribute=attribute)


def _findings(findings: list[guards.Finding]) -> list[Any]:
    return [_diag(f.summary, f.detail, f.path) for f in findings]


class Provider:
    """The tfplugin6 Provider service for one provider's schemas."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.schemas = schema.load(name)
        self.ctx = Context(region=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1")

    # Each RPC returns (response kwargs); errors in the stand-in itself become diagnostics.
    def _schema(self, section: str, type_name: str) -> dict[str, Any]:
        found = self.schemas.get(section, type_name)
        if found is None:
            raise KeyError(f"{self.name} has no {section.removesuffix('_schemas').replace('_', ' ')} {type_name}")
        return found

    def _decode(self, dv: Any, block: dict[str, Any]) -> Any:
        if dv.json and not dv.msgpack:
            import json

            return cty.from_json(json.loads(dv.json), schema.block_type(block))
        return cty.decode(dv.msgpack, schema.block_type(block))

    def _encode(self, value: Any, block: dict[str, Any]) -> Any:
        return pb.DynamicValue(msgpack=cty.encode(value, schema.block_type(block)))

    def GetMetadata(self, request: Any) -> Any:
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(get_provider_schema_optional=True),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=n) for n in self.schemas.blobs["resource_schemas"]],
            data_sources=[
                pb.GetMetadata.DataSourceMetadata(type_name=n) for n in self.schemas.blobs["data_source_schemas"]
            ],
        )

    def ValidateProviderConfig(self, request: Any) -> Any:
        return pb.ValidateProviderConfig.Response()

    def ConfigureProvider(self, request: Any) -> Any:
        config = self._decode(request.config, self.schemas.provider["block"])
        if isinstance(config.get("region"), str):
            self.ctx.region = config["region"]
        for block in config.get("default_tags") or []:
            if isinstance(block.get("tags"), dict):
                self.ctx.default_tags.update(block["tags"])
        return pb.ConfigureProvider.Response()

    def ValidateResourceConfig(self, request: Any) -> Any:
        block = self._schema("resource_schemas", request.type_name)["block"]
        config = self._decode(request.config, block)
        return pb.ValidateResourceConfig.Response(
            diagnostics=_findings(guards.check(request.type_name, config, self.ctx.region))
        )

    def ValidateDataResourceConfig(self, request: Any) -> Any:
        block = self._schema("data_source_schemas", request.type_name)["block"]
        config = self._decode(request.config, block)
        return pb.ValidateDataResourceConfig.Response(
            diagnostics=_findings(guards.check(request.type_name, config, self.ctx.region))
        )

    def ValidateEphemeralResourceConfig(self, request: Any) -> Any:
        self._schema("ephemeral_resource_schemas", request.type_name)
        return pb.ValidateEphemeralResourceConfig.Response()

    def OpenEphemeralResource(self, request: Any) -> Any:
        block = self._schema("ephemeral_resource_schemas", request.type_name)["block"]
        config = self._decode(request.config, block)
        from devtools.tfoffline import datasources

        result = datasources.read(request.type_name, block, config, self.ctx)
        return pb.OpenEphemeralResource.Response(result=self._encode(result, block))

    def RenewEphemeralResource(self, request: Any) -> Any:
        return pb.RenewEphemeralResource.Response()

    def CloseEphemeralResource(self, request: Any) -> Any:
        return pb.CloseEphemeralResource.Response()

    def UpgradeResourceState(self, request: Any) -> Any:
        import json

        block = self._schema("resource_schemas", request.type_name)["block"]
        value = cty.from_json(json.loads(request.raw_state.json), schema.block_type(block))
        return pb.UpgradeResourceState.Response(upgraded_state=self._encode(value, block))

    def GetResourceIdentitySchemas(self, request: Any) -> Any:
        return pb.GetResourceIdentitySchemas.Response()

    def ReadResource(self, request: Any) -> Any:
        return pb.ReadResource.Response(new_state=request.current_state, private=request.private)

    def PlanResourceChange(self, request: Any) -> Any:
        block = self._schema("resource_schemas", request.type_name)["block"]
        prior = self._decode(request.prior_state, block)
        proposed = self._decode(request.proposed_new_state, block)
        config = self._decode(request.config, block)
        findings = guards.check(request.type_name, config, self.ctx.region) if config is not None else []
        if findings:
            return pb.PlanResourceChange.Response(diagnostics=_findings(findings))
        planned = plan_resource(block, prior, proposed, self.ctx)
        return pb.PlanResourceChange.Response(
            planned_state=self._encode(planned, block), planned_private=request.prior_private
        )

    def ApplyResourceChange(self, request: Any) -> Any:
        block = self._schema("resource_schemas", request.type_name)["block"]
        planned = self._decode(request.planned_state, block)
        new_state = apply_resource(request.type_name, block, planned, self.ctx)
        if new_state is not None and request.type_name == "archive_file":
            from devtools.tfoffline import datasources

            new_state.update(datasources.archive(new_state, self.ctx))
        return pb.ApplyResourceChange.Response(
            new_state=self._encode(new_state, block), private=request.planned_private
        )

    def ImportResourceState(self, request: Any) -> Any:
        return pb.ImportResourceState.Response(
            diagnostics=[
                _diag("Import is not supported offline", "The stand-in provider has no real resources to import.")
            ]
        )

    def ReadDataSource(self, request: Any) -> Any:
        block = self._schema("data_source_schemas", request.type_name)["block"]
        config = self._decode(request.config, block)
        from devtools.tfoffline import datasources

        state = datasources.read(request.type_name, block, config, self.ctx)
        return pb.ReadDataSource.Response(state=self._encode(state, block))

    def StopProvider(self, request: Any) -> Any:
        return pb.StopProvider.Response()


_RPCS = (
    "GetMetadata",
    "ValidateProviderConfig",
    "ValidateResourceConfig",
    "ValidateDataResourceConfig",
    "ValidateEphemeralResourceConfig",
    "OpenEphemeralResource",
    "RenewEphemeralResource",
    "CloseEphemeralResource",
    "UpgradeResourceState",
    "GetResourceIdentitySchemas",
    "ConfigureProvider",
    "ReadResource",
    "PlanResourceChange",
    "ApplyResourceChange",
    "ImportResourceState",
    "ReadDataSource",
    "StopProvider",
)


def _guarded(provider: Provider, rpc: str) -> Any:
    method = getattr(provider, rpc)
    response_type = getattr(pb, rpc).Response

    def call(request: Any, context: Any) -> Any:
        try:
            return method(request)
        except Exception as err:  # a stand-in bug or an unsupported input: tell Terraform, keep serving
            detail = "".join(traceback.format_exception(err))
            diag = _diag(f"tfoffline stand-in provider ({provider.name}) failed in {rpc}: {err}", detail)
            if "diagnostics" in response_type.DESCRIPTOR.fields_by_name:
                return response_type(diagnostics=[diag])
            context.abort(grpc.StatusCode.INTERNAL, diag.summary)
            raise

    return call


def handlers(provider: Provider, stop: threading.Event) -> list[Any]:
    """gRPC handlers for tfplugin6.Provider and go-plugin's controller."""
    methods = {
        rpc: grpc.unary_unary_rpc_method_handler(
            _guarded(provider, rpc),
            request_deserializer=getattr(pb, rpc).Request.FromString,
            response_serializer=getattr(pb, rpc).Response.SerializeToString,
        )
        for rpc in _RPCS
    }
    # The schema response is served from the cache exactly as it was serialized.
    methods["GetProviderSchema"] = grpc.unary_unary_rpc_method_handler(
        lambda request, context: schema.schema_response_bytes(provider.name),
        request_deserializer=lambda raw: raw,
        response_serializer=lambda raw: raw,
    )

    def shutdown(request: Any, context: Any) -> bytes:
        stop.set()
        return b""

    controller = {
        "Shutdown": grpc.unary_unary_rpc_method_handler(
            shutdown, request_deserializer=lambda raw: raw, response_serializer=lambda raw: raw
        )
    }
    return [
        grpc.method_handlers_generic_handler("tfplugin6.Provider", methods),
        grpc.method_handlers_generic_handler("plugin.GRPCController", controller),
    ]


def _server_certificate() -> tuple[bytes, bytes, bytes]:
    """A fresh self-signed certificate for localhost, like go-plugin makes: (key PEM, cert PEM, cert DER)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HashiCorp"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(seconds=30))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM), cert.public_bytes(serialization.Encoding.DER)


def serve(name: str) -> int:
    """Run the plugin until Terraform shuts it down."""
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        print(
            f"This is the tfoffline stand-in for the Terraform provider {name!r}; Terraform starts it, not you.",
            file=sys.stderr,
        )
        return 1
    versions = os.environ.get("PLUGIN_PROTOCOL_VERSIONS", "6").split(",")
    if "6" not in versions:
        print(f"Terraform offers plugin protocol {versions}; the stand-in speaks 6 only", file=sys.stderr)
        return 1
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Terraform handles Ctrl-C and then stops us itself

    provider = Provider(name)
    stop = threading.Event()
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4),
        handlers=handlers(provider, stop),
        options=[("grpc.max_send_message_length", MAX_MESSAGE), ("grpc.max_receive_message_length", MAX_MESSAGE)],
    )
    socket_dir = Path(tempfile.mkdtemp(prefix="tfoffline-", dir=os.environ.get("PLUGIN_UNIX_SOCKET_DIR")))
    socket_path = socket_dir / "plugin.sock"
    client_cert = os.environ.get("PLUGIN_CLIENT_CERT")
    cert_b64 = ""
    if client_cert:
        from devtools.tfoffline import tls

        key_pem, cert_pem, cert_der = _server_certificate()
        (socket_dir / "key.pem").write_bytes(key_pem)
        (socket_dir / "cert.pem").write_bytes(cert_pem)
        context = tls.server_context(socket_dir / "cert.pem", socket_dir / "key.pem", client_cert)
        server.add_insecure_port(f"unix:{socket_dir / 'grpc.sock'}")
        tls.TlsFront(context, socket_path, socket_dir / "grpc.sock").start()
        cert_b64 = base64.b64encode(cert_der).decode().rstrip("=")
    else:
        server.add_insecure_port(f"unix:{socket_path}")
    server.start()
    print(f"1|6|unix|{socket_path}|grpc|{cert_b64}", flush=True)
    parent = os.getppid()
    try:
        while not stop.wait(1.0):
            if os.getppid() != parent:  # Terraform went away without shutting us down
                break
    finally:
        server.stop(grace=0.2).wait(1.0)
        shutil.rmtree(socket_dir, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the terraform-provider-<name> launcher scripts."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m devtools.tfoffline.server <provider>", file=sys.stderr)
        return 2
    return serve(args[0])


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # skip interpreter teardown (gRPC threads): Terraform waits for our exit
