"""POST /v1/hits: count a hit from the caller's IP in this region; answer the total over all regions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.errors import BadRequestError
from lambdas.runtime.operation import operation
from lambdas.services.hits import record_hit

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("record_hit")
def handler(request: Request) -> Response:
    """Record a hit from your IP."""
    if not request.source_ip:
        raise BadRequestError("The gateway reported no source IP", "sourceIp")
    config = aws.settings()
    return 200, record_hit(aws.dynamodb(), config.table_name, request.source_ip, config.region)
