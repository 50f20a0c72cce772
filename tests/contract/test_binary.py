"""Binary bodies (contract/binary.py): declared once, rendered into both documents, the manifest and the rules."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contract import handler_types
from contract.binary import MAX_BINARY_BYTES, Binary, base64_size
from contract.breaking import breaking_changes
from contract.build import generate
from contract.compiled import compile_api
from contract.models.items import ItemPath
from contract.operation import Access, Operation, WriteMode
from tests.contract.test_compiled import READ, READ_THING, _api

FILE = Binary("application/pdf", "image/png", max_bytes=1024)
PUT_FILE = Operation(
    method="PUT",
    path="/v1/things/{itemId}/file",
    operation_id="put_file",
    summary="Attach a file",
    description="Raw bytes.",
    tags=("items",),
    path_params=ItemPath,
    request=FILE,
    responses={204: None},
    scopes=(READ,),
    access=frozenset({Access.TABLE_UPDATE_ITEM}),
    write_mode=WriteMode.ANY_REGION,
)
GET_FILE = Operation(
    method="GET",
    path="/v1/things/{itemId}/file",
    operation_id="get_file",
    summary="Read a file",
    description="Raw bytes.",
    tags=("items",),
    path_params=ItemPath,
    responses={200: Binary("application/octet-stream", max_bytes=2048)},
    scopes=(READ,),
    access=frozenset({Access.TABLE_GET_ITEM}),
)


def _documents(*ops: Operation) -> dict[str, Any]:
    files = generate(_api(*ops))
    return {path.name: json.loads(text) for path, text in files.items() if path.suffix == ".json"}


def test_binary_deployable_document_lists_exactly_the_declared_types_and_no_body_schema() -> None:
    deployable = _documents(READ_THING, PUT_FILE, GET_FILE)["openapi.aws.json"]

    assert deployable["x-amazon-apigateway-binary-media-types"] == [
        "application/octet-stream",
        "application/pdf",
        "image/png",
    ]
    # API Gateway would validate a binary body against a schema of its media type: none is given
    put = deployable["paths"]["/v1/things/{itemId}/file"]["put"]
    assert "requestBody" not in put
    assert "content" not in deployable["paths"]["/v1/things/{itemId}/file"]["get"]["responses"]["200"]


def test_binary_without_binary_operations_the_deployable_document_has_no_binary_media_types() -> None:
    assert "x-amazon-apigateway-binary-media-types" not in _documents(READ_THING)["openapi.aws.json"]


def test_binary_public_document_shows_string_binary_per_media_type() -> None:
    public = _documents(READ_THING, PUT_FILE, GET_FILE)["openapi.json"]
    path = public["paths"]["/v1/things/{itemId}/file"]

    # maxLength counts octets for a `format: binary` string (contract/openapi.py `_binary_content`): max_bytes
    binary = {"schema": {"type": "string", "format": "binary", "maxLength": 1024}}
    assert path["put"]["requestBody"]["content"] == {"application/pdf": binary, "image/png": binary}
    answer = {"schema": {"type": "string", "format": "binary", "maxLength": 2048}}
    assert path["get"]["responses"]["200"]["content"] == {"application/octet-stream": answer}
    assert "Accept: application/octet-stream" in path["get"]["responses"]["200"]["description"]
    assert set(path["put"]["responses"]) >= {"413", "415"}


def test_binary_rules_reach_the_handler_and_the_manifest() -> None:
    api = compile_api(_api(PUT_FILE, GET_FILE))
    put, get = api.operations

    assert put.inputs["binary"] == {"request": FILE.rule, "responses": {}}
    assert put.inputs["body"] is None
    assert get.inputs["binary"] == {"request": None, "responses": {"200": GET_FILE.responses[200].rule}}
    assert "binary" not in compile_api(_api(READ_THING)).operations[0].inputs
    manifest = json.loads(next(t for p, t in generate(_api(PUT_FILE)).items() if p.name == "routes.json"))
    assert manifest["binary_media_types"] == ["application/pdf", "image/png"]


@pytest.mark.parametrize(
    ("binary", "words"),
    [
        (Binary("*/*", max_bytes=1), "wildcard"),
        (Binary("image/*", max_bytes=1), "wildcard"),
        (Binary("pdf", max_bytes=1), "type/subtype"),
        (Binary("Application/PDF", max_bytes=1), "lower-case"),
        (Binary("application/pdf; q=1", max_bytes=1), "parameters"),
        (Binary("application/json", max_bytes=1), "is JSON"),
        (Binary("application/problem+json", max_bytes=1), "is JSON"),
        (Binary(max_bytes=1), "at least one media type"),
        (Binary("image/png", "image/png", max_bytes=1), "repeat"),
        (Binary("image/png", max_bytes=0), "positive"),
        (Binary("image/png", max_bytes=MAX_BINARY_BYTES + 1), "synchronous payload"),
    ],
)
def test_binary_what_cannot_work_on_aws_is_one_line(binary: Binary, words: str) -> None:
    with pytest.raises(ValueError, match=words) as raised:
        Operation(**{**PUT_FILE.__dict__, "request": binary})
    assert "\n" not in str(raised.value)
    assert str(raised.value).startswith("PUT /v1/things/{itemId}/file (put_file): ")


def test_binary_maximum_fits_the_lambda_payload_after_base64() -> None:
    # The largest declarable body, in base64, leaves room for the event in Lambda's 6 MB synchronous payload
    assert 6_000_000 - base64_size(MAX_BINARY_BYTES) > 300_000


def test_binary_request_on_get_and_binary_204_are_refused() -> None:
    with pytest.raises(ValueError, match="GET cannot take a request body"):
        Operation(**{**GET_FILE.__dict__, "request": FILE})
    with pytest.raises(ValueError, match="a 204 response has no body"):
        Operation(**{**GET_FILE.__dict__, "responses": {204: FILE}})


def test_binary_handler_types_name_each_binary_body_media_types() -> None:
    source = handler_types.render(compile_api(_api(PUT_FILE, GET_FILE)))
    namespace: dict[str, Any] = {}
    exec(compile(source, "contract_types.py", "exec"), namespace)  # the generated module runs

    assert 'PutFileRequestMediaType: TypeAlias = Literal["application/pdf", "image/png"]' in source
    assert 'GetFile200MediaType: TypeAlias = Literal["application/octet-stream"]' in source


def test_binary_media_type_changes_are_breaking() -> None:
    old = _documents(PUT_FILE, GET_FILE)["openapi.json"]
    narrower = Operation(**{**PUT_FILE.__dict__, "request": Binary("application/pdf", max_bytes=1024)})
    other = Operation(**{**GET_FILE.__dict__, "responses": {200: Binary("image/png", max_bytes=2048)}})
    new = _documents(narrower, other)["openapi.json"]

    assert breaking_changes(old, new) == [
        "GET /v1/things/{itemId}/file: response 200 media types changed to image/png",
        "PUT /v1/things/{itemId}/file: request body no longer takes image/png",
    ]
    wider = Operation(
        **{**PUT_FILE.__dict__, "request": Binary("application/pdf", "image/png", "image/gif", max_bytes=1024)}
    )
    assert breaking_changes(old, _documents(wider, GET_FILE)["openapi.json"]) == []


def test_binary_lower_request_maximum_is_breaking_and_a_response_one_is_not() -> None:
    old = _documents(PUT_FILE, GET_FILE)["openapi.json"]

    def sized(put_max: int, get_max: int) -> dict[str, Any]:
        put = Operation(**{**PUT_FILE.__dict__, "request": Binary("application/pdf", "image/png", max_bytes=put_max)})
        answer = Binary("application/octet-stream", max_bytes=get_max)
        get = Operation(**{**GET_FILE.__dict__, "responses": {200: answer}})
        return _documents(put, get)["openapi.json"]

    # A client that sent 1024 bytes now gets 413
    assert breaking_changes(old, sized(512, 2048)) == [
        "PUT /v1/things/{itemId}/file body (application/pdf): maxLength lowered to 512",
        "PUT /v1/things/{itemId}/file body (image/png): maxLength lowered to 512",
    ]
    # More room for a request, and an answer's maximum either way (no generated client checks it): not breaking
    assert breaking_changes(old, sized(4096, 4096)) == []
    assert breaking_changes(old, sized(1024, 1024)) == []
    # A document from before the maximum was rendered states none: not a lowering
    unstated = json.loads(json.dumps(old).replace('"maxLength": 1024', '"x-unstated": 0'))
    assert breaking_changes(unstated, sized(512, 2048)) == []
