"""lambdas.runtime.validation: the draft-4 subset the contract uses, with the offending field named."""

import pytest

from lambdas.contract_types import INPUTS
from lambdas.runtime.errors import BadRequestError
from lambdas.runtime.validation import check, check_parameters

ITEM_CREATE = INPUTS["create_item"]["body"]
LIST_QUERY = INPUTS["list_items"]["query"]


def refused(schema, value, field="body"):
    with pytest.raises(BadRequestError) as caught:
        check(schema, value, field)
    return caught.value.field


def test_validation_fills_defaults_and_keeps_valid_fields():
    assert check(ITEM_CREATE, {"name": "Tea"}, "body") == {"name": "Tea", "quantity": 1}


def test_validation_keeps_null_of_a_nullable_field_apart_from_absent():
    # `note: str | None = None`: null is a value (a PATCH clears with it), omitted stays omitted
    assert check(ITEM_CREATE, {"name": "Tea", "note": None}, "body") == {"name": "Tea", "quantity": 1, "note": None}
    assert "note" not in check(ITEM_CREATE, {"name": "Tea"}, "body")


def test_validation_null_of_an_optional_non_nullable_field_is_refused():
    # `quantity: int = 1`: pydantic refuses null there too
    assert refused(ITEM_CREATE, {"name": "Tea", "quantity": None}) == "body.quantity"


def test_validation_null_of_a_required_field_is_refused():
    assert refused(ITEM_CREATE, {"name": None}) == "body.name"


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        ({"type": "integer"}, True),
        ({"type": "integer"}, 1.0),
        ({"type": "number"}, False),
        ({"type": "string"}, 1),
        ({"type": "boolean"}, 0),
        ({"type": "object"}, []),
        ({"type": "array"}, {}),
        ({"enum": [1, 2]}, True),
        ({"enum": ["a"]}, "query.b"),
        ({"minimum": 1}, 0),
        ({"maximum": 1}, 2),
        ({"minimum": 1, "exclusiveMinimum": True}, 1),
        ({"maximum": 1, "exclusiveMaximum": True}, 1),
        ({"minLength": 2}, "a"),
        ({"maxLength": 2}, "abc"),
        ({"pattern": "^a+$"}, "aab"),
        ({"pattern": "^a+$"}, "aa\n"),
        ({"minItems": 1}, []),
        ({"maxItems": 1}, [1, 2]),
    ],
)
def test_validation_refuses_what_the_keyword_forbids(schema, value):
    assert refused(schema, value, "body.x") == "body.x"


def test_validation_pattern_is_a_search_as_in_json_schema():
    assert check({"pattern": "b"}, "abc", "x") == "abc"


def test_validation_dollar_inside_a_character_class_stays_literal():
    assert check({"pattern": "^[$]+$"}, "$$", "x") == "$$"


def test_validation_names_nested_fields_and_array_entries():
    schema = {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}}}

    assert refused(schema, {"tags": ["a", 1]}) == "body.tags[1]"


def test_validation_unknown_field_is_refused_when_the_schema_is_closed():
    assert refused(ITEM_CREATE, {"name": "Tea", "colour": "red"}) == "body.colour"


def test_validation_parameters_are_coerced_to_the_schema_type():
    assert check_parameters(LIST_QUERY, {"limit": "5"}, "query") == {"limit": 5}


def test_validation_parameters_get_their_defaults():
    assert check_parameters(LIST_QUERY, None, "query") == {"limit": 20}


@pytest.mark.parametrize(
    ("schema", "raw", "field"),
    [
        (LIST_QUERY, {"limit": "5.0"}, "query.limit"),
        (LIST_QUERY, {"limit": "0x10"}, "query.limit"),
        (LIST_QUERY, {"limit": "9" * 40}, "query.limit"),
        ({"properties": {"n": {"type": "number"}}}, {"n": "nan"}, "query.n"),
        ({"properties": {"n": {"type": "number"}}}, {"n": "x"}, "query.n"),
        ({"properties": {"b": {"type": "boolean"}}}, {"b": "yes"}, "query.b"),
        ({"properties": {}, "additionalProperties": False}, {"extra": "1"}, "query.extra"),
        ({"properties": {"id": {"type": "string"}}, "required": ["id"]}, {}, "query.id"),
    ],
)
def test_validation_bad_parameter_is_refused_naming_it(schema, raw, field):
    with pytest.raises(BadRequestError) as caught:
        check_parameters(schema, raw, "query")

    assert caught.value.field == field


def test_validation_parameters_of_other_types_convert():
    schema = {"properties": {"n": {"type": "number"}, "b": {"type": "boolean"}, "s": {"type": "string"}}}

    assert check_parameters(schema, {"n": "1.5", "b": "true", "s": "x"}, "query") == {"n": 1.5, "b": True, "s": "x"}
