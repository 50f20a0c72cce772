"""Least privilege, measured: the AWS calls the handler and trigger tests make, per function, equal the actions the
function's policy grants as Terraform builds it (tests/terraform/test_tf_iam.py evaluates iam.tf and trigger.tf).

The handler tests run in a child pytest session that records every call made through lambdas/awsclient.py, to any
service (tests/lambdas/aws_calls.py), so this test does not depend on which tests ran in its own session. The
policy's actions compared are all but the function's own plumbing (logs, traces) and the KMS actions a service
makes with a key on the caller's behalf (kms:ViaService: the handler never calls KMS itself).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from devtools.tfoffline.resources import stand_in_resources
from tests.lambdas import aws_calls
from tests.terraform.test_tf_iam import REGIONS, policies, trigger_policy

ROOT = Path(__file__).parents[2]
PLUMBING = ("logs:", "xray:", "kms:")


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    out = tmp_path_factory.mktemp("calls") / "calls.json"
    env = {**os.environ, aws_calls.OUT_ENV: str(out)}
    run = subprocess.run(
        [
            sys.executable,
            *("-m", "pytest", "tests/lambdas/handlers", "tests/lambdas/triggers", "-q", "-p", "no:cacheprovider", "-x"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return {op: set(calls) for op, calls in json.loads(out.read_text()).items()}


def granted(statements: list[dict[str, Any]]) -> set[str]:
    """The actions a policy grants for the handler's own calls, any service."""
    return {a for s in statements for a in s["actions"] if not a.startswith(PLUMBING)}


def test_aws_calls_action_names_follow_iam() -> None:
    assert aws_calls.action("dynamodb", "describe_table") == "dynamodb:DescribeTable"
    assert aws_calls.actions("secretsmanager", "GetSecretValue", {}) == {"secretsmanager:GetSecretValue"}
    assert aws_calls.actions("events", "PutEvents", {"Entries": []}) == {"events:PutEvents"}
    transaction = {"TransactItems": [{"Put": {}}, {"ConditionCheck": {}}]}
    assert aws_calls.actions("dynamodb", "TransactWriteItems", transaction) == {
        "dynamodb:PutItem",
        "dynamodb:ConditionCheckItem",
    }


def test_aws_calls_records_a_call_to_any_service_through_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN a client of a service the kit itself never calls, and an endpoint that answers every call
    from lambdas.awsclient import Client

    monkeypatch.setattr(Client, "_send", lambda self, headers, body: (200, _Headers(), b"{}"))
    client = Client("events", "eu-west-1", credentials=lambda: _CREDENTIALS)
    # WHEN a handler's call is recorded THEN it is its IAM action
    with aws_calls.recording("any_operation"):
        client.put_events(Entries=[])
    assert aws_calls.CALLS.pop("any_operation") == {"events:PutEvents"}


def test_every_function_calls_exactly_what_its_policy_grants(recorded: dict[str, set[str]]) -> None:
    routes = json.loads((ROOT / "api" / "routes.json").read_text())
    # the team's resources the calls name (if any), at stand-in ARNs of their declared types
    resources = stand_in_resources(ROOT / "api" / "routes.json", REGIONS)
    evaluated = policies(routes["operations"], REGIONS, resources=resources)
    table = {op: (recorded.get(op, set()), granted(evaluated[op])) for op in routes["operations"]}
    # The user pool's trigger: its tests record no call, and its policy grants no DynamoDB or Secrets Manager
    # action (test_tf_iam.py: logs of its own log group only).
    assert "triggers.pre_token_generation" in recorded, "the trigger tests did not run"
    table["triggers.pre_token_generation"] = (
        recorded["triggers.pre_token_generation"],
        granted(trigger_policy(REGIONS)),
    )
    print("\n| function | calls recorded | policy grants |\n|---|---|---|")  # the table of the issue note
    for op, (calls, grants) in sorted(table.items()):
        print(f"| {op} | {', '.join(sorted(calls))} | {', '.join(sorted(grants))} |")
    ungranted = {op: sorted(calls - grants) for op, (calls, grants) in table.items() if calls - grants}
    unused = {op: sorted(grants - calls) for op, (calls, grants) in table.items() if grants - calls}
    assert ungranted == {}, f"calls without a grant: {ungranted}"
    assert unused == {}, f"grants without a call: {unused}"


class _Headers(dict[str, str]):
    """What http.client's message gives the client: `get` by name."""


class _Credentials:
    access_key, secret_key, token = "AKID", "secret", None


_CREDENTIALS = _Credentials()
