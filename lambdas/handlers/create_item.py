"""POST /v1/items: create an item of the caller, recording the serving region."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.items import create_item

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("create_item")
def handler(request: Request) -> Response:
    """Create an item."""
    config = aws.settings()
    return 201, create_item(aws.dynamodb(), config.table_name, request.sub, request.body, config.region)
