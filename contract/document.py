"""Reading an OpenAPI document: the walks the lint and the breaking-change report share.

Only those two read generated documents (the other generators render the compiled model, contract/compiled.py);
this is the one place that knows how a document spells operations, references and scopes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Iterator

HTTP_METHODS: Final = ("get", "put", "post", "patch", "delete", "head", "options")
"""The operation keys of an OpenAPI 3.0 Path Item Object (trace aside: API Gateway has no TRACE)."""


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation of the document."""
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def component_name(ref: str) -> str:
    """The component a `$ref` names: `#/components/schemas/Item` -> `Item` ("" for "")."""
    return ref.rsplit("/", 1)[-1]


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    """The document's component schemas by name (empty if it has none)."""
    return document.get("components", {}).get("schemas", {})  # type: ignore[no-any-return]


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, following `$ref`s to the component they name."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][component_name(schema["$ref"])]
    return schema


def security_scopes(op: dict[str, Any]) -> set[str]:
    """Every scope of every security requirement of the operation."""
    return {scope for requirement in op.get("security", []) for scopes in requirement.values() for scope in scopes}
