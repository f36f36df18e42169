"""Input text rules beyond the stored-text ones: something visible; one-line means one line."""

import sys
import unicodedata

import pytest

from retro import services
from retro.errors import ValidationError
from retro.services import checks
from retro.services.checks import _VISIBLE
from retro.store import Store


def test_every_unicode_format_character_counts_as_invisible() -> None:
    # GIVEN this Python's Unicode database; THEN no format character (Cf) is taken as visible
    visible = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Cf" and _VISIBLE.search(chr(code))
    ]
    assert visible == []


@pytest.mark.parametrize(
    "text", ["\u200b\u200b", "\ufeff", " \u200d\u2060 ", "\u3164", "\u2800", "\U000e0041"]
)
def test_text_of_only_invisible_characters_is_refused(text: str) -> None:
    for check, field in ((checks.note_text, "text"), (checks.title, "title")):
        with pytest.raises(ValidationError, match="visible character") as caught:
            check(text)
        assert caught.value.field == field


@pytest.mark.parametrize("char", ["\u202a", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029"])
def test_one_line_fields_refuse_direction_and_line_separator_characters(char: str) -> None:
    for check, field in ((checks.title, "title"), (checks.name, "name")):
        with pytest.raises(ValidationError, match=f"U\\+{ord(char):04X}") as caught:
            check(f"left{char}right")
        assert caught.value.field == field
    assert checks.note_text(f"left{char}right") == f"left{char}right"  # notes keep them


def test_visible_text_with_invisible_characters_inside_is_kept() -> None:
    assert checks.note_text("a\u200bb") == "a\u200bb"
    assert checks.title("café 👩\u200d💻") == "café 👩\u200d💻"
    assert checks.name("\u05e9\u05dc\u05d5\u05dd") == "\u05e9\u05dc\u05d5\u05dd"  # Hebrew


def test_an_invisible_note_writes_nothing(store: Store, owner: str) -> None:
    board = services.create_board(store, owner, "Invisible")
    with pytest.raises(ValidationError, match="text: must contain a visible character"):
        services.add_note(store, owner, board.id, "GOOD", "\u200b\u200b")
    assert store.notes(board.current_version.id) == []
