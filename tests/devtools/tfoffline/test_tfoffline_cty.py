"""The cty msgpack codec: what Terraform sends decodes, and what we send is what cty expects."""

from __future__ import annotations

import pytest

from devtools.tfoffline import cty
from devtools.tfoffline.cty import UNKNOWN, Dyn

OBJECT = [
    "object",
    {"name": "string", "size": "number", "on": "bool", "tags": ["map", "string"], "ids": ["set", "string"]},
]


def test_cty_round_trips_an_object() -> None:
    value = {"name": "t", "size": 3, "on": True, "tags": {"a": "b"}, "ids": ["x", "y"]}
    assert cty.decode(cty.encode(value, OBJECT), OBJECT) == value


def test_cty_encodes_unknown_as_extension_zero() -> None:
    # GIVEN go-cty's encoding of an unknown value: fixext1, type 0, one zero byte
    assert cty.encode(UNKNOWN, "string") == b"\xd4\x00\x00"


def test_cty_decodes_refined_unknowns_as_unknown() -> None:
    # GIVEN a refined unknown (extension type 12 with a payload), as newer Terraform sends
    assert cty.decode(b"\xc7\x03\x0c\x81\x01\xc3", "string") is UNKNOWN


def test_cty_fills_missing_object_attributes_with_null() -> None:
    encoded = cty.encode({"name": "t"}, OBJECT)
    assert cty.decode(encoded, OBJECT) == {"name": "t", "size": None, "on": None, "tags": None, "ids": None}


def test_cty_keeps_dynamic_values_typed() -> None:
    value = Dyn(["list", "string"], ["a"])
    encoded = cty.encode(value, "dynamic")
    assert cty.unpackb(encoded)[0] == b'["list","string"]'
    assert cty.decode(encoded, "dynamic") == value


def test_cty_accepts_numbers_sent_as_strings() -> None:
    # cty sends numbers that do not fit 64 bits as decimal strings
    assert cty.decode(cty.packb("123456789012345678901234567890"), "number") == 123456789012345678901234567890


@pytest.mark.parametrize("number", [0, 1, 127, 128, 255, 65535, 70000, 2**32, -1, -33, -200, -40000, -(2**40), 1.5])
def test_cty_round_trips_numbers(number: float) -> None:
    assert cty.unpackb(cty.packb(number)) == number


@pytest.mark.parametrize("size", [0, 31, 32, 255, 256, 70000])
def test_cty_round_trips_strings_of_every_length_class(size: int) -> None:
    assert cty.unpackb(cty.packb("x" * size)) == "x" * size


def test_cty_round_trips_large_collections() -> None:
    value = {f"k{i}": list(range(20)) for i in range(20)}
    assert cty.unpackb(cty.packb(value)) == value


def test_cty_reads_state_json_with_dynamic_values() -> None:
    ty = ["object", {"v": "dynamic", "n": "number"}]
    raw = {"v": {"value": ["a"], "type": ["list", "string"]}, "n": 2}
    assert cty.from_json(raw, ty) == {"v": Dyn(["list", "string"], ["a"]), "n": 2}


def test_cty_is_known_looks_inside_collections() -> None:
    assert cty.is_known({"a": [1, {"b": "c"}]})
    assert not cty.is_known({"a": [1, {"b": UNKNOWN}]})
