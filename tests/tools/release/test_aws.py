"""tools/release/aws.py against botocore's Stubber (moto runs no CodeDeploy traffic shifting) and a stand-in
terraform: the AppSpec each function's deployment carries, a stopped deployment stops the rest, the
rollback puts every alias back on its recorded version and re-applies the previous pin."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.stub import Stubber

from tools.release.artefacts import Release
from tools.release.aws import AwsBackend

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

REGION = "us-east-1"
OUTPUTS = {
    REGION: {
        "id": "new",
        "application": "kit",
        "alarms": ["kit-us-east-1-5xx-rate", "kit-us-east-1-latency-p99"],
        "functions": {
            op: {"function_name": f"kit-{op}", "alias": "live", "version": "2", "deployment_group": f"kit-{op}"}
            for op in ("list_items", "get_item")
        },
    }
}


@pytest.fixture
def backend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, aws_credentials: None
) -> Iterator[tuple[AwsBackend, dict[str, Stubber]]]:
    """The backend with a stand-in terraform (prints OUTPUTS, logs its arguments) and stubbed clients."""
    terraform = tmp_path / "terraform"
    terraform.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(tmp_path / 'calls')!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
        f"print(json.dumps({OUTPUTS!r}) if 'output' in sys.argv else '')\n"
    )
    terraform.chmod(0o755)
    aws = AwsBackend(str(terraform), poll_seconds=0, versions=tmp_path / "versions.json", tfvars=tmp_path / "t.json")
    clients = {name: boto3.client(name, region_name=REGION) for name in ("lambda", "codedeploy", "cloudwatch")}  # type: ignore[call-overload]
    stubs = {name: Stubber(client) for name, client in clients.items()}
    monkeypatch.setattr(aws, "_client", lambda service, region: clients[service])
    for stub in stubs.values():
        stub.activate()
    yield aws, stubs
    for stub in stubs.values():
        stub.assert_no_pending_responses()


def _alias(stubs: dict[str, Stubber], op: str, version: str) -> None:
    stubs["lambda"].add_response(
        "get_alias", {"FunctionVersion": version}, {"FunctionName": f"kit-{op}", "Name": "live"}
    )


def _deployment(stubs: dict[str, Stubber], op: str, deployment_id: str) -> None:
    appspec: dict[str, Any] = {
        "version": 0.0,
        "Resources": [
            {
                op: {
                    "Type": "AWS::Lambda::Function",
                    "Properties": {"Name": f"kit-{op}", "Alias": "live", "CurrentVersion": "1", "TargetVersion": "2"},
                }
            }
        ],
    }
    revision = {"revisionType": "AppSpecContent", "appSpecContent": {"content": json.dumps(appspec)}}
    expected = {"applicationName": "kit", "deploymentGroupName": f"kit-{op}", "revision": revision}
    stubs["codedeploy"].add_response("create_deployment", {"deploymentId": deployment_id}, expected)


def _status(stubs: dict[str, Stubber], deployment_id: str, status: str) -> None:
    info = {"deploymentInfo": {"status": status}}
    stubs["codedeploy"].add_response("get_deployment", info, {"deploymentId": deployment_id})


def test_shift_deploys_each_lagging_alias_with_its_appspec(backend: tuple[AwsBackend, dict[str, Stubber]]) -> None:
    aws, stubs = backend
    # GIVEN one alias behind (1 -> 2) and one already on version 2
    _alias(stubs, "list_items", "1")
    _deployment(stubs, "list_items", "d-1")
    _alias(stubs, "get_item", "2")
    _status(stubs, "d-1", "InProgress")
    _status(stubs, "d-1", "Succeeded")
    lines: list[str] = []
    # WHEN shifted, THEN one CodeDeploy deployment (AppSpec: Name, Alias, CurrentVersion, TargetVersion) succeeds
    assert aws.shift(REGION, Release("new", aws.versions.parent), lines.append)
    assert lines == ["list_items: CodeDeploy d-1 1 -> 2", "list_items: Succeeded"]


def test_shift_stops_the_other_deployments_when_one_is_stopped(backend: tuple[AwsBackend, dict[str, Stubber]]) -> None:
    aws, stubs = backend
    _alias(stubs, "list_items", "1")
    _deployment(stubs, "list_items", "d-1")
    _alias(stubs, "get_item", "1")
    _deployment(stubs, "get_item", "d-2")
    _status(stubs, "d-1", "Stopped")  # an alarm stopped it; CodeDeploy rolled its alias back
    stubs["codedeploy"].add_response("stop_deployment", {}, {"deploymentId": "d-2", "autoRollbackEnabled": True})
    assert not aws.shift(REGION, Release("new", aws.versions.parent), lambda _: None)


def test_restore_puts_the_aliases_back_and_reapplies_the_previous_pin(
    backend: tuple[AwsBackend, dict[str, Stubber]], tmp_path: Path
) -> None:
    aws, stubs = backend
    aws.versions.write_text(json.dumps({REGION: {"list_items": "1", "get_item": "1"}}))
    for op in ("list_items", "get_item"):
        expected = {"FunctionName": f"kit-{op}", "Name": "live", "FunctionVersion": "1", "RoutingConfig": {}}
        stubs["lambda"].add_response("update_alias", {}, expected)
    aws.restore(REGION, None)
    assert "apply -auto-approve -input=false" in (tmp_path / "calls").read_text()


def test_alarms_are_the_deployment_groups_alarms_in_alarm_state(backend: tuple[AwsBackend, dict[str, Stubber]]) -> None:
    aws, stubs = backend
    expected = {"AlarmNames": OUTPUTS[REGION]["alarms"], "StateValue": "ALARM"}
    stubs["cloudwatch"].add_response(
        "describe_alarms", {"MetricAlarms": [{"AlarmName": "kit-us-east-1-5xx-rate"}]}, expected
    )
    assert aws.alarms(REGION) == ["kit-us-east-1-5xx-rate"]


def test_stage_records_the_aliases_pins_the_region_and_waits_for_active_versions(
    backend: tuple[AwsBackend, dict[str, Stubber]], tmp_path: Path
) -> None:
    aws, stubs = backend
    for op in ("list_items", "get_item"):
        _alias(stubs, op, "1")
    # the provider does not wait for a new version (hashicorp/terraform-provider-aws#42693): make release does
    for op in ("list_items", "get_item"):
        expected = {"FunctionName": f"kit-{op}", "Qualifier": "2"}
        stubs["lambda"].add_response("get_function_configuration", {"State": "Pending"}, expected)
        stubs["lambda"].add_response("get_function_configuration", {"State": "Active"}, expected)
    release = Release("abc", tmp_path / "releases" / "abc")
    aws.waiter_delay = 0
    aws.stage(REGION, release)
    assert aws.previous_versions == {REGION: {"list_items": "1", "get_item": "1"}}
    pins = json.loads(aws.tfvars.read_text())["release"]["regions"]
    assert pins[REGION].endswith("releases/abc")
    assert "apply -auto-approve -input=false" in (tmp_path / "calls").read_text()


def test_stage_records_the_release_each_region_served_before(
    backend: tuple[AwsBackend, dict[str, Stubber]], tmp_path: Path
) -> None:
    # GIVEN the region pinned to an older release
    aws, stubs = backend
    aws.tfvars.write_text(json.dumps({"release": {"regions": {REGION: "../old"}}}))
    for op in ("list_items", "get_item"):
        _alias(stubs, op, "1")
    for op in ("list_items", "get_item"):
        stubs["lambda"].add_response(
            "get_function_configuration", {"State": "Active"}, {"FunctionName": f"kit-{op}", "Qualifier": "2"}
        )
    aws.waiter_delay = 0
    # WHEN the newer one is staged there
    aws.stage(REGION, Release("abc", tmp_path / "releases" / "abc"))
    # THEN Terraform is told the older one may still serve there (its grants stay in the shared roles)
    release = json.loads(aws.tfvars.read_text())["release"]
    assert release["previous"] == {REGION: "../old"}
    assert release["regions"][REGION].endswith("releases/abc")


@pytest.mark.parametrize(
    ("state", "state_code", "plan_code", "expected"),
    [
        # terraform 1.x `state list` without a state file: "No state file was found!" on stderr, exit 1
        ("", 1, 0, None),
        ("", 0, 0, None),
        ("module.api.x\n", 0, 0, True),
        ("module.api.x\n", 0, 2, False),
    ],
)
def test_deployed_tells_an_empty_state_a_matching_tree_and_a_changed_one(
    tmp_path: Path, state: str, state_code: int, plan_code: int, expected: bool | None
) -> None:
    terraform = tmp_path / "terraform"
    terraform.write_text(
        f"#!{sys.executable}\nimport sys\n"
        f"if 'state' in sys.argv:\n"
        f"    print({state!r}, end='')\n"
        f"    print('No state file was found!' if {state_code} else '', file=sys.stderr)\n"
        f"    sys.exit({state_code})\n"
        f"sys.exit({plan_code} if 'plan' in sys.argv else 0)\n"
    )
    terraform.chmod(0o755)
    aws = AwsBackend(str(terraform), tfvars=tmp_path / "t.json", versions=tmp_path / "v.json")
    assert aws.deployed() is expected
