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
import hypothesis
import pytest
from hypothesis import strategies as st
from moto import mock_aws

from contract import examples
from lambdas.runtime.errors import BadRequestError
from lambdas.runtime.validation import check_parameters
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
    """An API Gateway REST proxy (v1) event for the operation, from its entry in api/routes.json."""
    operations = json.loads((ROOT / "api" / "routes.json").read_text())["operations"]
    if operation_id not in operations:
        raise KeyError(f"{operation_id} is not in api/routes.json (run make swagger)")
    return event_of(operations[operation_id])


def event_of(spec: dict[str, Any]) -> dict[str, Any]:
    """The proxy event of a manifest operation `spec`: method, path, each path parameter and each required query
    parameter and header with a value its input rules accept (parameter_value), the Cognito authorizer's claims
    with the declared scopes unless it is public. Shaped like tests/events/get_item.json (a recorded sample)."""
    template = json.loads((EVENTS / "get_item.json").read_text())
    inputs = spec["inputs"]
    parameters = {name: parameter_value(schema) for name, schema in _properties(inputs["path"], everyone=True)}
    path = re.sub(r"{([^}]+)}", lambda found: parameters[found[1]], spec["path"])
    context = template["requestContext"]
    context.update(httpMethod=spec["method"], resourcePath=spec["path"], path=f"/{context['stage']}{path}")
    if spec["public"]:
        context.pop("authorizer", None)
        for headers in (template["headers"], template["multiValueHeaders"]):
            headers.pop("Authorization", None)
    else:
        context["authorizer"]["claims"]["scope"] = " ".join(spec["scopes"])
    # A repeated query parameter (an array) is every value in the multi-value map, the last in the other (as sent).
    query = {
        name: value.split(",") if schema.get("type") == "array" else [value]
        for name, schema in _properties(inputs["query"])
        for value in [parameter_value(schema)]
    }
    for name, schema in _properties(inputs["header"]):
        template["headers"][name] = parameter_value(schema)
        template["multiValueHeaders"][name] = [template["headers"][name]]
    template.update(
        httpMethod=spec["method"],
        path=path,
        resource=spec["path"],
        pathParameters=parameters or None,
        queryStringParameters={name: values[-1] for name, values in query.items()} or None,
        multiValueQueryStringParameters=query or None,
        body=None,
    )
    return template  # type: ignore[no-any-return]


def _properties(rules: dict[str, Any] | None, *, everyone: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """The parameters of one location's input rules: the required ones, or all of them (`everyone`)."""
    if rules is None:
        return []
    required = set(rules.get("required", ()))
    return [(name, schema) for name, schema in rules["properties"].items() if everyone or name in required]


def parameter_value(schema: dict[str, Any]) -> str:
    """A parameter's text that the handler's input rules (lambdas/runtime/validation.py) accept: the example the
    contract invents (enum, bounds, format), else for a pattern the simplest string hypothesis finds for it
    (shrunk, so the same every run); an array is its items comma-separated (OpenAPI's simple style)."""
    if schema.get("type") == "array":
        item = parameter_value(schema.get("items", {}))
        return ",".join([item] * max(1, schema.get("minItems", 1)))

    def accepted(text: str) -> bool:
        try:
            check_parameters({"properties": {"p": schema}}, {"p": text}, "path")
        except BadRequestError:
            return False
        return True

    invented = examples.invent(schema, {})
    if invented is not None:
        text = json.dumps(invented) if isinstance(invented, bool) else str(invented)
        if accepted(text):
            return text
    strategy = st.from_regex(schema.get("pattern", ".*"), fullmatch=True)
    # derandomize: a fixed seed, so every run (and every machine) sends the same value
    fixed = hypothesis.settings(database=None, derandomize=True)
    try:
        return str(hypothesis.find(strategy, accepted, settings=fixed))
    except (hypothesis.errors.NoSuchExample, hypothesis.errors.Unsatisfiable):
        raise ValueError(f"no value satisfies {schema}: record a sample event in tests/events") from None


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
    for name in ("AWS_PROFILE", "AWS_SDK_UA_APP_ID"):  # a developer's shell may set them; the client refuses them
        monkeypatch.delenv(name, raising=False)


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
