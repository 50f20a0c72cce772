"""Fixtures for the handler tests: a clean runtime per test, and `api`, which calls a handler with a
real API Gateway proxy event and checks every response against the generated contract (api/openapi.json)
for that operation and status code."""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests
from jsonschema import FormatChecker
from openapi_schema_validator import OAS30Validator

from lambdas import aws
from lambdas.runtime import log as runtime_log
from tests.lambdas import aws_calls

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

ROOT = Path(__file__).parents[2]
OPENAPI = ROOT / "api" / "openapi.json"
SUB = "7d1c0f1e-8f3a-4c2b-9e1d-0a1b2c3d4e5f"
OTHER_SUB = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"
_UNSET: Any = object()

_formats = FormatChecker()


@_formats.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
        raise ValueError(f"{value!r} is not an RFC 3339 date-time")
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


def _closed(node: Any) -> Any:
    """The schema with additionalProperties false on every object: a handler may not add undeclared fields."""
    if isinstance(node, list):
        return [_closed(entry) for entry in node]
    if not isinstance(node, dict):
        return node
    node = {key: _closed(value) for key, value in node.items()}
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    return node


def _field(path: Iterable[str | int]) -> str:
    """Where in the body an error is, named as the handlers name fields: `body.items[0].name`."""
    return "body" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)


class Contract:
    """The public OpenAPI document: which statuses each operation declares, and their body schemas."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.components = _closed(document["components"])
        self.operations = {
            operation["operationId"]: operation
            for item in document["paths"].values()
            for operation in item.values()
            if isinstance(operation, dict) and "operationId" in operation
        }
        self.seen: set[tuple[str, int]] = set()

    def statuses(self, operation_id: str) -> list[int]:
        """The status codes `operation_id` declares."""
        return sorted(int(status) for status in self.operations[operation_id]["responses"])

    def check(self, operation_id: str, response: dict[str, Any]) -> Any:
        """The decoded body of `response`, after failing the test unless the contract allows it."""
        assert operation_id in self.operations, f"{operation_id} is not an operation of the contract"
        status = response["statusCode"]
        declared = self.operations[operation_id]["responses"]
        assert str(status) in declared, f"{operation_id} answered {status}, which the contract does not declare"
        headers = response["headers"]
        assert headers["Content-Type"] == "application/json"
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert response.get("isBase64Encoded") in (None, False)
        # The python3.12+ runtime sends the result as UTF-8 without escapes (awslambdaric's marshaller):
        # a body it cannot encode fails the invocation (502).
        json.dumps(response, ensure_ascii=False).encode()
        body = json.loads(response["body"])
        schema = declared[str(status)]["content"]["application/json"]["schema"]
        # OpenAPI 3.0's own validator: draft 4 alone ignores `nullable` (and the public schema keeps it).
        validator = OAS30Validator({**schema, "components": self.components}, format_checker=_formats)
        errors = sorted(validator.iter_errors(body), key=lambda error: [str(part) for part in error.absolute_path])
        found = [f"{_field(error.absolute_path)}: {error.message}" for error in errors]
        assert not found, f"{operation_id} {status}: body breaks the contract: {found}"
        self.seen.add((operation_id, status))
        return body


@pytest.fixture(scope="session")
def contract() -> Contract:
    """The generated contract (run `make swagger` first)."""
    return Contract(json.loads(OPENAPI.read_text()))


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """One moto server for the session: the handlers' client speaks HTTP, which an in-process mock_aws
    (it patches botocore) would not see."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def moto(aws_credentials: None, moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every AWS call (the handlers' client and the tests' boto3) goes to a freshly reset moto server."""
    requests.post(moto_server + "/moto-api/reset", timeout=10).raise_for_status()
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    yield


@pytest.fixture(autouse=True)
def _fresh_runtime(aws_credentials: None) -> Iterator[None]:
    """Every test starts with no cached settings, clients or secrets, and an empty log context."""
    aws.reset()
    runtime_log.context.clear()
    yield
    aws.reset()


@dataclass
class LambdaContext:
    """The parts of the Lambda context object the handlers read."""

    aws_request_id: str = "5b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"
    function_name: str = "multiregion-api-test"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:multiregion-api-test"
    log_group_name: str = "/aws/lambda/multiregion-api-test"
    log_stream_name: str = "2026/11/23/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@dataclass
class Result:
    """A handler's response, decoded after the contract check."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Api:
    """Builds API Gateway proxy events from tests/events and sends them to the handlers."""

    load_event: Callable[[str], dict[str, Any]]
    contract: Contract
    sub: str = SUB
    other_sub: str = OTHER_SUB

    def event(
        self,
        operation_id: str,
        *,
        sub: str | None = SUB,
        scopes: list[str] | None = None,
        groups: list[str] | None = None,
        body: Any = _UNSET,
        raw_body: str | None = None,
        query: dict[str, str] | None = None,
        path: dict[str, str] | None = None,
        source_ip: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The sample event of `operation_id` with the given caller, body, parameters and extra headers."""
        event = self.load_event(operation_id)
        for name, value in (headers or {}).items():
            event.setdefault("headers", {})[name] = value
            event.setdefault("multiValueHeaders", {})[name] = [value]
        claims = (event["requestContext"].get("authorizer") or {}).get("claims")
        if claims is not None:
            if sub is None:
                del event["requestContext"]["authorizer"]
            else:
                claims["sub"] = claims["username"] = sub
                if scopes is not None:
                    claims["scope"] = " ".join(scopes)
                if groups is not None:  # as a REST API's authorizer passes a list claim: one string
                    claims["cognito:groups"] = "[" + ", ".join(groups) + "]"
                    if not groups:
                        del claims["cognito:groups"]
        if body is not _UNSET:
            event["body"] = json.dumps(body)
        if raw_body is not None:
            event["body"] = raw_body
        if query is not None:
            event["queryStringParameters"] = query or None
            event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()} or None
        if path is not None:
            event["pathParameters"] = path
        if source_ip is not None:
            event["requestContext"]["identity"]["sourceIp"] = source_ip
        return event

    def call(self, operation_id: str, event: dict[str, Any] | None = None, **event_args: Any) -> Result:
        """Invoke the handler of `operation_id`; the response must satisfy the contract."""
        handler = importlib.import_module(f"lambdas.handlers.{operation_id}").handler
        event = event if event is not None else self.event(operation_id, **event_args)
        with aws_calls.recording(operation_id):
            response = handler(event, LambdaContext())
        body = self.contract.check(operation_id, response)
        return Result(response["statusCode"], body, response["headers"])


@pytest.fixture
def api(load_event: Callable[[str], dict[str, Any]], contract: Contract) -> Api:
    """Call handlers with proxy events; every response is checked against the contract."""
    return Api(load_event, contract)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Hand the AWS calls the handlers made to tests/lambdas/test_least_privilege.py (it runs these tests)."""
    aws_calls.dump()
