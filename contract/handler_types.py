"""Generate lambdas/contract_types.py: the contract's types and input rules for the handlers.

Handlers must not import pydantic (cold start), so they get the contract as plain Python:
TypedDicts for every body, and INPUTS, the JSON schemas of each operation's path, query and body
with references inlined, which the Lambda runtime checks for what API Gateway does not. Rendered
from the `Operation` declarations and the public document's component schemas (the build's one
pass over the models), not from a generated document.
"""

from __future__ import annotations

import json
import keyword
import pprint
from typing import TYPE_CHECKING, Any

from contract import routes
from contract.openapi import parameters
from contract.schema import REF_PREFIX, component_name

if TYPE_CHECKING:
    from contract.operation import Operation

_PYTHON_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_DOC_ONLY = frozenset({"description", "title", "example", "examples"})
_QUOTES = '"' * 3


def _annotation(schema: dict[str, Any]) -> str:
    """The Python type of an exact (public) schema, as the pydantic model means it."""
    if "$ref" in schema:
        annotation = str(schema["$ref"]).removeprefix(REF_PREFIX)
    elif "enum" in schema:
        annotation = "Literal[" + ", ".join(json.dumps(v) for v in schema["enum"]) + "]"
    elif variants := [v for key in ("allOf", "anyOf", "oneOf") for v in schema.get(key, ())]:
        annotation = " | ".join(dict.fromkeys(_annotation(v) for v in variants))
    else:
        kind = schema.get("type")
        if kind == "array":
            annotation = f"list[{_annotation(schema.get('items', {}))}]"
        elif kind == "object":
            extra = schema.get("additionalProperties")
            annotation = f"dict[str, {_annotation(extra)}]" if isinstance(extra, dict) else "dict[str, Any]"
        else:
            annotation = _PYTHON_TYPES.get(str(kind), "Any")
    return f"{annotation} | None" if schema.get("nullable") and annotation != "Any" else annotation


def _definition(name: str, schema: dict[str, Any]) -> str:
    """A TypedDict for an object schema (functional form when a key is no identifier: `from`), else an alias."""
    doc = (schema.get("description") or name).splitlines()[0].replace(_QUOTES, "'''")
    if schema.get("type") != "object" or "properties" not in schema:
        return f"{name}: TypeAlias = {_annotation(schema)}\n{_QUOTES}{doc}{_QUOTES}"
    required = set(schema.get("required", ()))
    fields = {}
    for field, sub in schema["properties"].items():
        annotation = _annotation(sub)
        fields[field] = annotation if field in required else f"NotRequired[{annotation}]"
    if all(field.isidentifier() and not keyword.iskeyword(field) for field in fields):
        lines = [f"class {name}(TypedDict):", f"    {_QUOTES}{doc}{_QUOTES}", ""]
        return "\n".join(lines + [f"    {field}: {annotation}" for field, annotation in fields.items()])
    items = "".join(f"\n    {json.dumps(field)}: {json.dumps(annotation)}," for field, annotation in fields.items())
    return f"{name} = TypedDict({json.dumps(name)}, {{{items}\n}})\n{_QUOTES}{doc}{_QUOTES}"


def _inline(schemas: dict[str, Any], schema: Any, stack: tuple[str, ...], defs: dict[str, Any]) -> Any:
    """`schema` with every $ref replaced by its target and documentation keywords dropped; a reference back
    into a model being inlined (recursion) stays `{"$ref": name}`, its target in `defs`."""
    if isinstance(schema, list):
        return [_inline(schemas, item, stack, defs) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        name = str(schema["$ref"]).removeprefix(REF_PREFIX)
        if name in stack:
            if name not in defs:
                defs[name] = {}
                defs[name] = _inline(schemas, schemas[name], (name,), defs)
            return {"$ref": name}
        return _inline(schemas, schemas[name], (*stack, name), defs)
    inlined: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _DOC_ONLY:
            continue
        if key == "properties":
            inlined[key] = {k: _inline(schemas, v, stack, defs) for k, v in value.items()}
        elif key == "discriminator":  # the handler picks the variant whose `enum` holds the value
            inlined[key] = {"propertyName": value["propertyName"]}
        elif key in ("enum", "default"):
            inlined[key] = value
        else:
            inlined[key] = _inline(schemas, value, stack, defs)
    return inlined


def operation_inputs(op: Operation, schemas: dict[str, Any]) -> dict[str, Any]:
    """JSON schemas of `op`'s path, query and header parameters and body (None: takes none), references
    inlined (recursive models under `defs`): INPUTS here and the manifest's `inputs`, from which each zip gets
    its own operation's rules. `schemas`: the exact definitions (contract.openapi.definitions)."""
    entry: dict[str, Any] = {"path": None, "query": None, "header": None, "body": None}
    defs: dict[str, Any] = {}
    params = parameters(op, schemas)
    for location in ("path", "query", "header"):
        located = [p for p in params if p["in"] == location]
        if located:
            entry[location] = {
                "type": "object",
                "properties": {p["name"]: _inline(schemas, p["schema"], (), defs) for p in located},
                "required": [p["name"] for p in located if p["required"]],
            }
    if op.request is not None:
        name = component_name(op.request)
        entry["body"] = _inline(schemas, schemas[name], (name,), defs)
    if defs:
        entry["defs"] = dict(sorted(defs.items()))
    return entry


def render(ops: tuple[Operation, ...], schemas: dict[str, Any]) -> str:
    """Source of lambdas/contract_types.py for `ops` and the public document's component schemas."""
    classes = "\n\n\n".join(_definition(name, schema) for name, schema in sorted(schemas.items()))
    by_id = sorted(ops, key=lambda op: op.operation_id)
    inputs = pprint.pformat(
        {op.operation_id: operation_inputs(op, schemas) for op in by_id}, width=110, sort_dicts=True
    )
    scopes = pprint.pformat(
        {op.operation_id: tuple(f"{routes.RESOURCE_SERVER}/{s.name}" for s in op.scopes) for op in by_id}, width=110
    )
    # SCOPE_GROUPS: scope => the Cognito group whose members alone may use it (no docstring: package size)
    scope_groups = dict(
        sorted({f"{routes.RESOURCE_SERVER}/{s.name}": s.group for op in ops for s in op.scopes if s.group}.items())
    )
    names = ["Any", "Final", "Literal", "NotRequired", *(["TypeAlias"] if "TypeAlias" in classes else []), "TypedDict"]
    return f'''"""The contract's types for the handlers. Generated by `make swagger` from contract/: do not edit."""

from __future__ import annotations

from typing import {", ".join(names)}

API_VERSION: Final = {json.dumps(routes.VERSION)}


{classes}


INPUTS: Final[dict[str, dict[str, Any]]] = {inputs}
"""JSON schemas of each operation's path parameters, query parameters and body (None: takes none)."""

SCOPES: Final[dict[str, tuple[str, ...]]] = {scopes}
"""Scopes each operation requires (empty: public). The gateway enforces them; handlers check again."""

SCOPE_GROUPS: Final[dict[str, str]] = {scope_groups!r}
'''
