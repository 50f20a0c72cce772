"""GET /v1/orders/{orderId}/lines: a sub-resource answered as a top-level JSON array."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation

from .. import contract_types
from ..services import orders

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("list_order_lines", contract_types)
def handler(request: Request) -> Response:
    """The lines of an order."""
    order = orders.get(aws.dynamodb(), aws.settings().table_name, request.sub, request.path["orderId"])
    return 200, order["lines"]
