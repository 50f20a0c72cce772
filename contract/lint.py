"""Import-compatibility lint: the deployable document against docs/apigateway-import-rules.md.

Each check is one rule of that file (its number is the finding's rule id) and names the operation or
model it failed on, so `make swagger` fails at generation rather than at `terraform apply`.
Rules about Terraform or the Lambdas rather than the document are listed in ELSEWHERE.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Final

from contract.document import HTTP_METHODS, component_name, operations
from contract.document import schemas as component_schemas

MAX_BYTES: Final = 6 * 1024 * 1024
MAX_RESOURCES: Final = 300
REQUIRED_GATEWAY_RESPONSES: Final = (
    "DEFAULT_4XX",
    "DEFAULT_5XX",
    "UNAUTHORIZED",
    "ACCESS_DENIED",
    "BAD_REQUEST_BODY",
    "BAD_REQUEST_PARAMETERS",
    "THROTTLED",
)
CORS_HEADER: Final = "gatewayresponse.header.Access-Control-Allow-Origin"
TEMPLATE_VARIABLES: Final = re.compile(r"\$\{(function_arns\.[a-z0-9_]+|user_pool_arn)\}")
UNSUPPORTED_IN_MODELS: Final = (
    "discriminator",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "default",
    "example",
    "examples",
    "readOnly",
    "deprecated",
    "const",
)
RISKY_IN_REQUESTS: Final = ("oneOf", "anyOf", "allOf", "additionalProperties")
HTTP_API_CORS: Final = "x-amazon-apigateway-cors"
HTTP_API_ONLY: Final = (
    "x-amazon-apigateway-importexport-version",
    "x-amazon-apigateway-route-selection-expression",
)
SEGMENT: Final = re.compile(r"^([A-Za-z0-9_.,:-]+|\{[A-Za-z0-9_.-]+\+?\})$")
ALNUM: Final = re.compile(r"^[A-Za-z0-9]+$")
PROXY_URI: Final = re.compile(
    r"^arn:\$\$\{AWS::Partition\}:apigateway:\$\$\{AWS::Region\}:lambda:path/2015-03-31/functions/"
    r"\$\{function_arns\.[a-z0-9_]+\}/invocations$"
)

ELSEWHERE: Final = {
    3: "fail_on_warnings and the redeployment trigger are Terraform's (tests/terraform)",
    4: "put_rest_api_mode is Terraform's (tests/terraform)",
    8: "parameter patterns and bounds are re-checked by the Lambdas (lambdas/contract_types.INPUTS)",
    11: "a fact about authorizers, nothing to check",
    16: "minItems/maxItems are re-checked by the Lambdas (lambdas/contract_types.INPUTS)",
    22: "the Lambda permission is Terraform's (tests/terraform)",
}


@dataclass(frozen=True, order=True)
class Finding:
    """One broken rule: where, which rule, what to do."""

    rule: int
    where: str
    message: str

    def __str__(self) -> str:
        return f"rule {self.rule}: {self.where}: {self.message}"


Check = Callable[[dict[str, Any], str], Iterator[Finding]]
CHECKS: list[tuple[int, Check]] = []


def rule(number: int) -> Callable[[Check], Check]:
    """Register a check for rule `number` of docs/apigateway-import-rules.md."""

    def register(check: Check) -> Check:
        CHECKS.append((number, check))
        return check

    return register


def lint(document: dict[str, Any], text: str | None = None) -> list[Finding]:
    """Every finding of every rule on `document` (`text`: its serialized form, if already written)."""
    text = json.dumps(document, sort_keys=True, indent=2) if text is None else text
    return sorted(finding for _, check in CHECKS for finding in check(document, text))


def _name(path: str, method: str, op: dict[str, Any]) -> str:
    return f"{method.upper()} {path}" + (f" ({op['operationId']})" if "operationId" in op else "")


def _walk(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key in ("properties",):
                for prop, sub in value.items():
                    yield from _walk(sub, f"{where}.{prop}")
            elif isinstance(value, (dict, list)) and key not in ("enum", "required"):
                yield from _walk(value, where)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, where)


def _request_models(document: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for _, _, op in operations(document):
        for media in op.get("requestBody", {}).get("content", {}).values():
            ref = media.get("schema", {}).get("$ref", "")
            names.add(component_name(ref))
    return names


@rule(1)
def _version(document: dict[str, Any], text: str) -> Iterator[Finding]:
    version = str(document.get("openapi", document.get("swagger", "")))
    if not (version.startswith("3.0.") or version == "2.0"):
        yield Finding(1, "document", f"openapi {version!r} does not import: only 2.0 and 3.0.x do (3.1 fails)")


@rule(2)
def _size(document: dict[str, Any], text: str) -> Iterator[Finding]:
    if len(text.encode()) > MAX_BYTES:
        yield Finding(2, "document", f"{len(text.encode())} bytes is over the 6 MB import limit")
    resources = {"/"} | {prefix for path in document.get("paths", {}) for prefix in _prefixes(path)}
    if len(resources) > MAX_RESOURCES:
        yield Finding(2, "document", f"{len(resources)} resources is over the default quota of {MAX_RESOURCES}")


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: i + 1]) for i in range(len(parts))]


@rule(5)
def _placeholders(document: dict[str, Any], text: str) -> Iterator[Finding]:
    # templatefile() reads ${...} and %{...} itself: everything but our variables must be escaped.
    for match in re.finditer(r"(?<!\$)\$\{([^}]*)\}", text):
        if not TEMPLATE_VARIABLES.fullmatch(match.group(0)):
            yield Finding(5, "document", f"'{match.group(0)}' would be read by templatefile(): write '$$' before '{{'")
    for match in re.finditer(r"(?<!%)%\{", text):
        yield Finding(5, "document", f"'%{{' at {match.start()} would be read by templatefile(): write '%%{{'")


@rule(6)
def _segments(document: dict[str, Any], text: str) -> Iterator[Finding]:
    for path in document.get("paths", {}):
        for segment in path.strip("/").split("/"):
            if segment and not SEGMENT.match(segment):
                yield Finding(6, f"path {path}", f"segment {segment!r}: only alphanumerics _ - . , : or a {{param}}")


@rule(7)
def _reserved(document: dict[str, Any], text: str) -> Iterator[Finding]:
    for path in document.get("paths", {}):
        if path.rstrip("/") in ("/ping", "/sping"):
            yield Finding(7, f"path {path}", "reserved on custom domains: use /health")


@rule(8)
def _parameters(document: dict[str, Any], text: str) -> Iterator[Finding]:
    for path, item in document.get("paths", {}).items():
        if "parameters" in item:
            yield Finding(8, f"path {path}", "path-level parameters: declare them on each operation")
        for method, op in ((m, item[m]) for m in HTTP_METHODS if m in item):
            for param in op.get("parameters", []):
                where = f"{_name(path, method, op)} parameter {param.get('name')}"
                if "content" in param or param.get("schema", {}).get("type") not in (
                    "string",
                    "integer",
                    "number",
                    "boolean",
                ):
                    yield Finding(8, where, "the gateway reads only name, in, required and a scalar type")
                if param.get("in") == "path" and param.get("required") is not True:
                    yield Finding(8, where, "a path parameter must be required")


@rule(9)
def _security_schemes(document: dict[str, Any], text: str) -> Iterator[Finding]:
    for name, scheme in document.get("components", {}).get("securitySchemes", {}).items():
        where = f"security scheme {name}"
        if scheme.get("type") != "apiKey" or scheme.get("in") != "header":
            yield Finding(9, where, "must be type apiKey in header (Authorization)")
        authorizer = scheme.get("x-amazon-apigateway-authorizer", {})
        if authorizer.get("type") == "cognito_user_pools":
            if scheme.get("x-amazon-apigateway-authtype") != "cognito_user_pools":
                yield Finding(9, where, "x-amazon-apigateway-authtype must be cognito_user_pools")
            if not authorizer.get("providerARNs"):
                yield Finding(9, where, "a Cognito authorizer needs providerARNs")


@rule(10)
def _security(document: dict[str, Any], text: str) -> Iterator[Finding]:
    if "security" in document:
        yield Finding(10, "document", "root-level security is ignored: put it on every operation")
    schemes = document.get("components", {}).get("securitySchemes", {})
    for path, method, op in operations(document):
        if "security" not in op:
            yield Finding(10, _name(path, method, op), "no security: state it (an empty list for public)")
            continue
        for requirement in op["security"]:
            for scheme in requirement:
                if scheme not in schemes:
                    yield Finding(10, _name(path, method, op), f"security scheme {scheme!r} is not declared")


@rule(12)
def _model_names(document: dict[str, Any], text: str) -> Iterator[Finding]:
    for name in component_schemas(document):
        if not ALNUM.match(name):
            yield Finding(12, f"model {name}", "model names must be alphanumeric")


@rule(13)
def _unsupported(document: dict[str, Any], text: str) -> Iterator[Finding]:
    for name, schema in component_schemas(document).items():
        for where, node in _walk(schema, f"model {name}"):
            for keyword in UNSUPPORTED_IN_MODELS:
                if keyword in node:
                    yield Finding(13, where, f"{keyword} is not supported in API Gateway models")
            if node.get("type") == "number" and node.get("format") in ("int32", "int64", "decimal"):
                yield Finding(13, where, f"format {node['format']} on a number is not supported")


@rule(14)
def _nullable(document: dict[str, Any], text: str) -> Iterator[Finding]:
    for name, schema in component_schemas(document).items():
        for where, node in _walk(schema, f"model {name}"):
            if "nullable" in node:
                yield Finding(14, where, "nullable is dropped on import: leave the field out of required")
            if isinstance(node.get("type"), list) or node.get("type") == "null":
                yield Finding(14, where, f"type {node['type']!r} is not OpenAPI 3.0")


@rule(15)
def _risky(document: dict[str, Any], text: str) -> Iterator[Finding]:
    schemas = component_schemas(document)
    for name in sorted(_request_models(document) & set(schemas)):
        for where, node in _walk(schemas[name], f"model {name}"):
            for keyword in RISKY_IN_REQUESTS:
                if keyword in node:
                    yield Finding(15, where, f"{keyword} in a request model is unreliable on import")


@rule(17)
def _responses(document: dict[str, Any], text: str) -> Iterator[Finding]:
    if document.get("components", {}).get("responses"):
        yield Finding(17, "components.responses", "shared responses are not supported: inline them")
    schemas = component_schemas(document)
    for path, method, op in operations(document):
        for status, response in op.get("responses", {}).items():
            where = f"{_name(path, method, op)} response {status}"
            if "$ref" in response:
                yield Finding(17, where, "a $ref to a shared response is not supported: inline it")
            for media in response.get("content", {}).values():
                schema = media.get("schema", {})
                target = schemas.get(component_name(schema.get("$ref", "")), schema)
                if target.get("type") != "object":
                    yield Finding(17, where, "a response body must be an object schema")


@rule(18)
def _refs(document: dict[str, Any], text: str) -> Iterator[Finding]:
    schemas = component_schemas(document)
    for ref in sorted(set(re.findall(r'"\$ref": "([^"]*)"', text))):
        if not ref.startswith("#/components/schemas/"):
            yield Finding(18, f"$ref {ref}", "only #/components/schemas/... references resolve")
        elif component_name(ref) not in schemas:
            yield Finding(18, f"$ref {ref}", "points at no model")
    for name, schema in schemas.items():
        if "$defs" in json.dumps(schema):
            yield Finding(18, f"model {name}", "$defs cannot be referenced: register each model as a component")


@rule(19)
def _bodies(document: dict[str, Any], text: str) -> Iterator[Finding]:
    for path, method, op in operations(document):
        content = op.get("requestBody", {}).get("content", {})
        if content and "schema" not in content.get("application/json", {}):
            yield Finding(19, _name(path, method, op), "bodies are validated only for application/json with a model")


@rule(20)
def _cors(document: dict[str, Any], text: str) -> Iterator[Finding]:
    if HTTP_API_CORS in document:
        yield Finding(20, "document", f"{HTTP_API_CORS} is for HTTP APIs: use OPTIONS mock methods")
    for path, item in document.get("paths", {}).items():
        preflight = item.get("options", {}).get("x-amazon-apigateway-integration", {})
        if preflight.get("type") != "mock":
            yield Finding(20, f"path {path}", "no OPTIONS method with a mock integration for CORS")
            continue
        headers = preflight.get("responses", {}).get("default", {}).get("responseParameters", {})
        if "method.response.header.Access-Control-Allow-Origin" not in headers:
            yield Finding(20, f"OPTIONS {path}", "the preflight does not return Access-Control-Allow-Origin")
    responses = document.get("x-amazon-apigateway-gateway-responses", {})
    for kind in REQUIRED_GATEWAY_RESPONSES:
        if kind not in responses:
            yield Finding(20, f"gateway response {kind}", "missing: browsers would see errors without CORS")
        elif CORS_HEADER not in responses[kind].get("responseParameters", {}):
            yield Finding(20, f"gateway response {kind}", "carries no Access-Control-Allow-Origin header")


@rule(21)
def _rest_only(document: dict[str, Any], text: str) -> Iterator[Finding]:
    for extension in HTTP_API_ONLY:
        if extension in text:
            yield Finding(21, "document", f"{extension} belongs to HTTP APIs, not REST APIs")
    validators = document.get("x-amazon-apigateway-request-validators", {})
    for path, method, op in operations(document):
        if method == "options":
            continue
        name = op.get("x-amazon-apigateway-request-validator")
        if name not in validators:
            yield Finding(21, _name(path, method, op), f"request validator {name!r} is not declared")
        elif not (validators[name].get("validateRequestBody") and validators[name].get("validateRequestParameters")):
            yield Finding(21, _name(path, method, op), f"request validator {name!r} must check body and parameters")


@rule(22)
def _integrations(document: dict[str, Any], text: str) -> Iterator[Finding]:
    for path, method, op in operations(document):
        if method == "options":
            continue
        integration = op.get("x-amazon-apigateway-integration")
        where = _name(path, method, op)
        if integration is None:
            yield Finding(22, where, "no x-amazon-apigateway-integration")
            continue
        if integration.get("type") != "aws_proxy" or integration.get("httpMethod") != "POST":
            yield Finding(22, where, "a Lambda proxy integration is type aws_proxy with httpMethod POST")
        if not PROXY_URI.match(str(integration.get("uri", ""))):
            yield Finding(22, where, f"uri {integration.get('uri')!r} is not a Lambda invocation ARN template")


@rule(23)
def _too_large(document: dict[str, Any], text: str) -> Iterator[Finding]:
    if "REQUEST_TOO_LARGE" in document.get("x-amazon-apigateway-gateway-responses", {}):
        yield Finding(23, "gateway response REQUEST_TOO_LARGE", "cannot be customised")


@rule(0)
def _moto(document: dict[str, Any], text: str) -> Iterator[Finding]:
    # Not API Gateway's rule but the emulator's: moto's import crashes without info.description.
    if not document.get("info", {}).get("description"):
        yield Finding(0, "info", "info.description is required (moto's import crashes without it)")
