"""`Decimal(decimal_places=, max_digits=)` as pydantic means it: pydantic's JSON schema drops both, so the public
schema states them (multipleOf on the number form, a pattern on the string form) and the handler holds exactly
what pydantic accepts, for a number and for a decimal string, naming the rule it breaks."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from pydantic import BaseModel, Field, ValidationError

from contract.schema import DECIMAL_PATTERN, OpenApi30Schema, decimal_pattern, schemas_for
from lambdas.runtime.errors import BadRequestError
from lambdas.runtime.validation import check

TEXTS = [
    "0", "00", "0.0", "0.000", "-0.5", "0.5", "0.01", "0.010", "0.001", "0.00100", "1", "1.0", "1.000", "1.10",
    "1.001", "1.5", "12.345", "00012.3", "99", "123.45", "999.99", "-999.99", "1000", "1000.0", "1234.5", "12345",
]  # fmt: skip
NUMBERS = [0, 0.5, 1.1, 19.9, 1.001, 0.30000000000000004, 999.99, 1000, 1e3, 1e-05, 12345, 123.456]
RULES = [(2, None), (0, None), (None, 3), (None, 1), (2, 5), (0, 4), (2, 2), (5, 3)]
"""(decimal_places, max_digits) pairs: each alone, both, and max_digits equal to or below decimal_places."""


def _model(places: int | None, digits: int | None) -> type[BaseModel]:
    class Amount(BaseModel):
        amount: Decimal = Field(decimal_places=places, max_digits=digits)

    return Amount


def _pydantic_accepts(model: type[BaseModel], value: Any) -> bool:
    try:
        model.model_validate_json(json.dumps({"amount": value}))
    except ValidationError:
        return False
    return True


def _handler_accepts(schema: dict[str, Any], value: Any) -> bool:
    try:
        check(schema, value, "body.amount")
    except BadRequestError:
        return False
    return True


def _field(model: type[BaseModel]) -> dict[str, Any]:
    return schemas_for([(model, "validation")], OpenApi30Schema)["Amount"]["properties"]["amount"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(("places", "digits"), RULES)
def test_decimal_handler_accepts_exactly_what_pydantic_reads_as_text_and_as_number(places, digits) -> None:
    model = _model(places, digits)
    schema = _field(model)
    for value in [*TEXTS, *NUMBERS]:
        assert _handler_accepts(schema, value) == _pydantic_accepts(model, value), (places, digits, value)


@pytest.mark.parametrize(("places", "digits"), RULES)
def test_decimal_public_string_form_states_the_rule_for_any_validator(places, digits) -> None:
    # GIVEN the public schema alone, read by an OpenAPI 3.0 validator (not the kit's handler)
    model = _model(places, digits)
    validator = OAS30Validator(_field(model))
    for text in TEXTS:
        assert validator.is_valid(text) == _pydantic_accepts(model, text), (places, digits, text)


def test_decimal_public_number_form_takes_decimal_places_as_multiple_of() -> None:
    number, text = _field(_model(2, None))["anyOf"]
    assert number == {"type": "number", "multipleOf": 0.01}
    assert text["format"] == "decimal" and text["pattern"] == decimal_pattern(2, None)
    # a plain Decimal keeps the plain decimal text
    assert _field(_model(None, None))["anyOf"][1]["pattern"] == DECIMAL_PATTERN


def test_decimal_pattern_is_ecma_and_python_alike() -> None:
    # JSON Schema patterns are ECMA-262; these use only classes, counts, groups and a lookahead, which both read
    for places, digits in RULES:
        assert re.fullmatch(r"[\^\-?()\[\]0-9+*{},|.\\=$]+", decimal_pattern(places, digits))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.001", "body.amount has too many digits or decimal places"),
        (1.001, "body.amount has too many digits or decimal places"),
        ("-1.00", "body.amount must be at least 0"),
        (-1, "body.amount must be at least 0"),
        ("1e3", "body.amount must be a decimal written as digits and an optional fraction"),
        (True, "body.amount matches none of the allowed shapes"),
    ],
)
def test_decimal_error_names_the_rule_the_value_breaks(value: Any, message: str) -> None:
    # GIVEN `amount: Decimal = Field(ge=0, decimal_places=2)`: a number or a decimal string
    class Amount(BaseModel):
        amount: Decimal = Field(ge=0, decimal_places=2)

    with pytest.raises(BadRequestError) as caught:
        check(_field(Amount), value, "body.amount")
    assert caught.value.message.startswith(message) and caught.value.field == "body.amount"


def test_decimal_inside_a_wider_union_keeps_the_other_variants() -> None:
    # GIVEN `str | Decimal`: a text that is no decimal is still a str; `Decimal | None` still takes null
    class Wide(BaseModel):
        amount: str | Decimal
        maybe: Decimal | None = Field(default=None, decimal_places=2)

    properties = schemas_for([(Wide, "validation")], OpenApi30Schema)["Wide"]["properties"]
    for value in ["abc", "1.001", 2]:
        assert _handler_accepts(properties["amount"], value) == _pydantic_accepts(Wide, value), value
    assert check(properties["maybe"], None, "body.maybe") is None
    assert not _handler_accepts(properties["maybe"], "1.001")
