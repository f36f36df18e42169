"""The items that make starting a version and deleting a board whole after a crash.

Each multi-request change leaves a mark before its first step and takes it away in, or after,
its last one, so whoever looks later — a retry, the next start, `retro doctor` — can tell an
unfinished change from a finished one and finish or undo it:

- a **staging marker** (`B#<board>/STAGE#<new version>`) is put before a new version's carried
  notes are written, and deleted by the one transaction that makes the version live. A marker
  whose version never went live names notes nobody can see: they are removed.
- a **carry receipt** (`V#<new version>/CARRY#<source note>`) is written with each carried copy
  and outlives it (its author may delete the copy): the carry is finished when every ACTION note
  of the frozen version has a receipt, which is checkable at any time.
- a started version's item says where it came from (`previous_id`) and whether its carry is
  still `pending` (late actions not yet copied) or `done`.
- a **tombstone** (`deleted_at` on the board item) hides a board and closes it to writes in one
  write; the cleanup after it can stop anywhere and be resumed.
"""

from datetime import datetime
from typing import NamedTuple

from retro.models import BoardVersion, Note, VersionRef
from retro.store import keys
from retro.store.codec import Item
from retro.store.records import version_item
from retro.times import iso

__all__ = [
    "CARRY_DONE",
    "CARRY_PENDING",
    "Staged",
    "carry_state",
    "deleted_at",
    "previous_of",
    "receipt_item",
    "stage_item",
    "started_version_item",
    "to_staged",
    "tombstone",
]

CARRY_PENDING, CARRY_DONE = "pending", "done"


class Staged(NamedTuple):
    """A version being started (or abandoned): its number and the version it follows."""

    board_id: str
    version_id: str
    number: int
    from_id: str
    from_number: int
    created_at: str


def stage_item(new: BoardVersion, previous: VersionRef) -> Item:
    pid, cid = keys.stage(new.board_id, new.id)
    return {
        "pid": pid,
        "cid": cid,
        "board_id": new.board_id,
        "version_id": new.id,
        "number": new.number,
        "from_id": previous.id,
        "from_number": previous.number,
        "created_at": iso(new.created_at),
    }


def to_staged(item: Item) -> Staged:
    return Staged(
        board_id=str(item["board_id"]),
        version_id=str(item["version_id"]),
        number=int(item["number"]),
        from_id=str(item["from_id"]),
        from_number=int(item["from_number"]),
        created_at=str(item["created_at"]),
    )


def started_version_item(new: BoardVersion, previous_id: str) -> Item:
    """A version made by a start: it follows `previous_id`, and its carry is not finished yet."""
    return {**version_item(new), "previous_id": previous_id, "carry": CARRY_PENDING}


def carry_state(item: Item) -> str | None:
    """`pending`, `done`, or None for a version no start made (version 1, or made before
    receipts existed: nothing to check)."""
    state = item.get("carry")
    return str(state) if state is not None else None


def previous_of(item: Item) -> str | None:
    previous = item.get("previous_id")
    return str(previous) if previous is not None else None


def receipt_item(copy: Note) -> Item:
    """The receipt of a carried copy, under the copy's version, keyed by the note it copies."""
    if copy.carried_from is None:
        raise ValueError(f"note {copy.id} is not a carried copy")
    pid, cid = keys.receipt(copy.version_id, copy.carried_from)
    return {"pid": pid, "cid": cid, "board_id": copy.board_id, "note_id": copy.id}


def tombstone(at: datetime) -> Item:
    """What a board's item changes to when its deletion begins."""
    return {"deleted_at": iso(at)}


def deleted_at(item: Item) -> str | None:
    """When a board's deletion began, or None for an open board."""
    value = item.get("deleted_at")
    return str(value) if value is not None else None
