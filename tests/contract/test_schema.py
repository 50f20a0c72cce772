"""pydantic -> the exact OpenAPI 3.0 shape (public) -> the draft-4 superset API Gateway accepts (deployable).

One test per shape of docs/shapes.md: the public form keeps the meaning, the deployable form accepts every
value the model accepts (never refuses by accident) and keeps none of what API Gateway refuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Annotated, Any, Generic, Literal, TypeVar
from uuid import UUID

import pytest
from pydantic import BaseModel, Field

from contract.errors import ContractError
from contract.models.errors import Error
from contract.schema import ApiGatewaySchema, OpenApi30Schema, schemas_for


class Colour(str, Enum):  # noqa: UP042 - how teams write it (and pydantic v2 docs)
    RED = "red"
    BLUE = "blue"


class Level(IntEnum):
    LOW = 1
    HIGH = 2


class Card(BaseModel):
    kind: Literal["card"]
    last4: str


class Transfer(BaseModel):
    kind: Literal["transfer"]
    iban: str


class Node(BaseModel):
    name: str
    children: list[Node] = []


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]


class Line_Item(BaseModel):  # the underscore is the point: it must not reach API Gateway
    sku: str


class Shapes(BaseModel):
    colour: Colour
    level: Level
    price: Decimal = Field(gt=0)
    payment: Annotated[Card | Transfer, Field(discriminator="kind")]
    either: str | int
    labels: dict[str, str]
    ratio: float = Field(gt=0, lt=1)
    count: int = Field(gt=0, lt=10)
    start: str = Field(alias="from")
    reason: str | None
    note: str | None = None
    tree: Node
    page: Page[Line_Item]
    ref: UUID
    kind: Literal["a"] = "a"


def exact(name: str = "Shapes") -> dict[str, Any]:
    return schemas_for([(Shapes, "validation")], OpenApi30Schema)[name]


def deployable(name: str = "Shapes") -> dict[str, Any]:
    return schemas_for([(Shapes, "validation")], ApiGatewaySchema)[name]


def field(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return schema["properties"][name]  # type: ignore[no-any-return]


def test_enums_are_named_components_in_public_and_inlined_for_the_gateway() -> None:
    assert field(exact(), "colour") == {"$ref": "#/components/schemas/Colour"}
    assert exact("Colour")["enum"] == ["red", "blue"] and exact("Level")["enum"] == [1, 2]
    assert field(deployable(), "colour") == {"enum": ["red", "blue"], "type": "string"}
    assert field(deployable(), "level") == {"enum": [1, 2], "type": "integer"}
    assert "Colour" not in schemas_for([(Shapes, "validation")], ApiGatewaySchema)  # only objects are models


class Dressed(BaseModel):
    described: Colour = Field(description="the colour")
    defaulted: Colour = Colour.RED
    level: Level = Level.LOW
    maybe: Colour | None = None


def dressed() -> dict[str, Any]:
    return schemas_for([(Dressed, "validation")], ApiGatewaySchema)["Dressed"]


def test_enum_with_a_description_keeps_its_enum_for_the_gateway() -> None:
    assert field(dressed(), "described") == {"description": "the colour", "enum": ["red", "blue"], "type": "string"}


def test_enum_with_a_default_keeps_its_enum_for_the_gateway() -> None:
    assert field(dressed(), "defaulted") == {"enum": ["red", "blue"], "type": "string"}


def test_int_enum_with_a_default_keeps_its_enum_for_the_gateway() -> None:
    assert field(dressed(), "level") == {"enum": [1, 2], "type": "integer"}


def test_optional_nullable_enum_keeps_its_enum_and_admits_null_for_the_gateway() -> None:
    assert field(dressed(), "maybe") == {"enum": ["red", "blue", None]}  # draft 4: no type list, null in the enum


def test_decimal_takes_a_number_or_a_numeric_string_with_its_bounds() -> None:
    price = field(exact(), "price")
    assert [v["type"] for v in price["anyOf"]] == ["number", "string"]
    assert price["anyOf"][1]["format"] == "decimal" and price["anyOf"][1]["minimum"] == 0
    assert field(deployable(), "price") == {}  # a number or a string: no single draft-4 type


def test_discriminated_union_keeps_one_of_and_discriminator_in_public() -> None:
    payment = field(exact(), "payment")
    assert payment["discriminator"]["propertyName"] == "kind"
    assert payment["discriminator"]["mapping"] == {
        "card": "#/components/schemas/Card",
        "transfer": "#/components/schemas/Transfer",
    }
    assert field(deployable(), "payment") == {"type": "object"}


def test_plain_union_is_any_of_in_public_and_untyped_for_the_gateway() -> None:
    assert field(exact(), "either")["anyOf"] == [{"type": "string"}, {"type": "integer"}]
    assert field(deployable(), "either") == {}


def test_map_keeps_its_value_schema_in_public_only() -> None:
    assert field(exact(), "labels") == {"type": "object", "additionalProperties": {"type": "string"}}
    assert field(deployable(), "labels") == {"type": "object"}


def test_exclusive_bounds() -> None:
    ratio = {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 1, "exclusiveMaximum": True}
    assert field(exact(), "ratio") == ratio
    assert field(deployable(), "ratio") == {"type": "number", "minimum": 0, "maximum": 1}  # the handler: exclusive
    assert (field(exact(), "count")["minimum"], field(exact(), "count")["maximum"]) == (1, 9)


def test_keyword_key_is_the_alias() -> None:
    assert "from" in exact()["properties"] and "from" in exact()["required"]


def test_required_nullable_stays_required_and_admits_null() -> None:
    assert field(exact(), "reason") == {"type": "string", "nullable": True}
    assert "reason" in exact()["required"]
    assert field(deployable(), "reason") == {} and "reason" in deployable()["required"]


def test_optional_nullable_is_nullable_without_a_null_default() -> None:
    assert field(exact(), "note") == {"type": "string", "nullable": True}
    assert "note" not in exact()["required"]


def test_recursion_is_a_self_reference_in_public_and_an_object_for_the_gateway() -> None:
    assert field(exact("Node"), "children")["items"] == {"$ref": "#/components/schemas/Node"}
    assert field(deployable("Node"), "children")["items"] == {"type": "object"}


def test_generic_and_underscored_names_become_alphanumeric_components() -> None:
    names = set(schemas_for([(Shapes, "validation")], OpenApi30Schema))
    assert {"PageLineItem", "LineItem", "Node", "Card", "Transfer"} <= names
    assert all(re.fullmatch(r"[A-Za-z0-9]+", name) for name in names)


def test_formats_are_public_only() -> None:
    assert field(exact(), "ref")["format"] == "uuid"
    assert "format" not in field(deployable(), "ref")


def test_const_becomes_enum() -> None:
    assert field(exact(), "kind")["enum"] == ["a"] and "const" not in field(exact(), "kind")


def test_two_models_with_one_component_name_fail() -> None:
    other = type("Node", (BaseModel,), {"__annotations__": {"x": int}, "__module__": "elsewhere"})
    with pytest.raises(ContractError, match="both become component 'Node'"):
        schemas_for([(Node, "validation"), (other, "validation")], ApiGatewaySchema)


def test_two_referenced_models_of_one_class_name_fail_naming_both_modules() -> None:
    # GIVEN two `Item` classes of two modules, referenced by fields (pydantic would name them `m1Item`, `m2Item`)
    first = type("Item", (BaseModel,), {"__annotations__": {"x": int}, "__module__": "shop.m1"})
    second = type("Item", (BaseModel,), {"__annotations__": {"y": str}, "__module__": "shop.m2"})
    holder = type("Holder", (BaseModel,), {"__annotations__": {"a": first, "b": second}, "__module__": "shop"})
    with pytest.raises(ContractError) as caught:
        schemas_for([(holder, "validation")], OpenApi30Schema)
    assert str(caught.value) == (
        "models shop.m1.Item and shop.m2.Item both become component 'Item': component names must be unique "
        "(rule 12): rename one"
    )


def test_a_type_pydantic_cannot_describe_is_one_contract_error() -> None:
    class Opaque(BaseModel):
        model_config = {"arbitrary_types_allowed": True}
        thing: object = Field(default_factory=object)
        handle: type[int] = int

    with pytest.raises(ContractError) as caught:
        schemas_for([(Opaque, "validation")], OpenApi30Schema)
    assert str(caught.value).startswith("model Opaque field handle: pydantic has no JSON Schema for type[int] (")


def test_a_callable_deep_in_a_model_names_that_model_and_field_alone() -> None:
    # GIVEN the kit's Error beside a model holding a model with a Callable (pydantic's error names neither)
    class Inner(BaseModel):
        call: Callable[[], int]

    class Outer(BaseModel):
        inner: Inner

    with pytest.raises(ContractError) as caught:
        schemas_for([(Error, "serialization"), (Outer, "validation")], OpenApi30Schema)
    assert str(caught.value) == (
        "model Inner field call: pydantic has no JSON Schema for Callable[[], int] (Cannot generate a JsonSchema for "
        "core_schema.CallableSchema): give it a type with a JSON form (str, int, a model, ...), or keep it out of "
        "the contract's models"
    )


def test_a_tuple_of_fixed_positions_names_the_field_and_the_fix() -> None:
    class Pair(BaseModel):
        pair: tuple[int, str]

    with pytest.raises(ContractError) as caught:
        schemas_for([(Pair, "validation")], OpenApi30Schema)
    assert str(caught.value) == (
        "model Pair field pair: a tuple of fixed positions (prefixItems) has no OpenAPI 3.0 form: use a model with "
        "named fields, or list[X] / tuple[X, ...]"
    )
