"""Notes: anyone with the board link may add; only the author may edit; the author or the
board's owner (moderation) may delete.

Writes go to the board's live version only; a frozen version refuses every write, and the
version's stage may refuse some (`retro.services.stages`). A note is always addressed by its
full key — the board's live version and the note id — so a note id used with another board's id
finds nothing and changes nothing. Every note a write answers with is the public note: what its
stage hides is not in it (AppSync sends the answer to every subscriber, the author included).
"""

from retro.errors import ConflictError, ForbiddenError, NotFoundError, ValidationError
from retro.ids import new_id
from retro.models import Board, Column, Note, PublicNote, Stage
from retro.services import checks, stages
from retro.services.boards import require_board
from retro.services.meeting import Gate, gated
from retro.services.once import idempotency, or_replay
from retro.store import NoteChanges, Store, Written
from retro.times import now

__all__ = [
    "add_note",
    "current_note",
    "delete_note",
    "find_live_note",
    "notes_of",
    "published",
    "update_note",
]


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
) -> PublicNote:
    """Add a note to the board's live version (once per `client_request_id`)."""
    once = idempotency(caller, "addNote", client_request_id, board_id)
    chosen, text = checks.column(column), checks.note_text(text)

    def write() -> PublicNote:
        board = require_board(store, board_id)
        moment = now()
        note = Note(
            id=new_id(),
            board_id=board.id,
            version_id=board.current_version.id,
            column=chosen,
            text=text,
            author_id=caller,
            created_at=moment,
            updated_at=moment,
        )

        def add(gate: Gate) -> Note:
            written = store.add_note(note, once, [gate.stage], gate.pin)
            return current_note(store, board_id, written.result_id) if written.replayed else note

        added, gate = gated(
            store,
            board,
            stages.note_stages([chosen]),
            lambda now_in: stages.add_refused(chosen, now_in),
            add,
        )
        return gate.shown(added)

    return or_replay(
        store,
        once,
        write,
        lambda earlier: published(store, current_note(store, board_id, earlier.result_id)),
    )


def published(store: Store, note: Note) -> PublicNote:
    """`note` as its board's live version shows it now (for answers that read the board anew)."""
    board = require_board(store, note.board_id)
    if note.version_id != board.current_version.id:  # a frozen version hides nothing
        return stages.public(note, stages.MeetingState(Stage.FREE, None, False, False))
    live = board.current_version
    # a note written hidden after this board read (a replay's, read eventually consistent)
    # is shown hidden: its stamp is newer than the read
    meeting = stages.meeting_of(board.settings, live, now())
    return stages.public_as_read(note, meeting, live.meeting_rev)


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
) -> PublicNote:
    """Change a note's text or column (a move leaves its group). Author only; once per
    `client_request_id`."""
    once = idempotency(caller, "updateNote", client_request_id, note_id)

    def write() -> PublicNote:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id)
        if note.author_id != caller:
            raise _not_author(note_id, "edit")
        moved_to = checks.column(column) if column is not None else None
        moves = moved_to is not None and moved_to is not note.column
        leaves_action = moves and note.column is Column.ACTION
        changes = NoteChanges(
            updated_at=now(),
            text=checks.note_text(text) if text is not None else None,
            column=moved_to,
            # done and who describe an action: a note that stops being one loses them
            done=False if leaves_action and note.done else None,
            who="" if leaves_action and note.who else None,
            leaves_group=moves and note.group_id is not None,  # a group is of one column
        )
        if changes.text is None and changes.column is None:
            raise ValidationError("input", "give a new text or column")
        touched = [note.column] + ([changes.column] if changes.column else [])
        fixed = next((c for c in touched if c is not Column.ACTION), Column.ACTION)
        updated, gate = gated(
            store,
            board,
            stages.note_stages(touched),
            lambda now_in: stages.edit_refused(fixed, now_in),
            lambda gate: store.update_note(note, changes, caller, once, [gate.stage], gate.pin),
        )
        return gate.shown(updated)

    return or_replay(
        store, once, write, lambda _: published(store, current_note(store, board_id, note_id))
    )


def delete_note(
    store: Store, caller: str, board_id: str, note_id: str, client_request_id: str | None = None
) -> PublicNote:
    """Delete a note; the votes on it go back to their voters. Its author may, in any stage,
    and the board's owner may delete any note of the live version (moderation) — the answer is
    the same public note either way, so it says nothing of who wrote it.

    Returns the note as it was deleted — on a retry too (once per `client_request_id`), though
    it is gone by then: the delete recorded it for that answer.
    """
    once = idempotency(caller, "deleteNote", client_request_id, note_id)

    def write() -> PublicNote:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id)
        if caller not in (note.author_id, board.owner_id):
            raise ForbiddenError(
                f"only the author of note {note_id} or the board's owner may delete it"
            )
        # The store's condition holds the note's author as read: whoever deletes it, the
        # delete is of this note, untouched since, by the author it had.
        deleted, gate = gated(
            store,
            board,
            stages.ALL_STAGES,
            stages.vote_refused,  # never used: every stage allows a delete
            lambda gate: store.delete_note(note, note.author_id, once, [gate.stage], gate.pin),
        )
        return gate.shown(deleted)

    return or_replay(store, once, write, lambda e: _deleted(store, board_id, note_id, e))


def _deleted(store: Store, board_id: str, note_id: str, earlier: Written) -> PublicNote:
    note = store.replayed_delete(earlier)
    if note.board_id != board_id:
        raise NotFoundError("note", note_id)
    return published(store, note)


def _not_author(note_id: str, action: str) -> ForbiddenError:
    return ForbiddenError(f"only the author of note {note_id} may {action} it")
