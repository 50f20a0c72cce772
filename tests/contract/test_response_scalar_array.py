"""A response that is a top-level JSON array of scalars (`responses={200: list[str]}`): inline in the public
document, left out of the deployable one (a proxy integration's answer is not validated: rule 17), and the
clients type it from the public document."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from openapi_spec_validator import validate

from contract import routes
from contract.apigateway import ApiGatewayPlugin
from contract.compiled import compile_api
from contract.lint import lint
from contract.openapi import PublicPlugin, render
from contract.operation import PUBLIC, Operation


def _api(body: Any) -> Any:
    op = Operation(
        method="GET", path="/v1/tags", operation_id="list_tags", summary="List tags", description="Tags.",
        tags=("items",), responses={200: body}, scopes=PUBLIC, access=frozenset(),
    )  # fmt: skip
    names = ("TITLE", "VERSION", "DESCRIPTION", "SERVERS", "LICENSE", "CONTACT", "TAGS", "RESOURCE_SERVER")
    return compile_api(SimpleNamespace(**{name: getattr(routes, name) for name in names}, ROUTES=(op,)))  # type: ignore[arg-type]


@pytest.mark.parametrize(("body", "kind"), [(list[str], "string"), (list[int], "integer"), (list[float], "number")])
def test_response_scalar_array_is_inline_in_public_and_absent_for_the_gateway(body: Any, kind: str) -> None:
    api = _api(body)
    public, deployable = render(api, PublicPlugin(api)), render(api, ApiGatewayPlugin(api))
    content = public["paths"]["/v1/tags"]["get"]["responses"]["200"]["content"]["application/json"]
    assert content["schema"] == {"type": "array", "items": {"type": kind}}
    assert isinstance(content["example"], list)
    assert "content" not in deployable["paths"]["/v1/tags"]["get"]["responses"]["200"]
    validate(public)  # openapi-spec-validator: a valid OpenAPI 3.0 document
    assert lint(deployable, json.dumps(deployable)) == []  # the kit's API Gateway import rules


def test_response_bare_scalar_is_refused_with_the_fix() -> None:
    with pytest.raises(ValueError, match="not the type <class 'str'>: a bare scalar is no body of its own, wrap it"):
        _api(str)
