"""Stored items as models, every attribute checked: a corrupted row fails loudly here.

The table holds strings, whole numbers (`codec.load` turns DynamoDB's numbers into int) and
booleans; each reader takes one attribute, refuses any other type with a ValueError naming the
attribute, and turns stored moments back into datetimes. The models check the rest (lengths,
characters, bounds) when they are built.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from retro.models import (
    Board,
    BoardSettings,
    BoardVersion,
    Column,
    Note,
    Stage,
    Timer,
    User,
    VersionRef,
)
from retro.store.codec import Item
from retro.store.gates import BOARD_MIRROR, meeting_fields
from retro.times import parse

__all__ = [
    "flag",
    "moment",
    "optional_moment",
    "optional_text",
    "text",
    "timer",
    "to_board",
    "to_note",
    "to_user",
    "to_version",
    "whole",
]


def _fail(name: str, problem: str) -> ValueError:
    return ValueError(f"stored attribute {name}: {problem}")


def text(item: Mapping[str, Any], name: str) -> str:
    value = item.get(name)
    if not isinstance(value, str):
        raise _fail(name, "must be a string")
    return value


def optional_text(item: Mapping[str, Any], name: str) -> str | None:
    return None if item.get(name) is None else text(item, name)


def whole(item: Mapping[str, Any], name: str, default: int | None = None) -> int:
    value = item.get(name)
    if value is None and default is not None:
        return default
    if not isinstance(value, int) or isinstance(value, bool):
        raise _fail(name, "must be a whole number")
    return value


def flag(item: Mapping[str, Any], name: str) -> bool:
    """A stored yes/no; absent (as the table leaves a false one out) reads as False."""
    value = item.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _fail(name, "must be true or false")
    return value


def moment(item: Mapping[str, Any], name: str) -> datetime:
    try:
        return parse(item.get(name))
    except ValueError as error:
        raise _fail(name, str(error)) from None


def optional_moment(item: Mapping[str, Any], name: str) -> datetime | None:
    return None if item.get(name) is None else moment(item, name)


def timer(fields: Mapping[str, Any]) -> Timer | None:
    """The `timer` of `gates.meeting_fields` (a dict of its attributes, or None) as a Timer."""
    found = fields.get("timer")
    if found is None:
        return None
    return Timer(
        ends_at=moment(found, "ends_at"),
        seconds=whole(found, "seconds"),
        advances=flag(found, "advances"),
        stopped=flag(found, "stopped"),
        moved_on=flag(found, "moved_on"),
    )


def to_user(item: Item) -> User:
    return User(
        id=text(item, "id"),
        name=optional_text(item, "name"),
        created_at=moment(item, "created_at"),
    )


def to_board(item: Item) -> Board:
    meeting = meeting_fields(item, BOARD_MIRROR)
    return Board(
        id=text(item, "id"),
        owner_id=text(item, "owner_id"),
        title=text(item, "title"),
        settings=BoardSettings(
            vote_budget=whole(item, "vote_budget"),
            hide_while_writing=flag(item, "hide_while_writing"),
            secret_ballot=flag(item, "secret_ballot"),
        ),
        created_at=moment(item, "created_at"),
        updated_at=moment(item, "updated_at"),
        current_version=VersionRef(
            id=text(item, "cv_id"),
            number=whole(item, "cv_number"),
            title=optional_text(item, "cv_title"),
            created_at=moment(item, "cv_created_at"),
            stage=Stage(meeting["stage"]),
            timer=timer(meeting),
            meeting_rev=whole(item, f"{BOARD_MIRROR}meeting_rev", 0),
        ),
    )


def to_version(item: Item) -> BoardVersion:
    meeting = meeting_fields(item)
    return BoardVersion(
        id=text(item, "id"),
        board_id=text(item, "board_id"),
        number=whole(item, "number"),
        title=optional_text(item, "title"),
        created_at=moment(item, "created_at"),
        frozen_at=optional_moment(item, "frozen_at"),
        stage=Stage(meeting["stage"]),
        timer=timer(meeting),
        meeting_rev=whole(item, "meeting_rev", 0),
    )


def to_note(item: Item) -> Note:
    # a snapshot (a deleted note's JSON) keeps the None attributes a table item leaves out
    # (the readers take None as absent)
    return Note(
        id=text(item, "id"),
        board_id=text(item, "board_id"),
        version_id=text(item, "version_id"),
        column=Column(text(item, "column")),
        text=text(item, "text"),
        votes=whole(item, "votes", 0),
        vote_moves=whole(item, "vote_moves", 0),
        author_id=text(item, "author_id"),
        created_at=moment(item, "created_at"),
        updated_at=moment(item, "updated_at"),
        carried_from=optional_text(item, "carried_from"),
        carried_count=whole(item, "carried_count", 0),
        done=flag(item, "done"),
        who=optional_text(item, "who"),
        group_id=optional_text(item, "group_id"),
        group_title=optional_text(item, "group_title"),
        text_rev=whole(item, "text_rev", 0),
        votes_rev=whole(item, "votes_rev", 0),
    )
