"""GET /v1/items: the caller's items, newest first, with a signed cursor (a forged cursor gets 400)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.items import list_items

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("list_items")
def handler(request: Request) -> Response:
    """List your items."""
    cursor_key = str(aws.secret("cursor_hmac_key")).encode()
    page = list_items(
        aws.dynamodb(),
        aws.settings().table_name,
        request.sub,
        request.query["limit"],
        request.query.get("cursor"),
        cursor_key,
    )
    return 200, page
