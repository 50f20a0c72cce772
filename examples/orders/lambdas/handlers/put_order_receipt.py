"""PUT /v1/orders/{orderId}/receipt: a PDF as raw bytes (API Gateway binary media types), 204."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation

from .. import contract_types
from ..services import orders

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("put_order_receipt", contract_types)
def handler(request: Request) -> Response:
    """Attach the receipt of an order."""
    orders.attach_receipt(aws.dynamodb(), aws.settings().table_name, request.sub, request.path["orderId"], request.data)
    return 204, None
