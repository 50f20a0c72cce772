"""Parameters, response headers and the handlers' input rules, from the exact (public) schema pass.

Both document flavours take their parameters from the exact pass: the public one keeps each parameter's
exact schema (enums, arrays as repeated query parameters), the deployable one the scalar type API Gateway
reads (rule 8). The handler's rules (INPUTS) are the exact schemas with references inlined; a recursive
model stays a `{"$ref": name}` into the operation's `defs` (docs/shapes.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from contract.errors import ContractError
from contract.models.base import CommaSeparated
from contract.schema import REF_PREFIX, deployable_parameter, nested_models, parameter_schema, without_null

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pydantic import BaseModel

    from contract.operation import Operation

_DOC_ONLY: Final = frozenset({"description", "title", "example", "examples"})


def fields(model: type[BaseModel], name: str, exact: Mapping[str, Any], where: str) -> list[tuple[str, bool, Any]]:
    """(wire name, required, exact schema) of each field of a parameters or headers model (`name`: its component);
    an enum stays a reference to its named component."""
    return [(field, required, schema) for field, required, schema, _ in _fields(name, exact, where)]


def _fields(name: str, exact: Mapping[str, Any], where: str) -> list[tuple[str, bool, Any, Any]]:
    schema = exact[name]
    required = set(schema.get("required", ()))
    found = []
    for field, sub in schema.get("properties", {}).items():
        sub = without_null(sub)  # a parameter or header is absent or text, never null
        if len(sub.get("allOf", ())) == 1:  # `Status | None`: the enum's reference itself
            sub = {**sub.pop("allOf")[0], **sub}
        resolved = parameter_schema(_resolved(sub, exact), f"{where} {field}")
        found.append((field, field in required, sub, resolved))
    return found


def _resolved(field: dict[str, Any], exact: Mapping[str, Any]) -> dict[str, Any]:
    """A parameter's schema with enum references inlined (a parameter is text: rule 8)."""
    field = dict(field)
    if "$ref" in field:
        return {**exact[str(field.pop("$ref")).removeprefix(REF_PREFIX)], **field}
    if len(field.get("allOf", ())) == 1:
        inner = _resolved(field.pop("allOf")[0], exact)
        return {**inner, **field}
    if field.get("type") == "array" and "items" in field:
        field["items"] = _resolved(field["items"], exact)
    return field


def _comma_separated(model: type[BaseModel], location: str, exact: Mapping[str, Any], where: str) -> set[str]:
    """Wire names of the fields of `model` marked COMMA_SEPARATED (contract.models.base), each checked: a query
    parameter, a list, items that cannot hold a comma."""
    marked = set()
    for name, info in model.model_fields.items():
        if not any(isinstance(meta, CommaSeparated) for meta in info.metadata):
            continue
        wire = info.alias or name
        here = f"{where} {wire}"
        if location != "query":
            raise ContractError(f"{here}: COMMA_SEPARATED is for query parameters (a {location} list always is)")
        schema = exact.get(wire) or {}
        if schema.get("type") != "array":
            raise ContractError(f"{here}: COMMA_SEPARATED marks a list parameter; this one is {schema.get('type')}")
        items = schema.get("items", {})
        if items.get("type") == "string" and not {"enum", "pattern", "format"} & set(items):
            raise ContractError(
                f"{here}: a comma-separated item may not hold a comma (API Gateway decodes %2C before the handler "
                "splits): give the items an enum, a pattern or a format, or drop COMMA_SEPARATED (repeated form)"
            )
        marked.add(wire)
    return marked


def refuse_comma_separated(model: type[BaseModel], where: str, seen: set[type[BaseModel]] | None = None) -> None:
    """COMMA_SEPARATED in a body, or in a model a body holds, is one ContractError: it is a query parameter's style,
    and a JSON body sends a list as an array (nothing would split it)."""
    seen = set() if seen is None else seen
    if model in seen:
        return
    seen.add(model)
    for name, info in model.model_fields.items():
        if any(isinstance(meta, CommaSeparated) for meta in info.metadata):
            raise ContractError(
                f"{where}: {model.__name__}.{info.alias or name} is COMMA_SEPARATED, which is for query parameters "
                "only (a JSON body sends a list as an array): drop COMMA_SEPARATED there"
            )
        for inner in nested_models(info.annotation):
            refuse_comma_separated(inner, where, seen)


def parameters(
    op: Operation, names: Mapping[type[BaseModel], str], exact: Mapping[str, Any], deployable: bool
) -> tuple[dict[str, Any], ...]:
    """The OpenAPI parameters of `op`: its path, query and header models' fields, in that order."""
    found = []
    for location, model in (("path", op.path_params), ("query", op.query_params), ("header", op.header_params)):
        if model is None:
            continue
        where = f"{op.operation_id} {location} parameter"
        located = _fields(names[model], exact, where)
        comma = _comma_separated(model, location, {name: resolved for name, _, _, resolved in located}, where)
        for name, required, schema, resolved in located:
            schema = dict(schema)
            description = schema.pop("description", None)
            parameter: dict[str, Any] = {"name": name, "in": location, "required": location == "path" or required}
            if deployable:  # API Gateway reads name, in, required and a scalar type (rule 8); the handler the rest
                schema = {"type": "string"} if resolved["type"] == "array" else deployable_parameter(resolved)
            elif resolved["type"] == "array":
                # Repeated (`status=a&status=b`): form style, exploded (OpenAPI 3.0's default for query), unless
                # declared COMMA_SEPARATED (`status=a,b`: form, not exploded); comma-separated for a path or
                # header (simple style).
                parameter |= (
                    {"style": "form", "explode": name not in comma} if location == "query" else {"style": "simple"}
                )
            parameter["schema"] = schema
            if description:
                parameter["description"] = description
            found.append(parameter)
    return tuple(found)


def _inline(exact: Mapping[str, Any], schema: Any, stack: tuple[str, ...], defs: dict[str, Any]) -> Any:
    """`schema` with every $ref replaced by its target and documentation keywords dropped; a reference back
    into a model being inlined (recursion) stays `{"$ref": name}`, its target in `defs`."""
    if isinstance(schema, list):
        return [_inline(exact, item, stack, defs) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        name = str(schema["$ref"]).removeprefix(REF_PREFIX)
        if name in stack:
            if name not in defs:
                defs[name] = {}
                defs[name] = _inline(exact, exact[name], (name,), defs)
            return {"$ref": name}
        return _inline(exact, exact[name], (*stack, name), defs)
    inlined: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DOC_ONLY:
            continue
        if key == "properties":
            inlined[key] = {k: _inline(exact, v, stack, defs) for k, v in value.items()}
        elif key == "discriminator":  # the handler picks the variant whose `enum` holds the value
            inlined[key] = {"propertyName": value["propertyName"]}
        elif key in ("enum", "default"):
            inlined[key] = value
        else:
            inlined[key] = _inline(exact, value, stack, defs)
    return inlined


def inputs(
    parameters: tuple[dict[str, Any], ...],
    body: str | None,
    exact: Mapping[str, Any],
    array: dict[str, int] | None = None,
) -> dict[str, Any]:
    """JSON schemas of the path, query and header parameters and body (None: takes none; `array`: a top-level
    JSON array of `body` with these bounds), references inlined (recursive models under `defs`): the rules the
    handler checks at run time."""
    entry: dict[str, Any] = {"path": None, "query": None, "header": None, "body": None}
    defs: dict[str, Any] = {}
    for location in ("path", "query", "header"):
        located = [p for p in parameters if p["in"] == location]
        if located:
            entry[location] = {
                "type": "object",
                "properties": {
                    # `explode: false`: the handler splits the one value at its commas (check_parameters)
                    p["name"]: _inline(exact, p["schema"], (), defs)
                    | ({"explode": False} if p.get("explode") is False else {})
                    for p in located
                },
                "required": [p["name"] for p in located if p["required"]],
            }
    if body is not None:
        entry["body"] = _inline(exact, exact[body], (body,), defs)
        if array is not None:
            entry["body"] = {"type": "array", "items": entry["body"], **array}
    if defs:
        entry["defs"] = dict(sorted(defs.items()))
    return entry
