"""The committed deployable document, read the way API Gateway reads it on import.

API Gateway uses, of a parameter, only its name, location and `required` flag (it checks that a
required parameter is present and not blank), and validates a JSON body against the operation's
model. `gateway_view()` rewrites the document into exactly that, so openapi-core applies the
gateway's rules and no more: a pattern or bound on a parameter is the Lambda's job.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

API_DIR: Final = Path(__file__).resolve().parents[2] / "api"
DEPLOYABLE: Final = "openapi.aws.json"
MANIFEST: Final = "routes.json"
METHODS: Final = ("get", "put", "post", "delete", "patch", "head", "options")


class DocumentError(Exception):
    """The document cannot be served (missing file, unsupported integration)."""


@dataclass(frozen=True)
class GatewayMethod:
    """One method of one resource (API Gateway's Method), as the gateway runs it; the contract's declaration of it is
    contract/operation.py `Operation`, compiled into contract/compiled.py `CompiledOperation`."""

    method: str
    path: str
    operation_id: str
    handler: str
    scopes: tuple[str, ...]
    authorized: bool
    """Whether the Cognito authorizer guards the method (`security` names the cognito scheme)."""
    has_body_model: bool
    mock_headers: dict[str, str]
    """For a mock integration (the CORS preflight): the static response headers."""

    @property
    def is_mock(self) -> bool:
        """Whether the gateway answers by itself (no Lambda)."""
        return not self.handler


@dataclass(frozen=True)
class ApiDocument:
    """The deployable document, its route manifest and the gateway responses."""

    raw: dict[str, Any]
    operations: dict[tuple[str, str], GatewayMethod]
    gateway_responses: dict[str, Any]
    resource_server: dict[str, Any]
    triggers: dict[str, Any]
    """The user pool's Lambda triggers of the manifest: name => {handler, package}."""
    environment: dict[str, dict[str, str]]
    """The manifest's environment of every function: name => {source, description}."""
    table: dict[str, str]
    """The manifest's table layout: keys, key type, TTL attribute, stream view type."""
    calls: tuple[dict[str, Any], ...] = ()
    """Every operation's calls to the team's own resources (api/routes.json `calls`): the lab creates each resource."""
    binary_media_types: tuple[str, ...] = ()
    """The API's binaryMediaTypes (`x-amazon-apigateway-binary-media-types`)."""

    def operation(self, method: str, path: str) -> GatewayMethod | None:
        """The operation of a resource path template (as in the document) and method."""
        return self.operations.get((method.lower(), path))


def _static(value: str) -> str:
    """An API Gateway static mapping value ('...') as the plain string."""
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == "'" else value


def _mock_headers(integration: dict[str, Any]) -> dict[str, str]:
    default = (integration.get("responses") or {}).get("default") or {}
    prefix = "method.response.header."
    return {
        name[len(prefix) :]: _static(value)
        for name, value in (default.get("responseParameters") or {}).items()
        if name.startswith(prefix)
    }


def _handler(entries: dict[str, Any], operation_id: str, where: str, manifest: Path) -> str:
    """The operation's handler as the manifest names it (the one place that says where it lives)."""
    handler = (entries.get(operation_id) or {}).get("handler")
    if not isinstance(handler, str) or not handler:
        raise DocumentError(f"{where} ({operation_id}): {manifest} names no handler for it: run `make swagger`")
    return handler


def _required(manifest: dict[str, Any], key: str, path: Path) -> Any:
    if not isinstance(manifest.get(key), dict):
        raise DocumentError(f"{path} has no {key!r}: run `make swagger`")
    return manifest[key]


def load(api_dir: Path = API_DIR) -> ApiDocument:
    """Read api/openapi.aws.json and api/routes.json."""
    try:
        raw = json.loads((api_dir / DEPLOYABLE).read_text(encoding="utf-8"))
        manifest = json.loads((api_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise DocumentError(f"{error.filename} is missing: run `make swagger` first") from None
    entries = manifest.get("operations", {})
    operations: dict[tuple[str, str], GatewayMethod] = {}
    for path, item in raw.get("paths", {}).items():
        for method, spec in item.items():
            if method not in METHODS:
                continue
            integration = spec.get("x-amazon-apigateway-integration") or {}
            kind = integration.get("type")
            operation_id = spec.get("operationId", f"{method}_{path}")
            if kind == "aws_proxy":
                handler = _handler(entries, operation_id, f"{method.upper()} {path}", api_dir / MANIFEST)
            elif kind == "mock":
                handler = ""
            else:
                raise DocumentError(f"{method.upper()} {path}: integration type {kind!r} is not supported locally")
            requirements = spec.get("security") or []
            scopes = tuple(scope for requirement in requirements for scopes in requirement.values() for scope in scopes)
            operations[(method, path)] = GatewayMethod(
                method=method.upper(),
                path=path,
                operation_id=operation_id,
                handler=handler,
                scopes=scopes,
                authorized=bool(requirements),
                has_body_model=bool(((spec.get("requestBody") or {}).get("content") or {}).get("application/json")),
                mock_headers=_mock_headers(integration) if kind == "mock" else {},
            )
    return ApiDocument(
        raw=raw,
        operations=operations,
        gateway_responses=raw.get("x-amazon-apigateway-gateway-responses") or {},
        resource_server=manifest.get("resource_server") or {},
        triggers=manifest.get("triggers") or {},
        environment=_required(manifest, "environment", api_dir / MANIFEST),
        table=_required(manifest, "table", api_dir / MANIFEST),
        calls=tuple(call for entry in entries.values() for call in entry.get("calls", [])),
        binary_media_types=tuple(raw.get("x-amazon-apigateway-binary-media-types") or ()),
    )


def gateway_view(raw: dict[str, Any]) -> dict[str, Any]:
    """The document reduced to what API Gateway enforces, for openapi-core.

    Parameters keep name, location and `required` (schema: a string, non-blank when required);
    bodies keep their models; security goes (the local Cognito authorizer handles it).
    """
    view = copy.deepcopy(raw)
    view.pop("security", None)
    for item in view.get("paths", {}).values():
        for method, spec in item.items():
            if method not in METHODS:
                continue
            spec.pop("security", None)
            for parameter in spec.get("parameters", ()):
                required = bool(parameter.get("required"))
                parameter["schema"] = {"type": "string", "minLength": 1} if required else {"type": "string"}
    view.get("components", {}).pop("securitySchemes", None)
    return view
