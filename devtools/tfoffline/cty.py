"""cty values as Terraform sends them over the plugin protocol: msgpack (and state JSON), type-driven.

Types are kept in the JSON form that schemas use: "string", "number", "bool", "dynamic",
["list", T], ["set", T], ["map", T], ["object", {name: T}] (optionally a third element naming
optional attributes) and ["tuple", [T, ...]].

Python values: None is null, UNKNOWN is an unknown value, str/bool/int/float are primitives,
lists stand for list/set/tuple values, dicts for map/object values, and Dyn(type, value) carries a
value of a "dynamic" attribute together with its concrete type (cty encodes those as [type, value]).
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any

CtyType = Any


class _Unknown:
    """The one unknown value (cty refinements are accepted on input and dropped)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __deepcopy__(self, memo: dict[int, Any]) -> _Unknown:
        return self


UNKNOWN = _Unknown()


@dataclass(frozen=True)
class Dyn:
    """A value of a dynamically typed attribute, with its concrete type."""

    type: CtyType
    value: Any


@dataclass(frozen=True)
class Ext:
    """A raw msgpack extension value (cty only uses them for unknowns)."""

    code: int
    data: bytes


class CtyError(ValueError):
    """A value does not fit its type, or the bytes are not valid msgpack."""


# --------------------------------------------------------------------------------------------------
# msgpack: just what cty needs.


def _pack(obj: Any, out: bytearray) -> None:
    if obj is None:
        out.append(0xC0)
    elif obj is True:
        out.append(0xC3)
    elif obj is False:
        out.append(0xC2)
    elif isinstance(obj, int):
        _pack_int(obj, out)
    elif isinstance(obj, float):
        out.append(0xCB)
        out += struct.pack(">d", obj)
    elif isinstance(obj, str):
        raw = obj.encode()
        n = len(raw)
        if n < 32:
            out.append(0xA0 | n)
        elif n < 0x100:
            out += bytes((0xD9, n))
        elif n < 0x10000:
            out += b"\xda" + struct.pack(">H", n)
        else:
            out += b"\xdb" + struct.pack(">I", n)
        out += raw
    elif isinstance(obj, bytes):
        n = len(obj)
        if n < 0x100:
            out += bytes((0xC4, n))
        elif n < 0x10000:
            out += b"\xc5" + struct.pack(">H", n)
        else:
            out += b"\xc6" + struct.pack(">I", n)
        out += obj
    elif isinstance(obj, list):
        _pack_len(len(obj), out, 0x90, 0xDC, 0xDD)
        for item in obj:
            _pack(item, out)
    elif isinstance(obj, dict):
        _pack_len(len(obj), out, 0x80, 0xDE, 0xDF)
        for key, item in obj.items():
            _pack(key, out)
            _pack(item, out)
    elif isinstance(obj, Ext):
        if len(obj.data) == 1:
            out += bytes((0xD4, obj.code)) + obj.data
        else:
            out += bytes((0xC7, len(obj.data), obj.code)) + obj.data
    else:
        raise CtyError(f"cannot msgpack {type(obj).__name__}")


def _pack_len(n: int, out: bytearray, fix: int, b16: int, b32: int) -> None:
    if n < 16:
        out.append(fix | n)
    elif n < 0x10000:
        out += bytes((b16,)) + struct.pack(">H", n)
    else:
        out += bytes((b32,)) + struct.pack(">I", n)


def _pack_int(n: int, out: bytearray) -> None:
    if 0 <= n < 0x80:
        out.append(n)
    elif -32 <= n < 0:
        out += struct.pack(">b", n)
    elif 0 <= n < 2**64:
        out += b"\xcf" + struct.pack(">Q", n)
    elif -(2**63) <= n < 0:
        out += b"\xd3" + struct.pack(">q", n)
    else:  # cty accepts big numbers as strings
        _pack(str(n), out)


_FIXED = {
    0xCC: ">B",
    0xCD: ">H",
    0xCE: ">I",
    0xCF: ">Q",
    0xD0: ">b",
    0xD1: ">h",
    0xD2: ">i",
    0xD3: ">q",
    0xCA: ">f",
    0xCB: ">d",
}


def unpackb(data: bytes) -> Any:
    """Decode one msgpack value."""
    value, pos = _unpack(memoryview(data), 0)
    if pos != len(data):
        raise CtyError("trailing bytes after msgpack value")
    return value


def packb(obj: Any) -> bytes:
    """Encode a plain Python structure (no type information) as msgpack."""
    out = bytearray()
    _pack(obj, out)
    return bytes(out)


def _unpack(buf: memoryview, pos: int) -> tuple[Any, int]:
    code = buf[pos]
    pos += 1
    if code <= 0x7F:
        return code, pos
    if code >= 0xE0:
        return code - 0x100, pos
    if 0xA0 <= code <= 0xBF:
        n = code & 0x1F
        return bytes(buf[pos : pos + n]).decode(), pos + n
    if 0x90 <= code <= 0x9F:
        return _unpack_array(buf, pos, code & 0x0F)
    if 0x80 <= code <= 0x8F:
        return _unpack_map(buf, pos, code & 0x0F)
    if code == 0xC0:
        return None, pos
    if code in (0xC2, 0xC3):
        return code == 0xC3, pos
    if code in _FIXED:
        fmt = _FIXED[code]
        size = struct.calcsize(fmt)
        return struct.unpack_from(fmt, buf, pos)[0], pos + size
    if code in (0xD9, 0xDA, 0xDB, 0xC4, 0xC5, 0xC6):
        width = {0xD9: 1, 0xDA: 2, 0xDB: 4, 0xC4: 1, 0xC5: 2, 0xC6: 4}[code]
        n = int.from_bytes(buf[pos : pos + width], "big")
        pos += width
        raw = bytes(buf[pos : pos + n])
        return (raw.decode() if code >= 0xD9 else raw), pos + n
    if code in (0xDC, 0xDD):
        width = 2 if code == 0xDC else 4
        return _unpack_array(buf, pos + width, int.from_bytes(buf[pos : pos + width], "big"))
    if code in (0xDE, 0xDF):
        width = 2 if code == 0xDE else 4
        return _unpack_map(buf, pos + width, int.from_bytes(buf[pos : pos + width], "big"))
    if 0xD4 <= code <= 0xD8:
        n = 1 << (code - 0xD4)
        return Ext(buf[pos], bytes(buf[pos + 1 : pos + 1 + n])), pos + 1 + n
    if code in (0xC7, 0xC8, 0xC9):
        width = {0xC7: 1, 0xC8: 2, 0xC9: 4}[code]
        n = int.from_bytes(buf[pos : pos + width], "big")
        pos += width
        return Ext(buf[pos], bytes(buf[pos + 1 : pos + 1 + n])), pos + 1 + n
    raise CtyError(f"unsupported msgpack code 0x{code:02x}")


def _unpack_array(buf: memoryview, pos: int, n: int) -> tuple[list[Any], int]:
    items = []
    for _ in range(n):
        item, pos = _unpack(buf, pos)
        items.append(item)
    return items, pos


def _unpack_map(buf: memoryview, pos: int, n: int) -> tuple[dict[Any, Any], int]:
    result = {}
    for _ in range(n):
        key, pos = _unpack(buf, pos)
        result[key], pos = _unpack(buf, pos)
    return result, pos


# --------------------------------------------------------------------------------------------------
# Typed conversion between plain msgpack structures / state JSON and cty values.

_UNKNOWN_EXT = Ext(0, b"\x00")


def decode(data: bytes, ty: CtyType) -> Any:
    """Decode a msgpack DynamicValue of type `ty`."""
    if not data:
        return None
    return _from_msgpack(unpackb(data), ty)


def encode(value: Any, ty: CtyType) -> bytes:
    """Encode `value` of type `ty` as a msgpack DynamicValue."""
    out = bytearray()
    _pack(_to_msgpack(value, ty), out)
    return bytes(out)


def _from_msgpack(raw: Any, ty: CtyType) -> Any:
    if isinstance(raw, Ext):
        return UNKNOWN
    if ty == "dynamic":
        if raw is None:
            return None
        type_json, inner = raw
        concrete = json.loads(type_json)
        return Dyn(concrete, _from_msgpack(inner, concrete))
    if raw is None:
        return None
    if isinstance(ty, str):
        if ty == "number" and isinstance(raw, str):
            return _parse_number(raw)
        return raw
    kind, elem = ty[0], ty[1]
    if kind in ("list", "set"):
        return [_from_msgpack(item, elem) for item in raw]
    if kind == "map":
        return {key: _from_msgpack(item, elem) for key, item in raw.items()}
    if kind == "object":
        return {name: _from_msgpack(raw.get(name), attr_ty) for name, attr_ty in elem.items()}
    if kind == "tuple":
        return [_from_msgpack(item, item_ty) for item, item_ty in zip(raw, elem, strict=True)]
    raise CtyError(f"unknown type {ty!r}")


def _to_msgpack(value: Any, ty: CtyType) -> Any:
    if value is UNKNOWN:
        return _UNKNOWN_EXT
    if ty == "dynamic":
        if value is None:
            return None
        if not isinstance(value, Dyn):
            value = Dyn(infer_type(value), value)
        return [json.dumps(value.type, separators=(",", ":")).encode(), _to_msgpack(value.value, value.type)]
    if value is None:
        return None
    if isinstance(value, Dyn):
        value = value.value
    if isinstance(ty, str):
        return _primitive(value, ty)
    kind, elem = ty[0], ty[1]
    if kind in ("list", "set"):
        return [_to_msgpack(item, elem) for item in value]
    if kind == "map":
        return {key: _to_msgpack(item, elem) for key, item in sorted(value.items())}
    if kind == "object":
        return {name: _to_msgpack(value.get(name), elem[name]) for name in sorted(elem)}
    if kind == "tuple":
        return [_to_msgpack(item, item_ty) for item, item_ty in zip(value, elem, strict=True)]
    raise CtyError(f"unknown type {ty!r}")


def _primitive(value: Any, ty: str) -> Any:
    if ty == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return _format_number(value)
        if not isinstance(value, str):
            raise CtyError(f"expected a string, got {value!r}")
        return value
    if ty == "number":
        if isinstance(value, str):
            value = _parse_number(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value
    if ty == "bool":
        if isinstance(value, str):
            return value == "true"
        return bool(value)
    raise CtyError(f"unknown primitive type {ty!r}")


def _parse_number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _format_number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def from_json(raw: Any, ty: CtyType) -> Any:
    """Convert a value from Terraform's state JSON (which has no unknowns) into a cty value."""
    if ty == "dynamic":
        if raw is None:
            return None
        return Dyn(raw["type"], from_json(raw["value"], raw["type"]))
    if raw is None:
        return None
    if isinstance(ty, str):
        return raw
    kind, elem = ty[0], ty[1]
    if kind in ("list", "set"):
        return [from_json(item, elem) for item in raw]
    if kind == "map":
        return {key: from_json(item, elem) for key, item in raw.items()}
    if kind == "object":
        return {name: from_json(raw.get(name), attr_ty) for name, attr_ty in elem.items()}
    if kind == "tuple":
        return [from_json(item, item_ty) for item, item_ty in zip(raw, elem, strict=True)]
    raise CtyError(f"unknown type {ty!r}")


def infer_type(value: Any) -> CtyType:
    """The cty type of a plain, known Python value (for values placed into dynamic attributes)."""
    if isinstance(value, Dyn):
        return value.type
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return ["tuple", [infer_type(item) for item in value]]
    if isinstance(value, dict):
        return ["object", {key: infer_type(item) for key, item in value.items()}]
    return "dynamic"


def is_known(value: Any) -> bool:
    """True when no part of `value` is unknown."""
    if value is UNKNOWN:
        return False
    if isinstance(value, Dyn):
        return is_known(value.value)
    if isinstance(value, list):
        return all(is_known(item) for item in value)
    if isinstance(value, dict):
        return all(is_known(item) for item in value.values())
    return True
