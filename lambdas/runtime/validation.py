"""Check input against the contract's exact schemas (lambdas.contract_types.INPUTS), as the pydantic model means it.

The second tier (docs/shapes.md): API Gateway checks required parameters and a draft-4 superset of the body;
this checks the rest (patterns, enums, bounds, arrays, unions, discriminators, null, recursion, maps, formats,
unknown fields) and names the field: `body.<path>`, or `<location>.<name>` for a parameter.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any, Final

from lambdas.runtime.errors import BadRequestError

if TYPE_CHECKING:
    import decimal
    from collections.abc import Mapping

_INTEGER: Final = re.compile(r"-?[0-9]{1,18}")
_FORMATS: Final = {
    "decimal": r"^-?[0-9]+(\.[0-9]+)?$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "date-time": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9:]{5}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9:]{4,5})?$",
}
"""The shape of each text format, compiled on first use (_compiled) as the contract's own patterns are; a date's
calendar (2026-02-30) is checked by datetime. uuid and decimal are imported where a format needs them: most
contracts use neither, and every handler imports this module (cold start)."""
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


def _format_ok(kind: str, value: str) -> bool:
    """The formats pydantic gives its types (uuid, date, date-time, decimal); others are documentation."""
    try:
        if kind == "uuid":
            import uuid

            uuid.UUID(value)
        elif kind in _FORMATS:
            if _compiled(_FORMATS[kind]).search(value) is None:
                return False
            if kind != "decimal":  # the calendar and the clock: 2026-02-30 and 25:00 are refused
                datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def check(schema: Mapping[str, Any], value: Any, field: str, defs: Mapping[str, Any] | None = None) -> Any:
    """`value` if it satisfies `schema` (objects get their defaults filled in), else BadRequestError.

    `defs`: the operation's recursive models (INPUTS' `defs`), which `{"$ref": name}` names.
    """
    if "$ref" in schema:
        return check((defs or {})[schema["$ref"]], value, field, defs)
    if value is None and (
        schema.get("nullable") is True or any(v.get("nullable") is True for v in schema.get("anyOf", ()))
    ):
        return None  # `X | None`: null is a value (PATCH: clear the field)
    if "allOf" in schema:
        for part in schema["allOf"]:
            value = check(part, value, field, defs)
        return value
    if "oneOf" in schema or "anyOf" in schema:
        return _union(schema, value, field, defs)
    kind = schema.get("type")
    if kind is not None and not _type_ok(kind, value):
        raise BadRequestError(f"{field} must be of type {kind}{' or null' if schema.get('nullable') else ''}", field)
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
        decimal_text = schema.get("format") == "decimal"
        if decimal_text and _compiled(_FORMATS["decimal"]).search(value) is None:
            raise BadRequestError(
                f"{field} must be a decimal written as digits and an optional fraction (19.90)", field
            )
        if "pattern" in schema and _compiled(schema["pattern"]).search(value) is None:
            # a decimal's pattern states its decimal_places and max_digits (contract.schema.decimal_pattern)
            rule = "has too many digits or decimal places: it " if decimal_text else ""
            raise BadRequestError(f"{field} {rule}must match {schema['pattern']}", field)
        if "format" in schema and not _format_ok(schema["format"], value):
            raise BadRequestError(f"{field} must be a valid {schema['format']}", field)
        if schema.get("format") == "decimal":  # a Decimal sent as text keeps the number's bounds
            import decimal

            _check_bounds(schema, decimal.Decimal(value), field)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        _check_bounds(schema, value, field)
    elif isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            raise BadRequestError(f"{field} has the wrong number of entries", field)
        if "items" in schema:
            return [check(schema["items"], entry, f"{field}[{i}]", defs) for i, entry in enumerate(value)]
    elif isinstance(value, dict):
        return _check_object(schema, value, field, defs)
    return value


def _union(schema: Mapping[str, Any], value: Any, field: str, defs: Mapping[str, Any] | None) -> Any:
    """anyOf: the first variant that accepts `value`; oneOf with a discriminator: the variant it names."""
    variants = schema.get("oneOf") or schema.get("anyOf") or ()
    tag = (schema.get("discriminator") or {}).get("propertyName")
    if tag is not None:
        if not isinstance(value, dict):
            raise BadRequestError(f"{field} must be of type object", field)
        if tag not in value:
            raise BadRequestError(f"{field}.{tag} is required", f"{field}.{tag}")
        allowed = []
        for variant in variants:
            resolved = (defs or {})[variant["$ref"]] if "$ref" in variant else variant
            values = resolved.get("properties", {}).get(tag, {}).get("enum", ())
            allowed.extend(values)
            if value[tag] in values:
                return check(variant, value, field, defs)
        raise BadRequestError(f"{field}.{tag} must be one of {', '.join(map(str, allowed))}", f"{field}.{tag}")
    text = next((v for v in variants if v.get("format") == "decimal"), None)
    pair = len(variants) == 2 and {v.get("type") for v in variants} == {"number", "string"}  # a Decimal's own union
    if text is not None and pair and (isinstance(value, str) or _type_ok("number", value)):
        # a Decimal's number-or-string: pydantic reads a number as its text, so both forms are checked (and their
        # error named) as the text, whose pattern and bounds hold the whole rule
        check(text, value if isinstance(value, str) else _positional(value), field, defs)
        return value
    # `Model | None` is anyOf [Model, {nullable, enum: [null]}]: null takes the null variant, any other value is
    # checked (and its error named) as the model alone
    variants = [v for v in variants if not (v.get("nullable") is True and v.get("enum") == [None])] or variants
    first: BadRequestError | None = None
    for variant in variants:
        try:
            return check(variant, value, field, defs)
        except BadRequestError as error:
            first = first or error
    if len(variants) == 1 and first is not None:
        raise first
    raise BadRequestError(f"{field} matches none of the allowed shapes ({first.message if first else ''})", field)


def _check_bounds(schema: Mapping[str, Any], value: float | decimal.Decimal, field: str) -> None:
    if "minimum" in schema:
        low = schema["minimum"]
        if value < low or (schema.get("exclusiveMinimum") is True and value == low):
            raise BadRequestError(f"{field} must be {'above' if value == low else 'at least'} {low}", field)
    if "maximum" in schema:
        high = schema["maximum"]
        if value > high or (schema.get("exclusiveMaximum") is True and value == high):
            raise BadRequestError(f"{field} must be {'below' if value == high else 'at most'} {high}", field)
    if "multipleOf" in schema and _remainder(value, schema["multipleOf"]):
        raise BadRequestError(f"{field} must be a multiple of {schema['multipleOf']}", field)


def _check_object(
    schema: Mapping[str, Any], value: dict[str, Any], field: str, defs: Mapping[str, Any] | None
) -> dict[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    required = schema.get("required", ())
    result: dict[str, Any] = {}
    for name, entry in value.items():
        sub = properties.get(name)
        if sub is None:
            if extra is False:
                raise BadRequestError(f"{field}.{name} is not a known field", f"{field}.{name}")
            if isinstance(extra, dict):  # a map: dict[str, X]
                result[name] = check(extra, entry, f"{field}.{name}", defs)
            continue
        result[name] = check(sub, entry, f"{field}.{name}", defs)
    for name, sub in properties.items():
        if name not in result:
            if name in required:
                raise BadRequestError(f"{field}.{name} is required", f"{field}.{name}")
            if "default" in sub:
                result[name] = sub["default"]
    return result


def check_parameters(
    schema: Mapping[str, Any] | None, raw: Mapping[str, str | list[str]] | None, location: str
) -> dict[str, Any]:
    """Path, query or header parameters (strings on the wire) coerced to the schema's types and checked.

    The field of an error is `<location>.<name>` (`query.limit`), as the body's is `body.<path>`. An array
    parameter takes every value of a repeated query parameter (`status=a&status=b`, a list in `raw`), or the
    comma-separated items of a path or header value or of a query parameter declared `explode: false`
    (`status=a,b`: OpenAPI's `simple` and non-exploded `form` styles).
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
        if sub.get("type") == "array":
            texts = _items(text, comma_separated=location != "query" or sub.get("explode") is False)
            kind = sub.get("items", {}).get("type")
            result[name] = check(sub, [_coerce(kind, item, field) for item in texts], field)
        else:
            last = text[-1] if isinstance(text, list) else text  # API Gateway's single-value map keeps the last
            result[name] = check(sub, _coerce(sub.get("type"), last, field), field)
    for name, sub in properties.items():
        if name not in result:
            if name in schema.get("required", ()):
                raise BadRequestError(f"{location}.{name} is required", f"{location}.{name}")
            if "default" in sub:
                result[name] = sub["default"]
    return result


def _items(text: str | list[str], comma_separated: bool) -> list[str]:
    """The items of an array parameter. API Gateway (REST, proxy integration) passes `status=a,b` as the one
    value `a,b` and splits nothing: `status=a&status=b` arrives as two values in multiValueQueryStringParameters
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html, input
    format); an empty comma-separated value is an empty list (RFC 6570 form expansion)."""
    texts = text if isinstance(text, list) else [text]
    if not comma_separated:
        return texts
    return [item for value in texts if value for item in value.split(",")]


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


def _remainder(value: float | decimal.Decimal, step: float) -> decimal.Decimal:
    """`value` modulo `step`, exact in decimal (0.3 is a multiple of 0.1, which float arithmetic denies)."""
    import decimal

    return decimal.Decimal(str(value)) % decimal.Decimal(str(step))


def _positional(number: float) -> str:
    """A JSON number as pydantic reads it into a Decimal (its shortest text), without an exponent (1e-05: 0.00001)."""
    import decimal

    return format(decimal.Decimal(repr(number)), "f")
