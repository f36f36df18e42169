"""Input checks shared by the services: each failure names the field it is about."""

import re
from typing import Any

from retro.errors import ValidationError
from retro.ids import is_id
from retro.models import (
    MAX_NAME,
    MAX_NOTE_TEXT,
    MAX_TITLE,
    MAX_VOTE_BUDGET,
    MAX_WHO,
    MIN_VOTE_BUDGET,
    Column,
    clean_text,
)

__all__ = [
    "MAX_PAGE",
    "budget",
    "column",
    "flag",
    "idempotency_key",
    "ident",
    "name",
    "note_text",
    "page_size",
    "title",
    "who",
]

MAX_PAGE = 100
DEFAULT_PAGE = 20


# In a one-line field, bidirectional embeddings, overrides and isolates (U+202A-202E,
# U+2066-2069) reorder what is shown after them ("Trojan Source", CVE-2021-42574), and the line
# and paragraph separators (U+2028, U+2029) break the line. Notes may mix scripts and lines (the
# client isolates each note's text), so notes keep them.
_ONE_LINE_ONLY = re.compile(r"[\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# What shows nothing: white space, Unicode's format characters (Cf — zero-width space, BOM, word
# joiner, bidi controls, tags...: every Cf of Unicode 15, checked against unicodedata in
# tests/core/test_checks.py), the fillers and blanks fonts draw as empty (Hangul fillers, the
# braille blank) and variation selectors and joiners. A text of only these looks empty. The
# search stops at the first visible character: for ordinary text, the first one.
_VISIBLE = re.compile(
    r"[^\s\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160"
    r"\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164"
    r"\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    r"\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    r"\U000e0100-\U000e01ef]"
)


def _text(field: str, value: Any, max_length: int, *, multiline: bool) -> str:
    """Text a person typed: the stored-text rules (`clean_text`), plus two for new input.

    Something must be visible, and one-line text refuses direction and line-separator
    characters. These apply to what comes in, not to what is read back, so a note stored before
    the rule existed still loads.
    """
    if not isinstance(value, str):
        raise ValidationError(field, "must be a string")
    try:
        text = clean_text(value, max_length=max_length, multiline=multiline)
    except ValueError as error:
        raise ValidationError(field, str(error)) from error
    if not multiline and (found := _ONE_LINE_ONLY.search(text)):
        raise ValidationError(
            field,
            "must be one line without direction or line-separator characters "
            f"(found U+{ord(found.group()):04X})",
        )
    if not _VISIBLE.search(text):
        raise ValidationError(field, "must contain a visible character, not only invisible ones")
    return text


def note_text(value: Any, field: str = "text") -> str:
    return _text(field, value, MAX_NOTE_TEXT, multiline=True)


def title(value: Any, field: str = "title") -> str:
    return _text(field, value, MAX_TITLE, multiline=False)


def name(value: Any, field: str = "name") -> str:
    return _text(field, value, MAX_NAME, multiline=False)


def who(value: Any, field: str = "who") -> str:
    """Who takes an action on: a one-line name; "" (or only spaces) takes the name away."""
    if isinstance(value, str) and not value.strip():
        return ""
    return _text(field, value, MAX_WHO, multiline=False)


def ident(value: Any, field: str) -> str:
    """An id made by `retro.ids.new_id`; anything else cannot name a Retro item."""
    if not isinstance(value, str) or not is_id(value):
        raise ValidationError(field, "is not a valid id")
    return value


def column(value: Any, field: str = "column") -> Column:
    try:
        return Column(value)
    except ValueError as error:
        raise ValidationError(field, f"must be one of {', '.join(Column)}") from error


def budget(value: Any, field: str = "settings.voteBudget") -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(field, "must be a whole number from 1 to 100")
    if not MIN_VOTE_BUDGET <= value <= MAX_VOTE_BUDGET:
        raise ValidationError(field, "must be a whole number from 1 to 100")
    return value


def flag(value: Any, field: str) -> bool:
    """A yes/no setting; not given is no."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ValidationError(field, "must be true or false")
    return value


def page_size(value: Any, field: str = "limit") -> int:
    if value is None:
        return DEFAULT_PAGE
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_PAGE:
        raise ValidationError(field, f"must be from 1 to {MAX_PAGE}")
    return value


def idempotency_key(value: Any, field: str = "clientRequestId") -> str | None:
    if value is None:
        return None
    if (
        not isinstance(value, str)
        or not 1 <= len(value) <= 64
        or not value.isprintable()
        or "#" in value
    ):
        raise ValidationError(field, "must be 1 to 64 printable characters without '#'")
    return value
