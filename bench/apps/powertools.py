"""The same handler on Powertools for AWS Lambda's APIGatewayRestResolver."""

import os

import boto3
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

TABLE = os.environ["TABLE_NAME"]
dynamodb = boto3.client("dynamodb")
app = APIGatewayRestResolver()


@app.get("/v1/accounts/me")
def get_my_account():
    sub = app.current_event.request_context.authorizer.claims["sub"]
    key = {"pk": {"S": f"USER#{sub}"}, "sk": {"S": "ACCOUNT"}}
    item = dynamodb.get_item(TableName=TABLE, Key=key, ConsistentRead=True).get("Item")
    if item is None:
        return {"accountId": sub, "displayName": "", "locale": "en", "version": 0}
    return {
        "accountId": sub,
        "displayName": item["displayName"]["S"],
        "locale": item["locale"]["S"],
        "version": int(item["version"]["N"]),
        "updatedAt": item["updatedAt"]["S"],
    }


def handler(event, context):
    return app.resolve(event, context)
