"""Items: created in the serving region, owned by the caller, listed newest first with a signed cursor."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, cast

from lambdas.awsclient import ClientError
from lambdas.runtime.errors import ConflictError, NotFoundError
from lambdas.services import cursors

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

    from lambdas.contract_types import Item, ItemCreate, ItemPage

SK_PREFIX: Final = "ITEM#"
CURSOR_PURPOSE: Final = "items"
IDEMPOTENCY_TTL_SECONDS: Final = 24 * 3600
"""How long an Idempotency-Key is remembered (TTL attribute `expires_at`; DynamoDB deletes later, never sooner)."""


def new_item_id(created: datetime) -> str:
    """32 hex digits: milliseconds since the epoch (12), then 80 random bits, so ids sort by creation time."""
    return f"{int(created.timestamp() * 1000):012x}{secrets.token_hex(10)}"


def _key(owner: str, item_id: str) -> dict[str, AttributeValueTypeDef]:
    return {"pk": {"S": f"USER#{owner}"}, "sk": {"S": SK_PREFIX + item_id}}


def _item(stored: dict[str, Any]) -> Item:
    item: Item = {
        "itemId": stored["itemId"]["S"],
        "name": stored["name"]["S"],
        "quantity": int(stored["quantity"]["N"]),
        "region": stored["region"]["S"],
        "createdAt": stored["createdAt"]["S"],
    }
    if "note" in stored:
        item["note"] = stored["note"]["S"]
    return item


def _stored(owner: str, item: Item) -> dict[str, AttributeValueTypeDef]:
    stored: dict[str, AttributeValueTypeDef] = {
        **_key(owner, item["itemId"]),
        "itemId": {"S": item["itemId"]},
        "name": {"S": item["name"]},
        "quantity": {"N": str(item["quantity"])},
        "region": {"S": item["region"]},
        "createdAt": {"S": item["createdAt"]},
    }
    if (note := item.get("note")) is not None:
        stored["note"] = {"S": note}
    return stored


def _new_item(owner: str, new: ItemCreate, region: str, now: datetime) -> dict[str, AttributeValueTypeDef]:
    item: Item = {
        "itemId": new_item_id(now),
        "name": new["name"],
        "quantity": new.get("quantity", 1),
        "region": region,
        "createdAt": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    if (note := new.get("note")) is not None:  # `note: str | None`: null is no note
        item["note"] = note
    return _stored(owner, item)


def create_item(
    client: DynamoDBClient, table: str, owner: str, new: ItemCreate, region: str, now: datetime | None = None
) -> Item:
    """Store a new item of `owner`, recording the serving `region` and the creation time."""
    stored = _new_item(owner, new, region, now or datetime.now(UTC))
    # An id collision would need the same millisecond and 80 equal random bits; refuse it rather than overwrite.
    client.put_item(TableName=table, Item=stored, ConditionExpression="attribute_not_exists(pk)")
    return _item(stored)


def _idempotency_key(owner: str, key: str) -> dict[str, AttributeValueTypeDef]:
    return {"pk": {"S": f"IDEMPOTENCY#{owner}"}, "sk": {"S": f"KEY#{key}"}}


def _fingerprint(new: ItemCreate) -> str:
    return hashlib.sha256(json.dumps(new, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def create_item_once(
    home: DynamoDBClient,
    table: str,
    owner: str,
    new: ItemCreate,
    region: str,
    key: str,
    now: datetime | None = None,
) -> Item:
    """Create the item of Idempotency-Key `key` once: a repeat returns the first item and writes nothing.

    `home` is the client of the caller's home replica. The key's record and the item are written in one
    transaction there, both conditional on not existing: two attempts racing in two regions meet in the
    same replica, so exactly one commits (transactions are ACID within the region they are sent to, not
    across replicas: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html).
    """
    now = now or datetime.now(UTC)
    stored = _new_item(owner, new, region, now)
    item = _item(stored)
    record: dict[str, AttributeValueTypeDef] = {
        **_idempotency_key(owner, key),
        "request": {"S": _fingerprint(new)},
        "response": {"S": json.dumps(item, sort_keys=True)},
        "expires_at": {"N": str(int(now.timestamp()) + IDEMPOTENCY_TTL_SECONDS)},
    }
    try:
        home.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": record, "ConditionExpression": "attribute_not_exists(pk)"}},
                {"Put": {"TableName": table, "Item": stored, "ConditionExpression": "attribute_not_exists(pk)"}},
            ]
        )
        return item
    except ClientError as error:
        if error.code != "TransactionCanceledException":
            raise
    # no record: cancelled for another reason (a conflicting transaction), and the client retries on the 409
    return cast("Item", json.loads(_first_attempt(home, table, owner, key, new)["response"]["S"]))


def _first_attempt(client: DynamoDBClient, table: str, owner: str, key: str, new: ItemCreate) -> dict[str, Any]:
    """The record of Idempotency-Key `key` after a refused write: 409 if it is missing or for another request."""
    first = client.get_item(TableName=table, Key=_idempotency_key(owner, key), ConsistentRead=True).get("Item")
    if first is None:
        raise ConflictError(
            "A concurrent request with this Idempotency-Key is in progress; retry", "header.Idempotency-Key"
        )
    if first["request"]["S"] != _fingerprint(new):
        raise ConflictError("This Idempotency-Key was used with a different request", "header.Idempotency-Key")
    return first


def create_item_once_strong(
    client: DynamoDBClient,
    table: str,
    owner: str,
    new: ItemCreate,
    region: str,
    key: str,
    now: datetime | None = None,
) -> Item:
    """Create the item of Idempotency-Key `key` once, on a STRONG (MRSC) table: no transaction, no TTL.

    MRSC supports neither (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html,
    "Transactions", "Time To Live"), but a conditional write there is evaluated against the latest version in
    every replica. So: a conditional PutItem of the key's record, carrying the body's fingerprint and the whole
    item it chose; then the item, conditional on not existing. A repeat (any region) finds the record, writes the
    record's item if the first attempt stopped between the two writes, and returns it: at most one item per key,
    and nothing half-written that a retry cannot finish. The records never expire (no TTL on MRSC).
    """
    stored = _new_item(owner, new, region, now or datetime.now(UTC))
    record: dict[str, AttributeValueTypeDef] = {
        **_idempotency_key(owner, key),
        "request": {"S": _fingerprint(new)},
        "item": {"M": stored},
    }
    try:
        client.put_item(TableName=table, Item=record, ConditionExpression="attribute_not_exists(pk)")
    except ClientError as error:
        if error.code != "ConditionalCheckFailedException":
            raise
        stored = cast("dict[str, AttributeValueTypeDef]", _first_attempt(client, table, owner, key, new)["item"]["M"])
    try:
        client.put_item(TableName=table, Item=stored, ConditionExpression="attribute_not_exists(pk)")
    except ClientError as error:
        if error.code != "ConditionalCheckFailedException":  # else: an earlier attempt wrote it already
            raise
    return _item(stored)


def keep_copy(client: DynamoDBClient, table: str, owner: str, item: Item) -> None:
    """Write `item` (created in another replica) into `client`'s replica now, unless it is there already.

    So that the region that answered 201 reads it at once, instead of after the replication lag. Items never
    change after their creation, so this copy and the replicated one are the same image (no last-writer race).
    """
    stored = _stored(owner, item)
    try:
        client.put_item(TableName=table, Item=stored, ConditionExpression="attribute_not_exists(pk)")
    except ClientError as error:
        if error.code != "ConditionalCheckFailedException":  # else: replicated already
            raise


def get_item(client: DynamoDBClient, table: str, owner: str, item_id: str) -> Item:
    """Item `item_id` of `owner`; 404 if there is none (another caller's item is simply not found)."""
    stored = client.get_item(TableName=table, Key=_key(owner, item_id)).get("Item")
    if stored is None:
        raise NotFoundError("No such item")
    return _item(stored)


def list_items(
    client: DynamoDBClient, table: str, owner: str, limit: int, cursor: str | None, cursor_keys: Sequence[bytes]
) -> ItemPage:
    """One page of `owner`'s items, newest first, and a cursor to the next page when there is one."""
    params: dict[str, Any] = {
        "TableName": table,
        "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
        "ExpressionAttributeValues": {":pk": {"S": f"USER#{owner}"}, ":prefix": {"S": SK_PREFIX}},
        "ScanIndexForward": False,
        "Limit": limit + 1,  # one more than a page tells whether there is a next page
    }
    if cursor is not None:
        after = cursors.decode(cursor_keys, CURSOR_PURPOSE, owner, cursor).hex()
        params["ExclusiveStartKey"] = _key(owner, after)
    found = client.query(**params).get("Items", [])
    page: ItemPage = {"items": [_item(stored) for stored in found[:limit]]}
    if len(found) > limit:
        last = bytes.fromhex(page["items"][-1]["itemId"])
        page["nextCursor"] = cursors.encode(cursor_keys[0], CURSOR_PURPOSE, owner, last)
    return page
