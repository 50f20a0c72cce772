"""What modules/api's release locals give each region, evaluated by Terraform itself.

- Which document and code a region is planned from (region_releases): its release's when pinned, so a plain
  `terraform apply` of a changed tree leaves it as it is (README, "What a plain terraform apply reaches").
- Roles shared by releases (all_operations): each grants the union of its operation's grants over every kept
  release, so a region still on an older release, or a rollback to it, keeps what its handler calls. Two
  release directories whose manifests grant one operation different actions; the policy is rendered as
  modules/global iam.tf renders it (test_tf_iam).
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from devtools import hcl
from tests.terraform.test_tf_iam import policies
from tools import tfcheck

if TYPE_CHECKING:
    from pathlib import Path

API_MODULE = tfcheck.TERRAFORM_DIR / "modules" / "api"
MERGE_LOCALS = (
    "routes",
    "operations",
    "region_releases",
    "kept_operations",
    "operation_versions",
    "operation_calls",
    "all_operations",
)
REGIONS = ["us-east-1", "eu-west-1"]
SPARE_ACTIONS = ("dynamodb:Query", "dynamodb:DeleteItem", "dynamodb:UpdateItem", "dynamodb:BatchGetItem")


def release_locals(release: dict[str, Any], name: str) -> dict[str, Any]:
    """modules/api `local.<name>` for `release` (its release variable), as Terraform evaluates it."""
    main_locals = next(b for b in hcl.blocks(API_MODULE / "main.tf") if b.kind == "locals").attributes
    stand_ins = {
        "openapi_path": '"openapi.aws.json"',
        "routes_path": json.dumps(str(tfcheck.ROOT / "api" / "routes.json")),
        "package_dir": '"lambdas"',
    }
    body = {**stand_ins, **{name: main_locals[name] for name in MERGE_LOCALS}}
    locals_text = "locals {\n" + "\n".join(f"  {name} = {expr}" for name, expr in body.items()) + "\n}"
    variables = [
        hcl.find(hcl.blocks(API_MODULE / "variables.tf"), "variable", name).text for name in ("regions", "release")
    ]
    evaluated: dict[str, Any] = hcl.evaluate(
        [*variables, locals_text], {"regions": REGIONS, "release": release}, {"value": f"local.{name}"}
    )["value"]
    return evaluated


def two_releases(routes: dict[str, Any], tmp_path: Path) -> tuple[str, str, str, str, str]:
    """An operation that reads the serving replica, and an older and a newer release directory in which it is
    granted one more action each (the older one's dropped by the newer): (operation_id, old, new, both actions)."""
    operation_id = next(
        op_id for op_id, op in sorted(routes["operations"].items()) if op["grants"]["EVENTUAL"]["serving_table"]
    )
    granted = set(routes["operations"][operation_id]["grants"]["EVENTUAL"]["serving_table"])
    old_action, new_action = [action for action in SPARE_ACTIONS if action not in granted][:2]
    directories = []
    for name, action in (("old", old_action), ("new", new_action)):
        manifest = copy.deepcopy(routes)
        manifest["operations"][operation_id]["grants"]["EVENTUAL"]["serving_table"].append(action)
        (tmp_path / name).mkdir()
        (tmp_path / name / "routes.json").write_text(json.dumps(manifest))
        directories.append(str(tmp_path / name))
    return operation_id, directories[0], directories[1], old_action, new_action


def table_actions(statements: list[dict[str, Any]]) -> set[str]:
    return {action for statement in statements for action in statement["actions"] if action.startswith("dynamodb:")}


def test_a_role_grants_what_every_region_s_release_needs(routes: dict[str, Any], tmp_path: Path) -> None:
    # GIVEN the first region on the newer release and the second still on the older one
    operation_id, old, new, old_action, new_action = two_releases(routes, tmp_path)
    merged = release_locals({"regions": {REGIONS[0]: new, REGIONS[1]: old}}, "all_operations")
    # THEN the shared role's grants hold both releases' actions ...
    assert {old_action, new_action} <= set(merged[operation_id]["grants"]["EVENTUAL"]["serving_table"])
    # ... and so does the policy iam.tf renders from them
    assert {old_action, new_action} <= table_actions(policies(merged, REGIONS)[operation_id])


def test_a_role_keeps_the_grants_of_the_release_a_region_served_before(routes: dict[str, Any], tmp_path: Path) -> None:
    # GIVEN every region pinned to the newer release, one of them having served the older one (its canary
    # still sends it a share of the traffic, and a rollback goes back to it)
    operation_id, old, new, old_action, new_action = two_releases(routes, tmp_path)
    merged = release_locals({"regions": dict.fromkeys(REGIONS, new), "previous": {REGIONS[0]: old}}, "all_operations")
    assert {old_action, new_action} <= set(merged[operation_id]["grants"]["EVENTUAL"]["serving_table"])


def _call(actions: list[str]) -> dict[str, Any]:
    """A call to the team's event bus, as api/routes.json carries it (contract/calls.py)."""
    return {
        "actions": actions, "arn_format": "arn:${Partition}:events:${Region}:${Account}:event-bus/${EventBusName}",
        "arn_regex": "^arn:.*$", "environment": "ORDER_EVENTS_ARN", "key_actions": [], "regional": True,
        "resource": "order_events", "service": "events", "sid": "UseOrderEvents", "under": "",
    }  # fmt: skip


def test_a_role_keeps_every_kept_release_s_calls_under_distinct_statement_ids(
    routes: dict[str, Any], tmp_path: Path
) -> None:
    # GIVEN an operation whose call to the team's bus takes another action in the newer release
    operation_id = sorted(routes["operations"])[0]
    directories = []
    for name, actions in (("old", ["events:PutEvents"]), ("new", ["events:PutEvents", "events:DescribeEventBus"])):
        manifest = copy.deepcopy(routes)
        manifest["operations"][operation_id]["calls"] = [_call(actions)]
        (tmp_path / name).mkdir()
        (tmp_path / name / "routes.json").write_text(json.dumps(manifest))
        directories.append(str(tmp_path / name))
    # WHEN the regions serve one release each
    merged = release_locals({"regions": dict(zip(REGIONS, directories, strict=True))}, "all_operations")
    # THEN the role keeps both calls, each under its own statement id (IAM refuses a repeated Sid)
    calls = merged[operation_id]["calls"]
    assert sorted(map(tuple, (call["actions"] for call in calls))) == [
        ("events:PutEvents",),
        ("events:PutEvents", "events:DescribeEventBus"),
    ]
    assert len({call["sid"] for call in calls}) == 2


def test_one_kept_release_grants_exactly_its_own(routes: dict[str, Any]) -> None:
    merged = release_locals({}, "all_operations")
    assert sorted(merged) == sorted(routes["operations"])
    for operation_id, operation in routes["operations"].items():
        assert merged[operation_id]["grants"] == operation["grants"], operation_id
        assert merged[operation_id]["access"] == operation["access"], operation_id
        assert merged[operation_id]["table_modes"] == operation["table_modes"], operation_id
        assert merged[operation_id]["calls"] == operation.get("calls", []), operation_id


def test_a_pinned_region_keeps_its_release_s_document_whatever_the_tree_holds(tmp_path: Path) -> None:
    # GIVEN the first region pinned to a release directory, the second on none
    (tmp_path / "routes.json").write_text((tfcheck.ROOT / "api" / "routes.json").read_text())
    releases = release_locals({"regions": {REGIONS[0]: str(tmp_path)}}, "region_releases")
    # THEN the pinned region's REST API body and zips come from its release, the other's from this tree
    assert releases[REGIONS[0]]["openapi_path"] == f"{tmp_path}/openapi.aws.json"
    assert releases[REGIONS[0]]["package_dir"] == f"{tmp_path}/lambdas"
    assert releases[REGIONS[0]]["id"] == tmp_path.name
    assert releases[REGIONS[1]]["openapi_path"] == "openapi.aws.json"
    assert releases[REGIONS[1]]["id"] == "working-tree"
