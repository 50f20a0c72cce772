"""pydantic JSON Schema 2020-12 -> OpenAPI 3.0 (the exact shape) -> the draft-4 models API Gateway accepts.

The one place where the conversion happens (docs/apigateway-import-rules.md, rules 12-18, and the two
tiers of docs/shapes.md). `OpenApi30Schema` keeps the model's exact meaning in OpenAPI 3.0 terms
(nullable, anyOf, oneOf + discriminator, recursion, enums as named components, exclusive bounds, maps,
formats): the public document, the clients and the handlers' input rules read it. `ApiGatewaySchema`
then relaxes each node to the strictest draft-4 form API Gateway accepts, always a superset of the
exact one, so the gateway never refuses what the model allows; the handler checks the rest.
Anything that has no correct form raises ContractError naming the model, the field and the rule.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Final, cast, get_args

from pydantic import BaseModel, create_model
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema

from contract.errors import ContractError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pydantic.json_schema import DefsRef, JsonSchemaValue
    from pydantic_core import core_schema

REF_PREFIX: Final = "#/components/schemas/"
_NOT_ALNUM: Final = re.compile(r"[^A-Za-z0-9]")
SCALARS: Final = frozenset({"string", "integer", "number", "boolean"})
DECIMAL_PATTERN: Final = r"^-?[0-9]+(\.[0-9]+)?$"
"""A Decimal sent as a string (pydantic accepts a number or a numeric string; the handler parses it)."""
_COMPOSITION: Final = ("anyOf", "oneOf", "allOf")
BASE64: Final = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
"""RFC 4648 base64, padded: what pydantic's `Base64Bytes` reads and writes (OpenAPI 3.0's `format: byte`)."""
BASE64URL: Final = r"^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}==|[A-Za-z0-9+/_-]{3}=)?$"
"""What pydantic's `Base64UrlBytes` reads: padded, either alphabet (it writes the URL-safe one, RFC 4648 section 5)."""
BASE64_ANY: Final = r"^[A-Za-z0-9+/_-]*={0,2}$"
"""What `bytes` under `val_json_bytes="base64"` reads: either alphabet, padding optional."""
_BYTES: Final[dict[str, dict[str, str | None]]] = {
    # pydantic's JSON form of `bytes` by default (`ser_json_bytes="utf8"`): the bytes' UTF-8 text, a plain string;
    # OpenAPI's `format: binary` is for raw bodies (openapi-python-client types it as a file upload)
    "binary": {"format": None},
    "base64": {"format": "byte", "pattern": BASE64},  # OpenAPI 3.0's `byte`: RFC 4648 base64
    "base64url": {"format": "base64url", "pattern": BASE64URL},
}
_ANNOTATIONS: Final = ("title", "description", "default", "example", "deprecated", "readOnly", "writeOnly")
# API Gateway models are JSON Schema draft 4 and refuse or ignore these (Important notes, REST APIs:
# "The additionalProperties and anyOf keywords are not supported in Models", "The discriminator keyword is
# not supported in any schema object", "oneOf is not supported", "exclusiveMinimum is not supported",
# "The example keyword is not supported", "The readOnly field is not supported", quoted in
# https://github.com/stoplightio/spectral/issues/475); `format` is dropped because AWS documents no
# format check and a draft-4 `date-time` is stricter than pydantic's parser: the handler checks formats.
_GATEWAY_DROPS: Final = (
    "default", "example", "examples", "readOnly", "writeOnly", "deprecated", "format",
    "additionalProperties", "discriminator", "nullable", "exclusiveMinimum", "exclusiveMaximum", "title",
)  # fmt: skip


def decimal_pattern(places: int | None, digits: int | None) -> str:
    """The decimal text pydantic's `Decimal(decimal_places=, max_digits=)` accepts, as a pattern.

    pydantic counts the normalized value (pydantic_core's decimal validator): leading zeros of the whole part and
    trailing zeros of the fraction do not count, so "1.000" has no decimal places and "0.001" has three digits.
    """
    if places is None and digits is None:
        return DECIMAL_PATTERN

    def whole(most: int | None) -> str:  # at most `most` digits once leading zeros are dropped (none: 0 counts one)
        return "[0-9]+" if most is None else r"0+(?=\.)" if most <= 0 else f"(0+|0*[1-9][0-9]{{0,{most - 1}}})"

    def fraction(most: int | None) -> str:  # at most `most` digits once trailing zeros are dropped
        return r"(\.[0-9]+)?" if most is None else r"(\.0+)?" if most <= 0 else rf"(\.[0-9]{{1,{most}}}0*)?"

    if digits is None:
        return f"^-?{whole(None)}{fraction(places)}$"
    if places is not None:  # whole digits <= max_digits - decimal_places, which also bounds the total
        return f"^-?{whole(digits - places)}{fraction(min(places, digits))}$"
    splits = "|".join(f"{whole(i)}{fraction(digits - i)}" for i in range(digits + 1))
    return f"^-?({splits})$"


def component_name(model: type[BaseModel]) -> str:
    """The component (and API Gateway model) name of `model`: alphanumeric only (rule 12)."""
    return _NOT_ALNUM.sub("", model.__name__)


class OpenApi30Schema(GenerateJsonSchema):
    """JSON Schema for an OpenAPI 3.0.3 document, exactly as the model means it (public flavour)."""

    def normalize_name(self, name: str) -> str:
        # Component names become API Gateway model names: alphanumeric only (rule 12). Generic models
        # (`Page[Item]`, pydantic's `Page_Item_`) and names with `_` become `PageItem`.
        return _NOT_ALNUM.sub("", name)

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        number = super().decimal_schema(schema)
        text = {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN}
        if self.mode == "serialization":  # pydantic writes a Decimal as a string
            return text
        # Input: a number or a numeric string; the string carries the bounds too (the handler parses it).
        bounds = {k: v for k, v in _first(number).items() if k not in ("type", "anyOf")}
        places, digits = schema.get("decimal_places"), schema.get("max_digits")
        steps = {"multipleOf": 10**-places} if places is not None and "multipleOf" not in bounds else {}
        # pydantic's JSON schema drops decimal_places and max_digits: the number form states decimal_places as
        # multipleOf, the string form both as its pattern (the handler reads a number as its text, so both hold)
        text["pattern"] = decimal_pattern(places, digits)
        return {"anyOf": [{"type": "number", **bounds, **steps}, {**text, **bounds}]}

    def bytes_schema(self, schema: core_schema.BytesSchema) -> JsonSchemaValue:
        # `val_json_bytes="base64"` reads either alphabet without padding; pydantic says only `base64url`
        found = super().bytes_schema(schema)
        return found | {"pattern": BASE64_ANY} if self._config.val_json_bytes == "base64" else found

    def generate_definitions(
        self, inputs: Any
    ) -> tuple[dict[tuple[Any, JsonSchemaMode], Any], dict[DefsRef, JsonSchemaValue]]:
        mapping, definitions = super().generate_definitions(inputs)
        _one_class_per_name(key for key, _ in self.core_to_defs_refs)
        mapping, definitions = _alphanumeric(mapping, definitions)
        converted: dict[str, Any] = {
            str(name): _convert(schema, str(name), "") | {"title": str(name)} for name, schema in definitions.items()
        }  # the title is the component name: client generators name their classes after it (Page[Order] -> PageOrder)
        converted = {name: _typed(schema, converted) for name, schema in converted.items()}
        return mapping, cast("dict[DefsRef, JsonSchemaValue]", self._flavour(converted))

    def _flavour(self, definitions: dict[str, Any]) -> dict[str, Any]:
        """What this flavour makes of the exact schemas: the public document keeps them."""
        return definitions


def _one_class_per_name(core_refs: Iterable[str]) -> None:
    """Two classes of one name are refused: pydantic would name both after their modules (`pkm1Item`), a
    component name nobody chose, which changes when a module moves. A core ref is `module.Name:id`, and a generic
    model's `module.Page:id[Arg:id]` (every parametrization of one class is one class here)."""
    classes: dict[str, set[str]] = {}
    for ref in core_refs:
        where = ref.split("[")[0]
        classes.setdefault(where.split(":")[0].rsplit(".", 1)[-1], set()).add(where)
    for name, found in sorted(classes.items()):
        if len(found) > 1:
            both = " and ".join(sorted(where.split(":")[0] for where in found))
            raise ContractError(
                f"models {both} both become component {name!r}: component names must be unique (rule 12): rename one"
            )


def _alphanumeric(mapping: Any, definitions: Any) -> tuple[Any, Any]:
    """Component names without pydantic's mode suffixes: a model whose input and output schemas differ is two
    components, `Node-Input` and `Node-Output`, which rule 12 wants as `NodeInput` and `NodeOutput`."""
    renamed = {str(name): _NOT_ALNUM.sub("", str(name)) for name in definitions}
    if all(old == new for old, new in renamed.items()):
        return mapping, definitions
    clashes = [name for name in set(renamed.values()) if list(renamed.values()).count(name) > 1]
    if clashes:
        raise ContractError(f"models {sorted(clashes)}: two models become one component name (rule 12): rename one")
    text = json.dumps([list(mapping.items()), definitions], default=str)
    for old, new in renamed.items():
        text = text.replace(json.dumps(REF_PREFIX + old), json.dumps(REF_PREFIX + new))
    items, converted = json.loads(text)
    keys = list(mapping)
    return {keys[i]: value for i, (_, value) in enumerate(items)}, {renamed[k]: v for k, v in converted.items()}


class ApiGatewaySchema(OpenApi30Schema):
    """JSON Schema for API Gateway models: the draft-4 superset of each exact schema (rules 13-15, 18)."""

    def _flavour(self, definitions: dict[str, Any]) -> dict[str, Any]:
        return deployable_form(definitions)


def _first(schema: dict[str, Any]) -> dict[str, Any]:
    variants = schema.get("anyOf")
    return dict(variants[0]) if variants else dict(schema)


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _convert(node: Any, model: str, where: str) -> Any:
    """One 2020-12 node in OpenAPI 3.0 terms, same meaning (rules 13, 14, 18)."""
    if isinstance(node, list):
        return [_convert(item, model, where) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    here = f"model {model}{' field ' + where if where else ''}"
    if "$defs" in node:
        raise ContractError(f"{here}: nested $defs cannot be referenced from OpenAPI 3.0 (rule 18)")
    if isinstance(node.get("type"), list):
        raise ContractError(f"{here}: type lists {node['type']} are not OpenAPI 3.0 (rule 14): use `X | None`")
    if "prefixItems" in node:  # tuple[int, str]: positions of their own types, which OpenAPI 3.0 cannot state
        raise ContractError(
            f"{here}: a tuple of fixed positions (prefixItems) has no OpenAPI 3.0 form: use a model with named "
            "fields, or list[X] / tuple[X, ...]"
        )
    node = _nullable(node)  # first: `X | None` merges X's own keywords into this node
    if node.get("default", ...) is None and not node.get("nullable"):
        node.pop("default")  # `x: X = None` (pydantic does not check defaults): None means "omitted", not null
    if "const" in node:  # not OAS 3.0 (rule 13)
        node["enum"] = [node.pop("const")]
    for bound, inclusive, step in (("exclusiveMinimum", "minimum", 1), ("exclusiveMaximum", "maximum", -1)):
        if bound in node and not isinstance(node[bound], bool):
            if node.get("type") == "integer":
                node[inclusive] = node.pop(bound) + step  # the same set of integers
            else:  # OpenAPI 3.0's (draft 4's) form: a bound plus a boolean
                node[inclusive], node[bound] = node.pop(bound), True
    if node.get("type") == "string" and node.get("format") in _BYTES:  # `bytes` inside JSON, as pydantic means it
        relaxed = {**_BYTES[node["format"]], **{key: value for key, value in node.items() if key != "format"}}
        node = {key: value for key, value in relaxed.items() if value is not None}  # a pattern already set stays
    examples = node.pop("examples", None)
    if examples:
        node["example"] = examples[0] if isinstance(examples, list) else examples
    if where:
        node.pop("title", None)  # pydantic titles every field; keep only the model's own title
    for key, value in list(node.items()):
        if key == "properties":
            node[key] = {name: _convert(sub, model, _join(where, name)) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not", *_COMPOSITION):
            node[key] = _convert(value, model, where)
    return node


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    """`X | None` (anyOf with {type: null}) -> OpenAPI 3.0's `nullable: true` (rule 14)."""
    variants = node.get("anyOf")
    if not variants or {"type": "null"} not in variants:
        return node
    kept = [v for v in variants if v != {"type": "null"}]
    rest = {k: v for k, v in node.items() if k != "anyOf"}
    if rest.get("default", ...) is None:
        rest.pop("default")  # omitted stays omitted: the handler tells it from an explicit null (PATCH)
    if len(kept) > 1:
        return {**rest, "anyOf": kept, "nullable": True}
    inner = dict(kept[0])
    if "$ref" in inner:  # OAS 3.0 ignores siblings of $ref: wrap it
        return {**rest, "allOf": [inner], "nullable": True}
    return {**inner, **rest, "nullable": True}


def null_variant(kind: str) -> dict[str, Any]:
    """The schema that admits null alone: OAS 3.0.3's `nullable` widens the `type` of its own schema object only, and
    an `enum` must list null (OAI proposals/2019-10-31-Clarify-Nullable.md, adopted in 3.0.3's Schema Object)."""
    return {"type": kind, "nullable": True, "enum": [None]}


def is_null_variant(node: Any) -> bool:
    return isinstance(node, dict) and node.get("nullable") is True and node.get("enum") == [None]


def without_null(node: dict[str, Any]) -> dict[str, Any]:
    """`X | None` back to X (a parameter is absent or text, never null): the null variant or `nullable` removed."""
    node = {key: value for key, value in node.items() if key != "nullable"}
    variants = [v for v in node.get("anyOf", ()) if not is_null_variant(v)]
    if len(variants) == len(node.get("anyOf", ())):
        return node
    if len(variants) > 1:
        return {**node, "anyOf": variants}
    node.pop("anyOf")
    return {**variants[0], **node}


def _undescribable(model: type[BaseModel], seen: set[type[BaseModel]]) -> tuple[str, str, str] | None:
    """(model, field, type) of the first field pydantic has no JSON Schema for, the innermost model first."""
    if model in seen:
        return None
    seen.add(model)
    for name, info in model.model_fields.items():
        for inner in nested_models(info.annotation):
            if found := _undescribable(inner, seen):
                return found
        try:
            field: dict[str, Any] = {name: (info.annotation, info)}
            create_model("Probe", **field).model_json_schema()  # the field alone
        except Exception:  # any refusal of pydantic's is the one looked for
            annotation = info.annotation
            shown = repr(annotation) if get_args(annotation) else getattr(annotation, "__name__", repr(annotation))
            return component_name(model), info.alias or name, re.sub(r"\b(typing|collections\.abc)\.", "", shown)
    return None


def nested_models(annotation: Any) -> Iterable[type[BaseModel]]:
    """Every pydantic model inside a field's annotation (`list[A] | dict[str, B]` -> A, B)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in get_args(annotation):
        yield from nested_models(argument)


def _typed(node: Any, definitions: dict[str, Any]) -> Any:
    """No keyword beside a `$ref` (OAS 3.0.3 ignores them: Redocly's no-$ref-siblings): `x: Enum = default` wraps
    the reference in `allOf`. `nullable` only where a `type` is and no `enum` refuses null (OAS 3.0.3: it widens
    that type, nothing else): `A | B | None` puts it on the first typed variant; `Model | None`, `Enum | None`,
    `Literal[...] | None` and a union of references become `anyOf: [X, null_variant]`, which OAS 3.0 validators
    accept null for, Redocly and Spectral pass (nullable-type-sibling), and both client generators type
    `X | None` / `X | null` (measured, docs/shapes.md). `{allOf: [$ref], nullable: true}` refused null in every
    validator; with a `type` beside it openapi-python-client dropped the None."""
    if isinstance(node, list):
        return [_typed(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _typed(value, definitions) for key, value in node.items()}
    if "$ref" in node and len(node) > 1:
        node = {"allOf": [{"$ref": node.pop("$ref")}], **node}
    if node.get("nullable") and None not in node.get("enum", (None,)):  # `Literal["a", "b"] | None`
        node.pop("nullable")
        outer = {key: node.pop(key) for key in _ANNOTATIONS if key in node}
        node = {"anyOf": [node, null_variant(node.get("type", "string"))], **outer}
    if node.get("nullable") and "type" not in node and not is_null_variant(node):
        node.pop("nullable")
        variants = node.get("anyOf", ())
        typed = [i for i, v in enumerate(variants) if "type" in v]
        if typed:
            node["anyOf"][typed[0]] = {**variants[typed[0]], "nullable": True}
        elif variants:
            node["anyOf"] = [*variants, null_variant(_kind(variants[0], definitions) or "object")]
        elif len(node.get("allOf", ())) == 1 or "oneOf" in node:
            inner = {"allOf": node.pop("allOf")} if "allOf" in node else {"oneOf": node.pop("oneOf")}
            if "discriminator" in node:
                inner["discriminator"] = node.pop("discriminator")
            if len(inner.get("allOf", ())) == 1:
                inner = inner["allOf"][0]
            node["anyOf"] = [inner, null_variant(_kind(inner, definitions) or "object")]
        # else untyped: it admits null already (OAS 3.0.3)
    return node


def _refs(node: Any) -> set[str]:
    if isinstance(node, list):
        return {ref for item in node for ref in _refs(item)}
    if not isinstance(node, dict):
        return set()
    found = {str(node["$ref"]).removeprefix(REF_PREFIX)} if "$ref" in node else set()
    return found | {ref for key, value in node.items() if key not in ("enum", "example") for ref in _refs(value)}


def cyclic(definitions: dict[str, Any]) -> set[tuple[str, str]]:
    """The (component, referenced component) edges that lie on a cycle: recursive models."""
    edges = {name: _refs(schema) & set(definitions) for name, schema in definitions.items()}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                todo.extend(edges.get(name, ()))
        return False

    return {(name, ref) for name, refs in edges.items() for ref in refs if reaches(ref, name)}


def deployable_form(definitions: dict[str, Any]) -> dict[str, Any]:
    """Each exact schema relaxed to the strictest draft-4 form API Gateway accepts.

    Only object models stay components (rule 17; enums are inlined where used); a reference that closes a
    cycle becomes `{type: object}` (AWS documents no recursive models); unions, nullability, discriminators,
    maps, exclusive bounds and formats become the common type of their variants, or no type at all.
    """
    back_edges = cyclic(definitions)
    inline = {name: schema for name, schema in definitions.items() if schema.get("type") != "object"}

    def relax(node: Any, owner: str) -> Any:
        if isinstance(node, list):
            return [relax(item, owner) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = str(node["$ref"]).removeprefix(REF_PREFIX)
            if (owner, target) in back_edges:
                return {"type": "object"}
            return relax(inline[target], owner) if target in inline else {"$ref": node["$ref"]}
        node = dict(node)
        nullable = node.get("nullable") is True
        union = len(node.get("allOf", ())) < 2  # several allOf variants intersect: no union of their enums
        variants = [v for key in _COMPOSITION for v in node.pop(key, ())]
        enums = [relax(v, owner).get("enum") for v in variants]
        if variants and union and all(values is not None for values in enums):
            # `x: Enum = Field(default/description)` is `{allOf: [$ref], ...}` and `x: Enum | None` adds
            # `nullable`: keep the enum inlined (draft 4's enum admits null), so the gateway still checks it
            kinds = {_kind(v, definitions) for v in variants}
            values = [value for group in enums for value in group]
            node = _keep({k: v for k, v in node.items() if k not in ("type", "enum")})
            node["enum"] = [*dict.fromkeys(values), *([None] if nullable and None not in values else [])]
            if len(kinds) == 1 and None not in kinds and not nullable:
                node["type"] = kinds.pop()
            return node
        if variants:
            kinds = {_kind(v, definitions) for v in variants}
            only = kinds.pop() if len(kinds) == 1 else None
            if len(variants) == 1 and not nullable and only == "object" and "$ref" in variants[0]:
                return {**_keep(node), **relax(variants[0], owner)}
            node = {k: v for k, v in node.items() if k not in ("type", "properties", "required", "items")}
            if only is not None and not nullable:
                node["type"] = only
        elif nullable:
            node.pop("type", None)  # draft 4 without type lists: no type admits null (keywords of other types stay)
        node = _keep(node)
        for key, value in list(node.items()):
            if key == "properties":
                node[key] = {name: relax(sub, owner) for name, sub in value.items()}
            elif key in ("items", "not"):
                node[key] = relax(value, owner)
        return node

    return {name: relax(schema, name) | _title(schema) for name, schema in definitions.items() if name not in inline}


def _keep(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in _GATEWAY_DROPS}


def _title(schema: dict[str, Any]) -> dict[str, Any]:
    return {"title": schema["title"]} if "title" in schema else {}


def _kind(node: dict[str, Any], definitions: dict[str, Any]) -> str | None:
    """The JSON type of a variant (following references), None if it has no single one."""
    seen: set[str] = set()
    while "$ref" in node:
        name = str(node["$ref"]).removeprefix(REF_PREFIX)
        if name in seen or name not in definitions:
            return "object"
        seen.add(name)
        node = definitions[name]
    if node.get("nullable") or any(key in node for key in _COMPOSITION):
        return None
    kind = node.get("type")
    return str(kind) if kind is not None else None


def definitions(
    models: Iterable[tuple[Any, JsonSchemaMode]], generator: type[OpenApi30Schema]
) -> tuple[dict[tuple[type[BaseModel], JsonSchemaMode], str], dict[str, dict[str, Any]]]:
    """One schema pass: the component name of each of `models`, and the schemas of those and of every model
    they reference, keyed by component name. Errors (pydantic's included) are one ContractError line."""
    models = list(models)
    seen: dict[str, type[BaseModel]] = {}
    for model, _ in models:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            raise ContractError(f"{model!r}: a body or parameters must be a pydantic model (contract.models.base)")
        name = component_name(model)
        if seen.setdefault(name, model) is not model:
            raise ContractError(
                f"models {seen[name].__module__}.{seen[name].__qualname__} and {model.__module__}.{model.__qualname__} "
                f"both become component {name!r}: component names must be unique (rule 12): rename one"
            )
    try:
        refs, top = models_json_schema(
            models, by_alias=True, ref_template=REF_PREFIX + "{model}", schema_generator=generator
        )
    except ContractError:
        raise
    except Exception as error:  # pydantic's own refusal (a type with no JSON Schema), as one line
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        culprit = next((found for model, _ in models if (found := _undescribable(model, set()))), None)
        if culprit is None:
            listed = ", ".join(sorted(component_name(model) for model, _ in models))
            raise ContractError(f"models {listed}: pydantic cannot describe them in JSON Schema: {first}") from None
        raise ContractError(
            f"model {culprit[0]} field {culprit[1]}: pydantic has no JSON Schema for {culprit[2]} ({first}): give it "
            "a type with a JSON form (str, int, a model, ...), or keep it out of the contract's models"
        ) from None
    names = {key: str(ref["$ref"]).removeprefix(REF_PREFIX) for key, ref in refs.items()}
    return cast("dict[tuple[type[BaseModel], JsonSchemaMode], str]", names), top.get("$defs", {})


def schemas_for(
    models: Iterable[tuple[Any, JsonSchemaMode]], generator: type[OpenApi30Schema]
) -> dict[str, dict[str, Any]]:
    """Schemas of `models` and of every model they reference, keyed by component name."""
    return definitions(models, generator)[1]


def parameter_schema(field_schema: dict[str, Any], where: str) -> dict[str, Any]:
    """A parameter's exact schema: a scalar, an enum, a nullable scalar, or an array of them (rule 8)."""
    kind = field_schema.get("type")
    if kind == "array" and field_schema.get("items", {}).get("type") in SCALARS:
        return field_schema
    if kind not in SCALARS:
        raise ContractError(
            f"{where}: a parameter must be a string, integer, number, boolean, enum or a list of them (rule 8: "
            "API Gateway passes parameters as text); send structured data in a body"
        )
    return field_schema


def deployable_parameter(schema: dict[str, Any]) -> dict[str, Any]:
    """A scalar parameter's exact schema reduced to what API Gateway reads (rule 8: name, in, required, type)."""
    return {**_keep(schema), "type": schema["type"]}
