"""`X | None` for every X: the public schema admits null in an OpenAPI 3.0 validator, and so do the gateway's
model and the handler's check, while a wrong value stays refused.

OAS 3.0.3's `nullable` widens the `type` of its own schema object only, and an `enum` must list null (OAI
proposals/2019-10-31-Clarify-Nullable.md): `{allOf: [$ref], nullable: true}` or `{type, enum: [a, b],
nullable: true}` refuse null in every OAS 3.0 validator. docs/shapes.md has what each client makes of the form.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Annotated, Any, Literal

import pytest
from jsonschema import Draft4Validator
from openapi_schema_validator import OAS30Validator
from pydantic import BaseModel, Field

from contract.handler_types import _definition
from contract.inputs import inputs
from contract.schema import REF_PREFIX, ApiGatewaySchema, OpenApi30Schema, schemas_for
from lambdas.runtime.errors import BadRequestError
from lambdas.runtime.validation import check


class Colour(str, Enum):  # noqa: UP042 - how teams write it
    RED = "red"


class Level(IntEnum):
    LOW = 1


class Cat(BaseModel):
    kind: Literal["cat"]


class Dog(BaseModel):
    kind: Literal["dog"]


class Maybe(BaseModel):
    model: Cat | None
    colour: Colour | None = None
    level: Level | None = Field(default=None, description="how low")
    literal: Literal["a", "b"] | None = None
    union: Cat | Dog | None = None
    tagged: Annotated[Cat | Dog, Field(discriminator="kind")] | None = None
    text: str | None = None


# field -> (a value it accepts, a value it refuses)
CASES = {
    "model": ({"kind": "cat"}, {"kind": 1}),
    "colour": ("red", "green"),
    "level": (1, 7),
    "literal": ("a", "c"),
    "union": ({"kind": "dog"}, {"kind": "cow"}),
    "tagged": ({"kind": "dog"}, {"kind": "cow"}),
    "text": ("x", 3),
}


def _public() -> dict[str, Any]:
    return schemas_for([(Maybe, "validation")], OpenApi30Schema)


def _validator(schemas: dict[str, Any]) -> OAS30Validator:
    return OAS30Validator({"$ref": REF_PREFIX + "Maybe", "components": {"schemas": schemas}})


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [found for item in node for found in _walk(item)]
    if not isinstance(node, dict):
        return []
    return [node, *(found for value in node.values() for found in _walk(value))]


@pytest.mark.parametrize("name", CASES)
def test_nullable_public_schema_admits_null_and_refuses_a_wrong_value(name: str) -> None:
    validator = _validator(_public())
    good, bad = CASES[name]
    required = {"model": {"kind": "cat"}}
    assert validator.is_valid({**required, name: None})
    assert validator.is_valid({**required, name: good})
    assert not validator.is_valid({**required, name: bad})


def test_nullable_is_never_without_a_type_nor_beside_an_enum_that_refuses_null() -> None:
    # Redocly's nullable-type-sibling; and OAS 3.0.3: an enum beside `nullable` must list null itself
    for node in _walk(_public()):
        if node.get("nullable"):
            assert "type" in node, node
            assert None in node.get("enum", [None]), node


def test_nullable_model_reference_is_any_of_the_model_and_null() -> None:
    assert _public()["Maybe"]["properties"]["model"] == {
        "anyOf": [{"$ref": REF_PREFIX + "Cat"}, {"type": "object", "nullable": True, "enum": [None]}]
    }
    assert "model" in _public()["Maybe"]["required"]


def test_nullable_enum_keeps_its_description_beside_the_any_of() -> None:
    level = _public()["Maybe"]["properties"]["level"]
    assert level["description"] == "how low"
    assert level["anyOf"][1] == {"type": "integer", "nullable": True, "enum": [None]}


@pytest.mark.parametrize("name", CASES)
def test_nullable_gateway_model_admits_null_and_what_the_model_allows(name: str) -> None:
    # API Gateway's models are draft 4 (docs/apigateway-import-rules.md): a superset of the exact shape
    deployable = schemas_for([(Maybe, "validation")], ApiGatewaySchema)["Maybe"]
    validator = Draft4Validator(deployable)
    good, _ = CASES[name]
    assert validator.is_valid({"model": {"kind": "cat"}, name: None})
    assert validator.is_valid({"model": {"kind": "cat"}, name: good})


@pytest.mark.parametrize("name", CASES)
def test_nullable_handler_check_keeps_null_and_names_the_field_of_a_wrong_value(name: str) -> None:
    exact = _public()
    rules = inputs((), "Maybe", exact)
    body, defs = rules["body"], rules.get("defs")
    good, bad = CASES[name]
    assert check(body, {"model": {"kind": "cat"}, name: None}, "body", defs)[name] is None
    assert check(body, {"model": {"kind": "cat"}, name: good}, "body", defs)[name] == good
    with pytest.raises(BadRequestError) as refused:
        check(body, {"model": {"kind": "cat"}, name: bad}, "body", defs)
    assert str(refused.value.field).startswith(f"body.{name}")


def test_nullable_handler_types_are_the_type_or_none() -> None:
    text = _definition("Maybe", _public()["Maybe"])
    for line in (
        "model: Cat | None",
        "colour: NotRequired[Colour | None]",
        "level: NotRequired[Level | None]",
        'literal: NotRequired[Literal["a", "b"] | None]',
        "union: NotRequired[Cat | Dog | None]",
        "tagged: NotRequired[Cat | Dog | None]",
        "text: NotRequired[str | None]",
    ):
        assert f"    {line}\n" in text + "\n", line
