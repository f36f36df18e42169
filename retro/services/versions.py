"""Versions: one board link serves a team's retros sprint after sprint.

Starting a new version freezes the live one (it becomes read-only history) and carries its
ACTION notes over: open action items follow the team into the next retro — including one added
in the instant before the freeze (read again after it). Carried notes keep
their text, column and author (so the author can still edit them), start with no votes, and
remember the note they came from. GOOD and BAD notes stay with the version they belong to.
"""

from retro.errors import NotFoundError, ValidationError
from retro.ids import new_id
from retro.models import BoardVersion, Column, Note, Stage
from retro.services import checks
from retro.services.boards import require_board, require_owner
from retro.store import Idempotency, Store
from retro.times import now

__all__ = ["start_new_version", "version_by_number", "versions_of"]


def start_new_version(
    store: Store,
    caller: str,
    board_id: str,
    title: str | None = None,
    client_request_id: str | None = None,
) -> BoardVersion:
    """Freeze the live version and start the next one. Owner only."""
    board = require_board(store, board_id)
    require_owner(board, caller, "start a new version")
    key = checks.idempotency_key(client_request_id)
    moment = now()
    new = BoardVersion(
        id=new_id(),
        board_id=board.id,
        number=board.current_version.number + 1,
        title=checks.title(title) if title is not None else None,
        created_at=moment,
        # a guided meeting goes on guided: the next retro starts with writing
        stage=Stage.FREE if board.current_version.stage is Stage.FREE else Stage.WRITE,
    )
    frozen_id = board.current_version.id
    carried = _carry(store.notes(frozen_id, Column.ACTION), new)
    once = Idempotency(caller, "startNewVersion", key) if key else None
    version_id = store.start_version(board, new, carried, once)
    if version_id != new.id:
        return _version(store, board.id, version_id)
    # An action note added (or moved to ACTION) between reading them and the freeze landed in
    # the now frozen version. Nothing can land there any more: read again, carry the late ones.
    already = {note.carried_from for note in carried}
    late = [
        n for n in store.notes(frozen_id, Column.ACTION, consistent=True) if n.id not in already
    ]
    store.put_notes(_carry(late, new))
    return new


def _carry(notes: list[Note], new: BoardVersion) -> list[Note]:
    """Copies of `notes` for the version `new`: same text and author, no votes, a new id."""
    return [
        Note(
            id=new_id(),
            board_id=new.board_id,
            version_id=new.id,
            column=Column.ACTION,
            text=note.text,
            votes=0,
            author_id=note.author_id,
            created_at=new.created_at,
            updated_at=new.created_at,
            carried_from=note.id,
        )
        for note in notes
    ]


def _version(store: Store, board_id: str, version_id: str) -> BoardVersion:
    version = store.get_version(board_id, version_id)
    if version is None:
        raise NotFoundError("version", version_id)
    return version


def versions_of(
    store: Store, board_id: str, limit: int | None = None, next_token: str | None = None
) -> tuple[list[BoardVersion], str | None]:
    """A page of a board's versions, oldest first."""
    return store.versions(board_id, checks.page_size(limit), next_token)


def version_by_number(store: Store, board_id: str, number: int) -> BoardVersion | None:
    """A version by its number (1 is the first); None if the board has no such version."""
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise ValidationError("number", "must be a whole number from 1")
    versions, _ = store.versions(board_id)
    return next((v for v in versions if v.number == number), None)
