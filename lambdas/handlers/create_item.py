"""POST /v1/items: create an item of the caller, recording the serving region (once per Idempotency-Key)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.operation import operation
from lambdas.services.home import Replicas, caller_partition, claim_home, home_region, retry_conflicts
from lambdas.services.items import create_item, create_item_once, create_item_once_strong, keep_copy

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
    replicas = Replicas(config.region, config.home_region, config.strong, aws.dynamodb_in, aws.homes)
    if config.strong:  # MRSC: no transactions; every replica is current (services/items.py)
        args = (replicas.local, config.table_name, request.sub, request.body, config.region, key)
        return 201, retry_conflicts(lambda: create_item_once_strong(*args))
    # the key's record must be one record for every region: in the caller's home replica
    home = claim_home(replicas, config.table_name, caller_partition(request.sub))
    with home_region(replicas, home):
        args = (replicas.client(home), config.table_name, request.sub, request.body, config.region, key)
        item = create_item_once(*args)
    if home != config.region:  # readable where it was answered, at once
        keep_copy(replicas.local, config.table_name, request.sub, item)
    return 201, item
