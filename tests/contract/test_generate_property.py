"""Property: whatever models a team declares, `make swagger` answers with artefacts or one `contract error:` line.

hypothesis builds pydantic models from the shapes of docs/shapes.md (enums, Decimal, unions, discriminated
unions, recursion, generics, names with `_`, keyword aliases, nullable, maps, lists, bounds, formats, bytes)
and operations around them (path alias, array and enum query parameters, 204, list responses, response
headers); `contract.build.generate()` must never raise anything but ContractError, and a ContractError is one
line that names a model, a field or an operation.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from types import SimpleNamespace
from typing import Annotated, Any, Generic, Literal, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, create_model

from contract import routes
from contract.binary import Binary
from contract.build import generate
from contract.errors import ContractError
from contract.operation import PUBLIC, Access, Operation

Colour = enum.Enum("Colour", {"RED": "red", "BLUE": "blue"}, type=str)
Level = enum.IntEnum("Level", {"LOW": 1, "HIGH": 2})
T = TypeVar("T")


class Node(BaseModel):
    name: str
    children: list[Node] = []


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class Card(BaseModel):
    kind: Literal["card"]
    last4: str = Field(pattern=r"^[0-9]{4}$")


class Transfer(BaseModel):
    kind: Literal["transfer"]
    iban: str


SCALARS: list[Any] = [
    str, int, float, bool, decimal.Decimal, uuid.UUID, datetime.date, datetime.datetime, bytes, Colour, Level,
    Literal["a", "b"], Annotated[int, Field(gt=0, lt=100)], Annotated[float, Field(gt=0)],
    Annotated[str, Field(min_length=1, max_length=8)], Annotated[str, Field(pattern=r"^[a-z]+$")],
    Annotated[decimal.Decimal, Field(ge=0, decimal_places=2)],
]  # fmt: skip
MODELS: list[Any] = [Node, Page[Card], Card, Annotated[Card | Transfer, Field(discriminator="kind")]]
PARAMETER_TYPES: list[Any] = [str, int, bool, Colour, Level, list[Colour], list[int], uuid.UUID, str | None, object]
NAMES = ["amount", "from", "class", "line_items", "x", "status"]


def _types() -> st.SearchStrategy[Any]:
    leaf = st.sampled_from(SCALARS + MODELS)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            inner.map(lambda t: list[t]),  # type: ignore[valid-type]
            inner.map(lambda t: dict[str, t]),  # type: ignore[valid-type]
            inner.map(lambda t: t | None),
            st.tuples(inner, inner).map(lambda ts: ts[0] | ts[1]),
        ),
        max_leaves=3,
    )


@st.composite
def models(draw: st.DrawFn, name: str) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for i, key in enumerate(draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))):
        annotation = draw(_types())
        required = draw(st.booleans())
        default = ... if required else None
        fields[f"f{i}_{key}"] = (annotation | None if not required else annotation, Field(default, alias=key))
    config = ConfigDict(extra="forbid") if draw(st.booleans()) else ConfigDict()
    return create_model(name, __config__=config, **fields)  # type: ignore[call-overload,no-any-return]


PDF = Binary("application/pdf", max_bytes=1024)
IMAGE = Binary("image/png", "application/octet-stream", max_bytes=2048)


@st.composite
def apis(draw: st.DrawFn) -> SimpleNamespace:
    request = draw(models(draw(st.sampled_from(["OrderCreate", "Order_Create", "Order"]))) | st.just(PDF))
    response = draw(models(draw(st.sampled_from(["OrderView", "Order_View", "Order"]))))
    query_type = draw(st.sampled_from(PARAMETER_TYPES))
    query = create_model("OrderQuery", status=(query_type, None), limit=(int, Field(10, ge=1)))
    path = create_model("OrderPath", order_id=(uuid.UUID, Field(alias="orderId")))
    location = create_model("Created", location=(str, Field(alias="Location")))
    body = draw(st.sampled_from([response, list[response], IMAGE]))  # type: ignore[valid-type]
    ops = (
        Operation(
            method="POST", path="/v1/orders", operation_id="create_order", summary="Create", description="Create.",
            tags=("orders",), request=request, responses={201: body}, response_headers={201: location},
            scopes=PUBLIC, access=frozenset({Access.TABLE_GET_ITEM}),
        ),
        Operation(
            method="GET", path="/v1/orders", operation_id="list_orders", summary="List", description="List.",
            tags=("orders",), query_params=query, responses={200: body}, scopes=PUBLIC,
            access=frozenset({Access.TABLE_QUERY}),
        ),
        Operation(
            method="DELETE", path="/v1/orders/{orderId}", operation_id="delete_order", summary="Delete",
            description="Delete.", tags=("orders",), path_params=path, responses={204: None}, scopes=PUBLIC,
            access=frozenset({Access.TABLE_GET_ITEM}),
        ),
    )  # fmt: skip
    declarations = {name: getattr(routes, name) for name in ("TITLE", "VERSION", "DESCRIPTION", "SERVERS", "LICENSE")}
    return SimpleNamespace(
        **declarations,
        CONTACT=routes.CONTACT,
        RESOURCE_SERVER="orders",
        TAGS={"orders": "Orders."},
        ROUTES=ops,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(apis())
def test_generate_never_raises_anything_but_one_contract_error_line(api: SimpleNamespace) -> None:
    try:
        files = generate(api)  # type: ignore[arg-type]
    except ContractError as error:
        assert "\n" not in str(error).strip(), str(error)
        return
    assert files  # every artefact rendered, linted and validated


COMPOSITES: list[Any] = [Node, Page[Card], list[Node], Annotated[Card | Transfer, Field(discriminator="kind")]]


@pytest.mark.parametrize("annotation", COMPOSITES)
def test_each_model_shape_generates(annotation: Any) -> None:
    # GIVEN one field of each composite shape in a request and a response THEN every artefact is generated
    model = create_model("Shape_Holder", value=(annotation, ...), from_=(datetime.date, Field(alias="from")))
    ops = (
        Operation(
            method="PATCH", path="/v1/shapes/{shapeId}", operation_id="patch_shape", summary="Patch",
            description="Patch.", tags=("orders",), request=model, responses={200: model},
            path_params=create_model("ShapePath", shape_id=(str, Field(alias="shapeId"))),
            scopes=PUBLIC, access=frozenset({Access.TABLE_GET_ITEM}),
        ),
    )  # fmt: skip
    declared = SimpleNamespace(
        **{name: getattr(routes, name) for name in ("TITLE", "VERSION", "DESCRIPTION", "SERVERS", "LICENSE")},
        CONTACT=routes.CONTACT, RESOURCE_SERVER="orders", TAGS={"orders": "Orders."}, ROUTES=ops,
    )  # fmt: skip
    assert generate(declared)  # type: ignore[arg-type]
