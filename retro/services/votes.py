"""Dot voting: each person has a budget of votes per version and may stack them on notes.

The budget holds under concurrency because spending a vote is one transaction that bumps the
person's ballot only while it is below the budget, and the note's count in the same step — so
a note's count always equals the votes recorded for it. With a `clientRequestId`, a retry of a
vote that was recorded (its answer lost) is answered with the note as it is, and spends nothing.
"""

from retro.models import Note, Participation
from retro.services.boards import require_board
from retro.services.notes import current_note, find_live_note
from retro.services.once import idempotency, or_replay
from retro.store import Store

__all__ = ["participation", "unvote", "vote"]


def vote(
    store: Store, caller: str, board_id: str, note_id: str, client_request_id: str | None = None
) -> Note:
    """Spend one of the caller's votes on a note of the live version (once per key)."""
    once = idempotency(caller, "vote", client_request_id, note_id)

    def write() -> Note:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id, "noteId")
        store.vote(note, caller, board.settings.vote_budget, once)
        return _fresh(store, note)

    return or_replay(store, once, write, lambda _: current_note(store, board_id, note_id))


def unvote(
    store: Store, caller: str, board_id: str, note_id: str, client_request_id: str | None = None
) -> Note:
    """Take back one of the caller's votes on a note of the live version (once per key)."""
    once = idempotency(caller, "unvote", client_request_id, note_id)

    def write() -> Note:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id, "noteId")
        store.unvote(note, caller, once)
        return _fresh(store, note)

    return or_replay(store, once, write, lambda _: current_note(store, board_id, note_id))


def _fresh(store: Store, note: Note) -> Note:
    """The note as it is now: its count after the vote (or after the earlier one, replayed)."""
    return store.get_note(note.version_id, note.id, consistent=True) or note


def participation(store: Store, caller: str, board_id: str) -> Participation:
    """The caller's standing on the live version: ownership, votes spent and left, own notes."""
    board = require_board(store, board_id)
    version_id = board.current_version.id
    spent, notes = store.parallel(
        lambda: store.votes_spent(version_id, caller),
        lambda: store.notes(version_id),
    )
    used, per_note = spent
    return Participation(
        board_id=board.id,
        version_id=version_id,
        is_owner=board.owner_id == caller,
        vote_budget=board.settings.vote_budget,
        votes_used=used,
        my_votes=per_note,
        my_note_ids=[n.id for n in notes if n.author_id == caller],
    )
