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


def _get_kwargs(package: str, operation_id: str, mime_type: str | None) -> dict[str, Any]:
    """The generated module's request arguments, every required argument given a placeholder."""
    root = APIS[package] / "clients" / "python" / package
    (path,) = root.glob(f"api/*/{operation_id}.py")
    module = importlib.import_module(f"{package}.api.{path.parent.name}.{operation_id}")
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
