"""Notes: anyone with the board link may add; only the author may edit or delete.

Writes go to the board's live version only; a frozen version refuses every write. A note is
always addressed by its full key — the board's live version and the note id — so a note id
used with another board's id finds nothing and changes nothing.
"""

from retro.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from retro.ids import new_id
from retro.models import Board, Note
from retro.services import checks
from retro.services.boards import require_board
from retro.services.once import idempotency, or_replay
from retro.store import NoteChanges, Store, Written
from retro.times import now

__all__ = ["add_note", "current_note", "delete_note", "find_live_note", "notes_of", "update_note"]


def notes_of(store: Store, version_id: str, column: str | None = None) -> list[Note]:
    """A version's notes in creation order, optionally of one column."""
    return store.notes(version_id, checks.column(column) if column is not None else None)


def add_note(
    store: Store,
    caller: str,
    board_id: str,
    column: str,
    text: str,
    client_request_id: str | None = None,
) -> Note:
    """Add a note to the board's live version (once per `client_request_id`)."""
    once = idempotency(caller, "addNote", client_request_id, board_id)

    def write() -> Note:
        board = require_board(store, board_id)
        moment = now()
        note = Note(
            id=new_id(),
            board_id=board.id,
            version_id=board.current_version.id,
            column=checks.column(column),
            text=checks.note_text(text),
            author_id=caller,
            created_at=moment,
            updated_at=moment,
        )
        written = store.add_note(note, once)
        return current_note(store, board_id, written.result_id) if written.replayed else note

    return or_replay(
        store, once, write, lambda earlier: current_note(store, board_id, earlier.result_id)
    )


def current_note(store: Store, board_id: str, note_id: str) -> Note:
    """A note of a board as it is now, wherever it lives (what a replayed write answers)."""
    version_id = store.version_of_note(note_id)
    note = store.get_note(version_id, note_id, consistent=True) if version_id else None
    if note is None or note.board_id != board_id:
        raise NotFoundError("note", note_id)
    return note


def find_live_note(store: Store, board: Board, note_id: str, field: str = "id") -> Note:
    """A note of the board's live version, or the error that explains why there is none."""
    checks.ident(note_id, field)
    note = store.get_note(board.current_version.id, note_id, consistent=True)
    if note is not None:
        return note
    # Not in the live version: say "frozen" if it is in an older version of this very board.
    version_id = store.version_of_note(note_id)
    if version_id and (version := store.get_version(board.id, version_id)):
        raise ConflictError(f"note {note_id} is in version {version.number}, which is frozen")
    raise NotFoundError("note", note_id)


def update_note(
    store: Store,
    caller: str,
    board_id: str,
    note_id: str,
    text: str | None = None,
    column: str | None = None,
    client_request_id: str | None = None,
) -> Note:
    """Change a note's text or column. Author only; once per `client_request_id`."""
    once = idempotency(caller, "updateNote", client_request_id, note_id)

    def write() -> Note:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id)
        if note.author_id != caller:
            raise _not_author(note_id, "edit")
        changes = NoteChanges(
            updated_at=now(),
            text=checks.note_text(text) if text is not None else None,
            column=checks.column(column) if column is not None else None,
        )
        if changes.text is None and changes.column is None:
            raise ValidationError("input", "give a new text or column")
        return store.update_note(note, changes, caller, once)

    return or_replay(store, once, write, lambda _: current_note(store, board_id, note_id))


def delete_note(
    store: Store, caller: str, board_id: str, note_id: str, client_request_id: str | None = None
) -> Note:
    """Delete a note; the votes on it go back to their voters. Author only.

    Returns the note as it was deleted — on a retry too (once per `client_request_id`), though
    it is gone by then: the delete recorded it for that answer.
    """
    once = idempotency(caller, "deleteNote", client_request_id, note_id)

    def write() -> Note:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id)
        if note.author_id != caller:
            raise _not_author(note_id, "delete")
        return store.delete_note(note, caller, once)

    return or_replay(store, once, write, lambda e: _deleted(store, board_id, note_id, e))


def _deleted(store: Store, board_id: str, note_id: str, earlier: Written) -> Note:
    note = store.replayed_delete(earlier)
    if note.board_id != board_id:
        raise NotFoundError("note", note_id)
    return note


def _not_author(note_id: str, action: str) -> ForbiddenError:
    return ForbiddenError(f"only the author of note {note_id} may {action} it")
