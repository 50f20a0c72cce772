"""lambdas.runtime: binary bodies (contract/binary.py) through `operation`: the raw bytes in, bytes back out."""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace
from typing import Any

import pytest

from lambdas.runtime.operation import operation

PDF = b"%PDF-1.7\n\x00\xff binary"
RULE = {"media_types": ["application/pdf", "image/png"], "max_bytes": 64}
CONTRACT = SimpleNamespace(
    INPUTS={
        "echo_file": {
            "path": None,
            "query": None,
            "header": None,
            "body": None,
            "binary": {"request": RULE, "responses": {"200": RULE}},
        }
    },
    SCOPES={"echo_file": ()},
    SCOPE_GROUPS={},
)


@operation("echo_file", CONTRACT)  # type: ignore[arg-type]
def echo(request: Any) -> Any:
    """Answer the bytes it got, as the media type it got them."""
    return 200, request.data, {"Content-Type": request.media_type}


def event(body: bytes | str, content_type: str | None = "application/pdf", *, encoded: bool = True) -> dict[str, Any]:
    raw = base64.b64encode(body).decode() if encoded and isinstance(body, bytes) else body
    headers = {} if content_type is None else {"content-type": content_type}
    return {"body": raw, "isBase64Encoded": encoded, "headers": headers, "requestContext": {"requestId": "r-1"}}


def test_binary_bytes_in_and_out_base64_with_the_media_type() -> None:
    answer = echo(event(PDF, "image/png; charset=binary"), None)

    assert answer["statusCode"] == 200
    assert answer["isBase64Encoded"] is True
    assert base64.b64decode(answer["body"]) == PDF
    assert answer["headers"]["Content-Type"] == "image/png"


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_binary_undeclared_media_type_is_415(content_type: str | None) -> None:
    answer = echo(event(PDF, content_type), None)

    assert answer["statusCode"] == 415
    assert json.loads(answer["body"])["code"] == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize("size", [65, 1000])
def test_binary_over_the_maximum_is_413(size: int) -> None:
    answer = echo(event(b"x" * size), None)

    assert answer["statusCode"] == 413
    assert json.loads(answer["body"])["field"] == "body"


@pytest.mark.parametrize(("body", "encoded"), [("not base64!", True), ("", True)])
def test_binary_bad_or_empty_body_is_400(body: str, encoded: bool) -> None:
    assert echo(event(body, encoded=encoded), None)["statusCode"] == 400


def test_binary_answer_breaking_its_contract_is_500() -> None:
    @operation("echo_file", CONTRACT)  # type: ignore[arg-type]
    def wrong(request: Any) -> Any:
        return 200, request.data, {"Content-Type": "text/html"}

    assert wrong(event(PDF), None)["statusCode"] == 500
