"""Orders in the table: one item per order (the JSON document), under the caller's partition."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from lambdas.awsclient import ClientError
from lambdas.runtime.errors import BadRequestError, NotFoundError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

SK_PREFIX: Final = "ORDER#"
DEFAULTS: Final = {"priority": 2}
"""What a field cleared with `null` (or never sent) goes back to: NORMAL priority."""


def _key(owner: str, order_id: str) -> dict[str, Any]:
    return {"pk": {"S": f"ORDERS#{owner}"}, "sk": {"S": SK_PREFIX + order_id}}


def total(lines: list[dict[str, Any]]) -> dict[str, str]:
    """The sum of quantity x unit price, in the first line's currency, as a two-decimal string (Decimal, no float)."""
    amount = sum((Decimal(str(line["unitPrice"]["amount"])) * line["quantity"] for line in lines), Decimal(0))
    return {"amount": f"{amount:.2f}", "currency": lines[0]["unitPrice"]["currency"]}


def create(client: DynamoDBClient, table: str, owner: str, new: dict[str, Any]) -> dict[str, Any]:
    """Store a new order; returns it."""
    order = {
        "orderId": str(uuid.uuid4()),
        "status": "pending",
        "priority": new.get("priority", DEFAULTS["priority"]),
        "lines": [{**line, "unitPrice": {**line["unitPrice"], "amount": str(line["unitPrice"]["amount"])}}
                  for line in new["lines"]],
        "payment": new["payment"],
        "reference": new["reference"],
        "total": total(new["lines"]),
        "cancelReason": None,
        "refund": None,
        "createdAt": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }  # fmt: skip
    for field in ("note", "from"):
        if new.get(field) is not None:
            order[field] = new[field]
    put(client, table, owner, order)
    return order


def put(client: DynamoDBClient, table: str, owner: str, order: dict[str, Any]) -> None:
    """Write `order` whole."""
    item = {**_key(owner, order["orderId"]), "doc": {"S": json.dumps(order, sort_keys=True)}}
    client.put_item(TableName=table, Item=item)


def get(client: DynamoDBClient, table: str, owner: str, order_id: str) -> dict[str, Any]:
    """One order of `owner`; 404 if there is none."""
    stored = client.get_item(TableName=table, Key=_key(owner, order_id)).get("Item")
    if stored is None:
        raise NotFoundError("No such order", "path.orderId")
    return json.loads(stored["doc"]["S"])  # type: ignore[no-any-return]


def patch(current: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """`current` with the fields `change` sends: a value sets it, `null` clears it (JSON Merge Patch, RFC 7396)
    or puts it back to its default."""
    updated = dict(current)
    for field, value in change.items():
        if value is None:
            updated.pop(field, None)
        else:
            updated[field] = value
    return {**DEFAULTS, **updated}


def add_lines(current: dict[str, Any], lines: list[dict[str, Any]]) -> dict[str, Any]:
    """`current` with `lines` appended and its total recomputed; 400 if a line's currency is not the order's."""
    currency = current["total"]["currency"]
    for index, line in enumerate(lines):
        if line["unitPrice"]["currency"] != currency:
            raise BadRequestError(f"Every line is in the order's currency, {currency}", f"body[{index}].unitPrice")
    stored = [
        {**line, "unitPrice": {**line["unitPrice"], "amount": str(line["unitPrice"]["amount"])}} for line in lines
    ]
    merged = [*current["lines"], *stored]
    return {**current, "lines": merged, "total": total(merged)}


def delete(client: DynamoDBClient, table: str, owner: str, order_id: str) -> None:
    """Delete one order of `owner`; 404 if there is none."""
    try:
        client.delete_item(TableName=table, Key=_key(owner, order_id), ConditionExpression="attribute_exists(pk)")
    except ClientError as error:
        if error.code == "ConditionalCheckFailedException":
            raise NotFoundError("No such order", "path.orderId") from None
        raise


def attach_receipt(client: DynamoDBClient, table: str, owner: str, order_id: str, pdf: bytes) -> None:
    """Store `pdf` as the receipt of one order of `owner` (binary attribute `receipt`); 404 if there is none."""
    try:
        client.update_item(
            TableName=table,
            Key=_key(owner, order_id),
            UpdateExpression="SET receipt = :pdf",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":pdf": {"B": pdf}},
        )
    except ClientError as error:
        if error.code == "ConditionalCheckFailedException":
            raise NotFoundError("No such order", "path.orderId") from None
        raise


def receipt(client: DynamoDBClient, table: str, owner: str, order_id: str) -> bytes:
    """The receipt of one order of `owner`; 404 if there is no such order or it has none."""
    stored = client.get_item(TableName=table, Key=_key(owner, order_id), ProjectionExpression="receipt").get("Item")
    if not stored or "receipt" not in stored:
        raise NotFoundError("No receipt for this order", "path.orderId")
    return stored["receipt"]["B"]


def page(
    client: DynamoDBClient, table: str, owner: str, statuses: list[str], priorities: list[int], limit: int
) -> dict[str, Any]:
    """The newest `limit` orders of `owner` whose status is one of `statuses` and whose priority one of `priorities`
    (each: all when empty)."""
    found = client.query(
        TableName=table,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues={":pk": {"S": f"ORDERS#{owner}"}, ":prefix": {"S": SK_PREFIX}},
    ).get("Items", [])
    orders = [json.loads(item["doc"]["S"]) for item in found]
    orders = [order for order in orders if not statuses or order["status"] in statuses]
    orders = [order for order in orders if not priorities or order["priority"] in priorities]
    orders.sort(key=lambda order: order["createdAt"], reverse=True)
    return {"items": orders[:limit]}
