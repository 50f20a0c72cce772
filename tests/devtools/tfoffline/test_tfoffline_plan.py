"""What the stand-in plans, applies and reads, against the real pinned schemas."""

from __future__ import annotations

import io
import json
import zipfile
from typing import TYPE_CHECKING, Any

import pytest

from devtools.tfoffline import datasources, schema
from devtools.tfoffline.cty import UNKNOWN, is_known
from devtools.tfoffline.plan import Context, apply_resource, plan_resource

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="module")
def aws() -> schema.ProviderSchema:
    return schema.load("aws")


def _config(block: dict[str, Any], **values: Any) -> dict[str, Any]:
    """A configuration value: every attribute and block null or empty except the given ones."""
    empty: dict[str, Any] = dict.fromkeys(block["attributes"])
    for name, nested in block["block_types"].items():
        empty[name] = None if nested["nesting_mode"] == "single" else []
    return {**empty, **values}


def test_plan_create_leaves_unset_computed_attributes_unknown(aws: schema.ProviderSchema) -> None:
    block = aws.resource("aws_lambda_function")["block"]
    planned = plan_resource(block, None, _config(block, function_name="f", role="r"), Context(region="eu-west-1"))
    assert planned["arn"] is UNKNOWN
    assert planned["function_name"] == "f"
    assert planned["description"] is None  # optional, not computed: stays null


def test_plan_create_knows_region_and_tags_all(aws: schema.ProviderSchema) -> None:
    block = aws.resource("aws_lambda_function")["block"]
    ctx = Context(region="eu-west-1", default_tags={"app": "x", "env": "a"})
    planned = plan_resource(block, None, _config(block, function_name="f", tags={"env": "b"}), ctx)
    assert planned["region"] == "eu-west-1"
    assert planned["tags_all"] == {"app": "x", "env": "b"}


def test_plan_keeps_a_configured_region(aws: schema.ProviderSchema) -> None:
    block = aws.resource("aws_sns_topic")["block"]
    planned = plan_resource(block, None, _config(block, name="t", region="ap-northeast-3"), Context())
    assert planned["region"] == "ap-northeast-3"


def test_plan_marks_computed_attributes_of_nested_blocks_unknown(aws: schema.ProviderSchema) -> None:
    block = aws.resource("aws_dynamodb_table")["block"]
    replica = _config(block["block_types"]["replica"]["block"], region_name="us-west-2")
    planned = plan_resource(block, None, _config(block, name="t", replica=[replica]), Context())
    assert planned["replica"][0]["arn"] is UNKNOWN
    assert planned["replica"][0]["region_name"] == "us-west-2"


def test_plan_nulls_write_only_attributes(aws: schema.ProviderSchema) -> None:
    block = aws.resource("aws_secretsmanager_secret_version")["block"]
    planned = plan_resource(block, None, _config(block, secret_id="s", secret_string_wo="hush"), Context())
    assert planned["secret_string_wo"] is None


def test_plan_of_a_destroy_is_null(aws: schema.ProviderSchema) -> None:
    block = aws.resource("aws_sns_topic")["block"]
    assert plan_resource(block, _config(block, name="t"), None, Context()) is None


def test_apply_fills_every_unknown_with_a_plausible_value(aws: schema.ProviderSchema) -> None:
    block = aws.resource("aws_lambda_function")["block"]
    ctx = Context(region="eu-west-1")
    planned = plan_resource(block, None, _config(block, function_name="orders"), ctx)
    applied = apply_resource("aws_lambda_function", block, planned, ctx)
    assert is_known(applied)
    assert applied["arn"] == "arn:aws:lambda:eu-west-1:123456789012:function/orders"
    assert applied["invoke_arn"] == (
        "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:eu-west-1:123456789012:function/orders/invocations"
    )


def test_apply_gives_each_lambda_alias_its_qualified_function_arn(aws: schema.ProviderSchema) -> None:
    block = aws.resource("aws_lambda_alias")["block"]
    ctx = Context(region="eu-west-1")
    planned = plan_resource(block, None, _config(block, name="live", function_name="orders"), ctx)
    applied = apply_resource("aws_lambda_alias", block, planned, ctx)
    assert applied["arn"] == "arn:aws:lambda:eu-west-1:123456789012:function:orders:live"
    assert applied["invoke_arn"] == (
        "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:eu-west-1:123456789012:function:orders:live/invocations"
    )


def test_apply_gives_acm_certificates_validation_records(aws: schema.ProviderSchema) -> None:
    block = aws.resource("aws_acm_certificate")["block"]
    planned = plan_resource(block, None, _config(block, domain_name="api.example.com"), Context())
    applied = apply_resource("aws_acm_certificate", block, planned, Context())
    (option,) = applied["domain_validation_options"]
    assert option["domain_name"] == "api.example.com"
    assert option["resource_record_type"] == "CNAME"


def test_policy_document_renders_statements_like_the_provider(aws: schema.ProviderSchema) -> None:
    block = aws.data_source("aws_iam_policy_document")["block"]
    statement_block = block["block_types"]["statement"]["block"]
    principal_block = statement_block["block_types"]["principals"]["block"]
    statement = _config(
        statement_block,
        sid="Read",
        actions=["dynamodb:GetItem", "dynamodb:Query"],
        resources=["arn:aws:dynamodb:us-east-1:123456789012:table/t"],
        principals=[_config(principal_block, type="Service", identifiers=["lambda.amazonaws.com"])],
    )
    state = datasources.read("aws_iam_policy_document", block, _config(block, statement=[statement]), Context())
    assert json.loads(state["json"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Read",
                "Effect": "Allow",
                "Action": ["dynamodb:Query", "dynamodb:GetItem"],
                "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/t",
                "Principal": {"Service": "lambda.amazonaws.com"},
            }
        ],
    }
    assert json.loads(state["minified_json"]) == json.loads(state["json"])


def test_caller_identity_and_partition_are_answered(aws: schema.ProviderSchema) -> None:
    ctx = Context()
    identity = datasources.read("aws_caller_identity", aws.data_source("aws_caller_identity")["block"], {}, ctx)
    partition = datasources.read("aws_partition", aws.data_source("aws_partition")["block"], {}, ctx)
    assert identity["account_id"] == "123456789012"
    assert (partition["partition"], partition["dns_suffix"]) == ("aws", "amazonaws.com")


def test_archive_file_builds_a_real_zip(tmp_path: Path) -> None:
    block = schema.load("archive").data_source("archive_file")["block"]
    source = tmp_path / "src"
    (source / "pkg").mkdir(parents=True)
    (source / "pkg" / "app.py").write_text("print('hi')\n")
    (source / "skip.txt").write_text("no\n")
    output = tmp_path / "out" / "app.zip"
    config = _config(block, type="zip", source_dir=str(source), output_path=str(output), excludes=["skip.txt"])
    state = datasources.read("archive_file", block, config, Context())
    with zipfile.ZipFile(io.BytesIO(output.read_bytes())) as zf:
        assert zf.namelist() == ["pkg/app.py"]
    assert state["output_size"] == output.stat().st_size
    assert state["id"] == state["output_sha"]
    # the same input gives the same bytes (fixed timestamps), like the real provider
    again = datasources.read("archive_file", block, config, Context())
    assert again["output_base64sha256"] == state["output_base64sha256"]


def test_plan_update_keeps_prior_computed_values_and_recomputes_tags_all(aws: schema.ProviderSchema) -> None:
    # GIVEN an applied topic whose tags change (Terraform proposes the prior computed values)
    block = aws.resource("aws_sns_topic")["block"]
    ctx = Context(default_tags={"app": "x"})
    prior = apply_resource("aws_sns_topic", block, plan_resource(block, None, _config(block, name="t"), ctx), ctx)
    proposed = {**prior, "tags": {"team": "y"}}
    planned = plan_resource(block, prior, proposed, ctx)
    assert planned["arn"] == prior["arn"]
    assert planned["tags_all"] == {"app": "x", "team": "y"}
