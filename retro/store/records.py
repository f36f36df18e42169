"""Models ↔ stored items. Each item keeps its key plus its attributes in snake_case.

Times are stored as ISO-8601 strings in UTC with milliseconds ("2026-11-27T22:03:08.123Z"),
which sort as they compare. Reading validates every item through its model, so a corrupted row
fails loudly here instead of surfacing half-formed in an API response.
"""

from typing import Any

from retro.models import Board, BoardVersion, Note, User
from retro.store import keys
from retro.times import iso

__all__ = [
    "board_item",
    "note_item",
    "to_board",
    "to_note",
    "to_user",
    "to_version",
    "user_item",
    "version_item",
]

Item = dict[str, Any]


def user_item(user: User) -> Item:
    pid, cid = keys.user(user.id)
    return {
        "pid": pid,
        "cid": cid,
        "id": user.id,
        "name": user.name,
        "created_at": iso(user.created_at),
    }


def to_user(item: Item) -> User:
    return User.model_validate(item)


def board_item(board: Board) -> Item:
    pid, cid = keys.board(board.owner_id, board.id)
    current = board.current_version
    return {
        "pid": pid,
        "cid": cid,
        "id": board.id,
        "owner_id": board.owner_id,
        "title": board.title,
        "vote_budget": board.settings.vote_budget,
        "created_at": iso(board.created_at),
        "updated_at": iso(board.updated_at),
        # the live version rides on the board item: a board page needs no extra read for it
        "cv_id": current.id,
        "cv_number": current.number,
        "cv_title": current.title,
        "cv_created_at": iso(current.created_at),
    }


def to_board(item: Item) -> Board:
    return Board.model_validate(
        {
            **item,
            "settings": {"vote_budget": item["vote_budget"]},
            "current_version": {
                "id": item["cv_id"],
                "number": item["cv_number"],
                "title": item.get("cv_title"),
                "created_at": item["cv_created_at"],
            },
        }
    )


def version_item(version: BoardVersion) -> Item:
    pid, cid = keys.version(version.board_id, version.id)
    return {
        "pid": pid,
        "cid": cid,
        "id": version.id,
        "board_id": version.board_id,
        "number": version.number,
        "title": version.title,
        "created_at": iso(version.created_at),
        "frozen_at": iso(version.frozen_at),
    }


def to_version(item: Item) -> BoardVersion:
    return BoardVersion.model_validate(item)


def note_item(note: Note) -> Item:
    pid, cid = keys.note(note.version_id, note.id)
    return {
        "pid": pid,
        "cid": cid,
        "id": note.id,
        "board_id": note.board_id,
        "version_id": note.version_id,
        "column": note.column.value,
        "text": note.text,
        "votes": note.votes,
        "vote_moves": note.vote_moves,
        "author_id": note.author_id,
        "created_at": iso(note.created_at),
        "updated_at": iso(note.updated_at),
        "carried_from": note.carried_from,
    }


def to_note(item: Item) -> Note:
    return Note.model_validate(item)
