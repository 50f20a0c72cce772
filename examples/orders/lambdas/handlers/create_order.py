"""POST /v1/orders: create an order of the caller; 201 with `Location`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation

from .. import contract_types
from ..services import events, orders

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("create_order", contract_types)
def handler(request: Request) -> Response:
    """Create an order, then publish `OrderPlaced` (a failed publish is a 500: the order exists, its event does not)."""
    order = orders.create(aws.dynamodb(), aws.settings().table_name, request.sub, request.body)
    events.placed(aws.client("events"), aws.resource_arn("order_events"), order)
    return 201, order, {"Location": f"/v1/orders/{order['orderId']}"}
