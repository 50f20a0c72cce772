"""The local gateway's binary media types, as API Gateway documents them for Lambda proxy integrations.

A request body whose Content-Type is a binary media type reaches the function base64-encoded with isBase64Encoded;
an answer marked isBase64Encoded is decoded into bytes only when the request's first Accept media type is a binary
media type, otherwise the caller gets the base64 text
(https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html,
https://docs.aws.amazon.com/apigateway/latest/developerguide/lambda-proxy-binary-media.html).
"""

from __future__ import annotations

import base64
import dataclasses
import json
from typing import TYPE_CHECKING

import pytest

from tests.localapi.test_local_gateway import Recorder, make_gateway, request

if TYPE_CHECKING:
    from localapi.apigateway import document

PDF = b"%PDF-1.7\n\x00\xff\xfe binary \x80"
ANSWER = {
    "statusCode": 200,
    "headers": {"Content-Type": "application/pdf"},
    "body": base64.b64encode(PDF).decode(),
    "isBase64Encoded": True,
}


@pytest.fixture
def binary_api(api: document.ApiDocument) -> document.ApiDocument:
    """The committed document with application/pdf as the API's one binary media type."""
    return dataclasses.replace(api, binary_media_types=("application/pdf",))


def test_local_binary_body_of_a_binary_media_type_arrives_base64(binary_api: document.ApiDocument) -> None:
    recorder = Recorder()
    make_gateway(binary_api, recorder).handle(request("POST", "/v1/items", raw=PDF, content_type="application/pdf"))
    event = recorder.events[0]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == PDF


def test_local_binary_body_of_another_media_type_arrives_as_text(binary_api: document.ApiDocument) -> None:
    recorder = Recorder()
    make_gateway(binary_api, recorder).handle(request("POST", "/v1/items", raw=b"plain", content_type="text/plain"))
    assert (recorder.events[0]["isBase64Encoded"], recorder.events[0]["body"]) == (False, "plain")


@pytest.mark.parametrize(
    ("accept", "decoded"),
    [
        ("application/pdf", True),
        ("application/pdf;q=0.9, application/json", True),
        ("application/json, application/pdf", False),  # only the first Accept media type counts
        (None, False),
    ],
)
def test_local_binary_answer_is_bytes_only_for_a_binary_first_accept(
    binary_api: document.ApiDocument, accept: str | None, decoded: bool
) -> None:
    incoming = request("GET", "/v1/items/" + "a" * 32)
    if accept is not None:
        incoming.headers.append(("Accept", accept))
    response = make_gateway(binary_api, Recorder(reply=ANSWER)).handle(incoming)
    assert response.status == 200
    assert response.body == (PDF if decoded else ANSWER["body"].encode())


def test_local_binary_event_over_lambdas_payload_is_the_gateways_500(binary_api: document.ApiDocument) -> None:
    # GIVEN 4.8 MB of bytes: under API Gateway's 10 MB, over Lambda's 6 MiB once base64 makes them 6.4 MB
    recorder = Recorder()
    big = b"\x00" * 4_800_000
    response = make_gateway(binary_api, recorder).handle(
        request("POST", "/v1/items", raw=big, content_type="application/pdf")
    )
    # THEN Lambda's Invoke refuses the event, and API Gateway answers a rejected invocation 500
    assert (response.status, recorder.events) == (500, [])
    assert json.loads(response.body)["message"] == "Internal server error"
    # while 4.6 MB (6.13 MB in base64, with the event around it) still reaches the handler
    make_gateway(binary_api, recorder).handle(
        request("POST", "/v1/items", raw=big[:4_600_000], content_type="application/pdf")
    )
    assert len(recorder.events) == 1
