"""Dot voting: each person has a budget of votes per version and may stack them on notes.

The budget holds under concurrency because spending a vote is one transaction that bumps the
person's ballot only while it is below the budget, and the note's count in the same step — so
a note's count always equals the votes recorded for it. With a `clientRequestId`, a retry of a
vote that was recorded (its answer lost) is answered with the note as it is, and spends nothing.

Votes are taken in the FREE and VOTE stages only; with the board's secret ballot, counts are
hidden while voting. Each person sees their own votes on `Participation`.

During a secret ballot a vote (or unvote) answers **nothing** (None, no error): AppSync sends a
mutation's answer to every subscriber of the subscriptions bound to it (`onNoteUpdated`), and
even a note whose count is null would tell everyone *which* note just got a vote — what the
ballot keeps secret until the reveal. A null answer matches no subscriber's `boardId` filter,
so nothing is sent; the voter learns it was taken from the absence of an error, and reads their
votes on `Participation`.
"""

from retro.errors import NotFoundError
from retro.models import MyNote, Note, Participation, PublicNote
from retro.services import checks, stages
from retro.services.boardpage import live_board_and
from retro.services.boards import require_board
from retro.services.meeting import Gate, gated
from retro.services.notes import current_note, find_live_note, published
from retro.services.once import idempotency, or_replay
from retro.store import Store

__all__ = ["participation", "unvote", "vote"]


def vote(
    store: Store, caller: str, board_id: str, note_id: str, client_request_id: str | None = None
) -> PublicNote | None:
    """Spend one of the caller's votes on a note of the live version (once per key); the note
    as anyone may see it, or None if the vote was cast in a secret ballot."""
    once = idempotency(caller, "vote", client_request_id, note_id)

    def write() -> PublicNote | None:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id, "noteId")
        budget = board.settings.vote_budget

        def spend(gate: Gate) -> Note:
            store.vote(note, caller, budget, once, [gate.stage], gate.pin)
            return _fresh(store, note)

        voted, gate = gated(store, board, stages.VOTING, stages.vote_refused, spend)
        return _answer(gate.shown(voted))

    return or_replay(store, once, write, lambda _: _replayed(store, board_id, note_id))


def unvote(
    store: Store, caller: str, board_id: str, note_id: str, client_request_id: str | None = None
) -> PublicNote | None:
    """Take back one of the caller's votes on a note of the live version (once per key); the
    note as anyone may see it, or None if taken back in a secret ballot."""
    once = idempotency(caller, "unvote", client_request_id, note_id)

    def write() -> PublicNote | None:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id, "noteId")

        def take_back(gate: Gate) -> Note:
            store.unvote(note, caller, once, [gate.stage], gate.pin)
            return _fresh(store, note)

        unvoted, gate = gated(store, board, stages.VOTING, stages.vote_refused, take_back)
        return _answer(gate.shown(unvoted))

    return or_replay(store, once, write, lambda _: _replayed(store, board_id, note_id))


def _answer(shown: PublicNote) -> PublicNote | None:
    """What a vote answers: nothing while its count is hidden (the answer is every
    subscriber's message, and it would name the note voted on). A public note's count is null
    only then: hidden by the stage, or voted on hidden after the gate's read (a replay)."""
    return None if shown.votes is None else shown


def _replayed(store: Store, board_id: str, note_id: str) -> PublicNote | None:
    """A retried vote's answer: the note as the live version shows it now, or nothing while
    its counts are hidden (a public note's count is null only then)."""
    return _answer(published(store, current_note(store, board_id, note_id)))


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
