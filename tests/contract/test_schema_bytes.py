"""`bytes` inside a JSON model, as pydantic means it: the public schema, the gateway's model and the handler's check
accept what pydantic reads and the schema holds what pydantic writes.

By default (`ser_json_bytes="utf8"`) a bytes field is its UTF-8 text: a plain string (OpenAPI's `format: binary`
is for raw bodies; openapi-python-client made it a file upload, measured). `Base64Bytes` is RFC 4648 base64
(`format: byte`); `Base64UrlBytes` and `val_json_bytes="base64"` take either alphabet.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from pydantic import Base64Bytes, Base64UrlBytes, BaseModel, ConfigDict, ValidationError

from contract.schema import ApiGatewaySchema, OpenApi30Schema, schemas_for
from lambdas.runtime.errors import BadRequestError
from lambdas.runtime.validation import check


class Text(BaseModel):
    data: bytes


class Standard(BaseModel):
    data: Base64Bytes


class UrlSafe(BaseModel):
    data: Base64UrlBytes


class Configured(BaseModel):
    model_config = ConfigDict(ser_json_bytes="base64", val_json_bytes="base64")
    data: bytes


MODELS = [Text, Standard, UrlSafe, Configured]
SENT = ["café", "aGk=", "+/8=", "-_8=", "aGk", "a b", "", "@@@@"]
"""Values a caller may send: each model accepts some of them."""


def _field(model: type[BaseModel], generator: type[OpenApi30Schema], mode: Any = "validation") -> dict[str, Any]:
    return schemas_for([(model, mode)], generator)[model.__name__]["properties"]["data"]  # type: ignore[no-any-return]


def _pydantic_accepts(model: type[BaseModel], value: str) -> bool:
    try:
        model.model_validate_json(json.dumps({"data": value}))
    except ValidationError:
        return False
    return True


def _handler_accepts(schema: dict[str, Any], value: str) -> bool:
    try:
        check(schema, value, "body.data")
    except BadRequestError:
        return False
    return True


def test_bytes_public_forms() -> None:
    assert _field(Text, OpenApi30Schema) == {"type": "string"}
    assert _field(Standard, OpenApi30Schema)["format"] == "byte"
    assert _field(UrlSafe, OpenApi30Schema)["format"] == "base64url"
    assert _field(Configured, OpenApi30Schema)["format"] == "base64url"


@pytest.mark.parametrize("model", [Text, Configured], ids=lambda m: m.__name__)
def test_bytes_handler_and_gateway_accept_exactly_what_pydantic_reads(model: type[BaseModel]) -> None:
    public, deployable = _field(model, OpenApi30Schema), _field(model, ApiGatewaySchema)
    for value in SENT:
        expected = _pydantic_accepts(model, value)
        assert _handler_accepts(public, value) == expected, value
        assert _handler_accepts(deployable, value) or not expected, value  # the gateway: a superset


@pytest.mark.parametrize("model", [Standard, UrlSafe], ids=lambda m: m.__name__)
def test_bytes_base64_types_take_rfc_4648_text_only(model: type[BaseModel]) -> None:
    # Base64Bytes decodes with Python's base64.b64decode, which drops characters outside the alphabet ("@@@@" reads
    # as b""): the handler refuses those rather than guess; every well-formed value passes both
    public = _field(model, OpenApi30Schema)
    for value in SENT:
        assert not _handler_accepts(public, value) or _pydantic_accepts(model, value), value
    for value in ("aGk=", "+/8=", ""):
        assert _handler_accepts(public, value) and _pydantic_accepts(model, value), value
    assert not _handler_accepts(public, "@@@@") and _pydantic_accepts(model, "@@@@")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_bytes_what_pydantic_writes_is_valid_against_the_public_schema(model: type[BaseModel]) -> None:
    written = json.loads(model.model_validate_json(json.dumps({"data": "aGk="})).model_dump_json())
    schema = _field(model, OpenApi30Schema, "serialization")
    assert OAS30Validator(schema).is_valid(written["data"]), written
