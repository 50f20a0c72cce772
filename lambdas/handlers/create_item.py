"""POST /v1/items: create an item of the caller, recording the serving region (once per Idempotency-Key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.home import home_region, retry_conflicts
from lambdas.services.items import create_item, create_item_once, create_item_once_strong

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("create_item")
def handler(request: Request) -> Response:
    """Create an item."""
    config = aws.settings()
    key = request.headers.get("Idempotency-Key")
    if key is None:  # a new key never conflicts: written in the serving region (WriteMode.ANY_REGION)
        return 201, create_item(aws.dynamodb(), config.table_name, request.sub, request.body, config.region)
    args = (aws.home_dynamodb(), config.table_name, request.sub, request.body, config.region, key)
    with home_region(config.data_region):  # the key's record must be one record for every region
        if config.strong:  # MRSC: no transactions; every replica is current (services/items.py)
            return 201, retry_conflicts(lambda: create_item_once_strong(*args))
        return 201, create_item_once(*args)
