"""The local API Gateway in-process: routing, gateway responses, validation, proxy events, integration errors."""

from __future__ import annotations

import json
import shutil
import time
from typing import TYPE_CHECKING, Any

import pytest

from localapi.apigateway import document
from localapi.apigateway.events import IncomingRequest
from localapi.apigateway.gateway import Gateway, proxy_response
from localapi.cognitoidp.authorizer import AuthorizationError, Verifier

if TYPE_CHECKING:
    from pathlib import Path

TOKEN = "good-token"
SCOPES = "api/items.read api/items.write api/accounts.read api/accounts.write api/hits.write"
CLAIMS: dict[str, Any] = {
    "sub": "user-1",
    "scope": SCOPES,
    "token_use": "access",
    "exp": 1_800_000_000,
    "iat": 1_799_996_400,
}


class StubVerifier(Verifier):
    """Accepts TOKEN (with CLAIMS' scopes), refuses anything else, as the real verifier words it."""

    def __init__(self) -> None:
        pass

    def authorize(self, header: str | None, scopes: tuple[str, ...]) -> dict[str, Any]:
        token = (header or "").removeprefix("Bearer ").strip()
        if token != TOKEN or not set(SCOPES.split()).intersection(scopes):
            raise AuthorizationError("Unauthorized")
        return dict(CLAIMS)


class Recorder:
    """Stands in for the handlers: records events, answers `reply`."""

    def __init__(self, reply: Any = None, delay: float = 0.0, fail: bool = False) -> None:
        self.events: list[dict[str, Any]] = []
        self.contexts: list[Any] = []
        self.reply = reply if reply is not None else {"statusCode": 200, "body": json.dumps({"ok": True})}
        self.delay = delay
        self.fail = fail

    def resolve(self, dotted: str) -> Any:
        def handler(event: dict[str, Any], context: Any) -> Any:
            self.events.append(event)
            self.contexts.append(context)
            time.sleep(self.delay)
            if self.fail:
                raise RuntimeError("boom: internal detail")
            return self.reply

        return handler


def make_gateway(api: document.ApiDocument, recorder: Recorder, timeout: float = 29.0) -> Gateway:
    return Gateway(api, StubVerifier(), "eu-west-1", timeout_seconds=timeout, resolve=recorder.resolve)


def request(
    method: str,
    path: str,
    body: Any = None,
    *,
    token: str | None = TOKEN,
    query: list[tuple[str, str]] | None = None,
    content_type: str | None = "application/json",
    raw: bytes | None = None,
) -> IncomingRequest:
    headers = [("Host", "127.0.0.1:8080"), ("User-Agent", "pytest")]
    if token is not None:
        headers.append(("Authorization", f"Bearer {token}"))
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    return IncomingRequest(method, path, query or [], headers, payload, source_ip="203.0.113.7")


def error_body(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(response.body)
    return body


def test_gateway_routes_literal_segment_before_parameter(api: document.ApiDocument) -> None:
    recorder = Recorder()
    response = make_gateway(api, recorder).handle(request("GET", "/v1/accounts/me"))
    assert response.status == 200
    assert recorder.events[0]["resource"] == "/v1/accounts/me"
    assert recorder.contexts[0].function_name == "get_my_account"


def test_gateway_builds_rest_proxy_event(api: document.ApiDocument) -> None:
    recorder = Recorder()
    item_id = "0123456789abcdef0123456789abcdef"
    make_gateway(api, recorder).handle(request("GET", f"/v1/items/{item_id}", query=[("a", "1"), ("a", "2")]))
    event = recorder.events[0]
    assert event["resource"] == "/v1/items/{itemId}"
    assert event["pathParameters"] == {"itemId": item_id}
    assert event["queryStringParameters"] == {"a": "2"}
    assert event["multiValueQueryStringParameters"] == {"a": ["1", "2"]}
    assert event["requestContext"]["identity"]["sourceIp"] == "203.0.113.7"
    assert event["requestContext"]["resourcePath"] == "/v1/items/{itemId}"
    assert event["headers"]["X-Forwarded-For"] == "203.0.113.7"
    assert event["body"] is None
    claims = event["requestContext"]["authorizer"]["claims"]
    assert claims["sub"] == "user-1"
    assert claims["exp"].endswith("UTC 2027")  # REST APIs pass claims as strings, dates like Java's Date
    assert all(isinstance(value, str) for value in claims.values())


def test_gateway_unknown_route_uses_missing_authentication_token_template(api: document.ApiDocument) -> None:
    recorder = Recorder()
    response = make_gateway(api, recorder).handle(request("DELETE", "/v1/items"))
    assert response.status == 404
    body = error_body(response)
    assert body["code"] == "NOT_FOUND"
    assert body["message"] == "Missing Authentication Token"
    assert not recorder.events


def test_gateway_answers_cors_preflight_from_mock_integration(api: document.ApiDocument) -> None:
    response = make_gateway(api, Recorder()).handle(request("OPTIONS", "/v1/items", token=None))
    headers = dict(response.headers)
    assert response.status == 200
    assert headers["Access-Control-Allow-Methods"] == "GET,OPTIONS,POST"
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_gateway_refuses_missing_token_with_unauthorized_template(api: document.ApiDocument) -> None:
    recorder = Recorder()
    response = make_gateway(api, recorder).handle(request("GET", "/v1/items", token=None))
    assert response.status == 401
    body = error_body(response)
    assert (body["code"], body["message"]) == ("UNAUTHORIZED", "Unauthorized")
    assert ("Access-Control-Allow-Origin", "*") in response.headers
    assert not recorder.events


def test_gateway_error_carries_the_security_headers(api: document.ApiDocument) -> None:
    from contract.apigateway import SECURITY_HEADERS

    response = make_gateway(api, Recorder()).handle(request("GET", "/v1/items", token=None))

    assert set(SECURITY_HEADERS.items()) <= set(response.headers)


def test_gateway_public_operation_needs_no_token(api: document.ApiDocument) -> None:
    recorder = Recorder()
    response = make_gateway(api, recorder).handle(request("GET", "/health", token=None))
    assert response.status == 200
    assert "authorizer" not in recorder.events[0]["requestContext"]


def test_gateway_invalid_body_gets_bad_request_body_template(api: document.ApiDocument) -> None:
    recorder = Recorder()
    response = make_gateway(api, recorder).handle(request("PUT", "/v1/accounts/me", {"displayName": "Ada"}))
    body = error_body(response)
    assert response.status == 400
    assert set(body) == {"code", "message", "requestId", "field"}
    assert (body["code"], body["field"]) == ("BAD_REQUEST", "body")
    assert body["message"] == (
        "Invalid request body: [body: 'locale' is a required property; body: 'version' is a required property]"
    )
    assert body["requestId"] == dict(response.headers)["x-amzn-RequestId"]
    assert not recorder.events


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"\xff\xfe{",
        b"null",
        b"[]",
        b'{"name": ""}',
        b'{"name": "x", "quantity": 0}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"name":' * 1000 + b'"x"' + b"}" * 1000,
    ],
)
def test_gateway_body_model_violations_are_bad_request_body(api: document.ApiDocument, raw: bytes) -> None:
    recorder = Recorder()
    response = make_gateway(api, recorder).handle(request("POST", "/v1/items", raw=raw))
    assert response.status == 400
    assert error_body(response)["code"] == "BAD_REQUEST"
    assert not recorder.events


def test_gateway_body_nested_near_the_recursion_limit_is_bad_request_body(api: document.ApiDocument) -> None:
    # GIVEN depths around Python's recursion limit: some parse once but not where openapi-core parses again
    recorder = Recorder()
    gateway = make_gateway(api, recorder)
    for depth in range(800, 1004, 4):
        response = gateway.handle(request("POST", "/v1/items", raw=b"[" * depth + b"]" * depth))
        assert (response.status, error_body(response)["code"]) == (400, "BAD_REQUEST"), depth
    assert not recorder.events


def test_gateway_valid_body_with_unknown_field_reaches_lambda(api: document.ApiDocument) -> None:
    # GIVEN a model without additionalProperties: false (API Gateway models do not forbid extras)
    recorder = Recorder()
    make_gateway(api, recorder).handle(request("POST", "/v1/items", {"name": "Coffee", "extra": 1}))
    assert json.loads(recorder.events[0]["body"]) == {"name": "Coffee", "extra": 1}


def test_gateway_does_not_check_parameter_patterns(api: document.ApiDocument) -> None:
    # GIVEN itemId has a pattern and limit has bounds: API Gateway ignores both (the Lambda checks them)
    recorder = Recorder()
    gateway = make_gateway(api, recorder)
    assert gateway.handle(request("GET", "/v1/items/not-hex")).status == 200
    assert gateway.handle(request("GET", "/v1/items", query=[("limit", "9999")])).status == 200
    assert len(recorder.events) == 2


def test_gateway_skips_body_validation_for_other_content_types(api: document.ApiDocument) -> None:
    # GIVEN the model is mapped to application/json only: the gateway passes other media types through
    recorder = Recorder()
    response = make_gateway(api, recorder).handle(request("POST", "/v1/items", raw=b"x=1", content_type="text/plain"))
    assert response.status == 200
    assert recorder.events[0]["body"] == "x=1"


def test_gateway_handler_exception_is_502_without_details(api: document.ApiDocument) -> None:
    response = make_gateway(api, Recorder(fail=True)).handle(request("GET", "/health", token=None))
    body = error_body(response)
    assert response.status == 502
    assert (body["code"], body["message"]) == ("SERVER_ERROR", "Internal server error")
    assert b"boom" not in response.body


def test_gateway_malformed_proxy_result_is_502(api: document.ApiDocument) -> None:
    response = make_gateway(api, Recorder(reply={"body": "no status"})).handle(request("GET", "/health", token=None))
    assert response.status == 502


def test_gateway_slow_handler_is_integration_timeout(api: document.ApiDocument) -> None:
    gateway = make_gateway(api, Recorder(delay=0.5), timeout=0.1)
    response = gateway.handle(request("GET", "/health", token=None))
    body = error_body(response)
    assert response.status == 504
    assert (body["code"], body["message"]) == ("TIMEOUT", "Endpoint request timed out")


def test_gateway_request_too_large_is_413(api: document.ApiDocument) -> None:
    response = make_gateway(api, Recorder()).handle(request("POST", "/v1/items", raw=b"x" * (10 * 1024 * 1024 + 1)))
    assert response.status == 413


def test_proxy_response_defaults_content_type_and_merges_multi_value_headers() -> None:
    response = proxy_response(
        {"statusCode": 201, "body": "{}", "headers": {"A": "1"}, "multiValueHeaders": {"B": ["x", "y"]}}
    )
    assert response is not None
    assert response.status == 201
    assert ("Content-Type", "application/json") in response.headers
    assert [v for k, v in response.headers if k == "B"] == ["x", "y"]


def test_proxy_response_refuses_non_string_body() -> None:
    assert proxy_response({"statusCode": 200, "body": {"a": 1}}) is None


def test_proxy_response_refuses_a_body_that_is_not_utf8() -> None:
    # GIVEN a lone surrogate: the python3.12+ runtime cannot send it (its marshaller encodes UTF-8, no escapes)
    assert proxy_response({"statusCode": 400, "body": '{"field":"body.\ud800"}'}) is None


def test_gateway_missing_required_parameter_gets_bad_request_parameters(tmp_path: Path) -> None:
    # GIVEN a document where GET /v1/items requires a query parameter `q`
    raw = json.loads((document.API_DIR / document.DEPLOYABLE).read_text(encoding="utf-8"))
    raw["paths"]["/v1/items"]["get"]["parameters"].append(
        {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "pattern": "^[a-z]+$"}}
    )
    (tmp_path / document.DEPLOYABLE).write_text(json.dumps(raw), encoding="utf-8")
    shutil.copy(document.API_DIR / document.MANIFEST, tmp_path / document.MANIFEST)
    recorder = Recorder()
    gateway = make_gateway(document.load(tmp_path), recorder)

    for query in ([], [("q", "")]):
        response = gateway.handle(request("GET", "/v1/items", query=query))
        body = error_body(response)
        assert response.status == 400
        assert (body["code"], body["message"]) == ("BAD_REQUEST", "Missing required request parameters: [q]")
    assert gateway.handle(request("GET", "/v1/items", query=[("q", "NOT-LOWER")])).status == 200
    assert len(recorder.events) == 1
