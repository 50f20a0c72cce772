"""pydantic → API Gateway models: what converts, and what fails at generation naming the field."""

from __future__ import annotations

import re
from typing import Literal

import pytest
from pydantic import BaseModel, Field

from contract.errors import ContractError
from contract.schema import ApiGatewaySchema, OpenApi30Schema, definitions


class Optional_(BaseModel):
    note: str | None = Field(default=None, examples=["x"])
    kind: Literal["a"] = "a"
    count: int = Field(gt=0, lt=10)


class Widget(BaseModel):
    part: Optional_ | None = None


def test_optional_fields_may_be_omitted_and_are_never_null() -> None:
    schema = definitions([(Optional_, "validation")], ApiGatewaySchema)[1]["Optional"]
    assert schema["properties"]["note"] == {"type": "string"}
    assert "note" not in schema.get("required", [])


def test_const_becomes_enum() -> None:
    schema = definitions([(Optional_, "validation")], ApiGatewaySchema)[1]["Optional"]
    assert schema["properties"]["kind"]["enum"] == ["a"] and "const" not in schema["properties"]["kind"]


def test_exclusive_integer_bounds_become_inclusive() -> None:
    count = definitions([(Optional_, "validation")], ApiGatewaySchema)[1]["Optional"]["properties"]["count"]
    assert (count["minimum"], count["maximum"]) == (1, 9)
    assert "exclusiveMinimum" not in count and "exclusiveMaximum" not in count


def test_names_are_sanitized_to_alphanumerics() -> None:
    assert set(definitions([(Widget, "validation")], ApiGatewaySchema)[1]) == {"Widget", "Optional"}


def test_optional_reference_stays_a_plain_ref() -> None:
    part = definitions([(Widget, "validation")], ApiGatewaySchema)[1]["Widget"]["properties"]["part"]
    assert part == {"$ref": "#/components/schemas/Optional"}


def test_public_flavour_keeps_defaults_and_one_example() -> None:
    note = definitions([(Optional_, "validation")], OpenApi30Schema)[1]["Optional"]["properties"]["note"]
    assert note == {"type": "string", "example": "x"}  # default None means "omitted": not documented as null
    kind = definitions([(Optional_, "validation")], OpenApi30Schema)[1]["Optional"]["properties"]["kind"]
    assert kind["default"] == "a"


class FloatBound(BaseModel):
    ratio: float = Field(gt=0)


class Union_(BaseModel):
    value: int | str


class Primitive(BaseModel):
    nested: list[int]


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (FloatBound, "model FloatBound field ratio: exclusiveMinimum on a number has no draft-4 form"),
        (Union_, "model Union field value: anyOf (a union) is not supported"),
    ],
)
def test_inexpressible_models_fail_at_generation(model: type[BaseModel], message: str) -> None:
    with pytest.raises(ContractError, match=re.escape(message)):
        definitions([(model, "validation")], ApiGatewaySchema)[1]


def test_two_models_with_one_component_name_fail() -> None:
    other = type("Widget", (BaseModel,), {"__annotations__": {"x": int}, "__module__": "elsewhere"})
    with pytest.raises(ContractError, match="both become component 'Widget'"):
        definitions([(Widget, "validation"), (other, "validation")], ApiGatewaySchema)[1]
