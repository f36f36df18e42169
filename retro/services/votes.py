"""Dot voting: each person has a budget of votes per version and may stack them on notes.

The budget holds under concurrency because spending a vote is one transaction that bumps the
person's ballot only while it is below the budget, and the note's count in the same step — so
a note's count always equals the votes recorded for it.
"""

from retro.models import Note, Participation
from retro.services.boards import require_board
from retro.services.notes import find_live_note
from retro.store import Store

__all__ = ["participation", "unvote", "vote"]


def vote(store: Store, caller: str, board_id: str, note_id: str) -> Note:
    """Spend one of the caller's votes on a note of the live version."""
    board = require_board(store, board_id)
    note = find_live_note(store, board, note_id, "noteId")
    store.vote(note, caller, board.settings.vote_budget)
    return _fresh(store, note)


def unvote(store: Store, caller: str, board_id: str, note_id: str) -> Note:
    """Take back one of the caller's votes on a note of the live version."""
    board = require_board(store, board_id)
    note = find_live_note(store, board, note_id, "noteId")
    store.unvote(note, caller)
    return _fresh(store, note)


def _fresh(store: Store, note: Note) -> Note:
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
