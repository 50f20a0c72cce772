"""Order events on the team's EventBridge bus: the `Call(ORDER_EVENTS, ("events:PutEvents",))` create_order declares."""

from __future__ import annotations

import json
from typing import Any, Final

SOURCE: Final = "orders"
PLACED: Final = "OrderPlaced"


class PublishError(Exception):
    """EventBridge refused the event (PutEvents answers 200 with FailedEntryCount; its API reference)."""


def placed(client: Any, bus_arn: str, order: dict[str, Any]) -> None:
    """Publish `OrderPlaced` for a new order on the bus `bus_arn` (PutEvents takes a bus name or ARN)."""
    detail = {"orderId": order["orderId"], "total": order["total"], "createdAt": order["createdAt"]}
    entry = {"EventBusName": bus_arn, "Source": SOURCE, "DetailType": PLACED, "Detail": json.dumps(detail)}
    answer = client.put_events(Entries=[entry])
    if answer.get("FailedEntryCount"):
        failed = answer["Entries"][0]
        raise PublishError(f"{PLACED} not published: {failed.get('ErrorCode')}: {failed.get('ErrorMessage')}")
