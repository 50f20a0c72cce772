"""The orders API's declared call to its own EventBridge bus, run for real against moto, and least privilege for it.

create_order declares `Call(ORDER_EVENTS, ("events:PutEvents",))` (examples/orders/contract/routes.py). Its handler,
invoked in-process with a proxy event, publishes `OrderPlaced` through lambdas/awsclient.py to the bus whose ARN
Terraform would put in ORDER_EVENTS_ARN; a rule on the bus delivers it to a queue where the test reads it. The calls
the handler makes (recorded as tests/lambdas/test_least_privilege.py records the kit's) equal what the policy
Terraform renders from the orders manifest grants, for every operation that declares a call.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from devtools.tfoffline.resources import stand_in_resources
from lambdas import aws
from localapi.backends.stack import table_schema
from tests.lambdas import aws_calls
from tests.lambdas.test_least_privilege import granted
from tests.terraform.test_tf_iam import REGIONS, policies

if TYPE_CHECKING:
    from collections.abc import Iterator

from tests.examples.orders.conftest import ORDERS

ROUTES = json.loads((ORDERS / "api" / "routes.json").read_text())
REGION = "us-east-1"


@pytest.fixture
def moto_endpoint(aws_credentials: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A moto server the handler's own HTTP client reaches (an in-process mock_aws would not see it)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://{host}:{port}")
    aws.reset()
    yield f"http://{host}:{port}"
    aws.reset()
    server.stop()


def _client(service: str, endpoint: str) -> Any:
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint)  # type: ignore[call-overload]


def _create_order_event() -> dict[str, Any]:
    body = {"lines": [{"sku": "MUG-01", "quantity": 2, "unitPrice": {"amount": "4.50", "currency": "EUR"}}]}
    body |= {"payment": {"kind": "card", "last4": "4242"}, "reference": "r-1"}
    headers = {"Content-Type": "application/json", "X-Tenant-Id": "shop-1"}
    claims = {"sub": "7d1c0f1e-8f3a", "username": "7d1c0f1e-8f3a", "scope": "orders/orders.write"}
    return {
        "httpMethod": "POST",
        "path": "/v1/orders",
        "resource": "/v1/orders",
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "body": json.dumps(body),
        "isBase64Encoded": False,
        "requestContext": {
            "requestId": "c0ffee00-0000-4000-8000-000000000001",
            "authorizer": {"claims": claims},
            "identity": {"sourceIp": "203.0.113.7"},
        },
    }


def test_orders_create_order_publishes_order_placed_on_its_bus_with_exactly_the_declared_calls(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the table, the orders bus, and a rule that copies the bus's orders events to a queue
    _client("dynamodb", moto_endpoint).create_table(TableName="orders", **table_schema(ROUTES["table"]))
    events, sqs = _client("events", moto_endpoint), _client("sqs", moto_endpoint)
    bus = events.create_event_bus(Name="orders")["EventBusArn"]
    queue = sqs.create_queue(QueueName="placed")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    events.put_rule(Name="placed", EventBusName="orders", EventPattern=json.dumps({"source": ["orders"]}))
    events.put_targets(Rule="placed", EventBusName="orders", Targets=[{"Id": "q", "Arn": queue_arn}])
    (call,) = ROUTES["operations"]["create_order"]["calls"]
    for name, value in {"TABLE_NAME": "orders", "SECRET_ID": "unused", call["environment"]: bus}.items():
        monkeypatch.setenv(name, value)
    from examples.orders.lambdas.handlers.create_order import handler

    # WHEN the handler creates an order (its calls recorded)
    with aws_calls.recording("orders.create_order"):
        response = handler(_create_order_event(), None)
    recorded = aws_calls.CALLS.pop("orders.create_order")

    # THEN 201, and OrderPlaced with the order's id reached the bus
    assert response["statusCode"] == 201, response["body"]
    order_id = json.loads(response["body"])["orderId"]
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    placed = [json.loads(m["Body"]) for m in messages]
    assert [(e["detail-type"], e["detail"]["orderId"]) for e in placed] == [("OrderPlaced", order_id)]
    # AND it called exactly what its policy, rendered by Terraform from the orders manifest, grants
    resources = stand_in_resources(ORDERS / "api" / "routes.json", REGIONS)
    evaluated = policies(ROUTES["operations"], REGIONS, resources=resources)
    assert recorded == granted(evaluated["create_order"])
    assert "events:PutEvents" in recorded
