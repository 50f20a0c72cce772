"""Shared fixtures: API Gateway proxy events (`load_event`) and AWS fakes (moto), nothing else.

The AWS fakes create the table and the secret exactly as the Terraform modules declare them
(docs/dev/interfaces.md): the route manifest's `table` (keys, stream, TTL attribute; tests/terraform ties it
to table.tf), on-demand, and a secret holding {"cursor_hmac_key": ...}; functions see the manifest's
`environment` (`kit_environment`).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from moto import mock_aws

from localapi.backends.stack import table_schema, table_ttl
from localapi.regional import function_environment

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from mypy_boto3_dynamodb import DynamoDBClient

ROOT = Path(__file__).parents[1]
EVENTS = Path(__file__).parent / "events"
TABLE_NAME = "multiregion-api"
SECRET_ID = "multiregion-api/cursor"
CURSOR_KEY = "test-cursor-key-0123456789abcdef"
REGION = "us-east-1"
MANIFEST: dict[str, Any] = json.loads((ROOT / "api" / "routes.json").read_text())


def kit_environment(region: str = REGION, **settings: str) -> dict[str, str]:
    """The kit's environment of every function (api/routes.json `environment`), as Terraform sets it for a
    deployment whose primary region is `region`; `settings` override a source (log_level="DEBUG")."""
    defaults = {
        "table_name": TABLE_NAME,
        "secret_name": SECRET_ID,
        "log_level": "INFO",
        "home_region": region,
        "table_consistency_mode": "EVENTUAL",
    }
    return function_environment(MANIFEST["environment"], defaults | settings)


_events: dict[str, dict[str, Any]] = {}


def read_event(name: str) -> dict[str, Any]:
    """A fresh proxy event of operation `name`: tests/events/<name>.json if there is one (a recorded
    sample), otherwise built from the operation's entry in api/routes.json (generated_event)."""
    if name not in _events:
        sample = EVENTS / f"{name}.json"
        _events[name] = json.loads(sample.read_text()) if sample.is_file() else generated_event(name)
    return copy.deepcopy(_events[name])


def generated_event(operation_id: str) -> dict[str, Any]:
    """An API Gateway REST proxy (v1) event for the operation, from the manifest: method, path (each
    {parameter} filled with "example"), the Cognito authorizer's claims with the declared scopes unless
    it is public. Shaped like tests/events/get_item.json (a recorded sample): same headers and context."""
    operations = json.loads((ROOT / "api" / "routes.json").read_text())["operations"]
    if operation_id not in operations:
        raise KeyError(f"{operation_id} is not in api/routes.json (run make swagger)")
    spec = operations[operation_id]
    template = json.loads((EVENTS / "get_item.json").read_text())
    parameters = dict.fromkeys(re.findall(r"{([^}]+)}", spec["path"]), "example")
    path = re.sub(r"{([^}]+)}", "example", spec["path"])
    context = template["requestContext"]
    context.update(httpMethod=spec["method"], resourcePath=spec["path"], path=f"/{context['stage']}{path}")
    if spec["public"]:
        context.pop("authorizer", None)
        for headers in (template["headers"], template["multiValueHeaders"]):
            headers.pop("Authorization", None)
    else:
        context["authorizer"]["claims"]["scope"] = " ".join(spec["scopes"])
    template.update(
        httpMethod=spec["method"], path=path, resource=spec["path"], pathParameters=parameters or None, body=None
    )
    return template  # type: ignore[no-any-return]


@pytest.fixture
def load_event() -> Callable[[str], dict[str, Any]]:
    """`load_event(name)`: a fresh copy of tests/events/<name>.json."""
    return read_event


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and a default region, so nothing can reach a real AWS account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",  # botocore 1.44 with moto
        "AWS_CONFIG_FILE": str(EVENTS / "missing-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(EVENTS / "missing-aws-credentials"),
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def moto(aws_credentials: None) -> Iterator[None]:
    """Every AWS call goes to moto for the duration of the test."""
    with mock_aws(config={"core": {"reset_boto3_session": False}}):
        yield


def create_table(region: str, name: str = TABLE_NAME) -> DynamoDBClient:
    """The API's table in `region`, as Terraform declares it; returns a client of that region."""
    client = boto3.client("dynamodb", region_name=region)
    client.create_table(TableName=name, **table_schema(MANIFEST["table"]))
    client.update_time_to_live(TableName=name, TimeToLiveSpecification=table_ttl(MANIFEST["table"]))
    return client


def create_secret(region: str, secret_id: str = SECRET_ID, cursor_key: str = CURSOR_KEY) -> None:
    """The API's secret in `region`."""
    boto3.client("secretsmanager", region_name=region).create_secret(
        Name=secret_id, SecretString=json.dumps({"cursor_hmac_key": cursor_key})
    )


@dataclass(frozen=True)
class Stack:
    """The AWS resources of one region, and the environment its functions see."""

    region: str
    table_name: str
    secret_id: str
    dynamodb: DynamoDBClient


@pytest.fixture
def stack(moto: None, monkeypatch: pytest.MonkeyPatch) -> Stack:
    """Table and secret in us-east-1 (moto), with the kit's environment set as Terraform sets it."""
    client = create_table(REGION)
    create_secret(REGION)
    for name, value in kit_environment().items():
        monkeypatch.setenv(name, value)
    return Stack(region=REGION, table_name=TABLE_NAME, secret_id=SECRET_ID, dynamodb=client)


@pytest.fixture
def add_region(moto: None) -> Callable[[str], DynamoDBClient]:
    """`add_region(region)`: the table and the secret in one more region (as the global table and the
    replicated secret would be); returns a DynamoDB client of that region."""

    def add(region: str) -> DynamoDBClient:
        client = create_table(region)
        create_secret(region)
        return client

    return add
