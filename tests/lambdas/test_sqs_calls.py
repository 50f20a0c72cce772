"""A declared call to a team's own SQS queue, run for real against a moto server, and least privilege for it.

An API declares `Call(Resource("new_books", SQS_QUEUE), ("sqs:SendMessage",))`; the handler's code is what a team
writes (lambdas.aws: `client("sqs").send_message(QueueUrl=queue_url("new_books"), ...)`), through lambdas/awsclient.py
to the queue whose ARN Terraform would put in NEW_BOOKS_ARN. The calls it makes (recorded as
tests/lambdas/test_least_privilege.py records the kit's) equal what the policy Terraform renders from the manifest
grants.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from contract.calls import SQS_QUEUE, Call, Resource
from contract.compiled import compile_api
from contract.manifest import render
from devtools.tfoffline.resources import stand_in_resources
from lambdas import aws
from lambdas.awsclient import ClientError
from tests.contract.test_compiled import READ_THING, _api
from tests.lambdas import aws_calls
from tests.lambdas.test_least_privilege import granted
from tests.terraform.test_tf_iam import REGIONS, policies

if TYPE_CHECKING:
    from pathlib import Path

NEW_BOOKS = Resource("new_books", SQS_QUEUE)
OPERATION = dataclasses.replace(READ_THING, access=frozenset({Call(NEW_BOOKS, ("sqs:SendMessage",))}))


@pytest.fixture
def moto_endpoint(moto: None, moto_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The session's moto server (tests/lambdas/conftest.py), which the handler's own HTTP client reaches."""
    for name in ("TABLE_NAME", "SECRET_ID"):  # every function has them (Terraform); this one calls neither
        monkeypatch.setenv(name, "unused")
    return moto_server


def _announce(title: str) -> dict[str, Any]:
    """What a team's handler does with its declared call: one message to its queue."""
    return aws.client("sqs").send_message(QueueUrl=aws.queue_url("new_books"), MessageBody=json.dumps({"title": title}))


def test_sqs_calls_send_message_reaches_the_queue_with_exactly_the_declared_calls(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # GIVEN the team's queue, its ARN where Terraform puts it
    sqs = boto3.client("sqs", region_name="us-east-1", endpoint_url=moto_endpoint)
    url = sqs.create_queue(QueueName="new-books")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    monkeypatch.setenv(NEW_BOOKS.environment, arn)

    # WHEN the handler's code sends (its calls recorded)
    with aws_calls.recording(OPERATION.operation_id):
        answer = _announce("Dune")
    recorded = aws_calls.CALLS.pop(OPERATION.operation_id)

    # THEN the message is in the queue, with the id SQS answered
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    assert [(m["MessageId"], json.loads(m["Body"])) for m in messages] == [(answer["MessageId"], {"title": "Dune"})]
    # AND it called exactly what its policy, rendered by Terraform from the manifest, grants
    manifest = json.loads(json.dumps(render(compile_api(_api(OPERATION)))))
    (tmp_path / "routes.json").write_text(json.dumps(manifest))
    resources = stand_in_resources(tmp_path / "routes.json", REGIONS)
    evaluated = policies(manifest["operations"], REGIONS, resources=resources)
    assert recorded == granted(evaluated[OPERATION.operation_id]) == {"sqs:SendMessage"}


def test_sqs_calls_a_missing_queue_is_the_query_error_code_as_botocore_gives_it(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN an ARN of a queue that does not exist: SQS answers with x-amzn-query-error (moto as AWS)
    monkeypatch.setenv(NEW_BOOKS.environment, "arn:aws:sqs:us-east-1:123456789012:gone")

    with pytest.raises(ClientError) as raised:
        _announce("Dune")

    # THEN Error.Code is the header's code, the JSON __type kept as QueryErrorCode (botocore's parser)
    error = raised.value.response["Error"]
    assert (raised.value.code, error["QueryErrorCode"], error["Type"]) == (
        "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist",
        "Sender",
    )
