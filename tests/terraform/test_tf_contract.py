"""The contract's generated files against the Terraform that consumes them.

Every operation of the deployable document must get a function and a permission, and no function
may be orphaned. The modules iterate over the route manifest, so the checks are: the manifest and
the document name the same operations, and each per-operation resource iterates over the manifest
(evaluated by Terraform itself where an expression decides).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from devtools import hcl
from tools import tfcheck

if TYPE_CHECKING:
    from devtools.hcl import Block

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}
API_VARIABLES = tfcheck.TERRAFORM_DIR / "modules" / "api" / "variables.tf"
MANIFEST = tfcheck.ROOT / "api" / "routes.json"


def lambda_operations(document: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    """operationId => (METHOD, path, integration uri) of every Lambda-proxy operation of the document."""
    found = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            integration = operation.get("x-amazon-apigateway-integration", {}) if method in HTTP_METHODS else {}
            if integration.get("type") == "aws_proxy":
                found[operation["operationId"]] = (method.upper(), path, integration["uri"])
    return found


def test_document_and_manifest_name_the_same_operations(document: dict[str, Any], routes: dict[str, Any]) -> None:
    in_document = {op: (method, path) for op, (method, path, _) in lambda_operations(document).items()}
    in_manifest = {op: (spec["method"].upper(), spec["path"]) for op, spec in routes["operations"].items()}
    assert in_document == in_manifest


def test_each_integration_invokes_its_own_function(document: dict[str, Any]) -> None:
    for operation_id, (_, _, uri) in lambda_operations(document).items():
        assert f"/functions/${{function_arns.{operation_id}}}/invocations" in uri


def test_document_uses_only_the_documented_template_variables(routes: dict[str, Any]) -> None:
    # templatefile sees `${...}`; everything API Gateway substitutes must be escaped as `$${...}`.
    text = (tfcheck.ROOT / "api" / "openapi.aws.json").read_text()
    placeholders = set(re.findall(r"(?<!\$)\$\{([^}]*)\}", text))
    allowed = {"user_pool_arn"} | {f"function_arns.{op}" for op in routes["operations"]}
    assert placeholders <= allowed
    assert "user_pool_arn" in placeholders


def test_packages_follow_operation_ids(routes: dict[str, Any]) -> None:
    for operation_id, spec in routes["operations"].items():
        assert spec["package"] == f"{operation_id}.zip"
        assert spec["handler"] == f"lambdas.handlers.{operation_id}.handler"


def test_api_module_passes_every_manifest_operation_to_both_modules(
    routes: dict[str, Any], api_blocks: list[Block]
) -> None:
    # GIVEN the api module's own locals, evaluated by Terraform on the real manifest
    locals_block = hcl.find(hcl.blocks(API_VARIABLES.parent / "main.tf"), "locals")
    values = hcl.evaluate(
        [API_VARIABLES.read_text(), locals_block.text],
        {"regions": ["us-east-1"], "routes_path": str(MANIFEST)},
        {
            "operations": "keys(local.all_operations)",
            "regional": 'keys(local.region_releases["us-east-1"].operations)',
            "resource_server": "local.routes.resource_server",
        },
    )
    assert sorted(values["operations"]) == sorted(routes["operations"])
    assert sorted(values["regional"]) == sorted(routes["operations"])
    assert values["resource_server"] == routes["resource_server"]
    # AND both modules receive exactly those operations (a region pinned to a kept release gets that
    # release's: tests/terraform/test_tf_release.py)
    assert hcl.find(api_blocks, "module", "global").attributes["operations"] == "local.all_operations"
    regional = hcl.find(api_blocks, "module", "regional")
    assert regional.attributes["operations"] == "local.region_releases[each.key].operations"


@pytest.mark.parametrize(
    ("kind", "labels"),
    [
        ("resource", ("aws_lambda_function", "this")),
        ("resource", ("aws_lambda_permission", "this")),
        ("resource", ("aws_cloudwatch_log_group", "function")),
        ("resource", ("aws_cloudwatch_metric_alarm", "throttles")),
    ],
)
def test_per_operation_resources_iterate_over_the_manifest(
    regional_blocks: list[Block], kind: str, labels: tuple[str, str]
) -> None:
    assert hcl.find(regional_blocks, kind, *labels).attributes["for_each"] == "var.operations"


def test_roles_iterate_over_the_manifest(global_blocks: list[Block]) -> None:
    # local.units: local.functions, keyed by the manifest's operations (evaluated in test_tf_iam.py), and the
    # failover canary's ("triggers.canary": no operation_id has a dot).
    for labels in (("aws_iam_role", "function"), ("aws_iam_role_policy", "function")):
        assert hcl.find(global_blocks, "resource", *labels).attributes["for_each"] == "local.units"
    units = next(block.attributes["units"] for block in global_blocks if "units" in block.attributes)
    assert units.startswith("merge(local.functions,")


def test_api_body_gets_every_function_arn(regional_blocks: list[Block]) -> None:
    body = next(b for b in regional_blocks if b.kind == "locals" and "body" in b.attributes).attributes["body"]
    assert "templatefile(var.openapi_path" in body
    assert "function_arns = local.integration_arns" in body
    # every function through its alias, SnapStart or not (terraform/tests/modules_apply.tftest.hcl)
    arns = next(b for b in regional_blocks if b.kind == "locals" and "integration_arns" in b.attributes)
    assert " ".join(arns.attributes["integration_arns"].split()) == (
        "{ for operation_id, alias in aws_lambda_alias.this : operation_id => alias.arn }"
    )
    assert "user_pool_arn = var.user_pool_arn" in body


def test_permissions_are_scoped_to_method_and_path(routes: dict[str, Any], regional_blocks: list[Block]) -> None:
    permission = hcl.find(regional_blocks, "resource", "aws_lambda_permission", "this")
    assert permission.attributes["principal"] == '"apigateway.amazonaws.com"'
    assert permission.attributes["source_arn"] == (
        '"${aws_api_gateway_rest_api.this.execution_arn}/${var.stage_name}/'
        '${upper(each.value.method)}${local.permission_paths[each.key]}"'
    )
    # The path in the ARN, computed by Terraform: each path parameter becomes `*`.
    locals_block = next(b for b in regional_blocks if b.kind == "locals" and "permission_paths" in b.attributes)
    variable = hcl.find(regional_blocks, "variable", "operations")
    values = hcl.evaluate(
        [variable.text, f"locals {{\n  permission_paths = {locals_block.attributes['permission_paths']}\n}}"],
        {"operations": routes["operations"]},
        {"paths": "local.permission_paths"},
    )
    expected = {op: re.sub(r"\{[^}/]+\}", "*", spec["path"]) for op, spec in routes["operations"].items()}
    assert values["paths"] == expected
    assert not any("{" in path for path in values["paths"].values())


def test_resource_server_declares_every_operation_scope(routes: dict[str, Any], global_blocks: list[Block]) -> None:
    server = routes["resource_server"]
    declared = {f"{server['identifier']}/{scope}" for scope in server["scopes"]}
    for spec in routes["operations"].values():
        assert set(spec["scopes"]) <= declared
    resource_server = hcl.find(global_blocks, "resource", "aws_cognito_resource_server", "this")
    assert resource_server.attributes["identifier"] == "var.resource_server.identifier"
    assert resource_server.block("dynamic", "scope").attributes["for_each"] == "var.resource_server.scopes"


def test_table_is_the_manifests_table(routes: dict[str, Any], global_blocks: list[Block]) -> None:
    # localapi and the tests create the table from the manifest's `table`: Terraform must declare the same one.
    table = routes["table"]
    this = hcl.find(global_blocks, "resource", "aws_dynamodb_table", "this")
    assert (this.attributes["hash_key"], this.attributes["range_key"]) == (
        f'"{table["partition_key"]}"',
        f'"{table["sort_key"]}"',
    )
    attributes = {b.attributes["name"]: b.attributes["type"] for b in this.blocks if b.kind == "attribute"}
    assert attributes == {f'"{table[key]}"': f'"{table["key_type"]}"' for key in ("partition_key", "sort_key")}
    assert this.attributes["stream_view_type"] == f'"{table["stream_view_type"]}"'
    assert this.block("ttl").attributes["attribute_name"] == "var.table.ttl_attribute"
    ttl_default = re.search(
        r'ttl_attribute\s*=\s*optional\(string,\s*"([^"]+)"\)', hcl.find(global_blocks, "variable", "table").text
    )
    assert ttl_default is not None and ttl_default.group(1) == table["ttl_attribute"]


def test_functions_get_the_manifests_environment(routes: dict[str, Any], regional_blocks: list[Block]) -> None:
    # GIVEN the environment block of the regional functions
    function = hcl.find(regional_blocks, "resource", "aws_lambda_function", "this")
    text = function.block("environment").attributes["variables"]
    # THEN it sets exactly the manifest's variables, each from the setting the manifest names as its source
    assigned = dict(re.findall(r"^\s*([A-Z][A-Z0-9_]*)\s*=\s*([\w.]+)\s*$", text, re.MULTILINE))
    assert {name: value.rsplit(".", 1)[-1] for name, value in assigned.items()} == {
        name: variable["source"] for name, variable in routes["environment"].items()
    }


def test_extra_environment_may_not_override_the_manifests(routes: dict[str, Any], regional_blocks: list[Block]) -> None:
    # lambda_settings.environment is merged under the kit's variables: its validation refuses every one of them.
    settings = hcl.find(regional_blocks, "variable", "lambda_settings")
    refused = next(
        b.attributes["condition"] for b in settings.blocks if "setintersection" in b.attributes.get("condition", "")
    )
    assert set(routes["environment"]) <= set(re.findall(r'"([A-Z_][A-Z0-9_]*)"', refused))


LAMBDA_SETS = {"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME"}
"""What Lambda itself puts in every function's environment (Lambda developer guide, "Defined runtime environment
variables"), which the handlers read beside the kit's."""


def test_handlers_read_the_manifests_environment(routes: dict[str, Any]) -> None:
    # The handlers' code (not the AWS client's configuration, not the user-pool trigger's) reads each variable of
    # the manifest's environment, and no other variable the kit would have to set.
    lambdas = tfcheck.ROOT / "lambdas"
    sources = [path for path in lambdas.rglob("*.py") if path.parent.name != "triggers"]
    sources = [path for path in sources if path.stem not in ("awsclient", "awscredentials", "awsconfig", "awspool")]
    literal = re.compile(
        r'(?:_required|os\.environ\.get|os\.getenv)\("([A-Z][A-Z0-9_]*)"|"([A-Z][A-Z0-9_]*)" in os\.environ'
    )
    read = {name for path in sources for match in literal.findall(path.read_text()) for name in match if name}
    assert read - LAMBDA_SETS == set(routes["environment"])
