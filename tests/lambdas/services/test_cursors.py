"""lambdas.services.cursors: signed, caller-bound pagination cursors."""

import pytest

from lambdas.runtime.errors import BadRequestError
from lambdas.services import cursors

KEY = b"k" * 32
POSITION = bytes(range(16))


def test_cursors_round_trip():
    cursor = cursors.encode(KEY, "items", "alice", POSITION)

    assert cursors.decode((KEY,), "items", "alice", cursor) == POSITION


def test_cursors_are_url_safe_and_opaque():
    cursor = cursors.encode(KEY, "items", "alice", POSITION)

    assert cursor.replace("-", "").replace("_", "").isalnum()
    assert "alice" not in cursor


@pytest.mark.parametrize(
    ("key", "purpose", "caller"),
    [(b"other-key", "items", "alice"), (KEY, "orders", "alice"), (KEY, "items", "bob")],
)
def test_cursors_refuse_another_key_purpose_or_caller(key, purpose, caller):
    cursor = cursors.encode(KEY, "items", "alice", POSITION)

    with pytest.raises(BadRequestError) as caught:
        cursors.decode((key,), purpose, caller, cursor)

    assert caught.value.field == "query.cursor"


def test_cursors_refuse_every_single_bit_flip():
    cursor = cursors.encode(KEY, "items", "alice", POSITION)
    raw = bytearray(cursors._unb64(cursor))

    for index in range(len(raw)):
        for bit in range(8):
            flipped = bytearray(raw)
            flipped[index] ^= 1 << bit
            with pytest.raises(BadRequestError):
                cursors.decode((KEY,), "items", "alice", cursors._b64(bytes(flipped)))


def test_cursors_signed_with_the_previous_key_are_accepted_after_a_rotation():
    # Secrets Manager keeps the replaced value as AWSPREVIOUS: a cursor issued before stays valid.
    cursor = cursors.encode(KEY, "items", "alice", POSITION)

    assert cursors.decode((b"n" * 32, KEY), "items", "alice", cursor) == POSITION


def test_cursors_signed_with_a_key_older_than_the_previous_are_refused():
    cursor = cursors.encode(b"o" * 32, "items", "alice", POSITION)

    with pytest.raises(BadRequestError):
        cursors.decode((b"n" * 32, KEY), "items", "alice", cursor)
