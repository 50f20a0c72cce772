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


# The shapes the gateway cannot check (docs/shapes.md): the handler checks them as the pydantic model means them.
PAYMENT = {
    "oneOf": [
        {"type": "object", "properties": {"kind": {"enum": ["card"], "type": "string"}, "last4": {"type": "string"}},
         "required": ["kind", "last4"], "additionalProperties": False},
        {"type": "object", "properties": {"kind": {"enum": ["iban"], "type": "string"}, "iban": {"type": "string"}},
         "required": ["kind", "iban"], "additionalProperties": False},
    ],
    "discriminator": {"propertyName": "kind"},
}  # fmt: skip


def test_validation_discriminated_union_checks_the_variant_its_tag_names():
    assert check(PAYMENT, {"kind": "iban", "iban": "DE00"}, "body") == {"kind": "iban", "iban": "DE00"}
    assert refused(PAYMENT, {"kind": "iban"}) == "body.iban"
    assert refused(PAYMENT, {"kind": "iban", "iban": "DE00", "last4": "1234"}) == "body.last4"
    assert refused(PAYMENT, {"kind": "cash"}) == "body.kind"
    assert refused(PAYMENT, {"last4": "1234"}) == "body.kind"


def test_validation_plain_union_takes_the_first_variant_that_fits():
    either = {"anyOf": [{"type": "string", "maxLength": 2}, {"type": "integer"}]}
    assert check(either, 5, "body") == 5 and check(either, "ab", "body") == "ab"
    assert refused(either, "abc") == "body" and refused(either, 1.5) == "body"


def test_validation_required_nullable_field_must_be_present_and_may_be_null():
    schema = {"type": "object", "properties": {"reason": {"type": "string", "nullable": True}}, "required": ["reason"]}
    assert check(schema, {"reason": None}, "body") == {"reason": None}
    assert refused(schema, {}) == "body.reason"
    assert refused(schema, {"reason": 3}) == "body.reason"


def test_validation_nullable_reference_admits_null():
    schema = {"allOf": [{"type": "object", "properties": {"a": {"type": "integer"}}}], "nullable": True}
    assert check(schema, None, "body") is None and check(schema, {"a": 1}, "body") == {"a": 1}


def test_validation_recursive_model_through_defs():
    defs = {"Node": {"type": "object", "properties": {"name": {"type": "string"},
                                                       "children": {"type": "array", "items": {"$ref": "Node"}}},
                     "required": ["name"]}}  # fmt: skip
    tree = {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}
    assert check({"$ref": "Node"}, tree, "body", defs) == tree
    with pytest.raises(BadRequestError) as caught:
        check({"$ref": "Node"}, {"name": "a", "children": [{"children": []}]}, "body", defs)
    assert caught.value.field == "body.children[0].name"


def test_validation_map_checks_every_value():
    labels = {"type": "object", "additionalProperties": {"type": "string", "maxLength": 3}}
    assert check(labels, {"a": "x", "b": "yz"}, "body") == {"a": "x", "b": "yz"}
    assert refused(labels, {"a": "long"}) == "body.a"


@pytest.mark.parametrize(
    ("schema", "good", "bad"),
    [
        ({"type": "number", "minimum": 0, "exclusiveMinimum": True}, 0.1, 0),
        ({"type": "number", "maximum": 1, "exclusiveMaximum": True}, 0.9, 1),
        ({"type": "string", "format": "uuid"}, "3fa85f64-5717-4562-b3fc-2c963f66afa6", "not-a-uuid"),
        ({"type": "string", "format": "date"}, "2026-02-28", "2026-02-30"),
        ({"type": "string", "format": "date-time"}, "2026-01-01T12:00:00Z", "2026-01-01 noon"),
        ({"type": "string", "format": "decimal", "minimum": 0, "exclusiveMinimum": True}, "9.99", "0.00"),
        ({"type": "string", "format": "decimal"}, "-1.5", "1e3"),
    ],
)
def test_validation_bounds_and_formats_the_gateway_leaves_to_the_handler(schema, good, bad):
    assert check(schema, good, "body") == good
    assert refused(schema, bad) == "body"


def test_validation_repeated_query_parameter_keeps_every_value():
    schema = {"type": "object", "properties": {"status": {"type": "array", "items": {"enum": ["open", "paid"],
              "type": "string"}}, "page": {"type": "integer"}}, "required": []}  # fmt: skip
    raw = {"status": ["open", "paid"], "page": ["1", "2"]}
    assert check_parameters(schema, raw, "query") == {"status": ["open", "paid"], "page": 2}
    with pytest.raises(BadRequestError) as caught:
        check_parameters(schema, {"status": ["open", "lost"]}, "query")
    assert caught.value.field == "query.status[1]"


def test_validation_comma_separated_query_parameter_is_split_at_its_commas():
    # `explode: false` (COMMA_SEPARATED): API Gateway passes `level=1,3` as the one value "1,3"
    level = {"type": "array", "items": {"enum": [1, 2, 3], "type": "integer"}, "explode": False}
    schema = {"type": "object", "properties": {"level": level}, "required": []}
    assert check_parameters(schema, {"level": ["1,3"]}, "query") == {"level": [1, 3]}
    assert check_parameters(schema, {"level": "2"}, "query") == {"level": [2]}
    assert check_parameters(schema, {"level": [""]}, "query") == {"level": []}
    with pytest.raises(BadRequestError) as caught:
        check_parameters(schema, {"level": ["1,7"]}, "query")
    assert caught.value.field == "query.level[1]"


def test_validation_repeated_query_parameter_keeps_a_comma_inside_a_value():
    schema = {"type": "object", "properties": {"tag": {"type": "array", "items": {"type": "string"}}}}
    assert check_parameters(schema, {"tag": ["a,b", "c"]}, "query") == {"tag": ["a,b", "c"]}
