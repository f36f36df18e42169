"""The wire format without boto3 (issue 16, item 1): `retro.store.codec` translates DynamoDB's
attribute types itself, so a handler imports botocore only. These pin it to boto3's
TypeSerializer and TypeDeserializer, the reference, on every type DynamoDB has."""

from decimal import Decimal

import pytest
from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

from retro.store.codec import dump, load

ITEM = {
    "s": "text",
    "empty": "",
    "n": 7,
    "negative": -12,
    "big": 10**30,
    "decimal": Decimal(5),
    "flag": True,
    "off": False,
    "list": [1, "x", False, None, [2], {"deep": "y"}],
    "tuple": ("a", 3),
    "map": {"k": 2, "nested": {"l": ["z"]}},
    "strings": {"a", "b"},
    "numbers": {1, 2},
    "binaries": {b"p", b"q"},
    "bytes": b"raw",
}


def _sorted_sets(wire: dict) -> dict:
    """Wire-format attributes with each set's members sorted (a set has no order)."""
    return {
        name: {tag: sorted(members) if tag in ("SS", "NS", "BS") else members}
        for name, value in wire.items()
        for tag, members in value.items()
    }


def test_dump_writes_what_typeserializer_writes():
    serializer = TypeSerializer()
    expected = {k: serializer.serialize(v) for k, v in ITEM.items()}
    assert _sorted_sets(dump(ITEM)) == _sorted_sets(expected)


def test_dump_leaves_none_attributes_out_and_refuses_what_dynamodb_cannot_hold():
    assert dump({"a": None, "b": 1}) == {"b": {"N": "1"}}
    for value in (1.5, set(), {1, "a"}, object()):
        with pytest.raises(TypeError):
            dump({"v": value})


def test_load_reads_what_typedeserializer_reads_with_integers():
    raw = TypeSerializer().serialize
    deserializer = TypeDeserializer()
    for name, value in ITEM.items():
        wire = raw(value)
        loaded = load({name: wire})[name]
        assert loaded == deserializer.deserialize(wire), name
    assert load({"n": {"N": "1E+2"}}) == {"n": 100}
    assert type(load({"n": {"N": "7"}})["n"]) is int
    assert load({"b": {"B": b"raw"}})["b"] == Binary(b"raw")


def test_a_round_trip_keeps_every_value():
    assert load(dump(ITEM)) == {k: list(v) if isinstance(v, tuple) else v for k, v in ITEM.items()}
