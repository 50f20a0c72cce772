"""GET /v1/orders: the caller's orders, newest first, optionally of some statuses or priorities only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation

from .. import contract_types
from ..services import orders

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("list_orders", contract_types)
def handler(request: Request) -> Response:
    """List your orders."""
    table, query = aws.settings().table_name, request.query
    return 200, orders.page(
        aws.dynamodb(), table, request.sub, query.get("status", []), query.get("priority", []), query["limit"]
    )
