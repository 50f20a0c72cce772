"""The kit's endpoint template of openapi-python-client (tools/clientgen/python-templates): upstream plus the binary
bodies, and what the generated modules send for each binary body of every API's manifest."""

from __future__ import annotations

import importlib
import inspect
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import openapi_python_client
import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "tools" / "clientgen" / "python-templates" / "endpoint_module.py.jinja"
UPSTREAM = Path(openapi_python_client.__file__).parent / "templates" / TEMPLATE.name
APIS = {"multiregion_api_client": ROOT, "orders_api_client": ROOT / "examples" / "orders"}
for _root in APIS.values():
    if str(_root / "clients" / "python") not in sys.path:
        sys.path.insert(0, str(_root / "clients" / "python"))  # the generated packages, as `pip install` exposes them


def test_clients_templates_endpoint_is_upstream_plus_the_kit_blocks() -> None:
    # The copy follows the pinned openapi-python-client: after an upgrade, copy its template again and re-mark the
    # kit's blocks, or this fails.
    ours = re.sub(r"[ \t]*\{# kit #\}.*?\{# /kit #\}\n", "", TEMPLATE.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert ours == UPSTREAM.read_text(encoding="utf-8")


def _binary_bodies() -> list[tuple[str, str, dict[str, Any]]]:
    """(package, operation_id, its manifest `inputs.binary`) for every binary body of every API."""
    found = []
    for package, root in APIS.items():
        manifest = json.loads((root / "api" / "routes.json").read_text(encoding="utf-8"))
        for operation_id, op in manifest["operations"].items():
            if op["inputs"].get("binary"):
                found.append((package, operation_id, op["inputs"]["binary"]))
    return found


def _module(package: str, operation_id: str) -> Any:
    (path,) = (APIS[package] / "clients" / "python" / package).glob(f"api/*/{operation_id}.py")
    return importlib.import_module(f"{package}.api.{path.parent.name}.{operation_id}")


def _get_kwargs(package: str, operation_id: str, mime_type: str | None) -> dict[str, Any]:
    """The generated module's request arguments, every required argument given a placeholder."""
    module = _module(package, operation_id)
    types = importlib.import_module(f"{package}.types")
    arguments = {}
    for name, parameter in inspect.signature(module._get_kwargs).parameters.items():
        if parameter.default is inspect.Parameter.empty:
            body = types.File(payload=io.BytesIO(b"%PDF"), mime_type=mime_type)
            arguments[name] = body if name == "body" else "x"
    return module._get_kwargs(**arguments)  # type: ignore[no-any-return]


@pytest.mark.parametrize(("package", "operation_id", "binary"), _binary_bodies())
def test_clients_templates_a_binary_body_goes_with_its_declared_types(
    package: str, operation_id: str, binary: dict[str, Any]
) -> None:
    # GIVEN a caller that sets no header: the declared types go out, as API Gateway needs them
    kwargs = _get_kwargs(package, operation_id, mime_type=None)
    headers = kwargs.get("headers", {})
    answers = [t for _, answer in sorted(binary["responses"].items()) for t in answer["media_types"]]
    if answers:  # the gateway decodes a base64 answer only for a binary first Accept type
        assert headers["Accept"] == ", ".join(dict.fromkeys(answers))
    if binary["request"]:
        assert headers["Content-Type"] == binary["request"]["media_types"][0]
        assert kwargs["content"].read() == b"%PDF"
        # A File's own mime_type wins (one of several declared types, or a wrong one the API answers 415 to)
        assert _get_kwargs(package, operation_id, mime_type="image/png")["headers"]["Content-Type"] == "image/png"


def test_clients_templates_the_apis_have_binary_bodies_to_check() -> None:
    assert any(binary["request"] for _, _, binary in _binary_bodies())
    assert any(binary["responses"] for _, _, binary in _binary_bodies())


def _arguments(module: Any, payload: Any) -> dict[str, Any]:
    """The required arguments of the module's `_get_kwargs`: `payload` as the body's File, placeholders elsewhere."""
    types = importlib.import_module(f"{module.__name__.split('.')[0]}.types")
    required = [
        name
        for name, parameter in inspect.signature(module._get_kwargs).parameters.items()
        if parameter.default is inspect.Parameter.empty
    ]
    return {name: types.File(payload=payload) if name == "body" else "x" for name in required}


class _Stream(io.RawIOBase):
    """A body that cannot seek (a pipe, a socket): its size is known only by reading it."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._data.readinto(buffer)


@pytest.mark.parametrize(
    ("package", "operation_id", "binary"), [case for case in _binary_bodies() if case[2]["request"]]
)
def test_clients_templates_a_binary_body_over_its_maximum_is_refused_before_sending(
    package: str, operation_id: str, binary: dict[str, Any]
) -> None:
    # Over ~4.6 MB API Gateway answers 500 (Lambda refuses the event) and 500 is retried: the client refuses instead
    module = _module(package, operation_id)
    errors = importlib.import_module(f"{package}.bodies")
    limit = binary["request"]["max_bytes"]
    at_limit = io.BytesIO(b"x" * limit)
    assert module._get_kwargs(**_arguments(module, at_limit))["content"] is at_limit
    assert at_limit.tell() == 0  # measured, not consumed
    for over in (io.BytesIO(b"x" * (limit + 1)), _Stream(b"x" * (limit + 1))):
        with pytest.raises(errors.BodyTooLargeError) as refused:
            module._get_kwargs(**_arguments(module, over))
        # one line naming the operation, the size and the maximum; a ValueError, as a bad argument is
        assert isinstance(refused.value, ValueError)
        assert (refused.value.operation, refused.value.size, refused.value.max_bytes) == (
            operation_id,
            limit + 1,
            limit,
        )
        assert str(refused.value).startswith(f"{operation_id}: the request body is ")
        assert f"over the declared maximum of {limit} bytes" in str(refused.value)
    # a stream that cannot seek is read (at most the maximum) and its bytes go out
    assert module._get_kwargs(**_arguments(module, _Stream(b"%PDF")))["content"] == b"%PDF"


def test_clients_templates_only_binary_request_bodies_are_measured() -> None:
    # GIVEN every operation of both APIs: a JSON body (or none) is sent as the generator sends it, unmeasured
    checked = 0
    for package, root in APIS.items():
        manifest = json.loads((root / "api" / "routes.json").read_text(encoding="utf-8"))
        for operation_id, op in manifest["operations"].items():
            measured = "within_max_bytes(" in inspect.getsource(_module(package, operation_id))
            assert measured == bool((op["inputs"].get("binary") or {}).get("request")), operation_id
            checked += 1
    assert checked > 2
