"""GET /v1/items/{itemId}: one of the caller's items (another caller's item is not found)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.items import get_item

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("get_item")
def handler(request: Request) -> Response:
    """Read an item."""
    return 200, get_item(aws.dynamodb(), aws.settings().table_name, request.sub, request.path["itemId"])
