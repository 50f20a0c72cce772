"""The deployable document as Terraform renders it, imported into API Gateway (moto).

moto ignores authorizers, validators and gateway responses on import (those are checked on the
document itself in test_openapi.py) but builds resources, methods and integrations: every
operation must come out as a method with its Lambda proxy integration.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

import boto3
import pytest
from moto import mock_aws

from contract.build import DEPLOYABLE
from contract.routes import ROUTES

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

ACCOUNT = "123456789012"


def render(template: str, region: str) -> str:
    """What templatefile() and then API Gateway's import substitution make of the document."""
    arns = {op.operation_id: f"arn:aws:lambda:{region}:{ACCOUNT}:function:api-{op.operation_id}" for op in ROUTES}
    text = re.sub(r"(?<!\$)\$\{function_arns\.([a-z0-9_]+)\}", lambda m: arns[m.group(1)], template)
    text = text.replace("${user_pool_arn}", f"arn:aws:cognito-idp:{region}:{ACCOUNT}:userpool/{region}_abc")
    text = text.replace("$${AWS::Partition}", "aws").replace("$${AWS::Region}", region)
    assert "${" not in text
    return text


@pytest.fixture
def apigateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        yield boto3.client("apigateway", region_name="eu-west-1")


def test_every_operation_imports_with_its_integration(root: Path, apigateway: object) -> None:
    document = json.loads(render((root / DEPLOYABLE).read_text(), "eu-west-1"))
    for item in document["paths"].values():
        # moto's importer needs a uri and an httpMethod even on mock integrations (API Gateway does not).
        item["options"]["x-amazon-apigateway-integration"].update(uri="mock://preflight", httpMethod="POST")
    api = apigateway.import_rest_api(body=json.dumps(document).encode(), failOnWarnings=True)  # type: ignore[attr-defined]
    resources = apigateway.get_resources(restApiId=api["id"], embed=["methods"])["items"]  # type: ignore[attr-defined]
    methods = {(r["path"], m) for r in resources for m in r.get("resourceMethods", {})}
    for op in ROUTES:
        assert (op.path, op.method) in methods
        assert (op.path, "OPTIONS") in methods
        resource = next(r for r in resources if r["path"] == op.path)
        integration = apigateway.get_integration(  # type: ignore[attr-defined]
            restApiId=api["id"], resourceId=resource["id"], httpMethod=op.method
        )
        assert integration["type"].upper() == "AWS_PROXY"  # moto keeps the document's spelling
        assert integration["uri"].endswith(f"function:api-{op.operation_id}/invocations")
        assert integration["uri"].startswith("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/")
