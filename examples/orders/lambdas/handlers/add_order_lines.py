"""POST /v1/orders/{orderId}/lines: a request body that is a top-level JSON array (bulk add of lines)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation

from .. import contract_types
from ..services import orders

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("add_order_lines", contract_types)
def handler(request: Request) -> Response:
    """Add lines to an order."""
    client, table = aws.dynamodb(), aws.settings().table_name
    updated = orders.add_lines(orders.get(client, table, request.sub, request.path["orderId"]), request.body)
    orders.put(client, table, request.sub, updated)
    return 200, updated["lines"]
