"""Least privilege of the function roles, derived from the contract's declared data access.

The statements of data.aws_iam_policy_document.function are evaluated by Terraform itself for
every operation of the real manifest: the data source is rewritten as a for expression over
local.functions (each.value -> v, statement.value -> s), next to the module's own locals and
variables, with placeholder ARNs where the real ones come from resources.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from devtools import hcl
from tests.terraform.conftest import TRIGGER
from tools import tfcheck

if TYPE_CHECKING:
    from devtools.hcl import Block

GLOBAL = tfcheck.TERRAFORM_DIR / "modules" / "global"
ACCOUNT = "123456789012"
REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]
# Values that come from data sources and resources in the module, fixed for the evaluation.
STAND_INS = {
    "account_id": f'"{ACCOUNT}"',
    "partition": '"aws"',
    "dns_suffix": '"amazonaws.com"',
    "kms_key_arns": f'{{ for region in var.regions : region => "arn:aws:kms:${{region}}:{ACCOUNT}:key/mrk-0" }}',
    "secret_arns": (
        f'{{ for region in var.regions : region => "arn:aws:secretsmanager:${{region}}:{ACCOUNT}:secret:x-AbCdEf" }}'
    ),
}
XRAY_ACTIONS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def _substitute(expr: str) -> str:
    expr = re.sub(r"\beach\.value\b", "v", expr)
    expr = re.sub(r"\beach\.key\b", "k", expr)
    return re.sub(r"\bstatement\.value\b", "s", expr)


def _statement(block: Block) -> str:
    fields = [f"{name} = {_substitute(block.attributes[name])}" for name in ("sid", "actions", "resources")]
    conditions = [
        "{ " + ", ".join(f"{key} = {_substitute(value)}" for key, value in condition.attributes.items()) + " }"
        for condition in block.blocks
        if condition.kind == "condition"
    ]
    return "{ " + ", ".join([*fields, f"conditions = [{', '.join(conditions)}]"]) + " }"


def policies(
    operations: dict[str, Any],
    regions: list[str],
    table: dict[str, Any] | None = None,
    resources: dict[str, Any] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """operation_id => statements of its function policy, as Terraform evaluates them (`resources`: the variable
    that maps the team's resources its calls name to their ARNs; its validations run too)."""
    blocks = hcl.blocks(GLOBAL)
    main_locals = next(b for b in hcl.blocks(GLOBAL / "main.tf") if b.kind == "locals").attributes
    iam_locals = next(b for b in hcl.blocks(GLOBAL / "iam.tf") if b.kind == "locals")
    stand_ins = {**{name: main_locals[name] for name in ("table_name", "table_arns")}, **STAND_INS}
    locals_text = "locals {\n" + "\n".join(f"  {name} = {expr}" for name, expr in stand_ins.items()) + "\n}"

    document = hcl.find(blocks, "data", "aws_iam_policy_document", "function")
    parts = []
    for sub in document.blocks:
        if sub.kind == "statement":
            parts.append(f"[{_statement(sub)}]")
        elif sub.kind == "dynamic" and sub.labels == ["statement"]:
            for_each = _substitute(sub.attributes["for_each"])
            parts.append(f"[for s in {for_each} : {_statement(sub.block('content'))}]")
    expression = f"{{ for k, v in local.functions : k => concat({', '.join(parts)}) }}"

    variables = [block.text for block in blocks if block.kind == "variable"]
    values = {**_values(operations, regions, table), "resources": resources or {}}
    return hcl.evaluate([*variables, iam_locals.text, locals_text], values, {"policies": expression})["policies"]


def _values(operations: dict[str, Any], regions: list[str], table: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": "kit",
        "regions": regions,
        "primary_region": regions[0],
        "operations": operations,
        "resource_server": {"identifier": "api", "scopes": {}},
        "table": table or {},
        "pre_token_generation": TRIGGER,
    }


def trigger_policy(regions: list[str]) -> list[dict[str, Any]]:
    """The statements of the pre token generation trigger's policy (trigger.tf), as Terraform evaluates them."""
    blocks = hcl.blocks(GLOBAL)
    trigger_locals = next(b for b in hcl.blocks(GLOBAL / "trigger.tf") if b.kind == "locals")
    locals_text = (
        "locals {\n" + "\n".join(f"  {name} = {STAND_INS[name]}" for name in ("account_id", "partition")) + "\n}"
    )
    document = hcl.find(blocks, "data", "aws_iam_policy_document", "pre_token_generation")
    expression = (
        "concat(" + ", ".join(f"[{_statement(sub)}]" for sub in document.blocks if sub.kind == "statement") + ")"
    )
    variables = [block.text for block in blocks if block.kind == "variable"]
    sources = [*variables, trigger_locals.text, locals_text]
    statements: list[dict[str, Any]] = hcl.evaluate(sources, _values({}, regions), {"policy": expression})["policy"]
    return statements


@pytest.fixture(scope="module")
def evaluated(routes: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return policies(routes["operations"], REGIONS)


def test_every_operation_gets_its_own_policy(routes: dict[str, Any], evaluated: dict[str, Any]) -> None:
    assert sorted(evaluated) == sorted(routes["operations"])


def test_no_action_is_a_wildcard(evaluated: dict[str, list[dict[str, Any]]]) -> None:
    for operation_id, statements in evaluated.items():
        for statement in statements:
            assert not [action for action in statement["actions"] if "*" in action], operation_id


def test_wildcard_resource_only_for_xray(evaluated: dict[str, list[dict[str, Any]]]) -> None:
    for statements in evaluated.values():
        for statement in statements:
            if "*" in statement["resources"]:
                assert statement["resources"] == ["*"]
                assert set(statement["actions"]) == XRAY_ACTIONS


def table_grants(statements: list[dict[str, Any]]) -> dict[str, set[tuple[str, str | None]]]:
    """action => {(replica region, region of the only function allowed, None: any)} granted for it."""
    grants: dict[str, set[tuple[str, str | None]]] = {}
    for statement in statements:
        if not any(action.startswith("dynamodb:") for action in statement["actions"]):
            continue
        functions = [c["values"] for c in statement["conditions"] if c["variable"] == "lambda:SourceFunctionArn"]
        assert [c["test"] for c in statement["conditions"]] == ["ArnLike"] * len(functions)
        caller = functions[0][0].split(":")[3] if functions else None
        for resource in statement["resources"]:
            for action in statement["actions"]:
                grants.setdefault(action, set()).add((resource.split(":")[3], caller))
    return grants


def test_table_actions_are_the_declared_ones(routes: dict[str, Any], evaluated: dict[str, Any]) -> None:
    for operation_id, spec in routes["operations"].items():
        expected = {a for a in spec["access"] if a.startswith("dynamodb:")}
        assert set(table_grants(evaluated[operation_id])) == expected, operation_id


def test_home_region_actions_only_on_the_home_replicas_others_only_in_their_region(
    routes: dict[str, Any], evaluated: dict[str, Any]
) -> None:
    for operation_id, spec in routes["operations"].items():
        # the primary's replica, or any region's when each entity has its own home (write to your Region)
        homes = REGIONS if spec["grants"]["EVENTUAL"]["home_replicas"] == "entity" else REGIONS[:1]
        grants = table_grants(evaluated[operation_id])
        for action, where in grants.items():
            eventual = spec["grants"]["EVENTUAL"]
            expected = {(region, region) for region in REGIONS} if action in eventual["serving_table"] else set()
            if action in eventual["home_table"]:
                expected |= {(home, None) for home in homes}  # called from every region's function
            assert where == expected, (operation_id, action)
        for statement in evaluated[operation_id]:
            functions = [c["values"] for c in statement["conditions"] if c["variable"] == "lambda:SourceFunctionArn"]
            if functions:
                region = statement["resources"][0].split(":")[3]
                arn = f"arn:aws:lambda:{region}:{ACCOUNT}:function:kit-{operation_id}"
                assert functions == [[arn, f"{arn}:*"]]  # the bare ARN, or qualified by an alias or version


def test_strong_table_grants_no_cross_region_access(routes: dict[str, Any]) -> None:
    # GIVEN a STRONG (MRSC) table: home-region operations run in the serving region's replica
    regions = ["us-east-1", "us-east-2", "us-west-2"]
    strong = policies(routes["operations"], regions, {"consistency_mode": "STRONG"})
    for operation_id, spec in routes["operations"].items():
        grants = table_grants(strong[operation_id])
        # THEN every table action is granted on each replica to that region's function only
        assert set(grants) == {a for a in spec["access"] if a.startswith("dynamodb:")}, operation_id
        for action, where in grants.items():
            assert where == {(region, region) for region in regions}, (operation_id, action)


def test_secret_is_usable_only_as_declared(routes: dict[str, Any], evaluated: dict[str, Any]) -> None:
    for operation_id, spec in routes["operations"].items():
        statements = evaluated[operation_id]
        granted = {a for s in statements for a in s["actions"] if a.startswith("secretsmanager:")}
        via_secrets_manager = [
            s for s in statements for c in s["conditions"] if any(v.startswith("secretsmanager.") for v in c["values"])
        ]
        assert granted == {a for a in spec["access"] if a.startswith("secretsmanager:")}, operation_id
        # only reading the value decrypts it; DescribeSecret needs no key
        assert bool(via_secrets_manager) == ("secretsmanager:GetSecretValue" in spec["access"]), operation_id


def test_key_use_is_bound_to_the_calling_service(evaluated: dict[str, list[dict[str, Any]]]) -> None:
    for statements in evaluated.values():
        for statement in statements:
            if any(action.startswith("kms:") for action in statement["actions"]):
                conditions = {(c["test"], c["variable"]) for c in statement["conditions"]}
                assert conditions == {("StringEquals", "kms:ViaService")}
                assert set(statement["actions"]) <= {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"}


def test_logs_only_to_the_functions_own_log_group(evaluated: dict[str, list[dict[str, Any]]]) -> None:
    for operation_id, statements in evaluated.items():
        logs = [s for s in statements if any(a.startswith("logs:") for a in s["actions"])]
        assert len(logs) == 1
        assert set(logs[0]["actions"]) == {"logs:CreateLogStream", "logs:PutLogEvents"}
        assert set(logs[0]["resources"]) == {
            f"arn:aws:logs:{region}:{ACCOUNT}:log-group:/aws/lambda/kit-{operation_id}:*" for region in REGIONS
        }


def test_access_values_are_iam_actions(routes: dict[str, Any]) -> None:
    used = {access for spec in routes["operations"].values() for access in spec["access"]}
    from contract.operation import Access

    assert used <= {access.value for access in Access}
    assert all(re.fullmatch(r"(dynamodb|secretsmanager):[A-Z][A-Za-z]+", access) for access in used)


def test_unknown_access_value_is_refused(routes: dict[str, Any]) -> None:
    # GIVEN an operation declaring an access the module does not know
    operation = next(iter(routes["operations"].values()))
    broken = {"broken": {**operation, "access": ["table:delete"]}}
    # WHEN Terraform evaluates the module's variables THEN validation refuses it
    with pytest.raises(hcl.EvaluationError, match="access values must be"):
        policies(broken, REGIONS)


def test_trigger_may_write_its_own_log_group_only() -> None:
    # The pre token generation trigger calls no AWS API: logs, in the primary region, of its own group.
    (statement,) = trigger_policy(REGIONS)
    assert set(statement["actions"]) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert statement["resources"] == [
        f"arn:aws:logs:{REGIONS[0]}:{ACCOUNT}:log-group:/aws/lambda/kit-pre-token-generation:*"
    ]
    assert statement["conditions"] == []
