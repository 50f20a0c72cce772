"""DELETE /v1/orders/{orderId}: 204, no body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation

from .. import contract_types
from ..services import orders

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("delete_order", contract_types)
def handler(request: Request) -> Response:
    """Delete an order."""
    orders.delete(aws.dynamodb(), aws.settings().table_name, request.sub, request.path["orderId"])
    return 204, None
