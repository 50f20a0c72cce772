"""Render the OpenAPI 3.0.3 documents of a compiled API (build time only).

One neutral rendering of the `CompiledApi` (contract/compiled.py) plus one apispec plugin per flavour, as
Chalice's swagger generators override hooks: `PublicPlugin` (readers and client generators) here, and
`ApiGatewayPlugin` (what API Gateway imports, through Terraform's templatefile) in contract/apigateway.py.
Per-path data reaches the plugins through `spec.path(**kwargs)`. Both documents render the same
compiled model, so they cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

from apispec import APISpec, BasePlugin

from contract.compiled import array_model
from contract.models.errors import Error
from contract.responses import TOO_LARGE_SCHEMA
from contract.schema import REF_PREFIX

if TYPE_CHECKING:
    from collections.abc import Mapping

    from contract.compiled import CompiledApi, CompiledOperation

OPENAPI_VERSION: Final = "3.0.3"
PUBLIC_AUTH: Final = "bearerAuth"
SIGN_IN: Final = "cognito"
"""The public document's OAuth2 scheme: managed login's authorization code + PKCE, scopes per operation. Its URLs
are the placeholders of a Cognito custom domain: a served docs page (`GET /docs` of `make serve`) puts its own."""
SIGN_IN_BASE: Final = "https://auth.example.com/oauth2"
SCOPES_EXTENSION: Final = "x-required-scopes"
"""The public document's scopes per operation: an http bearer requirement must list none (OAS 3.0.3
Security Requirement Object), so the scopes travel here and in the description."""

TOO_LARGE: Final = {
    "description": "API Gateway's own answer to a body over 10 MB, the one body not shaped as `Error`: AWS does "
    "not let a gateway response customize REQUEST_TOO_LARGE.",
    "content": {
        "application/json": {
            "schema": {"$ref": REF_PREFIX + TOO_LARGE_SCHEMA},
            "example": {"message": "Request Too Long"},
        }
    },
}


class DocumentPlugin(BasePlugin):
    """A document flavour: which schema pass it shows (`flavour`) and what it adds to the neutral rendering."""

    flavour: ClassVar[str]

    def __init__(self, api: CompiledApi) -> None:
        self.api = api

    def tag(self, name: str) -> dict[str, str]:
        """The document's Tag Object for `name`."""
        return {"name": name}

    def operation_helper(
        self,
        path: str | None = None,
        operations: dict[str, Any] | None = None,
        compiled: Mapping[str, CompiledOperation] | None = None,
        **_: Any,
    ) -> None:
        assert operations is not None and compiled is not None
        for method, op in compiled.items():
            self.operation(operations[method], op)

    def operation(self, spec: dict[str, Any], op: CompiledOperation) -> None:
        """Add this flavour's part to the neutral rendering `spec` of `op`."""


class PublicPlugin(DocumentPlugin):
    """The public document: servers, licence, the bearer and sign-in schemes, scopes, 413 and Retry-After."""

    flavour = "public"

    def tag(self, name: str) -> dict[str, str]:
        return {"name": name, "description": self.api.tags[name]}

    def init_spec(self, spec: APISpec) -> None:
        spec.options["servers"] = [dict(server) for server in self.api.servers]
        spec.options["info"] |= {"license": dict(self.api.license), "contact": dict(self.api.contact)}
        spec.components.security_scheme(
            PUBLIC_AUTH,
            {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "A Cognito user-pool access token (`make token` locally). Each operation lists the "
                "scopes it needs.",
            },
        )
        spec.components.security_scheme(
            SIGN_IN,
            {
                "type": "oauth2",
                "description": "Sign in at the user pool's managed login (authorization code + PKCE, public client). "
                "The URLs are your Cognito domain's; the docs page served by the API (`GET /docs`) fills them in.",
                "flows": {
                    "authorizationCode": {
                        "authorizationUrl": f"{SIGN_IN_BASE}/authorize",
                        "tokenUrl": f"{SIGN_IN_BASE}/token",
                        "scopes": {self.api.sent_as[name]: text for name, text in self.api.scopes.items()},
                    }
                },
            },
        )

    def operation(self, spec: dict[str, Any], op: CompiledOperation) -> None:
        if not op.public:
            spec["description"] += f"\n\nRequires scope {', '.join(f'`{scope}`' for scope in op.scopes)}."
        if op.request is not None:
            spec["responses"]["413"] = TOO_LARGE
        elif op.binary_request is not None:  # the handler's Error (over max_bytes) also carries `message`
            description = f"Over {op.binary_request.max_bytes} bytes: the handler's Error body (it has `message` too)"
            spec["responses"]["413"] = TOO_LARGE | {"description": f"{description}; {TOO_LARGE['description']}"}
        # Every operation's 503 Error carries Retry-After (lambdas/runtime/errors.py `unavailable`); a 503 with a
        # body of its own (the health report) does not.
        if op.responses[503].component == Error.__name__:
            spec["responses"]["503"]["headers"] = {
                "Retry-After": {
                    "description": "Seconds to wait before retrying (this region, or the home region of the data, is "
                    "unavailable; meanwhile Route 53 may move you to another region).",
                    "schema": {"type": "integer", "minimum": 1},
                }
            }
        spec["security"] = [] if op.public else [{SIGN_IN: list(op.scopes)}, {PUBLIC_AUTH: []}]
        spec[SCOPES_EXTENSION] = list(op.scopes)


def _responses(op: CompiledOperation, flavour: str) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for status, response in op.responses.items():
        rendered: dict[str, Any] = {"description": response.description}
        # A top-level array stays out of the deployable document: API Gateway models a response body as an
        # object (rule 17), and a proxy integration never validates responses.
        if response.component is not None and not (response.array and flavour == "deployable"):
            ref = {"$ref": REF_PREFIX + response.component}
            media: dict[str, Any] = {"schema": {"type": "array", "items": ref} if response.array else ref}
            if response.example is not None:
                media["example"] = response.example
            rendered["content"] = {"application/json": media}
        elif response.schema is not None and flavour == "public":  # a JSON array of scalars (`list[str]`)
            rendered["content"] = {"application/json": {"schema": response.schema, "example": response.example}}
        elif response.binary is not None and flavour == "public":
            # The deployable document names no schema: a proxy answer is not validated, and its binary media types
            # are the API's (x-amazon-apigateway-binary-media-types, contract/apigateway.py).
            rendered["content"] = _binary_content(response.binary.media_types, response.binary.max_bytes)
        if response.headers and flavour == "public":
            rendered["headers"] = {
                name: {"required": required, "schema": schema} | _description(schema)
                for name, required, schema in response.headers
            }
        responses[str(status)] = rendered
    return responses


BINARY_SCHEMA: Final = {"type": "string", "format": "binary"}
"""OpenAPI 3.0's raw bytes: a schema of a non-JSON media type (OAS 3.0.3, Considerations for File Uploads)."""


def _binary_content(media_types: tuple[str, ...], max_bytes: int) -> dict[str, Any]:
    """Each media type's schema of raw bytes, with the declared maximum as `maxLength`. OAS 3.0.3 takes maxLength
    from JSON Schema Validation (Wright draft 00, 5.6), where a string's length is its number of characters; a
    `format: binary` string is "any sequence of octets" (OAS 3.0.3, Data Types), so its characters are octets and
    maxLength counts bytes, the reading go-swagger checks an upload's size by (go-swagger/go-swagger#1241). It makes
    the maximum machine-readable for clients and for contract/breaking.py, not only a sentence."""
    return {media_type: {"schema": {**BINARY_SCHEMA, "maxLength": max_bytes}} for media_type in media_types}


def _description(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"description": schema["description"]} if "description" in schema else {}


def _operation(op: CompiledOperation, flavour: str) -> dict[str, Any]:
    """The operation as both flavours show it; the flavour's plugin adds the rest."""
    spec: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "description": op.description,
        "tags": list(op.tags),
        "responses": _responses(op, flavour),
    }
    if op.parameters[flavour]:
        spec["parameters"] = list(op.parameters[flavour])
    if op.request is not None:
        schema: dict[str, Any] = {"$ref": REF_PREFIX + op.request}
        if op.request_array is not None:  # a top-level JSON array: inline in public, its own model for the gateway
            array = {"type": "array", "items": schema, **op.request_array}
            schema = array if flavour == "public" else {"$ref": REF_PREFIX + array_model(op.request)}
        spec["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    elif op.binary_request is not None and flavour == "public":
        # Only the public document: API Gateway would validate a body against a schema of its media type
        # (docs/apigateway-import-rules.md rule 19); the handler checks the type and size (413, 415).
        binary = op.binary_request
        spec["requestBody"] = {
            "required": True,
            "description": f"The raw bytes ({', '.join(binary.media_types)}), at most {binary.max_bytes} bytes; "
            "Content-Type names which.",
            "content": _binary_content(binary.media_types, binary.max_bytes),
        }
    return spec


def render(api: CompiledApi, plugin: DocumentPlugin) -> dict[str, Any]:
    """The OpenAPI document of `api` in `plugin`'s flavour."""
    spec = APISpec(
        title=api.title,
        version=api.version,
        openapi_version=OPENAPI_VERSION,
        plugins=[plugin],
        info={"description": api.description},
    )
    for name, schema in api.schemas[plugin.flavour].items():
        spec.components.schema(name, schema)
    for tag in sorted({tag for op in api.operations for tag in op.tags}):
        spec.tag(plugin.tag(tag))
    paths: dict[str, dict[str, CompiledOperation]] = {}
    for op in api.operations:
        paths.setdefault(op.path, {})[op.method.lower()] = op
    for path, compiled in paths.items():
        operations = {method: _operation(op, plugin.flavour) for method, op in compiled.items()}
        spec.path(path=path, operations=operations, compiled=compiled)
    return spec.to_dict()
