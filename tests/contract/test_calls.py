"""contract/calls.py: a handler's calls to the team's own AWS resources, declared, checked and compiled.

Each refusal is one line naming the mistake and the fix (IAM action syntax and wildcards: IAM JSON policy elements,
Action; ARN formats: the Service Authorization Reference; a resource name that Lambda's reserved variables forbid).
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from contract.calls import EVENT_BUS, SQS_QUEUE, Call, Resource, ResourceType
from contract.compiled import compile_api
from contract.errors import ContractError
from contract.manifest import render
from contract.operation import Access
from lambdas.awsservices import SERVICES
from tests.contract.test_compiled import CREATE_THING, READ_THING, _api

# ARN formats of the Service Authorization Reference (SNS topic, S3 bucket, DynamoDB table): the format checks hold
# for any type; a Call is refused for a service the handlers' client cannot call (sns, s3).
SNS_TOPIC = ResourceType("arn:${Partition}:sns:${Region}:${Account}:${TopicName}")
S3_BUCKET = ResourceType("arn:${Partition}:s3:::${BucketName}")
TABLE = ResourceType("arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}")
BUS = Resource("order_events", EVENT_BUS)
LEDGER = Resource("ledger", TABLE)


@pytest.mark.parametrize(
    ("declare", "message"),
    [
        (lambda: Call(BUS, ("events:*",)), "action 'events:*' has a wildcard"),
        (lambda: Call(BUS, ("events:Put?vents",)), "has a wildcard"),
        (lambda: Call(BUS, ("events.PutEvents",)), "is not '<service>:<Action>'"),
        (lambda: Call(BUS, ()), "actions must be a non-empty tuple"),
        (lambda: Call(BUS, "events:PutEvents"), "actions must be a non-empty tuple"),  # type: ignore[arg-type]
        (lambda: Call(BUS, ("sqs:SendMessage",)), "is not a events action (the resource is a events resource)"),
        (lambda: Call(LEDGER, ("dynamodb:Query",), under="index/*"), "must be a path of the resource starting"),
        (lambda: Call(LEDGER, ("dynamodb:Query",), under="/a*/b"), "at most one '*' and only at its end"),
        (
            lambda: Call(Resource("alerts", SNS_TOPIC), ("sns:Publish",)),
            "the handlers' client (lambdas/awsclient.py) cannot call sns: it speaks the AWS JSON protocol to "
            "dynamodb, events, secretsmanager, sqs only; put an EventBridge event (EVENT_BUS, events:PutEvents)",
        ),
        (lambda: Call(Resource("invoices", S3_BUCKET), ("s3:GetObject",)), "cannot call s3"),
        (lambda: Call(BUS, ("events:PutEvents",), key_actions=("s3:GetObject",)), "must be a KMS action"),
        (lambda: Call(BUS, ("events:PutEvents",), key_actions=("kms:*",)), "must be a KMS action, no wildcard"),
        (lambda: Resource("OrderEvents", EVENT_BUS), "the name must be snake_case"),
        (lambda: Resource("x" * 41, EVENT_BUS), "at most 40 characters"),
        (lambda: Resource("aws_bus", EVENT_BUS), "Lambda reserves the variables its name would make"),
        (lambda: Resource("lambda_queue", SQS_QUEUE), "Lambda reserves"),
        (lambda: Resource("bus", "event-bus"), "type must be a ResourceType"),  # type: ignore[arg-type]
        (lambda: ResourceType("arn:aws:sqs:${Region}:${Account}:${QueueName}"), "arn:${Partition}:<service>"),
        (lambda: ResourceType("arn:${Partition}:sqs:us-east-1:${Account}:${QueueName}"), "the region is ${Region}"),
    ],
)
def test_calls_mistakes_are_one_line_naming_the_fix(declare: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as refused:
        declare()  # type: ignore[operator]
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        (
            SQS_QUEUE,
            "arn:aws:sqs:eu-west-1:123456789012:orders",
            ["arn:aws:sqs:eu-west-1:123456789012:*", "arn:aws:sns:eu-west-1:123456789012:orders"],
        ),
        (
            EVENT_BUS,
            "arn:aws-us-gov:events:us-gov-west-1:123456789012:event-bus/orders",
            ["arn:aws:events:eu-west-1:123456789012:rule/orders", "arn:aws:events:eu-west-1:1234:event-bus/orders"],
        ),
        (SNS_TOPIC, "arn:aws-cn:sns:cn-north-1:123456789012:orders", ["arn:aws:sns:eu-west-1::orders"]),
        (S3_BUCKET, "arn:aws:s3:::shop-invoices", ["arn:aws:s3:eu-west-1::shop", "arn:aws:s3:::shop/key"]),
    ],
)
def test_calls_arn_regex_is_the_types_format(kind: ResourceType, good: str, bad: list[str]) -> None:
    # The same pattern Terraform's regex() checks `resources` with at plan time (RE2 and Python agree on it).
    match = re.match(kind.arn_regex, good)
    assert match is not None
    assert match.groupdict().get("region") == (good.split(":")[3] if kind.regional else None)
    assert [arn for arn in bad if re.match(kind.arn_regex, arn)] == []


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_calls_every_service_the_client_speaks_may_be_called(service: str) -> None:
    # the one list (lambdas/awsservices.py): what the client can call is what the contract accepts
    call = Call(
        Resource("team_thing", ResourceType(f"arn:${{Partition}}:{service}:${{Region}}:${{Account}}:x/${{N}}")),
        (f"{service}:Op",),
    )
    assert call.resource.type.service == service


def test_calls_a_global_type_names_no_region() -> None:
    assert (S3_BUCKET.regional, S3_BUCKET.service) == (False, "s3")
    assert (EVENT_BUS.regional, EVENT_BUS.service) == (True, "events")


def test_calls_the_manifest_carries_each_call_with_its_variable_and_statement_ids() -> None:
    # GIVEN an operation that reads a team's table through two indexes and publishes to a bus, beside its table access
    access = frozenset(
        {
            *READ_THING.access,
            Call(BUS, ("events:PutEvents",)),
            Call(LEDGER, ("dynamodb:Query",), under="/index/a", key_actions=("kms:Decrypt",)),
            Call(LEDGER, ("dynamodb:Scan",), under="/index/b", key_actions=("kms:GenerateDataKey",)),
        }
    )
    manifest = json.loads(json.dumps(render(compile_api(_api(dataclasses.replace(READ_THING, access=access))))))
    operation = manifest["operations"]["get_thing"]
    # THEN the kit's access stays as it was, and every call is there once, with a unique statement id
    assert operation["access"] == [Access.TABLE_GET_ITEM.value]
    assert [(c["sid"], c["resource"], c["actions"], c["under"], c["environment"]) for c in operation["calls"]] == [
        ("UseLedger", "ledger", ["dynamodb:Query"], "/index/a", "LEDGER_ARN"),
        ("UseLedger2", "ledger", ["dynamodb:Scan"], "/index/b", "LEDGER_ARN"),
        ("UseOrderEvents", "order_events", ["events:PutEvents"], "", "ORDER_EVENTS_ARN"),
    ]
    assert operation["calls"][0]["key_actions"] == ["kms:Decrypt"] and operation["calls"][2]["regional"] is not False


def test_calls_one_name_is_one_resource_across_the_api() -> None:
    other = Resource("order_events", TABLE)
    first = dataclasses.replace(READ_THING, access=frozenset({Call(BUS, ("events:PutEvents",))}))
    second = dataclasses.replace(CREATE_THING, access=CREATE_THING.access | {Call(other, ("dynamodb:PutItem",))})
    with pytest.raises(ContractError, match="two resources are named 'order_events' with different types"):
        compile_api(_api(first, second))


def test_calls_variables_never_meet_the_kits() -> None:
    # `<NAME>_ARN` cannot be one of the kit's variables of every function while none of them ends in _ARN.
    from contract.deployment import ENVIRONMENT

    assert [name for name in ENVIRONMENT if name.endswith("_ARN")] == []
    assert BUS.environment == "ORDER_EVENTS_ARN"


def test_calls_are_no_table_access() -> None:
    # A write_mode is for the kit's table; a call alone does not make an operation a table writer.
    with pytest.raises(ValueError, match="a write_mode is only for operations that use the table"):
        dataclasses.replace(
            READ_THING, access=frozenset({Call(BUS, ("events:PutEvents",))}), write_mode=CREATE_THING.write_mode
        )
