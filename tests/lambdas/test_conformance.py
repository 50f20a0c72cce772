"""Every status code the contract declares for every operation, produced by the handler and checked
against the schema the contract gives it (the `api` fixture checks every response it sees).

The matrix is read from api/openapi.json: an operation or status added to the contract without a
scenario fails, and so does a handler answering a status the contract does not declare. The generic
scenarios below cover most statuses (an operation's sample event comes from its contract entry when
tests/events has none); a handler's own test module declares what only it knows as
`CONFORMANCE = {status: scenario}` (a scenario takes api, stack, monkeypatch and returns the event),
so adding an endpoint needs no edit here.
"""

import functools
import importlib.util
import json
from pathlib import Path

import pytest

from lambdas import aws
from lambdas.contract_types import INPUTS

ROOT = Path(__file__).parents[2]
DOCUMENT = json.loads((ROOT / "api" / "openapi.json").read_text())
DECLARED = sorted(
    (operation["operationId"], int(status))
    for item in DOCUMENT["paths"].values()
    for operation in item.values()
    if isinstance(operation, dict) and "operationId" in operation
    for status in operation["responses"]
)
GATEWAY_ONLY = {413, 429}  # only the gateway throttles and refuses bodies over 10 MB
# No parameters and no body: only the gateway can answer 400 (BAD_REQUEST_*).
NO_INPUT_400 = {
    operation["operationId"]
    for item in DOCUMENT["paths"].values()
    for operation in item.values()
    if isinstance(operation, dict) and not operation.get("parameters") and "requestBody" not in operation
}
HANDLER_TESTS = Path(__file__).parent / "handlers"
# The generic 500 and 503 break the table or the region's endpoints: only a handler that calls AWS (its declared
# `access`) can answer them; for one that does not, only the gateway does (DEFAULT_5XX), unless its test declares how.
DEPENDENCY_FAILURES = {500, 503}
CALLS_AWS = {
    operation_id
    for operation_id, spec in json.loads((ROOT / "api" / "routes.json").read_text())["operations"].items()
    if spec["access"]
}


@functools.cache
def declared_scenarios(operation_id):
    """`CONFORMANCE` of tests/lambdas/handlers/test_<operation_id>.py, if it declares one."""
    path = HANDLER_TESTS / f"test_{operation_id}.py"
    if not path.is_file():
        return {}
    spec = importlib.util.spec_from_file_location(f"conformance_{operation_id}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, "CONFORMANCE", {})


def _gateway_only(operation_id, status):
    if status in declared_scenarios(operation_id):
        return False
    no_dependency = status in DEPENDENCY_FAILURES and operation_id not in CALLS_AWS
    return status in GATEWAY_ONLY or (status == 400 and operation_id in NO_INPUT_400) or no_dependency


MATRIX = [(op, status) for op, status in DECLARED if not _gateway_only(op, status)]
RETRY_AFTER = {
    operation["operationId"]
    for item in DOCUMENT["paths"].values()
    for operation in item.values()
    if isinstance(operation, dict) and "Retry-After" in operation.get("responses", {}).get("503", {}).get("headers", {})
}


def break_table(api, stack, monkeypatch):
    stack.dynamodb.delete_table(TableName=stack.table_name)


def ok(operation_id):
    """The sample event: path parameters, query parameters and headers its rules accept (tests/conftest.py)."""
    return lambda api, stack, monkeypatch: api.event(operation_id)


def success(operation_id):
    """The operation's own 200/201 scenario if its test declares one (it knows what must exist), else `ok`."""
    declared = declared_scenarios(operation_id)
    return declared.get(200) or declared.get(201) or ok(operation_id)


def bad_request(operation_id):
    return lambda api, stack, monkeypatch: generic_bad_request(api, operation_id)


def generic_bad_request(api, operation_id):
    """A 400 for any operation, from its input rules: a body that is not JSON, else a parameter the rules refuse
    (text where a number belongs, one character over maxLength, or `~` against a pattern, enum or format)."""
    rules = INPUTS[operation_id]
    if rules["body"] is not None:
        return api.event(operation_id, raw_body="{")
    for location in ("path", "query"):
        for name, schema in ((rules[location] or {}).get("properties") or {}).items():
            if schema.get("type") in ("integer", "number", "boolean"):
                return api.event(operation_id, **{location: {name: "not-a-number"}})
            if {"pattern", "format", "enum", "maxLength"} & set(schema):
                return api.event(operation_id, **{location: {name: "~" * (schema.get("maxLength", 0) + 1)}})
    return pytest.fail(f"{operation_id}: no 400 scenario: {_HOW}")


_HOW = "declare CONFORMANCE = {400: scenario} in its handler test module (see this module's docstring)"


def unauthorized(operation_id):
    return lambda api, stack, monkeypatch: api.event(operation_id, sub=None)


def forbidden(operation_id):
    return lambda api, stack, monkeypatch: api.event(operation_id, scopes=["api/unrelated"])


def not_found(operation_id):
    """The sample event on an empty table: the thing its path names does not exist yet."""
    return lambda api, stack, monkeypatch: api.event(operation_id)


def internal_error(operation_id):
    def scenario(api, stack, monkeypatch):
        event = success(operation_id)(api, stack, monkeypatch)
        break_table(api, stack, monkeypatch)
        aws.reset()
        return event

    return scenario


def unavailable(operation_id):
    def scenario(api, stack, monkeypatch):
        event = success(operation_id)(api, stack, monkeypatch)
        # Neither the serving region's table nor the home region's answers (a closed port): a regional outage.
        serving = aws.settings().region.upper().replace("-", "_")
        monkeypatch.setenv("HOME_REGION", "eu-west-1")
        monkeypatch.setenv("DYNAMODB_ENDPOINT_EU_WEST_1", "http://127.0.0.1:9")
        monkeypatch.setenv(f"DYNAMODB_ENDPOINT_{serving}", "http://127.0.0.1:9")
        aws.reset()
        return event

    return scenario


# No generic 409: only the handler's test knows what conflicts (CONFORMANCE = {409: scenario}).
SCENARIOS = {200: ok, 201: ok, 400: bad_request, 401: unauthorized, 403: forbidden, 404: not_found}
SCENARIOS |= {500: internal_error, 503: unavailable}


@pytest.mark.parametrize(("operation_id", "status"), MATRIX, ids=[f"{op}-{status}" for op, status in MATRIX])
def test_conformance_handler_answers_every_declared_status_as_declared(api, stack, monkeypatch, operation_id, status):
    scenario = declared_scenarios(operation_id).get(status) or (status in SCENARIOS and SCENARIOS[status](operation_id))
    assert scenario, f"no scenario produces {operation_id} {status}: declare it in CONFORMANCE of its handler test"
    event = scenario(api, stack, monkeypatch)

    result = api.call(operation_id, event)  # checks the body against the contract for (operation, status)

    assert result.status == status
    if status == 503 and operation_id in RETRY_AFTER:  # every 503 the contract gives Retry-After carries it
        assert int(result.headers["Retry-After"]) >= 1


def test_conformance_statuses_left_out_are_answered_by_the_gateway():
    # What the handlers never answer must be a gateway response of the deployable document, in the Error body.
    deployable = json.loads((ROOT / "api" / "openapi.aws.json").read_text())
    gateway = {
        int(r["statusCode"]) for r in deployable["x-amazon-apigateway-gateway-responses"].values() if "statusCode" in r
    }
    shapes_5xx = "DEFAULT_5XX" in deployable["x-amazon-apigateway-gateway-responses"]
    left_out = {status for op, status in DECLARED if _gateway_only(op, status)}

    assert left_out <= GATEWAY_ONLY | {400} | DEPENDENCY_FAILURES
    assert {413, 429} <= left_out
    # 413 is API Gateway's own REQUEST_TOO_LARGE, which no gateway response may shape (documented as such);
    # a 500 or 503 of a function that calls no AWS service is the gateway's own (Lambda failing or throttled).
    assert all(status in gateway or (status >= 500 and shapes_5xx) for status in left_out - {413})


def test_conformance_matrix_covers_every_operation():
    routes = json.loads((ROOT / "api" / "routes.json").read_text())["operations"]

    assert {operation_id for operation_id, _ in MATRIX} == set(routes)
