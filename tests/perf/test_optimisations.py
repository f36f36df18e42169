"""Optimisations made for the budgets (docs/PERFORMANCE.md) keep behaviour exactly.

Each test pins what a faster implementation replaced, against the slower definition it came
from, over every input that matters.
"""

import sys
import unicodedata

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from retro.models import clean_text
from retro.store.table import _load


def _category_rule(char: str, multiline: bool) -> bool:
    """The rule clean_text enforced before: refuse Cc and Cs, except tab and newline in notes."""
    allowed = {"\n", "\t"} if multiline else set()
    return char not in allowed and unicodedata.category(char) in {"Cc", "Cs"}


@pytest.mark.parametrize("multiline", [True, False])
def test_clean_text_refuses_exactly_unicode_control_and_surrogate_characters(multiline):
    refused = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        try:
            clean_text(f"a{char}b", max_length=10, multiline=multiline)
        except ValueError:
            refused.append(code)
    expected = [c for c in range(sys.maxunicode + 1) if _category_rule(chr(c), multiline)]
    assert refused == expected
    assert len(refused) == (2113 - 2 if multiline else 2113)  # 65 Cc + 2,048 Cs


def test_clean_text_names_the_first_control_character():
    with pytest.raises(ValueError, match=r"found U\+0001\)"):
        clean_text("a\x01b\x02", max_length=10, multiline=True)
    with pytest.raises(ValueError, match=r"found U\+0009\)"):
        clean_text("a\tb\x02", max_length=10, multiline=False)


def test_loading_items_equals_typedeserializer_with_integers():
    serializer, deserializer = TypeSerializer(), TypeDeserializer()
    item = {
        "s": "text",
        "empty": "",
        "n": 7,
        "flag": True,
        "nothing": None,
        "list": [1, "x"],
        "map": {"k": 2},
        "strings": {"a", "b"},
        "numbers": {1, 2},
        "bytes": b"raw",
    }
    raw = {k: serializer.serialize(v) for k, v in item.items()}
    before = {k: deserializer.deserialize(v) for k, v in raw.items()}
    before = {k: int(v) if type(v).__name__ == "Decimal" else v for k, v in before.items()}
    assert _load(raw) == before
    assert type(_load(raw)["n"]) is int
