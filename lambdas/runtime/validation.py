"""Check input against the contract's JSON schemas (the draft-4 subset of lambdas.contract_types.INPUTS).

API Gateway checks only that required parameters are present and, with a model, the body's shape;
parameter patterns, enums and bounds reach the handler unchecked. This module checks all of it, with
the public flavour of the contract's schemas (stricter than the gateway's models: they keep
`additionalProperties: false` and `default`, which the deployable document strips), and names the
offending field: `body.<path>` for the body, the
parameter name for a path or query parameter.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from lambdas.runtime.errors import BadRequestError

if TYPE_CHECKING:
    from collections.abc import Mapping

_INTEGER: Final = re.compile(r"-?[0-9]{1,18}")
_patterns: dict[str, re.Pattern[str]] = {}


def _ecma(pattern: str) -> str:
    """JSON Schema patterns are ECMA-262: `$` ends the input, where Python's `$` also allows a final newline."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
    return "".join(out)


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _patterns.get(pattern)
    if compiled is None:
        compiled = _patterns[pattern] = re.compile(_ecma(pattern))
    return compiled


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return kind == "null" and value is None


def check(schema: Mapping[str, Any], value: Any, field: str) -> Any:
    """`value` if it satisfies `schema` (objects get their defaults filled in), else BadRequestError."""
    kind = schema.get("type")
    if kind is not None and not _type_ok(kind, value):
        raise BadRequestError(f"{field} must be of type {kind}", field)
    if "enum" in schema and not any(type(v) is type(value) and v == value for v in schema["enum"]):
        raise BadRequestError(f"{field} must be one of {', '.join(map(str, schema['enum']))}", field)
    if isinstance(value, str):
        try:
            value.encode()
        except UnicodeEncodeError:
            raise BadRequestError(f"{field} is not valid Unicode", field) from None
        if len(value) < schema.get("minLength", 0):
            raise BadRequestError(f"{field} must be at least {schema['minLength']} characters long", field)
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            raise BadRequestError(f"{field} must be at most {schema['maxLength']} characters long", field)
        if "pattern" in schema and _compiled(schema["pattern"]).search(value) is None:
            raise BadRequestError(f"{field} must match {schema['pattern']}", field)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        _check_bounds(schema, value, field)
    elif isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            raise BadRequestError(f"{field} has the wrong number of entries", field)
        if "items" in schema:
            return [check(schema["items"], entry, f"{field}[{i}]") for i, entry in enumerate(value)]
    elif isinstance(value, dict):
        return _check_object(schema, value, field)
    return value


def _check_bounds(schema: Mapping[str, Any], value: float, field: str) -> None:
    if "minimum" in schema:
        low = schema["minimum"]
        if value < low or (schema.get("exclusiveMinimum") is True and value == low):
            raise BadRequestError(f"{field} must be at least {low}", field)
    if "maximum" in schema:
        high = schema["maximum"]
        if value > high or (schema.get("exclusiveMaximum") is True and value == high):
            raise BadRequestError(f"{field} must be at most {high}", field)


def _check_object(schema: Mapping[str, Any], value: dict[str, Any], field: str) -> dict[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties", {})
    required = schema.get("required", ())
    result: dict[str, Any] = {}
    for name, entry in value.items():
        sub = properties.get(name)
        if sub is None:
            if schema.get("additionalProperties", True) is False:
                raise BadRequestError(f"{field}.{name} is not a known field", f"{field}.{name}")
            continue
        if entry is None and name not in required:
            continue  # optional means "may be omitted"; an explicit null is read as omitted
        result[name] = check(sub, entry, f"{field}.{name}")
    for name, sub in properties.items():
        if name not in result:
            if name in required:
                raise BadRequestError(f"{field}.{name} is required", f"{field}.{name}")
            if "default" in sub:
                result[name] = sub["default"]
    return result


def check_parameters(schema: Mapping[str, Any] | None, raw: Mapping[str, str] | None, location: str) -> dict[str, Any]:
    """Path, query or header parameters (strings on the wire) coerced to the schema's types and checked.

    The field of an error is `<location>.<name>` (`query.limit`), as the body's is `body.<path>`.
    Parameters the contract does not declare are dropped, unless the schema forbids them.
    """
    if schema is None:
        return {}
    raw = raw or {}
    properties: Mapping[str, Any] = schema.get("properties", {})
    result: dict[str, Any] = {}
    for name, text in raw.items():
        sub = properties.get(name)
        field = f"{location}.{name}"
        if sub is None:
            if schema.get("additionalProperties", True) is False:
                raise BadRequestError(f"{field} is not a known parameter", field)
            continue
        result[name] = check(sub, _coerce(sub.get("type"), text, field), field)
    for name, sub in properties.items():
        if name not in result:
            if name in schema.get("required", ()):
                raise BadRequestError(f"{location}.{name} is required", f"{location}.{name}")
            if "default" in sub:
                result[name] = sub["default"]
    return result


def _coerce(kind: str | None, text: str, name: str) -> Any:
    if kind == "integer":
        if _INTEGER.fullmatch(text) is None:
            raise BadRequestError(f"{name} must be an integer", name)
        return int(text)
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            raise BadRequestError(f"{name} must be a number", name) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise BadRequestError(f"{name} must be a finite number", name)
        return number
    if kind == "boolean":
        if text not in ("true", "false"):
            raise BadRequestError(f"{name} must be true or false", name)
        return text == "true"
    return text
