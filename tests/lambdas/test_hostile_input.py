"""Hostile input never gets a 5xx and never writes: the three known 500s, then a property test that
sends arbitrary JSON (deep, large, huge numbers, any strings incl. lone surrogates) and arbitrary
parameters to every operation's handler directly, as a non-JSON Content-Type would (the gateway's
model validation only applies to the content types the document declares)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROUTES = json.loads((__import__("pathlib").Path(__file__).parents[2] / "api" / "routes.json").read_text())
OPERATIONS = sorted(ROUTES["operations"])
FIELDS = ["displayName", "locale", "version", "name", "limit", "cursor"]
EXAMPLES = 40
"""Examples per operation (8 operations): ~320 handler calls, a few seconds."""

# Any code point, lone surrogates included (hypothesis excludes category Cs unless told).
TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=80)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**37, max_value=10**200),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.sampled_from(FIELDS) | TEXT, children, max_size=5)
    ),
    max_leaves=30,
)
BODIES = st.one_of(
    JSON.map(json.dumps),  # ensure_ascii: a lone surrogate travels as the escape "\ud800"
    st.fixed_dictionaries(dict.fromkeys(FIELDS[:4], JSON)).map(json.dumps),
    st.integers(min_value=1, max_value=3000).map(lambda depth: "[" * depth + "]" * depth),
    st.integers(min_value=500, max_value=5000).map(lambda depth: '{"a":' * depth + "1" + "}" * depth),
    st.integers(min_value=39, max_value=6000).map(
        lambda digits: f'{{"displayName":"x","locale":"en","version":{"9" * digits}}}'
    ),
    TEXT,
)
PARAMETERS = st.dictionaries(st.sampled_from(["accountId", "itemId", "limit", "cursor"]), TEXT, max_size=3)


def items(stack: Any) -> list[dict[str, Any]]:
    return stack.dynamodb.scan(TableName=stack.table_name)["Items"]


def scopes(operation_id: str) -> list[str]:
    return list(ROUTES["operations"][operation_id]["scopes"])


@pytest.mark.parametrize(
    ("operation_id", "body"),
    [
        ("put_my_account", "[" * 1000 + "]" * 1000),
        ("create_item", '{"name":' * 1000 + '"x"' + "}" * 1000),
        ("put_my_account", '{"displayName":"Ada","locale":"en-GB","version":' + "9" * 3000 + "}"),
        ("put_my_account", '{"displayName":"Ada","locale":"en-GB","version":' + "9" * 39 + "}"),
        ("put_my_account", '{"displayName":"\\ud800","locale":"en-GB","version":0}'),
        ("create_item", '{"name":"\\ud800"}'),
        ("put_my_account", '{"\\ud800":1,"displayName":"Ada","locale":"en-GB","version":0}'),  # echoed as field
        ("create_item", '{"name":"x","\\udfff":1}'),
    ],
)
def test_hostile_body_is_400_and_nothing_is_written(api, stack, operation_id, body):
    result = api.call(operation_id, raw_body=body, scopes=scopes(operation_id))

    assert result.status == 400
    assert result.body["code"] == "BAD_REQUEST"
    assert items(stack) == []


@pytest.mark.parametrize("operation_id", OPERATIONS)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=BODIES, parameters=PARAMETERS)
def test_arbitrary_input_never_gets_a_5xx_and_a_refusal_writes_nothing(api, stack, operation_id, body, parameters):
    before = items(stack)
    event = api.event(operation_id, scopes=scopes(operation_id), raw_body=body)
    path_names = [p for p in ("accountId", "itemId") if p in ROUTES["operations"][operation_id]["path"]]
    if path_names:
        event["pathParameters"] = {name: parameters.get(name, "x") for name in path_names}
    query = {k: v for k, v in parameters.items() if k in ("limit", "cursor")}
    event["queryStringParameters"] = query or None

    result = api.call(operation_id, event)  # the response must be one the contract declares

    assert result.status < 500, result.body
    if result.status >= 400:
        assert items(stack) == before
