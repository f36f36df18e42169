"""Boards: created by anyone with a user, changed only by their owner."""

from retro.errors import ConflictError, ForbiddenError, NotFoundError
from retro.ids import new_id
from retro.models import DEFAULT_VOTE_BUDGET, Board, BoardSettings, BoardVersion, VersionRef
from retro.services import checks
from retro.services.once import idempotency, or_replay
from retro.services.pages import BoardPage, BoardSpec, load_boards
from retro.store import BoardChanges, Store
from retro.times import now

__all__ = [
    "boards_of",
    "create_board",
    "delete_board",
    "get_board",
    "require_board",
    "require_owner",
    "update_board",
]


def get_board(store: Store, board_id: str, field: str = "id") -> Board | None:
    return store.find_board(checks.ident(board_id, field))


def require_board(store: Store, board_id: str, field: str = "boardId") -> Board:
    board = get_board(store, board_id, field)
    if board is None:
        raise NotFoundError("board", board_id)
    return board


def require_owner(board: Board, caller: str, action: str) -> None:
    if board.owner_id != caller:
        raise ForbiddenError(f"only the owner of board {board.id} may {action}")


def create_board(
    store: Store,
    caller: str,
    title: str,
    vote_budget: int | None = None,
    client_request_id: str | None = None,
    *,
    hide_while_writing: bool | None = None,
    secret_ballot: bool | None = None,
) -> Board:
    """A new board owned by the caller, with version 1 live (FREE: no stage, nothing hidden,
    until its owner starts a guided meeting)."""
    moment = now()
    first = BoardVersion(id=new_id(), board_id=new_id(), number=1, created_at=moment)
    board = Board(
        id=first.board_id,
        owner_id=caller,
        title=checks.title(title),
        settings=BoardSettings(
            vote_budget=checks.budget(vote_budget)
            if vote_budget is not None
            else DEFAULT_VOTE_BUDGET,
            hide_while_writing=checks.flag(hide_while_writing, "settings.hideWhileWriting"),
            secret_ballot=checks.flag(secret_ballot, "settings.secretBallot"),
        ),
        created_at=moment,
        updated_at=moment,
        current_version=VersionRef(id=first.id, number=1, created_at=moment),
    )
    once = idempotency(caller, "createBoard", client_request_id)
    board_id = store.create_board(board, first, once)
    if board_id == board.id:
        return board
    earlier = store.find_board(board_id)
    if earlier is None:
        raise NotFoundError("board", board_id)
    return earlier


def update_board(
    store: Store,
    caller: str,
    board_id: str,
    title: str | None = None,
    vote_budget: int | None = None,
    client_request_id: str | None = None,
    *,
    hide_while_writing: bool | None = None,
    secret_ballot: bool | None = None,
) -> Board:
    """Rename a board or change its settings. Owner only; once per `client_request_id`."""
    once = idempotency(caller, "updateBoard", client_request_id, board_id)

    def write() -> Board:
        board = require_board(store, board_id, "id")
        require_owner(board, caller, "change it")
        changes = BoardChanges(
            updated_at=now(),
            title=checks.title(title) if title is not None else None,
            vote_budget=checks.budget(vote_budget) if vote_budget is not None else None,
            hide_while_writing=_flag_or_none(hide_while_writing, "settings.hideWhileWriting"),
            secret_ballot=_flag_or_none(secret_ballot, "settings.secretBallot"),
        )
        try:
            return store.update_board(board, changes, caller, once)
        except ConflictError:  # a start came between: once more, on the version it made live
            return store.update_board(require_board(store, board_id, "id"), changes, caller, once)

    return or_replay(store, once, write, lambda _: require_board(store, board_id, "id"))


def _flag_or_none(value: bool | None, field: str) -> bool | None:
    return checks.flag(value, field) if value is not None else None


def delete_board(
    store: Store,
    caller: str,
    board_id: str,
    spec: BoardSpec | None = None,
    client_request_id: str | None = None,
) -> BoardPage:
    """Delete a board with all its versions and notes. Owner only.

    One write hides the board and closes it to writes (its tombstone); the cleanup after it is
    resumable, so a retry — or `retro doctor` — finishes a delete that stopped half-way.
    Returns what was deleted, with what `spec` asks for under it loaded after the tombstone
    (nothing can change then) and before the cleanup; a retry gets what is left of it.
    """
    checks.ident(board_id, "id")
    once = idempotency(caller, "deleteBoard", client_request_id, board_id)
    spec = spec or BoardSpec()
    for _attempt in range(3):
        found = store.locate_board(board_id, consistent=True)
        if found is None or (found.deleting and found.board.owner_id != caller):
            break
        board = found.board
        require_owner(board, caller, "delete it")
        if not found.deleting:
            try:
                store.tombstone_board(board, caller, now(), once)
            except ConflictError:
                continue  # a version started, or a delete began, meanwhile: look again
        [page] = load_boards(store, [board], spec)
        store.finish_delete(board.id, board.owner_id)
        return page
    else:
        raise ConflictError(f"board {board_id} kept changing while deleting it; please retry")
    # Gone already. A retry under the same key is answered with the board as it was.
    earlier = store.replay_of(once) if once is not None else None
    if earlier is None or earlier.snapshot is None:
        raise NotFoundError("board", board_id)
    return load_boards(store, [store.board_of_snapshot(earlier.snapshot)], spec)[0]


def boards_of(
    store: Store, user_id: str, limit: int | None = None, next_token: str | None = None
) -> tuple[list[Board], str | None]:
    """Boards a user owns, newest first."""
    return store.boards_of(user_id, checks.page_size(limit), next_token)
