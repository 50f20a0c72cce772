"""PATCH /v1/orders/{orderId}: change the fields sent; `null` clears a nullable one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation

from .. import contract_types
from ..services import orders

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("update_order", contract_types)
def handler(request: Request) -> Response:
    """Change an order."""
    client, table = aws.dynamodb(), aws.settings().table_name
    updated = orders.patch(orders.get(client, table, request.sub, request.path["orderId"]), request.body)
    orders.put(client, table, request.sub, updated)
    return 200, updated
