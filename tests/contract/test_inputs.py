"""Parameters and input rules from the exact pass: the comma-separated query form (COMMA_SEPARATED) beside the
repeated one, and the one-line errors where it cannot hold."""

from __future__ import annotations

from enum import IntEnum
from types import SimpleNamespace
from typing import Annotated, Any

import pytest
from pydantic import Field

from contract import routes
from contract.compiled import compile_api
from contract.errors import ContractError
from contract.models.base import COMMA_SEPARATED, Parameters, RequestModel
from contract.models.health import Health
from contract.operation import PUBLIC, Operation


class Level(IntEnum):
    LOW = 1
    HIGH = 2


class Query(Parameters):
    level: Annotated[list[Level], COMMA_SEPARATED] = Field(default_factory=list)
    day: Annotated[list[Annotated[str, Field(pattern=r"^[a-z]{3}$")]], COMMA_SEPARATED] = Field(default_factory=list)
    tag: list[str] = Field(default_factory=list)


def _compiled(query: type[Parameters], path: str = "/v1/things") -> Any:
    op = Operation(
        method="GET", path=path, operation_id="list_things", summary="List things", description="Things.",
        tags=("items",), query_params=query, responses={200: Health}, scopes=PUBLIC, access=frozenset(),
    )  # fmt: skip
    names = ("TITLE", "VERSION", "DESCRIPTION", "SERVERS", "LICENSE", "CONTACT", "TAGS", "RESOURCE_SERVER")
    declaration = SimpleNamespace(**{name: getattr(routes, name) for name in names}, ROUTES=(op,))
    return compile_api(declaration)  # type: ignore[arg-type]


def _public_parameters(query: type[Parameters]) -> dict[str, dict[str, Any]]:
    [op] = _compiled(query).operations
    return {p["name"]: p for p in op.parameters["public"]}


def test_inputs_comma_separated_query_parameter_is_form_not_exploded_and_repeated_stays_exploded() -> None:
    parameters = _public_parameters(Query)
    assert (parameters["level"]["style"], parameters["level"]["explode"]) == ("form", False)
    assert (parameters["day"]["style"], parameters["day"]["explode"]) == ("form", False)
    assert (parameters["tag"]["style"], parameters["tag"]["explode"]) == ("form", True)


def test_inputs_comma_separated_reaches_the_handler_rules_and_only_there() -> None:
    [op] = _compiled(Query).operations
    rules = op.inputs["query"]["properties"]
    assert rules["level"]["explode"] is False and "explode" not in rules["tag"]
    deployable = {p["name"]: p for p in op.parameters["deployable"]}
    assert deployable["level"]["schema"] == {"type": "string"} and "explode" not in deployable["level"]


class FreeText(Parameters):
    word: Annotated[list[str], COMMA_SEPARATED] = Field(default_factory=list)


class NotAList(Parameters):
    level: Annotated[Level, COMMA_SEPARATED] = Level.LOW


class InPath(Parameters):
    ids: Annotated[list[int], COMMA_SEPARATED]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (FreeText, r"list_things query parameter word: a comma-separated item may not hold a comma .* enum, a pattern"),
        (NotAList, r"list_things query parameter level: COMMA_SEPARATED marks a list parameter; this one is integer"),
    ],
)
def test_inputs_comma_separated_where_it_cannot_hold_is_one_contract_error(query: type, message: str) -> None:
    with pytest.raises(ContractError, match=message):
        _compiled(query)


def test_inputs_comma_separated_path_parameter_is_refused() -> None:
    op = Operation(
        method="GET", path="/v1/things/{ids}", operation_id="get_things", summary="Get things",
        description="Things.", tags=("items",), path_params=InPath, responses={200: Health}, scopes=PUBLIC,
        access=frozenset(),
    )  # fmt: skip
    names = ("TITLE", "VERSION", "DESCRIPTION", "SERVERS", "LICENSE", "CONTACT", "TAGS", "RESOURCE_SERVER")
    declaration = SimpleNamespace(**{name: getattr(routes, name) for name in names}, ROUTES=(op,))
    with pytest.raises(ContractError, match="get_things path parameter ids: COMMA_SEPARATED is for query parameters"):
        compile_api(declaration)  # type: ignore[arg-type]


class Tagged(RequestModel):
    tag: Annotated[list[int], COMMA_SEPARATED]


class Holder(RequestModel):
    inner: list[Tagged]


@pytest.mark.parametrize("body", [Tagged, Holder], ids=["the body's field", "a field of a model the body holds"])
def test_inputs_comma_separated_in_a_body_is_refused(body: type[RequestModel]) -> None:
    # GIVEN COMMA_SEPARATED on a JSON body's list: only a query parameter has a comma-separated style
    op = Operation(
        method="POST", path="/v1/things", operation_id="create_thing", summary="Create a thing",
        description="A thing.", tags=("items",), request=body, responses={200: Health}, scopes=PUBLIC,
        access=frozenset(),
    )  # fmt: skip
    names = ("TITLE", "VERSION", "DESCRIPTION", "SERVERS", "LICENSE", "CONTACT", "TAGS", "RESOURCE_SERVER")
    declaration = SimpleNamespace(**{name: getattr(routes, name) for name in names}, ROUTES=(op,))
    with pytest.raises(ContractError) as caught:
        compile_api(declaration)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "POST /v1/things (create_thing) body: Tagged.tag is COMMA_SEPARATED, which is for query parameters only "
        "(a JSON body sends a list as an array): drop COMMA_SEPARATED there"
    )
