"""Models ↔ stored items, and changes → attributes: every item shape of the table is here.

Each item keeps its key plus its attributes in snake_case.

Times are stored as ISO-8601 strings in UTC with milliseconds ("2026-11-27T22:03:08.123Z"),
which sort as they compare. Reading an item back (`retro.store.reading`, re-exported here)
checks every attribute, so a corrupted row fails loudly instead of surfacing half-formed in an
API response.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from retro.models import Board, BoardVersion, Note, User, VersionRef
from retro.store import keys
from retro.store.changes import BoardChanges, Idempotency, NoteChanges
from retro.store.codec import Item, Key
from retro.store.gates import BOARD_MIRROR, meeting_attributes
from retro.store.reading import to_board, to_note, to_user, to_version
from retro.times import iso

__all__ = [
    "RECORD_LIFETIME",
    "Record",
    "Vote",
    "ballot_step",
    "board_changes",
    "board_item",
    "freeze",
    "idempotency_item",
    "key_of",
    "live_version",
    "note_changes",
    "note_item",
    "note_vote_step",
    "to_board",
    "to_note",
    "to_record",
    "to_user",
    "to_version",
    "to_vote",
    "token_item",
    "used_of",
    "user_item",
    "version_item",
    "vote_step",
]


def key_of(item: Item) -> Key:
    return (str(item["pid"]), str(item["cid"]))


def user_item(user: User) -> Item:
    pid, cid = keys.user(user.id)
    return {
        "pid": pid,
        "cid": cid,
        "id": user.id,
        "name": user.name,
        "created_at": iso(user.created_at),
    }


def token_item(user_id: str, token_hash: str) -> Item:
    pid, cid = keys.token(user_id, token_hash)
    return {"pid": pid, "cid": cid, "user_id": user_id}


# -- idempotency records: what a write under a client's key came to -------------------------
# A client retries within seconds or minutes; a day is far beyond any retry, and short enough
# that what a record keeps (a deleted note's text) does not linger where a table TTL on
# `expires_at` removes it.
RECORD_LIFETIME = timedelta(days=1)


@dataclass(frozen=True)
class Record:
    """An idempotency record: the write's operation, its target, what it made or changed, and
    — for a delete — the item as it was, so a retry can answer it after it is gone."""

    operation: str
    target_id: str
    result_id: str
    snapshot: Item | None = None


def idempotency_item(
    once: Idempotency, result_id: str, at: datetime, snapshot: Item | None = None
) -> Item:
    pid, cid = keys.idempotency(once.user_id, once.operation, once.client_key)
    return {
        "pid": pid,
        "cid": cid,
        "operation": once.operation,
        "target_id": once.target_id,
        "result_id": result_id,
        "created_at": iso(at),
        "expires_at": int((at + RECORD_LIFETIME).timestamp()),
        # a JSON string, not a map: the item's numbers come back as they went in
        "snapshot": json.dumps(snapshot) if snapshot is not None else None,
    }


def to_record(item: Item) -> Record:
    snapshot = item.get("snapshot")
    return Record(
        operation=str(item.get("operation", "")),
        target_id=str(item.get("target_id", "")),  # records written before targets: none
        result_id=str(item["result_id"]),
        snapshot=json.loads(snapshot) if isinstance(snapshot, str) else None,
    )


def board_item(board: Board) -> Item:
    pid, cid = keys.board(board.owner_id, board.id)
    return {
        "pid": pid,
        "cid": cid,
        "id": board.id,
        "owner_id": board.owner_id,
        "title": board.title,
        "vote_budget": board.settings.vote_budget,
        "hide_while_writing": board.settings.hide_while_writing,
        "secret_ballot": board.settings.secret_ballot,
        "created_at": iso(board.created_at),
        "updated_at": iso(board.updated_at),
        # the live version rides on the board item: a board page needs no extra read for it
        **_current_version(board.current_version),
    }


def _current_version(version: VersionRef | BoardVersion) -> Item:
    return {
        "cv_id": version.id,
        "cv_number": version.number,
        "cv_title": version.title,
        "cv_created_at": iso(version.created_at),
        **meeting_attributes(version.stage, version.timer, BOARD_MIRROR),
        f"{BOARD_MIRROR}meeting_rev": version.meeting_rev or None,
    }


def live_version(new: BoardVersion) -> Item:
    """What a board's item changes to when `new` becomes its live version."""
    return {**_current_version(new), "updated_at": iso(new.created_at)}


def board_changes(changes: BoardChanges) -> Item:
    """The attributes a board change sets."""
    attributes: Item = {"updated_at": iso(changes.updated_at)}
    if changes.title is not None:
        attributes["title"] = changes.title
    if changes.vote_budget is not None:
        attributes["vote_budget"] = changes.vote_budget
    if changes.hide_while_writing is not None:
        attributes["hide_while_writing"] = changes.hide_while_writing
    if changes.secret_ballot is not None:
        attributes["secret_ballot"] = changes.secret_ballot
    return attributes


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
        **meeting_attributes(version.stage, version.timer),
    }


def freeze(at: datetime) -> Item:
    """What a version's item changes to when it is frozen."""
    return {"frozen_at": iso(at)}


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
        "carried_count": note.carried_count or None,
        "done": note.done or None,
        "who": note.who,
        "group_id": note.group_id,
        "group_title": note.group_title,
        "text_rev": note.text_rev or None,
        "votes_rev": note.votes_rev or None,
    }


def note_changes(changes: NoteChanges) -> Item:
    """The attributes a note edit sets."""
    attributes: Item = {"updated_at": iso(changes.updated_at)}
    if changes.text is not None:
        attributes["text"] = changes.text
    if changes.column is not None:
        attributes["column"] = changes.column.value
    if changes.done is not None:
        attributes["done"] = changes.done or None  # absent reads as not done
    if changes.who is not None:
        attributes["who"] = changes.who or None  # "" clears it
    if changes.leaves_group:
        attributes |= {"group_id": None, "group_title": None}
    return attributes


# -- votes: a ballot per voter and version, a vote item per voter and note -------------------
@dataclass(frozen=True)
class Vote:
    """A voter's votes on one note (never leaves the store: who voted is not to be shown)."""

    voter: str
    note_id: str
    count: int


def to_vote(item: Item) -> Vote:
    voter, note_id = keys.vote_parts(str(item["cid"]))
    return Vote(voter=voter, note_id=note_id, count=int(item.get("count", 0)))


def used_of(ballot: Item | None) -> int:
    """Votes spent according to a ballot item (none without one)."""
    return int(ballot.get("used", 0)) if ballot else 0


def ballot_step(step: int) -> dict[str, int]:
    """The ballot's counter of votes spent on the version moves by `step`."""
    return {"used": step}


def vote_step(step: int) -> dict[str, int]:
    """The vote item's count moves by `step`."""
    return {"count": step}


def note_vote_step(step: int) -> dict[str, int]:
    """The note's count moves by `step`, and its vote moves by one whichever way."""
    return {"votes": step, "vote_moves": 1}
