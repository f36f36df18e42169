"""What services hand the store to change: typed, so a misspelt attribute cannot be written.

`retro.store.records` turns each into the attributes it sets, in the one place that knows
how items are shaped. A field left as None is left unchanged.
"""

from datetime import datetime
from typing import NamedTuple

from retro.models import Column

__all__ = ["BoardChanges", "Idempotency", "NoteChanges"]


class BoardChanges(NamedTuple):
    """A rename or a settings change of a board (already checked by the service)."""

    updated_at: datetime
    title: str | None = None
    vote_budget: int | None = None
    hide_while_writing: bool | None = None
    secret_ballot: bool | None = None


class NoteChanges(NamedTuple):
    """An edit of a note's text, a move to another column, an action ticked off or named
    (already checked). A move to another column leaves the note's group."""

    updated_at: datetime
    text: str | None = None
    column: Column | None = None
    done: bool | None = None
    who: str | None = None  # "" takes the name away
    leaves_group: bool = False


class Idempotency(NamedTuple):
    """A client's key for a write (`clientRequestId`): the write happens once per key.

    A key belongs to its caller and its operation. `target_id` names what the write addresses
    (the board a note is added to, the note voted on; empty for `createBoard`): the same key
    sent again for another target is a client's mistake, not a retry.
    """

    user_id: str
    operation: str
    client_key: str
    target_id: str = ""
