"""Versions: one board link serves a team's retros sprint after sprint.

Starting a new version freezes the live one (it becomes read-only history) and carries its
open ACTION notes over: action items not done follow the team into the next retro. Carried notes
keep their text, column, author (so the author can still edit them) and who takes them on,
start with no votes and not done, remember the note they came from and count the retros they
have been carried through (`carried_count`). Done actions stay, done, in the version where they
were done; GOOD and BAD notes stay with the version they belong to; groups are the version's.

The carry is a function of the frozen version: exactly its open ACTION notes at the freeze, each
once — including one added (or moved to ACTION, or opened again) in the instant before the
freeze, copied after it; a copy whose source was done or moved away in that instant is taken
back. How the store keeps that whole across a crash: `retro.store.versions`.

**One click, one version.** A start names the version it closes (`from_version`, the number
the caller sees live). Starts that name the same version make one new version between them, and
each is answered with it: a repeated click, a retry with a new key, ten at once. A start that
names no version closes whatever is live when it arrives — unless the live version was itself
started less than `REPEAT_WINDOW` ago: such a start is far likelier a repeat of that one than a
meeting that lasted seconds, so it is refused (ConflictError), naming `fromVersion` as the way
to mean it.
"""

from datetime import timedelta

from retro.errors import ConflictError, NotFoundError, ValidationError
from retro.ids import new_id
from retro.models import BoardVersion, Column, Note, Stage, VersionRef
from retro.services import checks
from retro.services.boards import require_board, require_owner
from retro.services.once import idempotency
from retro.store import Store
from retro.times import now

__all__ = [
    "REPEAT_WINDOW",
    "finish_carry",
    "finish_start",
    "start_new_version",
    "version_by_number",
    "versions_of",
]

REPEAT_WINDOW = timedelta(seconds=5)


def start_new_version(
    store: Store,
    caller: str,
    board_id: str,
    title: str | None = None,
    client_request_id: str | None = None,
    from_version: int | None = None,
) -> BoardVersion:
    """Freeze the live version and start the next, whole. Owner only.

    `from_version`: the number of the version this start closes (see the module's rule).
    """
    board = require_board(store, board_id)
    require_owner(board, caller, "start a new version")
    title = checks.title(title) if title is not None else None
    closes = _version_number(from_version, "fromVersion") if from_version is not None else None
    once = idempotency(caller, "startNewVersion", client_request_id, board.id)
    if once is not None and (earlier := store.replay_of(once)) is not None:
        return finish_start(store, board.id, earlier.result_id)
    live = board.current_version
    if closes is None:
        _refuse_a_repeat(live)
    elif closes == live.number - 1:
        return finish_start(store, board.id, live.id)  # that start was made: this is it again
    elif closes != live.number:
        raise ConflictError(f"fromVersion: version {live.number} is live, not {closes}")
    # Its own carry first: a version is frozen only once everything it carries is in it.
    finish_start(store, board.id, live.id)
    new = BoardVersion(
        id=new_id(),
        board_id=board.id,
        number=live.number + 1,
        title=title,
        created_at=now(),
        # a guided meeting goes on guided: the next retro starts with writing
        stage=Stage.FREE if live.stage is Stage.FREE else Stage.WRITE,
    )
    carried = _carry(_open_actions(store, live.id), new)
    try:
        written = store.start_version(board, new, carried, once)
    except ConflictError:
        moved = store.live_ref(board)
        if closes is None or moved is None or moved.number != closes + 1:
            raise
        return finish_start(store, board.id, moved.id)  # a start naming the same version won
    if written.replayed:
        return finish_start(store, board.id, written.result_id)
    _finish_carry(store, new, live.id, {n.carried_from or "": n.id for n in carried})
    return new


def finish_start(store: Store, board_id: str, version_id: str) -> BoardVersion:
    """A version made by a start, with its carry finished if a crash left it unfinished."""
    started = store.started_version(board_id, version_id)
    if started is None:
        raise NotFoundError("version", version_id)
    if started.pending and started.previous_id is not None:
        _finish_carry(store, started.version, started.previous_id, None)
    return started.version


def finish_carry(store: Store, board_id: str, version_id: str) -> tuple[int, int]:
    """Carry into a started version what its receipts lack (`retro doctor`, whatever its carry
    state says): how many notes were copied and how many copies taken back."""
    started = store.started_version(board_id, version_id)
    if started is None:
        raise NotFoundError("version", version_id)
    if started.previous_id is None:
        return 0, 0
    return _finish_carry(store, started.version, started.previous_id, None)


def _finish_carry(
    store: Store, new: BoardVersion, previous_id: str, staged: dict[str, str] | None
) -> tuple[int, int]:
    """Make `new`'s carried notes exactly the frozen `previous_id`'s ACTION notes, then mark the
    carry done. `staged`: source → copy ids already carried (None: read from the receipts).
    Returns how many notes were copied now and how many copies were taken back."""
    final = _open_actions(store, previous_id)  # frozen: it cannot change
    carried = store.carry_receipts(new.id) if staged is None else staged
    copied = sum(
        store.carry_late(copy)
        for copy in _carry([note for note in final if note.id not in carried], new)
    )
    kept = {note.id for note in final}
    taken_back = sum(  # it was done, left ACTION or was deleted between the read and the freeze
        store.uncarry(new.board_id, new.id, source, copy_id)
        for source, copy_id in carried.items()
        if source not in kept
    )
    store.carry_done(new.board_id, new.id)
    return copied, taken_back


def _refuse_a_repeat(live: VersionRef) -> None:
    age = now() - live.created_at
    if live.number > 1 and age < REPEAT_WINDOW:
        raise ConflictError(
            f"version {live.number} was started {age.total_seconds():.1f} s ago: a start that "
            "names no version is taken for a repeat of that one; to start version "
            f"{live.number + 1} now, send fromVersion: {live.number}"
        )


def _open_actions(store: Store, version_id: str) -> list[Note]:
    """The ACTION notes of a version that are not done: what a new version carries."""
    return [n for n in store.notes(version_id, Column.ACTION, consistent=True) if not n.done]


def _carry(notes: list[Note], new: BoardVersion) -> list[Note]:
    """Copies of `notes` for the version `new`: same text, author and who, no votes, not done,
    a new id, carried once more.

    Notes come back in the order of their ids, and ids made in the same millisecond sort
    randomly among themselves: the new ids are sorted before they are handed out, so the
    copies keep the order the notes had.
    """
    ids = sorted(new_id() for _ in notes)
    return [
        Note(
            id=note_id,
            board_id=new.board_id,
            version_id=new.id,
            column=Column.ACTION,
            text=note.text,
            votes=0,
            author_id=note.author_id,
            created_at=new.created_at,
            updated_at=new.created_at,
            carried_from=note.id,
            carried_count=note.carried_count + 1,
            who=note.who,
        )
        for note_id, note in zip(ids, notes, strict=True)
    ]


def _version_number(value: object, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(field, "must be a whole number from 1")
    return value


def versions_of(
    store: Store, board_id: str, limit: int | None = None, next_token: str | None = None
) -> tuple[list[BoardVersion], str | None]:
    """A page of a board's versions, oldest first."""
    return store.versions(board_id, checks.page_size(limit), next_token)


def version_by_number(store: Store, board_id: str, number: int) -> BoardVersion | None:
    """A version by its number (1 is the first); None if the board has no such version."""
    number = _version_number(number, "number")
    versions, _ = store.versions(board_id)
    return next((v for v in versions if v.number == number), None)
