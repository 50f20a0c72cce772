"""Opaque, signed pagination cursors: HMAC-SHA256 over the caller and the position, so a cursor can be
neither forged nor tampered with, nor replayed by another caller."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from typing import TYPE_CHECKING, Final

from lambdas.runtime.errors import BadRequestError

if TYPE_CHECKING:
    from collections.abc import Sequence

_VERSION: Final = b"\x01"
_MAC_BYTES: Final = 16
_FIELD: Final = "query.cursor"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, purpose: str, caller: str, position: bytes) -> bytes:
    message = b"\x00".join((purpose.encode(), caller.encode(), position))
    return hmac.new(key, message, hashlib.sha256).digest()[:_MAC_BYTES]


def encode(key: bytes, purpose: str, caller: str, position: bytes) -> str:
    """A cursor for `position` that only `caller` can use, for `purpose` (e.g. "items")."""
    return _b64(_VERSION + position + _mac(key, purpose, caller, position))


def decode(keys: Sequence[bytes], purpose: str, caller: str, cursor: str) -> bytes:
    """The position of `cursor`; 400 naming `cursor` unless one of `keys` signed it for this caller and purpose."""
    try:
        raw = _unb64(cursor)
    except (binascii.Error, ValueError):
        raise BadRequestError("The cursor is not valid", _FIELD) from None
    if len(raw) <= 1 + _MAC_BYTES or raw[:1] != _VERSION:
        raise BadRequestError("The cursor is not valid", _FIELD)
    position, mac = raw[1:-_MAC_BYTES], raw[-_MAC_BYTES:]
    if not any([hmac.compare_digest(mac, _mac(key, purpose, caller, position)) for key in keys]):  # noqa: C419 (all keys: constant time)
        raise BadRequestError("The cursor is not valid", _FIELD)
    return position
