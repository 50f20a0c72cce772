"""A request body that is a top-level JSON array (`list[Model]`, bounded with `Annotated[..., Field(max_length)]`):
inline in the public document, its own array model for API Gateway, an array in the handler's rules."""

from __future__ import annotations

import json
from decimal import Decimal
from types import SimpleNamespace
from typing import Annotated, Any

import pytest
from jsonschema import Draft4Validator
from pydantic import BaseModel, Field

from contract import routes
from contract.apigateway import ApiGatewayPlugin
from contract.compiled import compile_api
from contract.lint import lint
from contract.openapi import PublicPlugin, render
from contract.operation import PUBLIC, Operation
from contract.schema import REF_PREFIX
from lambdas.runtime.errors import BadRequestError
from lambdas.runtime.validation import check


class Line(BaseModel):
    sku: str = Field(pattern=r"^[A-Z]{3}$")
    price: Decimal


def _declaration(*ops: Operation) -> Any:
    names = ("TITLE", "VERSION", "DESCRIPTION", "SERVERS", "LICENSE", "CONTACT", "TAGS", "RESOURCE_SERVER")
    return SimpleNamespace(**{name: getattr(routes, name) for name in names}, ROUTES=ops)


def _add(request: Any, responses: dict[int, Any] | None = None) -> Operation:
    return Operation(
        method="POST", path="/v1/lines", operation_id="add_lines", summary="Add lines", description="Lines.",
        tags=("items",), request=request, responses=responses or {204: None}, scopes=PUBLIC, access=frozenset(),
    )  # fmt: skip


BOUNDED = Annotated[list[Line], Field(min_length=1, max_length=3)]


def test_request_array_is_inline_in_public_and_its_own_model_for_the_gateway() -> None:
    api = compile_api(_declaration(_add(BOUNDED)))
    public, deployable = render(api, PublicPlugin(api)), render(api, ApiGatewayPlugin(api))
    body = public["paths"]["/v1/lines"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"type": "array", "items": {"$ref": REF_PREFIX + "Line"}, "minItems": 1, "maxItems": 3}
    body = deployable["paths"]["/v1/lines"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": REF_PREFIX + "LineList"}
    assert lint(deployable, json.dumps(deployable)) == []  # the kit's API Gateway import rules
    model = deployable["components"]["schemas"]["LineList"]
    assert model == {"type": "array", "items": {"$ref": REF_PREFIX + "Line"}, "minItems": 1, "maxItems": 3,
                     "title": "LineList"}  # fmt: skip
    # the gateway's model (draft 4) takes what the model takes: a Decimal as a number or a string
    resolver_root = {**model, "items": deployable["components"]["schemas"]["Line"]}
    assert Draft4Validator(resolver_root).is_valid([{"sku": "ABC", "price": "1.50"}, {"sku": "XYZ", "price": 2}])


def test_request_array_handler_rules_check_every_item_and_the_bounds() -> None:
    [op] = compile_api(_declaration(_add(BOUNDED))).operations
    body = op.inputs["body"]
    assert (body["type"], body["minItems"], body["maxItems"]) == ("array", 1, 3)
    assert check(body, [{"sku": "ABC", "price": "1.50"}], "body") == [{"sku": "ABC", "price": "1.50"}]
    with pytest.raises(BadRequestError) as refused:
        check(body, [{"sku": "ABC", "price": 1}, {"sku": "abc", "price": 1}], "body")
    assert refused.value.field == "body[1].sku"
    with pytest.raises(BadRequestError, match="wrong number of entries"):
        check(body, [{"sku": "ABC", "price": 1}] * 4, "body")


def test_request_array_without_bounds_is_unbounded() -> None:
    [op] = compile_api(_declaration(_add(list[Line]))).operations
    assert op.request_array == {} and "maxItems" not in op.inputs["body"]


def test_request_that_is_not_a_model_or_a_list_of_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"request must be a pydantic model class .* Binary\(...\), not the"):
        _add(list[int])


def test_model_that_is_request_and_response_is_named_per_mode() -> None:
    # GIVEN Line read as input (a Decimal: number or string) and written as output (a string)
    api = compile_api(_declaration(_add(list[Line], {200: list[Line]})))
    [op] = api.operations
    # THEN the request names the input schema and the response the output one, not one for both
    assert op.request == "LineInput" and op.responses[200].component == "LineOutput"
    assert api.schemas["public"]["LineOutput"]["properties"]["price"]["type"] == "string"


class Plain(BaseModel):
    name: str


def test_request_array_model_name_taken_by_another_model_is_one_contract_error() -> None:
    taken = type("PlainList", (BaseModel,), {"__annotations__": {"x": int}})
    clash = Operation(
        method="PUT", path="/v1/other", operation_id="put_other", summary="Put", description="Other.",
        tags=("items",), request=taken, responses={204: None}, scopes=PUBLIC, access=frozenset(),
    )  # fmt: skip
    with pytest.raises(Exception, match="needs the API Gateway model 'PlainList'"):
        compile_api(_declaration(_add(list[Plain]), clash))
