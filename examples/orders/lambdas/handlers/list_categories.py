"""GET /v1/categories: the category tree (public, no table)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas.runtime.operation import operation

from .. import contract_types

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response

TREE = {
    "name": "all",
    "children": [
        {"name": "kitchen", "children": [{"name": "mugs", "children": []}, {"name": "plates", "children": []}]},
        {"name": "garden", "children": []},
    ],
}


@operation("list_categories", contract_types)
def handler(request: Request) -> Response:
    """The category tree."""
    return 200, TREE
