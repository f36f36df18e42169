"""Action items: an ACTION note is ticked off (done) or opened again, and may name who takes it.

Anyone on the board may do either — it is the team's agreement, not the author's privilege —
on the live version, in every stage (ACTION notes are open in all of them). `who` is a name people
type, never an identity: nothing ties it to a user, and while the board hides texts it is hidden
too (`stages.public`). Starting a new version carries only the actions that are not done
(`retro.services.versions`); a done action stays, done, in its version.

The note's write and its version's counts (`retro.store.tallies`) are one transaction; the
answer is the public note, which AppSync sends to every `onNoteUpdated` subscriber.
"""

from retro.errors import ConflictError, ValidationError
from retro.models import Column, PublicNote
from retro.services import checks, stages
from retro.services.boards import require_board
from retro.services.meeting import gated
from retro.services.notes import current_note, find_live_note, published
from retro.services.once import idempotency, or_replay
from retro.store import NoteChanges, Store
from retro.times import now

__all__ = ["update_action"]


def update_action(
    store: Store,
    caller: str,
    board_id: str,
    note_id: str,
    done: bool | None = None,
    who: str | None = None,
    client_request_id: str | None = None,
) -> PublicNote:
    """Tick an action off or open it again (`done`), name who takes it (`who`; "" clears it).
    Anyone on the board; once per `client_request_id`."""
    once = idempotency(caller, "updateAction", client_request_id, note_id)
    if done is None and who is None:
        raise ValidationError("input", "give done or who")
    if done is not None and not isinstance(done, bool):
        raise ValidationError("done", "must be true or false")
    named = checks.who(who) if who is not None else None

    def write() -> PublicNote:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id)
        if note.column is not Column.ACTION:
            raise ConflictError(
                f"note {note_id} is not an action (it is in {note.column.value}): only ACTION "
                "notes are done or taken on"
            )
        changes = NoteChanges(updated_at=now(), done=done, who=named)
        updated, gate = gated(
            store,
            board,
            stages.note_stages([Column.ACTION]),
            lambda now_in: stages.edit_refused(Column.ACTION, now_in),  # never: ACTION is open
            # who is text: named while texts are hidden, it is stamped as a hidden write
            lambda gate: store.update_note(note, changes, None, once, [gate.stage], gate.pin),
        )
        return gate.shown(updated)

    return or_replay(
        store, once, write, lambda _: published(store, current_note(store, board_id, note_id))
    )
