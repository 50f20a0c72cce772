"""Breaking-change report: what an already-deployed client would trip over in a new document.

Compares two documents operation by operation (`make swagger` compares the public ones, which keep the
exact shape): operations or response fields removed, request fields or parameters newly required, types
narrowed, auth added; and for the shapes of docs/shapes.md: a response enum that gains a value (the generated
Python client's enums raise on a value they do not know, so every closed-enum client breaks), a response field
that becomes nullable or a request field that stops being so, a format added or changed, a union that gains a
response variant or loses a request one, a raw-bytes request body whose maxLength (its max_bytes) is lowered.
Recursive models are compared once per pair. A major version bump of the contract (VERSION) acknowledges the
breaks it lists.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from contract.document import operations, resolve, security_scopes
from contract.schema import SCALARS, is_null_variant, without_null

if TYPE_CHECKING:
    from collections.abc import Iterator

# Request constraints that reject more input when they grow (min*) or shrink (max*).
_TIGHTER_WHEN_GREATER = ("minLength", "minimum", "minItems")
_TIGHTER_WHEN_SMALLER = ("maxLength", "maximum", "maxItems")


def _body(document: dict[str, Any], holder: dict[str, Any]) -> dict[str, Any] | None:
    schema = holder.get("content", {}).get("application/json", {}).get("schema")
    return None if schema is None else resolve(document, schema)


def _node(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with references followed and the wrappers of `Model | None` (anyOf with a null variant) and of a
    described reference (a single `allOf`) unwrapped: X's own keywords plus `nullable`."""
    schema = resolve(document, schema)
    if any(is_null_variant(v) for v in schema.get("anyOf", ())):
        return {**_node(document, without_null(schema)), "nullable": True}
    if len(schema.get("allOf", ())) == 1:
        inner = _node(document, schema["allOf"][0])
        return {**inner, **{k: v for k, v in schema.items() if k != "allOf"}}
    return schema


def _union(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for key in ("anyOf", "oneOf") for v in schema.get(key, ())]


def _variants(schema: dict[str, Any]) -> set[str]:
    return {json.dumps(v, sort_keys=True) for v in _union(schema)}


class _Diff:
    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old, self.new = old, new
        self.seen: set[tuple[str, str, str]] = set()

    def _first_visit(self, old: dict[str, Any], new: dict[str, Any], kind: str) -> bool:
        """False if this pair of references was compared already (a recursive model)."""
        if "$ref" not in old and "$ref" not in new:
            return True
        key = (str(old.get("$ref")), str(new.get("$ref")), kind)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def request(self, old: dict[str, Any], new: dict[str, Any], where: str) -> Iterator[str]:
        if not self._first_visit(old, new, "request"):
            return
        old, new = _node(self.old, old), _node(self.new, new)
        yield from self._narrowed(old, new, where)
        if old.get("nullable") and not new.get("nullable"):
            yield f"{where}: null no longer accepted"
        if lost := _variants(old) - _variants(new):
            # a scalar variant changed in place (a Decimal's string gaining its decimal_places pattern) is reported
            # as what narrowed; the others were removed
            added = [json.loads(v) for v in _variants(new) - _variants(old)]
            for text in sorted(lost):
                variant = json.loads(text)
                same = [v for v in added if v.get("type") in SCALARS and v.get("type") == variant.get("type")]
                if len(same) == 1:
                    yield from self._narrowed(variant, same[0], where)
                    lost = lost - {text}
            if lost:
                yield f"{where}: {len(lost)} accepted shape(s) removed from the union"
        for name in sorted(set(new.get("required", ())) - set(old.get("required", ()))):
            yield f"{where}: field {name} is newly required"
        for name, sub in new.get("properties", {}).items():
            if name in old.get("properties", {}):
                yield from self.request(old["properties"][name], sub, f"{where}.{name}")
        if "items" in old and "items" in new:
            yield from self.request(old["items"], new["items"], f"{where}[]")

    def response(self, old: dict[str, Any], new: dict[str, Any], where: str) -> Iterator[str]:
        if not self._first_visit(old, new, "response"):
            return
        old, new = _node(self.old, old), _node(self.new, new)
        if old.get("type") != new.get("type"):
            yield f"{where}: type changed from {old.get('type')} to {new.get('type')}"
            return
        if new.get("nullable") and not old.get("nullable"):
            yield f"{where}: may now be null"
        if "enum" in old and set(new.get("enum", ())) - set(old["enum"]):
            added = sorted(map(str, set(new["enum"]) - set(old["enum"])))
            yield f"{where}: new enum value(s) {', '.join(added)} (closed-enum clients reject them)"
        if new.get("format") != old.get("format"):
            yield f"{where}: format changed from {old.get('format')} to {new.get('format')}"
        if gained := _variants(new) - _variants(old):
            yield f"{where}: {len(gained)} new shape(s) in the union"
        for name, sub in old.get("properties", {}).items():
            if name not in new.get("properties", {}):
                yield f"{where}: field {name} removed"
            else:
                yield from self.response(sub, new["properties"][name], f"{where}.{name}")
        for name in sorted(set(old.get("required", ())) - set(new.get("required", ()))):
            if name in new.get("properties", {}):
                yield f"{where}: field {name} is no longer always present"
        if "items" in old and "items" in new:
            yield from self.response(old["items"], new["items"], f"{where}[]")

    @staticmethod
    def _narrowed(old: dict[str, Any], new: dict[str, Any], where: str) -> Iterator[str]:
        if old.get("type") != new.get("type"):
            yield f"{where}: type narrowed from {old.get('type')} to {new.get('type')}"
        if "enum" in new and ("enum" not in old or set(old["enum"]) - set(new["enum"])):
            yield f"{where}: allowed values narrowed to {new['enum']}"
        if new.get("pattern") not in (None, old.get("pattern")):
            yield f"{where}: pattern changed to {new['pattern']!r}"
        if new.get("format") not in (None, old.get("format")):
            yield f"{where}: format changed to {new['format']!r}"
        if new.get("multipleOf") not in (None, old.get("multipleOf")):
            yield f"{where}: multipleOf changed to {new['multipleOf']}"
        for key in _TIGHTER_WHEN_GREATER:
            if key in new and new[key] > old.get(key, float("-inf")):
                yield f"{where}: {key} raised to {new[key]}"
        for key in _TIGHTER_WHEN_SMALLER:
            if key in new and new[key] < old.get(key, float("inf")):
                yield f"{where}: {key} lowered to {new[key]}"


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Human-readable breaking changes from `old` to `new` (both public, or both deployable, documents)."""
    diff = _Diff(old, new)
    new_ops = {(path, method): op for path, method, op in operations(new) if method != "options"}
    found: list[str] = []
    for path, method, old_op in operations(old):
        if method == "options":
            continue
        where = f"{method.upper()} {path}"
        new_op = new_ops.get((path, method))
        if new_op is None:
            found.append(f"{where}: operation removed")
            continue
        if _scopes(new_op) - _scopes(old_op) or (new_op.get("security") and not old_op.get("security")):
            found.append(f"{where}: auth added ({', '.join(sorted(_scopes(new_op))) or 'token required'})")
        old_params = {(p["in"], p["name"]): p for p in old_op.get("parameters", [])}
        for param in new_op.get("parameters", []):
            key = (param["in"], param["name"])
            label = f"{where} {param['in']} parameter {param['name']}"
            if param.get("required") and not old_params.get(key, {}).get("required"):
                found.append(f"{label}: newly required")
            if key in old_params:
                found.extend(diff._narrowed(old_params[key].get("schema", {}), param.get("schema", {}), label))
        old_body, new_body = old_op.get("requestBody"), new_op.get("requestBody")
        if new_body and new_body.get("required") and not (old_body or {}).get("required"):
            found.append(f"{where}: request body newly required")
        if old_body and new_body:
            found.extend(diff.request(_body(old, old_body) or {}, _body(new, new_body) or {}, f"{where} body"))
            # A client still sends the media type it was generated for (a binary body's above all: 415 now).
            for media_type in sorted(_media_types(old_body) - _media_types(new_body)):
                found.append(f"{where}: request body no longer takes {media_type}")
            # Raw bytes: a lower maxLength (the declared max_bytes) refuses what a client sent before (413). Every
            # binary body has one; a document without it predates its rendering (the maximum was in a description).
            for media_type in sorted((_media_types(old_body) & _media_types(new_body)) - {"application/json"}):
                old_max = _schema(old_body, media_type).get("maxLength")
                new_max = _schema(new_body, media_type).get("maxLength")
                if old_max is not None and new_max is not None and new_max < old_max:
                    found.append(f"{where} body ({media_type}): maxLength lowered to {new_max}")
        for status, old_response in old_op.get("responses", {}).items():
            if not status.startswith("2"):
                continue
            new_response = new_op.get("responses", {}).get(status)
            if new_response is None:
                found.append(f"{where}: response {status} removed")
                continue
            if _media_types(old_response) and _media_types(new_response) != _media_types(old_response):
                # A client parses the media types it was generated for (JSON, or raw bytes it asked for by Accept).
                media = ", ".join(sorted(_media_types(new_response))) or "no body"
                found.append(f"{where}: response {status} media types changed to {media}")
            # A raw-bytes answer's maxLength (max_bytes) that grows is not reported, as for a JSON string's: no
            # generated client checks it, and a client reading bytes takes what the length says.
            old_schema, new_schema = _body(old, old_response), _body(new, new_response)
            if old_schema is not None and new_schema is not None:
                found.extend(diff.response(old_schema, new_schema, f"{where} response {status}"))
    return found


def _media_types(holder: dict[str, Any]) -> set[str]:
    return set(holder.get("content", {}))


def _schema(holder: dict[str, Any], media_type: str) -> dict[str, Any]:
    return holder["content"][media_type].get("schema", {})  # type: ignore[no-any-return]


def _scopes(op: dict[str, Any]) -> set[str]:
    """The operation's scopes: in its security requirements (deployable) or its `x-required-scopes` (public)."""
    return security_scopes(op) | set(op.get("x-required-scopes", ()))


def acknowledged(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether the new document's major version is above the old one's."""
    return _major(new) > _major(old)


def _major(document: dict[str, Any]) -> int:
    return int(str(document.get("info", {}).get("version", "0")).split(".")[0])
