"""The declarations: unique, named after their handler, and checked when declared."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from pydantic import Field

from contract import routes
from contract.compiled import compile_api
from contract.models.base import Parameters
from contract.models.items import ItemCreate, ItemPath
from contract.operation import PUBLIC, Operation
from contract.routes import ROUTES

if TYPE_CHECKING:
    from pathlib import Path


def test_operation_ids_are_unique() -> None:
    ids = [op.operation_id for op in ROUTES]
    assert len(ids) == len(set(ids))


def test_every_operation_has_its_handler_module(root: Path) -> None:
    for op in ROUTES:
        module = root / "lambdas" / "handlers" / f"{op.operation_id}.py"
        assert module.exists(), f"{op.operation_id}: add {module.relative_to(root)} with handler(event, context)"
        assert "def handler(" in module.read_text()


def test_every_handler_module_has_an_operation(root: Path) -> None:
    modules = {p.stem for p in (root / "lambdas" / "handlers").glob("*.py") if p.stem != "__init__"}
    assert modules <= {op.operation_id for op in ROUTES}


def _operation(**overrides: object) -> Operation:
    fields: dict[str, object] = {
        "method": "GET",
        "path": "/v1/items/{itemId}",
        "operation_id": "get_item",
        "summary": "s",
        "description": "d",
        "tags": ("items",),
        "responses": {200: ItemCreate},
        "scopes": PUBLIC,
        "access": frozenset(),
        "path_params": ItemPath,
    }
    fields.update(overrides)
    return Operation(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"operation_id": "getItem"}, "operation_id must be snake_case"),
        ({"operation_id": "x" * 40}, "operation_id must be at most 39 characters"),
        ({"path": "/v1/items/x{itemId}"}, "segment 'x{itemId}' is not allowed"),
        ({"path": "/v1/items"}, "path parameters [] != path_params ['itemId']"),
        ({"request": ItemCreate}, "GET cannot take a request body"),
        ({"responses": {404: ItemCreate}}, "at least one 2xx response"),
        ({"table_modes": frozenset()}, "table_modes needs at least one TableConsistency"),
    ],
)
def test_operation_refuses_what_cannot_be_deployed(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        _operation(**overrides)


def test_operation_path_segment_refusal_states_the_rule() -> None:
    with pytest.raises(ValueError) as refused:
        _operation(path="/v1/items/{item-id}")
    assert str(refused.value) == (
        "GET /v1/items/{item-id} (get_item): path segment '{item-id}' is not allowed: a fixed segment is letters, "
        "digits and _ - . , : (API Gateway's rule); a parameter is one whole {segment} whose name is a letter, then "
        "letters, digits or _ (write {thing_id}, not {thing-id} or x{id})"
    )


class ThingPath(Parameters):
    thing_id: str = Field(pattern=r"^[a-z]+$")


def test_operation_path_parameter_name_may_hold_an_underscore() -> None:
    # API Gateway's CreateResource takes `{user_id}` (moto reproduces its path part rule); so does the kit
    op = _operation(path="/v1/things/{thing_id}", operation_id="get_thing", path_params=ThingPath)
    names = ("TITLE", "VERSION", "DESCRIPTION", "SERVERS", "LICENSE", "CONTACT", "TAGS", "RESOURCE_SERVER")
    [compiled] = compile_api(SimpleNamespace(**{n: getattr(routes, n) for n in names}, ROUTES=(op,))).operations  # type: ignore[arg-type]
    assert [(p["name"], p["in"]) for p in compiled.parameters["deployable"]] == [("thing_id", "path")]
