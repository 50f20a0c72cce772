"""lambdas.aws: settings from the environment, cached clients, the secret cache with its TTL."""

import json

import boto3
import pytest

from lambdas import aws


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_aws_settings_come_from_the_environment(stack):
    settings = aws.settings()

    assert (settings.table_name, settings.secret_id, settings.region) == (
        stack.table_name,
        stack.secret_id,
        "us-east-1",
    )


def test_aws_missing_setting_is_a_configuration_error(stack, monkeypatch):
    monkeypatch.delenv("SECRET_ID")

    with pytest.raises(aws.ConfigurationError, match="SECRET_ID"):
        aws.settings()


def test_aws_clients_are_created_once_per_container(stack):
    assert aws.dynamodb() is aws.dynamodb()
    assert aws.secretsmanager() is aws.secretsmanager()
    assert aws.dynamodb() is not aws.health_dynamodb()


def test_aws_clients_use_the_serving_region(stack, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-1")

    assert aws.dynamodb().region == "eu-west-1"


def test_aws_secret_is_read_once_per_ttl(stack):
    clock = Clock()
    cache = aws.SecretCache(ttl=60, clock=clock)
    client = boto3.client("secretsmanager", region_name=stack.region)
    first = cache.get(client, stack.secret_id)
    client.put_secret_value(SecretId=stack.secret_id, SecretString=json.dumps({"cursor_hmac_key": "rotated"}))

    clock.now += 59
    assert cache.get(client, stack.secret_id) == first
    clock.now += 2
    assert cache.get(client, stack.secret_id) == {"cursor_hmac_key": "rotated"}


def test_aws_secret_field_missing_is_a_configuration_error(stack):
    with pytest.raises(aws.ConfigurationError, match="no field"):
        aws.secret("other")


def test_aws_secret_that_is_not_an_object_is_a_configuration_error(stack):
    boto3.client("secretsmanager", region_name=stack.region).put_secret_value(
        SecretId=stack.secret_id, SecretString='"just a string"'
    )

    with pytest.raises(aws.ConfigurationError, match="not a JSON object"):
        aws.secret("cursor_hmac_key")


def test_aws_resource_arn_is_the_variable_terraform_sets_for_the_resource(monkeypatch):
    # contract/calls.py Resource("order_events", ...).environment is the variable Terraform sets (regional lambda.tf)
    from contract.calls import EVENT_BUS, Resource

    arn = "arn:aws:events:eu-west-1:123456789012:event-bus/orders"
    monkeypatch.setenv(Resource("order_events", EVENT_BUS).environment, arn)
    assert aws.resource_arn("order_events") == arn
    monkeypatch.delenv("ORDER_EVENTS_ARN")
    with pytest.raises(aws.ConfigurationError, match="ORDER_EVENTS_ARN is not set"):
        aws.resource_arn("order_events")


@pytest.mark.parametrize(
    ("arn", "url"),
    [
        # the SQS Developer Guide's example ("Amazon SQS queue and message identifiers")
        ("arn:aws:sqs:us-east-2:123456789012:MyQueue", "https://sqs.us-east-2.amazonaws.com/123456789012/MyQueue"),
        # the host is the region's SQS endpoint, its partition's DNS suffix (botocore's sqs endpoint rule set)
        (
            "arn:aws-cn:sqs:cn-north-1:123456789012:q.fifo",
            "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q.fifo",
        ),
    ],
)
def test_aws_queue_url_is_the_documented_url_of_the_queues_arn(monkeypatch, arn, url):
    monkeypatch.setenv("NEW_BOOKS_ARN", arn)

    assert aws.queue_url("new_books") == url


@pytest.mark.parametrize("arn", ["arn:aws:events:us-east-1:123456789012:event-bus/b", "arn:aws:sqs:us-east-1::q", "q"])
def test_aws_queue_url_refuses_an_arn_that_is_no_queues(monkeypatch, arn):
    monkeypatch.setenv("NEW_BOOKS_ARN", arn)

    with pytest.raises(aws.ConfigurationError, match="NEW_BOOKS_ARN is not an SQS queue ARN"):
        aws.queue_url("new_books")


def test_aws_client_of_any_service_is_created_once_in_the_serving_region(stack, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    aws.reset()
    assert aws.client("events") is aws.client("events")
    assert (aws.client("events").service, aws.client("events").region) == ("events", "eu-west-1")
