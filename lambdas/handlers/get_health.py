"""GET /health: 200 when this region's table answers reads and its secret holds a usable value.

503 naming the failing one otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lambdas import aws
from lambdas.runtime.log import get_logger
from lambdas.runtime.operation import operation
from lambdas.services.health import check_health

if TYPE_CHECKING:
    from lambdas.runtime.events import Request
    from lambdas.runtime.operation import Response


@operation("get_health")
def handler(request: Request) -> Response:
    """Health of the serving region."""
    config = aws.settings()
    health = check_health(
        aws.health_dynamodb(), config.table_name, aws.health_secretsmanager(), config.secret_id, config.region
    )
    if health["status"] != "ok":
        failing = [check["name"] for check in health["checks"] if not check["ok"]]
        get_logger().warning("unhealthy", extra={"failing": failing})
        return 503, health
    return 200, health
