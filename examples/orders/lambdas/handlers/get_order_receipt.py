"""GET /v1/orders/{orderId}/receipt: the PDF as raw bytes (base64 in the proxy answer, bytes to the caller)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation

from .. import contract_types
from ..services import orders

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("get_order_receipt", contract_types)
def handler(request: Request) -> Response:
    """Download the receipt of an order."""
    return 200, orders.receipt(aws.dynamodb(), aws.settings().table_name, request.sub, request.path["orderId"])
