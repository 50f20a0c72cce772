"""Calls to the team's own resources (contract/calls.py) in Terraform: the policy statements iam.tf renders from the
manifest's `calls`, the plan-time checks of the `resources` variable, and the variable each function gets.

The statements and validations are evaluated by Terraform itself (tests/terraform/test_tf_iam.py `policies`), over
the orders example's real manifest (its create_order publishes to an EventBridge bus) plus a call of another service
(S3, whose ARNs name no region, under a prefix and encrypted with a customer managed key). The handlers' client cannot
call S3 (contract/calls.py refuses it); Terraform's rendering is generic over any type, so the bucket is declared here
as if the client could, to hold a regionless ARN to the same rules.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any
from unittest.mock import patch

import pytest

from contract.calls import Call, Resource, ResourceType
from contract.compiled import CompiledCall
from devtools import hcl
from lambdas.awsservices import SERVICES, Service
from tests.terraform.test_tf_iam import ACCOUNT, REGIONS, policies
from tools import tfcheck

ORDERS = json.loads((tfcheck.ROOT / "examples" / "orders" / "api" / "routes.json").read_text())["operations"]
with patch.dict(SERVICES, s3=Service("s3", "", "", "S3")):  # a regionless ARN (see the docstring)
    INVOICES = Call(
        Resource("invoices", ResourceType("arn:${Partition}:s3:::${BucketName}")),
        ("s3:GetObject", "s3:PutObject"),
        under="/invoices/*",
        key_actions=("kms:Decrypt", "kms:GenerateDataKey"),
    )
BUCKET = "arn:aws:s3:::shop-invoices"


def _operations() -> dict[str, Any]:
    """The orders operations, one of which also reads and writes invoices in a bucket."""
    caller = next(op for op, spec in ORDERS.items() if spec["calls"])
    with_bucket = {
        **ORDERS[caller],
        "calls": [*ORDERS[caller]["calls"], json.loads(json.dumps(asdict(CompiledCall.of(INVOICES, INVOICES.sid))))],
    }
    return {**ORDERS, caller: with_bucket}


def _region_arn(arn_format: str, region: str, name: str) -> str:
    arn = arn_format.replace("${Partition}", "aws").replace("${Region}", region).replace("${Account}", ACCOUNT)
    return re.sub(r"\$\{[A-Za-z]+\}", name, arn)


def _resources(regions: list[str] = REGIONS) -> dict[str, Any]:
    """A valid `resources` value: every declared resource in every region; the bucket with a key per region."""
    resources: dict[str, Any] = {}
    for spec in _operations().values():
        for call in spec["calls"]:
            arns = {region: _region_arn(call["arn_format"], region, call["resource"]) for region in regions}
            resources[call["resource"]] = {"arns": arns}
    resources["invoices"] = {
        "arns": dict.fromkeys(regions, BUCKET),  # one bucket name serves every region: S3 ARNs name no region
        "kms_key_arns": {region: f"arn:aws:kms:{region}:{ACCOUNT}:key/mrk-1" for region in regions},
    }
    return resources


def _camel(region: str) -> str:
    return "".join(part.capitalize() for part in region.split("-"))


@pytest.fixture(scope="module")
def evaluated() -> dict[str, list[dict[str, Any]]]:
    return policies(_operations(), REGIONS, resources=_resources())


def test_calls_each_gets_its_actions_on_its_resource_in_each_region_for_that_regions_function_only(
    evaluated: dict[str, list[dict[str, Any]]],
) -> None:
    resources = _resources()
    for operation_id, spec in _operations().items():
        statements = {s["sid"]: s for s in evaluated[operation_id]}
        for call in spec["calls"]:
            for region in REGIONS:
                statement = statements[f"{call['sid']}In{_camel(region)}"]
                assert statement["actions"] == call["actions"]
                assert statement["resources"] == [resources[call["resource"]]["arns"][region] + call["under"]]
                function = f"arn:aws:lambda:{region}:{ACCOUNT}:function:kit-{operation_id}"
                assert statement["conditions"] == [
                    {"test": "ArnLike", "variable": "lambda:SourceFunctionArn", "values": [function, f"{function}:*"]}
                ]


def test_calls_grant_nothing_to_an_operation_that_declares_none(evaluated: dict[str, list[dict[str, Any]]]) -> None:
    for operation_id, spec in _operations().items():
        if not spec["calls"]:
            called = {a for s in evaluated[operation_id] for a in s["actions"]} - set(spec["access"])
            assert {a.split(":")[0] for a in called} <= {"logs", "xray", "kms"}, operation_id


def test_calls_key_actions_only_on_the_keys_given_and_only_through_the_resources_service(
    evaluated: dict[str, list[dict[str, Any]]],
) -> None:
    for operation_id, spec in _operations().items():
        statements = {s["sid"]: s for s in evaluated[operation_id]}
        for call in spec["calls"]:
            key = statements.get(f"{call['sid']}Key")
            if call["resource"] != "invoices":  # the bus: no key action declared, no key given
                assert key is None
                continue
            assert key is not None and key["actions"] == ["kms:Decrypt", "kms:GenerateDataKey"]
            assert key["resources"] == [f"arn:aws:kms:{region}:{ACCOUNT}:key/mrk-1" for region in sorted(REGIONS)]
            assert key["conditions"] == [
                {
                    "test": "StringEquals",
                    "variable": "kms:ViaService",
                    "values": [f"s3.{region}.amazonaws.com" for region in sorted(REGIONS)],
                }
            ]


def test_calls_no_key_statement_for_a_resource_without_a_customer_key() -> None:
    resources = _resources()
    resources["invoices"] = {"arns": resources["invoices"]["arns"]}
    evaluated = policies(_operations(), REGIONS, resources=resources)
    assert not [s for statements in evaluated.values() for s in statements if s["sid"].endswith("Key")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.pop("invoices"), "missing invoices"),
        (lambda r: r.update(archive={"arns": dict.fromkeys(REGIONS, BUCKET)}), "no operation calls: archive"),
        (lambda r: r["order_events"]["arns"].pop(REGIONS[1]), "must map every region"),
        # the bus of another region: a regional type's ARN names the region it serves
        (
            lambda r: r["order_events"]["arns"].update({REGIONS[1]: r["order_events"]["arns"][REGIONS[0]]}),
            f"order_events in {REGIONS[1]}: arn:aws:events:{REGIONS[0]}:.* is not arn:.*:event-bus/",
        ),
        # a queue's ARN where the contract declares an event bus
        (
            lambda r: r["order_events"]["arns"].update({REGIONS[0]: f"arn:aws:sqs:{REGIONS[0]}:{ACCOUNT}:orders"}),
            "order_events in us-east-1: arn:aws:sqs",
        ),
        (lambda r: r["invoices"]["arns"].update({REGIONS[0]: "arn:aws:s3:::shop-*"}), "invoices in us-east-1"),
        (
            lambda r: r["invoices"]["kms_key_arns"].update({REGIONS[0]: f"arn:aws:kms:{REGIONS[1]}:{ACCOUNT}:key/k"}),
            "kms_key_arns maps a region of regions to a KMS key ARN of that region",
        ),
    ],
    ids=["missing", "unknown", "region-missing", "other-region", "other-type", "wildcard", "key-other-region"],
)
def test_calls_resources_refused_at_plan(change: Any, message: str) -> None:
    resources = _resources()
    change(resources)
    with pytest.raises(hcl.EvaluationError) as refused:
        policies(_operations(), REGIONS, resources=resources)
    assert re.search(message, " ".join(str(refused.value).split())), str(refused.value)[-600:]  # Terraform wraps


def test_calls_each_function_gets_the_arn_of_each_resource_it_calls_in_its_region() -> None:
    # GIVEN the regional module's function environment and the resources' ARNs in one region
    blocks = hcl.blocks(tfcheck.TERRAFORM_DIR / "modules" / "regional")
    function = hcl.find(blocks, "resource", "aws_lambda_function", "this")
    expression = re.sub(r"\beach\.value\b", "v", function.block("environment").attributes["variables"])
    names = ("operations", "resource_arns", "lambda_settings", "table_name", "secret_name", "home_region")
    variables = [hcl.find(blocks, "variable", name).text for name in (*names, "table_consistency_mode")]
    region = REGIONS[1]
    arns = {name: resource["arns"][region] for name, resource in _resources().items()}
    values = {"operations": _operations(), "resource_arns": arns, "lambda_settings": {}, "table_name": "t"}
    values |= {"secret_name": "s", "home_region": REGIONS[0]}
    # WHEN Terraform evaluates it for every operation
    environment = hcl.evaluate(variables, values, {"env": f"{{ for k, v in var.operations : k => {expression} }}"})
    # THEN each function has the ARN of exactly the resources its calls name, under the variable each call names
    for operation_id, spec in _operations().items():
        got = {name: value for name, value in environment["env"][operation_id].items() if name.endswith("_ARN")}
        assert got == {call["environment"]: arns[call["resource"]] for call in spec["calls"]}, operation_id
