"""Groups: notes of one column of the live version gathered under a title, so votes no longer
split between duplicates.

Anyone on the board may make a group, add notes to it, rename it or take a note out — in every
stage but while texts are hidden (WRITE with `hideWhileWriting`): grouping is done by reading,
and a group would tie notes together that nobody can read yet. A group says nothing of who made
it (that is not kept). A note moved to another column leaves its group (`notes.update_note`);
a group whose last note left is gone. Groups are the version's: frozen with it, never carried.

What a group shows is computed from its notes (`groups_of`): its title (hidden while texts
are) and the sum of their votes (hidden while counts are); groups sort by that sum. Every write
answers the group as anyone may see it — AppSync sends it to every `onGroupChanged` subscriber.
"""

from collections.abc import Callable, Collection, Sequence

from retro.errors import ConflictError, NotFoundError, RetroError, ValidationError
from retro.ids import new_id
from retro.models import Board, BoardSettings, Note, NoteGroup, Stage
from retro.services import checks, stages
from retro.services.boards import require_board
from retro.services.grouping import groups_of
from retro.services.meeting import gated
from retro.services.notes import find_live_note
from retro.services.once import idempotency, or_replay
from retro.store import Store
from retro.store.groups import MAX_GROUP, Group
from retro.times import now

__all__ = ["MAX_NOTES", "group_notes", "groups_of", "rename_group", "ungroup_note"]

MAX_NOTES = 20  # notes one groupNotes call may gather

# a group's write, with the stage and the meeting revision (or None) to pin
Writer = Callable[[Collection[Stage], int | None], object]


def group_notes(
    store: Store,
    caller: str,
    board_id: str,
    note_ids: Sequence[str],
    group_id: str | None = None,
    title: str | None = None,
    client_request_id: str | None = None,
) -> NoteGroup:
    """Gather notes of one column under a new title, or into the group `group_id`."""
    if not isinstance(note_ids, list | tuple) or not 1 <= len(note_ids) <= MAX_NOTES:
        raise ValidationError("noteIds", f"give 1 to {MAX_NOTES} note ids")
    wanted = list(dict.fromkeys(checks.ident(i, "noteIds") for i in note_ids))
    if group_id is not None:
        checks.ident(group_id, "groupId")
        if title is not None:
            raise ValidationError("title", "give a title for a new group only, without groupId")
    named = checks.title(title) if group_id is None else None
    if group_id is None and named is None:
        raise ValidationError("title", "a new group needs a title")
    once = idempotency(caller, "groupNotes", client_request_id, group_id or board_id)

    def write() -> NoteGroup:
        board = require_board(store, board_id)
        live = board.current_version.id
        notes = _live_notes(store, board, wanted)
        column = notes[0].column
        if any(n.column is not column for n in notes):
            raise ValidationError("noteIds", "a group holds notes of one column: these are not")
        if group_id is None:
            group = Group(new_id(), board.id, live, column, named or "", 0, now())
        else:
            found = store.get_group(live, group_id)
            if found is None:
                raise _not_live(store, board, group_id)
            group = found
            if group.column is not column:
                raise ValidationError("noteIds", f"group {group.id} holds {group.column} notes")
        for note in notes:
            if note.group_id not in (None, group.id):
                raise ConflictError(f"note {note.id} is in another group: take it out first")
        size = sum(1 for n in store.notes(live, column, consistent=True) if n.group_id == group.id)
        joining = [n for n in notes if n.group_id != group.id]
        if size + len(joining) > MAX_GROUP:
            raise ValidationError("noteIds", f"a group holds at most {MAX_GROUP} notes")
        if not joining:  # nothing to write; refused all the same where grouping is closed
            stage = stages.effective_stage(board.current_version, now())
            if stage not in _allowed(board.settings):
                raise _hidden(stage)
            return _answer(store, board, group.id)
        write_it = store.make_group if group_id is None else store.join_group
        _gated(store, board, lambda s, at: write_it(group, joining, once, s, at))
        return _answer(store, board, group.id)

    return or_replay(store, once, write, lambda e: _answer(store, None, e.result_id, board_id))


def rename_group(
    store: Store,
    caller: str,
    board_id: str,
    group_id: str,
    title: str,
    client_request_id: str | None = None,
) -> NoteGroup:
    """Rename a group of the live version (its notes carry the new title with it)."""
    checks.ident(group_id, "id")
    named = checks.title(title)
    once = idempotency(caller, "renameGroup", client_request_id, group_id)

    def write() -> NoteGroup:
        board = require_board(store, board_id)
        live = board.current_version.id
        group = store.get_group(live, group_id)
        if group is None:
            raise _not_live(store, board, group_id)
        members = [n for n in store.notes(live, consistent=True) if n.group_id == group_id]
        if not members:
            raise NotFoundError("group", group_id)
        _gated(store, board, lambda s, at: store.rename_group(group, named, members, once, s, at))
        return _answer(store, board, group_id)

    return or_replay(store, once, write, lambda e: _answer(store, None, e.result_id, board_id))


def ungroup_note(
    store: Store, caller: str, board_id: str, note_id: str, client_request_id: str | None = None
) -> NoteGroup:
    """Take a note of the live version out of its group; the group as it is then (no notes
    when it was the last: the group is gone)."""
    once = idempotency(caller, "ungroupNote", client_request_id, note_id)

    def write() -> NoteGroup:
        board = require_board(store, board_id)
        note = find_live_note(store, board, note_id, "noteId")
        if note.group_id is None:
            raise ConflictError(f"note {note_id} is in no group")
        group_id = note.group_id
        _gated(store, board, lambda s, at: store.leave_group(note, group_id, once, s, at))
        return _answer(store, board, group_id)

    return or_replay(store, once, write, lambda e: _answer(store, None, e.result_id, board_id))


def _live_notes(store: Store, board: Board, wanted: list[str]) -> list[Note]:
    """The notes of the live version named, in the order given (or the error naming one)."""
    found = {n.id: n for n in store.notes(board.current_version.id, consistent=True)}
    for note_id in wanted:
        if note_id not in found:
            find_live_note(store, board, note_id, "noteIds")  # raises, saying why
    return [found[i] for i in wanted]


def _not_live(store: Store, board: Board, group_id: str) -> RetroError:
    """Why `group_id` is no group of the live version: in an older version of this board, it
    is frozen (as a note there is, `notes.find_live_note`); else there is no such group."""
    version_id = store.version_of_group(group_id)
    if version_id and (version := store.get_version(board.id, version_id)):
        return ConflictError(f"group {group_id} is in version {version.number}, which is frozen")
    return NotFoundError("group", group_id)


def _allowed(settings: BoardSettings) -> frozenset[Stage]:
    """The stages in which groups may change on a board: all but a WRITE that hides texts."""
    if settings.hide_while_writing:
        return stages.ALL_STAGES - {Stage.WRITE}
    return stages.ALL_STAGES


def _gated(store: Store, board: Board, write: Writer) -> None:
    """Write with the stage (and the meeting's revision, where a setting may hide what it
    answers) pinned, in a stage that lets groups change on the board's settings as they are
    (read again if the write met a change)."""
    gated(store, board, _allowed, _hidden, lambda gate: write([gate.stage], gate.pin))


def _hidden(stage: Stage) -> ConflictError:
    return ConflictError(
        f"notes cannot be grouped while their texts are hidden; the board is in {stage.value}"
    )


def _answer(store: Store, board: Board | None, group_id: str, board_id: str = "") -> NoteGroup:
    """The group as anyone may see it now (empty: its last note left, it is gone).

    What it hides is the stage and the settings read after its notes, not the ones `board`
    showed before the write: had the owner opened a secret ballot meanwhile (or turned it on),
    votes cast since would be in the notes, and this answer goes to every `onGroupChanged`
    subscriber."""
    board = board or require_board(store, board_id)
    live = board.current_version.id
    members = [n for n in store.notes(live, consistent=True) if n.group_id == group_id]
    seen, now_board = store.parallel(
        lambda: store.meeting(board.id, live),
        lambda: store.visible_board(board.owner_id, board.id),
    )
    version = seen.version if seen is not None else board.current_version
    # a board gone meanwhile: hide all a live version could hide rather than guess
    gone = BoardSettings(hide_while_writing=True, secret_ballot=True)
    settings = now_board.settings if now_board else gone
    meeting = stages.meeting_of(settings, version, now())
    if members:
        return groups_of([stages.public(n, meeting) for n in members])[0]
    group = store.get_group(live, group_id)
    if group is None:
        raise NotFoundError("group", group_id)
    return NoteGroup(
        id=group.id,
        board_id=board.id,
        version_id=live,
        column=group.column,
        title=None if meeting.texts_hidden else group.title,
        votes=None if meeting.votes_hidden else 0,
        note_ids=[],
    )
