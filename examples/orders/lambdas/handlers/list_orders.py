"""GET /v1/orders: the caller's orders, newest first, optionally of some statuses only."""

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
    table = aws.settings().table_name
    return 200, orders.page(aws.dynamodb(), table, request.sub, request.query.get("status", []), request.query["limit"])
