"""Input checks shared by the services: each failure names the field it is about."""

from typing import Any

import pydantic

from retro.errors import ValidationError
from retro.ids import is_id
from retro.models import MAX_NAME, MAX_NOTE_TEXT, MAX_TITLE, BoardSettings, Column, clean_text

__all__ = [
    "MAX_PAGE",
    "budget",
    "column",
    "idempotency_key",
    "ident",
    "name",
    "note_text",
    "page_size",
    "title",
]

MAX_PAGE = 100
DEFAULT_PAGE = 20


def _text(field: str, value: Any, max_length: int, *, multiline: bool) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, "must be a string")
    try:
        return clean_text(value, max_length=max_length, multiline=multiline)
    except ValueError as error:
        raise ValidationError(field, str(error)) from error


def note_text(value: Any, field: str = "text") -> str:
    return _text(field, value, MAX_NOTE_TEXT, multiline=True)


def title(value: Any, field: str = "title") -> str:
    return _text(field, value, MAX_TITLE, multiline=False)


def name(value: Any, field: str = "name") -> str:
    return _text(field, value, MAX_NAME, multiline=False)


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
    try:
        return BoardSettings(vote_budget=value).vote_budget
    except pydantic.ValidationError as error:
        raise ValidationError(field, "must be a whole number from 1 to 100") from error


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
