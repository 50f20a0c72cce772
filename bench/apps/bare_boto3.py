"""The baseline: a bare boto3 handler, the way most Lambda functions start out."""

import json
import os

import boto3

TABLE = os.environ["TABLE_NAME"]
dynamodb = boto3.client("dynamodb")


def handler(event, context):
    sub = event["requestContext"]["authorizer"]["claims"]["sub"]
    key = {"pk": {"S": f"USER#{sub}"}, "sk": {"S": "ACCOUNT"}}
    item = dynamodb.get_item(TableName=TABLE, Key=key, ConsistentRead=True).get("Item")
    if item is None:
        account = {"accountId": sub, "displayName": "", "locale": "en", "version": 0}
    else:
        account = {
            "accountId": sub,
            "displayName": item["displayName"]["S"],
            "locale": item["locale"]["S"],
            "version": int(item["version"]["N"]),
            "updatedAt": item["updatedAt"]["S"],
        }
    return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(account)}
