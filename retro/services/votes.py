"""Dot voting: each person has a budget of votes per version and may stack them on notes.

The budget holds under concurrency because spending a vote is one transaction that bumps the
person's ballot only while it is below the budget, and the note's count in the same step — so
a note's count always equals the votes recorded for it. With a `clientRequestId`, a retry of a
vote that was recorded (its answer lost) is answered with the note as it is, and spends nothing.

Votes are taken in the FREE and VOTE stages only; with the board's secret ballot, counts are
hidden while voting — the answer to a vote too, as AppSync sends it to every subscriber. Each
person sees their own votes on `Participation`.
"""

from retro.errors import NotFoundError
from retro.models import MyNote, Note, Participation, PublicNote, Stage
from retro.services import checks, stages
from retro.services.boardpage import live_board_and
from retro.services.boards import require_board
from retro.services.meeting import gated
from retro.services.notes import current_note, find_live_note, published
from retro.services.once import idempotency, or_replay
from retro.store import Store

__all__ = ["participation", "unvote", "vote"]


def vote(
    store: Store, caller: str, board_id: str, note_id: str, client_request_id: str | None = None
) -> PublicNote:
    """Spend one of the caller's votes on a note of the live version (once per key)."""
    once = idempotency(caller, "vote", client_request_id, note_id)

    def write() -> PublicNote:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id, "noteId")
        budget = board.settings.vote_budget

        def spend(stage: Stage) -> Note:
            store.vote(note, caller, budget, once, [stage])
            return _fresh(store, note)

        voted, stage = gated(store, board, stages.VOTING, stages.vote_refused, spend)
        return stages.public(voted, stages.meeting_in(board.settings, stage))

    return or_replay(
        store, once, write, lambda _: published(store, current_note(store, board_id, note_id))
    )


def unvote(
    store: Store, caller: str, board_id: str, note_id: str, client_request_id: str | None = None
) -> PublicNote:
    """Take back one of the caller's votes on a note of the live version (once per key)."""
    once = idempotency(caller, "unvote", client_request_id, note_id)

    def write() -> PublicNote:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id, "noteId")

        def take_back(stage: Stage) -> Note:
            store.unvote(note, caller, once, [stage])
            return _fresh(store, note)

        unvoted, stage = gated(store, board, stages.VOTING, stages.vote_refused, take_back)
        return stages.public(unvoted, stages.meeting_in(board.settings, stage))

    return or_replay(
        store, once, write, lambda _: published(store, current_note(store, board_id, note_id))
    )


def _fresh(store: Store, note: Note) -> Note:
    """The note as it is now: its count after the vote (or after the earlier one, replayed)."""
    return store.get_note(note.version_id, note.id, consistent=True) or note


def participation(store: Store, caller: str, board_id: str) -> Participation:
    """The caller's standing on the live version: ownership, votes spent and left, own notes."""
    # the board page's two rounds (retro.services.boardpage), beside which the client asks it
    found = live_board_and(
        store,
        checks.ident(board_id, "boardId"),
        lambda v: store.votes_spent(v, caller),
        store.notes,
    )
    if found is None:
        raise NotFoundError("board", board_id)
    board, (spent, notes) = found
    version_id = board.current_version.id
    used, per_note = spent
    return Participation(
        board_id=board.id,
        version_id=version_id,
        is_owner=board.owner_id == caller,
        vote_budget=board.settings.vote_budget,
        votes_used=used,
        my_votes=per_note,
        my_note_ids=[n.id for n in notes if n.author_id == caller],
        # the caller's own texts, hidden from everyone else or not: never broadcast
        my_notes=[
            MyNote(id=n.id, column=n.column, text=n.text) for n in notes if n.author_id == caller
        ],
    )
