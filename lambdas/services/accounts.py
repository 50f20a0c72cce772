"""Accounts: one per caller, replaced with optimistic concurrency on `version`.

Each is written in its home region's replica and read in the serving region's (lambdas/services/home.py).
A write stores a fingerprint of its request (the body and the version it was based on), so a retry that meets
its own earlier attempt (an answer lost, a timeout, a 5xx after the write landed) is recognised and answered
200 with the account it made, instead of 409: the handler's SDK retries and the client's retries alike.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from lambdas.awsclient import ClientError
from lambdas.runtime.errors import ConflictError, NotFoundError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

    from lambdas.contract_types import Account, AccountUpdate

SK: Final = "ACCOUNT"
DEFAULT_DISPLAY_NAME: Final = "New user"
"""Non-empty: what GET returns before the first write must be a valid AccountUpdate (minLength 1)."""
DEFAULT_LOCALE: Final = "en"


def key(account_id: str) -> dict[str, AttributeValueTypeDef]:
    """The table key of an account."""
    return {"pk": {"S": f"USER#{account_id}"}, "sk": {"S": SK}}  # the caller's partition (services/home.py)


def _account(account_id: str, item: dict[str, AttributeValueTypeDef]) -> Account:
    account: Account = {
        "accountId": account_id,
        "displayName": item["displayName"]["S"],
        "locale": item["locale"]["S"],
        "version": int(item["version"]["N"]),
    }
    if "updatedAt" in item:
        account["updatedAt"] = item["updatedAt"]["S"]
    return account


def _fingerprint(update: AccountUpdate) -> str:
    fields = {"displayName": update["displayName"], "locale": update["locale"], "version": update["version"]}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def get_account(
    client: DynamoDBClient, table: str, account_id: str, *, default: bool, consistent: bool = True
) -> Account:
    """The account of `account_id`; before its first write, version 0 with defaults, or 404 if not `default`."""
    item = client.get_item(TableName=table, Key=key(account_id), ConsistentRead=consistent).get("Item")
    if item is None:
        if not default:
            raise NotFoundError("No such account")
        return {"accountId": account_id, "displayName": DEFAULT_DISPLAY_NAME, "locale": DEFAULT_LOCALE, "version": 0}
    return _account(account_id, item)


def put_account(
    client: DynamoDBClient,
    table: str,
    account_id: str,
    update: AccountUpdate,
    now: datetime | None = None,
    home: str | None = None,
) -> Account:
    """Replace the account if its version is still `update["version"]`; 409 and no write otherwise.

    `client` is the account's home replica (`home`, recorded on the item). A refused write whose account is the
    one this very request made (same fingerprint, the next version) was an earlier attempt of it: 200.
    """
    expected = update["version"]
    updated_at = (now or datetime.now(UTC)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    item: dict[str, AttributeValueTypeDef] = {
        **key(account_id),
        "displayName": {"S": update["displayName"]},
        "locale": {"S": update["locale"]},
        "version": {"N": str(expected + 1)},
        "updatedAt": {"S": updated_at},
        "request": {"S": _fingerprint(update)},
    }
    if home is not None:
        item["home"] = {"S": home}
    try:
        if expected == 0:
            client.put_item(TableName=table, Item=item, ConditionExpression="attribute_not_exists(pk)")
        else:
            client.put_item(
                TableName=table,
                Item=item,
                ConditionExpression="#version = :expected",
                ExpressionAttributeNames={"#version": "version"},
                ExpressionAttributeValues={":expected": {"N": str(expected)}},
            )
    except ClientError as error:
        if error.code != "ConditionalCheckFailedException":
            raise
        stored = client.get_item(TableName=table, Key=key(account_id), ConsistentRead=True).get("Item")
        if stored is None or stored["version"]["N"] != str(expected + 1) or stored.get("request") != item["request"]:
            raise ConflictError("The account changed since version " + str(expected), "body.version") from None
        return _account(account_id, stored)  # this request's own earlier attempt landed
    return _account(account_id, item)
