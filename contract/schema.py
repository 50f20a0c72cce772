"""pydantic JSON Schema 2020-12 → the OpenAPI 3.0 / JSON Schema draft-4 subset API Gateway accepts.

The one place where the conversion happens (see docs/apigateway-import-rules.md, rules 12-18).
`OpenApi30Schema` keeps documentation (defaults, one example) for the public document;
`ApiGatewaySchema` also strips what API Gateway models refuse. Anything that cannot be expressed
raises ContractError naming the model and the field, so it fails at generation, never at deploy.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema

from contract.errors import ContractError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pydantic import BaseModel
    from pydantic.json_schema import DefsRef, JsonSchemaValue

REF_PREFIX = "#/components/schemas/"
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")
_SCALARS = frozenset({"string", "integer", "number", "boolean"})


class OpenApi30Schema(GenerateJsonSchema):
    """JSON Schema for an OpenAPI 3.0.3 document (public flavour: keeps defaults and an example)."""

    def normalize_name(self, name: str) -> str:
        # Component names become API Gateway model names: alphanumeric only (rule 12).
        return _NOT_ALNUM.sub("", name)

    def generate_definitions(
        self, inputs: Any
    ) -> tuple[dict[tuple[Any, JsonSchemaMode], Any], dict[DefsRef, JsonSchemaValue]]:
        mapping, definitions = super().generate_definitions(inputs)
        converted = {name: self._convert(schema, str(name), "") for name, schema in definitions.items()}
        return mapping, converted

    def _convert(self, node: Any, model: str, where: str) -> Any:
        if isinstance(node, list):
            return [self._convert(item, model, f"{where}[{i}]") for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        node = dict(node)
        here = f"model {model}{' field ' + where if where else ''}"
        if "$defs" in node:
            raise ContractError(f"{here}: nested $defs cannot be referenced from OpenAPI 3.0 (rule 18)")
        if isinstance(node.get("type"), list):
            raise ContractError(f"{here}: type lists {node['type']} are not OpenAPI 3.0 (rule 14)")
        node = _drop_null(node, here)
        if "const" in node:  # not draft 4, not OAS 3.0 (rule 13)
            node["enum"] = [node.pop("const")]
        for bound, inclusive, step in (("exclusiveMinimum", "minimum", 1), ("exclusiveMaximum", "maximum", -1)):
            if bound in node and not isinstance(node[bound], bool):
                if node.get("type") != "integer":
                    raise ContractError(
                        f"{here}: {bound} on a {node.get('type', 'number')} has no draft-4 form API Gateway "
                        f"accepts (rule 13); use ge/le instead of gt/lt"
                    )
                node[inclusive] = node.pop(bound) + step
        for keyword in ("oneOf", "discriminator"):
            if keyword in node:
                raise ContractError(f"{here}: {keyword} (a union of models) is not supported (rules 13, 15)")
        examples = node.pop("examples", None)
        if where:
            node.pop("title", None)  # pydantic titles every field; keep only the model's own title
        self._flavour(node, examples)
        for key, value in list(node.items()):
            if key == "properties":
                node[key] = {name: self._convert(sub, model, _join(where, name)) for name, sub in value.items()}
            elif key in ("items", "additionalProperties", "anyOf", "allOf", "not"):
                node[key] = self._convert(value, model, where)
        return node

    def _flavour(self, node: dict[str, Any], examples: Any) -> None:
        """What this flavour keeps of one node: the public document keeps one example (OAS 3.0 `example`)."""
        if examples:
            node["example"] = examples[0] if isinstance(examples, list) else examples


class ApiGatewaySchema(OpenApi30Schema):
    """JSON Schema for API Gateway models: draft 4 without default/example (rule 13)."""

    def _flavour(self, node: dict[str, Any], examples: Any) -> None:
        for keyword in ("default", "example", "readOnly", "writeOnly", "deprecated"):
            node.pop(keyword, None)
        if node.get("additionalProperties") is False:
            # Rule 15: risky on import. The Lambda refuses unknown fields instead (lambdas/contract_types.INPUTS).
            node.pop("additionalProperties")


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _drop_null(node: dict[str, Any], here: str) -> dict[str, Any]:
    """`X | None` → X: optional means "may be omitted" (API Gateway drops `nullable`, rule 14)."""
    variants = node.get("anyOf")
    if not variants:
        return node
    kept = [v for v in variants if v != {"type": "null"}]
    if len(kept) == len(variants):
        raise ContractError(f"{here}: anyOf (a union) is not supported in API Gateway models (rule 15)")
    if len(kept) != 1:
        raise ContractError(f"{here}: a union of {len(kept)} types is not supported (rule 15)")
    rest = {k: v for k, v in node.items() if k != "anyOf"}
    if rest.get("default", ...) is None:
        rest.pop("default")  # None is how pydantic spells "omitted"
    inner = dict(kept[0])
    if "$ref" in inner:
        return inner  # OAS 3.0 ignores siblings of $ref
    inner.update(rest)
    return inner


def definitions(
    models: Iterable[tuple[type[BaseModel], JsonSchemaMode]], generator: type[OpenApi30Schema]
) -> tuple[dict[tuple[type[BaseModel], JsonSchemaMode], str], dict[str, dict[str, Any]]]:
    """One schema pass: the component name of each of `models`, and the schemas of those and of every model
    they reference, keyed by component name."""
    models = list(models)
    seen: dict[str, type[BaseModel]] = {}
    for model, _ in models:
        name = _NOT_ALNUM.sub("", model.__name__)
        if seen.setdefault(name, model) is not model:
            raise ContractError(
                f"models {seen[name].__module__}.{seen[name].__qualname__} and {model.__module__}.{model.__qualname__} "
                f"both become component {name!r}: component names must be unique (rule 12)"
            )
    refs, top = models_json_schema(
        models, by_alias=True, ref_template=REF_PREFIX + "{model}", schema_generator=generator
    )
    found: dict[str, dict[str, Any]] = top.get("$defs", {})
    for name, schema in found.items():
        if schema.get("type") != "object":
            raise ContractError(f"model {name}: a body must be a JSON object (rule 17)")
    names = {key: str(ref["$ref"]).removeprefix(REF_PREFIX) for key, ref in refs.items()}
    return cast("dict[tuple[type[BaseModel], JsonSchemaMode], str]", names), found


def parameter_schema(field_schema: dict[str, Any], where: str) -> dict[str, Any]:
    """A parameter's schema: a scalar type, as API Gateway only reads name, in, required and type (rule 8)."""
    if field_schema.get("type") not in _SCALARS:
        raise ContractError(f"{where}: parameters must be string, integer, number or boolean (rule 8)")
    return field_schema
