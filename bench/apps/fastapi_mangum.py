"""The same handler on FastAPI behind Mangum."""

import os

import boto3
from fastapi import FastAPI, Request
from mangum import Mangum

TABLE = os.environ["TABLE_NAME"]
dynamodb = boto3.client("dynamodb")
app = FastAPI()


@app.get("/v1/accounts/me")
def get_my_account(request: Request):
    sub = request.scope["aws.event"]["requestContext"]["authorizer"]["claims"]["sub"]
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


handler = Mangum(app, lifespan="off")
