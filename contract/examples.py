"""Examples the kit invents for the public document: valid against their schema, or none at all.

A field's own `example` (pydantic `examples=[...]`) is used as given; otherwise a value is made from the
type, the enum, the bounds and the format. What cannot be made safely (a `pattern` without an example, a
required recursive field) gives no example, and every invented example is validated with the OpenAPI 3.0
validator before it is used, so doc linters and readers never see an example its schema refuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from openapi_schema_validator import OAS30Validator, oas30_format_checker

from contract.schema import REF_PREFIX

if TYPE_CHECKING:
    from collections.abc import Mapping

_NONE: Final = object()
"""No value could be made."""
FORMATS: Final = {
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "date": "2026-01-01",
    "date-time": "2026-01-01T12:00:00Z",
    "decimal": "9.99",
    "email": "user@example.com",
    "uri": "https://example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "hostname": "example.com",
}
"""A valid value of each format the kit invents for (RFC 4122, RFC 3339, RFC 5322, RFC 3986, RFC 5737/3849)."""
_MAX_DEPTH: Final = 16


def invent(schema: dict[str, Any], schemas: Mapping[str, Any]) -> Any:
    """An example of `schema` (references into `schemas`) that validates, or None."""
    value = _make(schema, schemas, (), 0)
    if value is _NONE:
        return None
    root = {"allOf": [schema], "components": {"schemas": schemas}}
    valid = OAS30Validator(root, format_checker=oas30_format_checker).is_valid(value)
    return value if valid else None


def _make(node: dict[str, Any], schemas: Mapping[str, Any], stack: tuple[str, ...], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return _NONE
    if "$ref" in node:
        name = str(node["$ref"]).removeprefix(REF_PREFIX)
        if name in stack or name not in schemas:
            return _NONE  # a recursive model's example stops at the first level
        return _make(schemas[name], schemas, (*stack, name), depth + 1)
    if "example" in node:
        return node["example"]
    if "enum" in node:
        return node["enum"][0] if node["enum"] else _NONE
    for key in ("allOf", "oneOf", "anyOf"):
        for variant in node.get(key, ()):
            value = _make(variant, schemas, stack, depth + 1)
            if value is not _NONE:
                return value
        if key in node:
            return None if node.get("nullable") else _NONE
    kind = node.get("type")
    if kind == "object":
        return _object(node, schemas, stack, depth)
    if kind == "array":
        item = _make(node.get("items", {}), schemas, stack, depth + 1)
        if item is _NONE:
            return [] if node.get("minItems", 0) == 0 else _NONE
        return [item] * max(1, node.get("minItems", 1))
    if kind == "string":
        return _string(node)
    if kind in ("integer", "number"):
        return _number(node, kind)
    if kind == "boolean":
        return True
    return None if node.get("nullable") else _NONE


def _object(node: dict[str, Any], schemas: Mapping[str, Any], stack: tuple[str, ...], depth: int) -> Any:
    required = set(node.get("required", ()))
    value: dict[str, Any] = {}
    for name, sub in node.get("properties", {}).items():
        made = _make(sub, schemas, stack, depth + 1)
        if made is not _NONE:
            value[name] = made
        elif name in required:
            return _NONE
    return value


def _string(node: dict[str, Any]) -> Any:
    if node.get("format") in FORMATS:
        return FORMATS[node["format"]]
    if "pattern" in node or "format" in node:
        return _NONE  # no safe guess: better no example than a wrong one
    text = "string"
    low, high = node.get("minLength", 0), node.get("maxLength", len(text))
    return (text * (low // len(text) + 1))[: max(low, min(high, len(text)))]


def _number(node: dict[str, Any], kind: str) -> Any:
    low, high = node.get("minimum"), node.get("maximum")
    step = 1 if kind == "integer" else 0.5
    value: float = 0 if low is None else low + (step if node.get("exclusiveMinimum") is True else 0)
    if high is not None and (value > high or (value == high and node.get("exclusiveMaximum") is True)):
        value = high - step if node.get("exclusiveMaximum") is True else high
    if "multipleOf" in node:
        return _NONE if value % node["multipleOf"] else (int(value) if kind == "integer" else value)
    return int(value) if kind == "integer" else value
