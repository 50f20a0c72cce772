"""The team's own resources under `make serve`: moto creates one of each declared type per region (the manifest's
`calls`), with an ARN Terraform's plan-time check would accept for that region."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
from moto import mock_aws

from contract import calls
from contract.calls import Call, Resource, ResourceType
from contract.compiled import CompiledCall
from localapi.backends.stack import RESOURCE_CREATORS, MotoStack

TYPES = {kind.service: kind for kind in vars(calls).values() if isinstance(kind, ResourceType)}
ACTIONS = {"events": "events:PutEvents", "sqs": "sqs:SendMessage"}


class _InProcessMoto(MotoStack):
    """The stack's seeding against an in-process mock_aws (no server to start)."""

    def client(self, service: str, region: str) -> Any:
        return boto3.client(service, region_name=region)  # type: ignore[call-overload]


def _call(service: str) -> dict[str, Any]:
    call = Call(Resource(f"team_{service}", TYPES[service]), (ACTIONS[service],))
    return CompiledCall.of(call, call.sid).__dict__


def test_local_resources_creators_cover_the_types_the_contract_names() -> None:
    # docs/calls.md: "moto creates each declared resource of an exported type per region (an EventBridge bus)"
    assert set(RESOURCE_CREATORS) == set(TYPES)


@pytest.mark.parametrize("region", ["us-east-1", "eu-west-1"])
def test_local_resources_one_per_declared_resource_with_an_arn_of_its_type_in_its_region(
    aws_credentials: None, region: str
) -> None:
    calls = [_call(service) for service in sorted(TYPES)]
    with mock_aws():
        environment = _InProcessMoto().seed_resources(region, [*calls, calls[0]])  # a resource called twice: once
    assert sorted(environment) == sorted(call["environment"] for call in calls)
    for call in calls:
        match = re.match(call["arn_regex"], environment[call["environment"]])
        assert match is not None, environment[call["environment"]]
        assert match.groupdict().get("region", region) == region


def test_local_resources_a_type_localapi_cannot_create_is_named(aws_credentials: None) -> None:
    ledger = Resource("ledger", ResourceType("arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"))
    call = Call(ledger, ("dynamodb:PutItem",))
    with pytest.raises(ValueError, match="localapi creates events, sqs resources in moto, not dynamodb ones"):
        _InProcessMoto().seed_resources("us-east-1", [CompiledCall.of(call, call.sid).__dict__])
