"""GET /v1/orders/{orderId}: one order of the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation

from .. import contract_types
from ..services import orders

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("get_order", contract_types)
def handler(request: Request) -> Response:
    """Read an order."""
    return 200, orders.get(aws.dynamodb(), aws.settings().table_name, request.sub, request.path["orderId"])
