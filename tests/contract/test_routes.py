"""The declarations: unique, named after their handler, and checked when declared."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

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
