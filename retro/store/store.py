"""`Store`: Retro's reads and writes, each a named access pattern (docs/ARCHITECTURE.md).

It speaks in Retro's models and typed changes and is what services call. Keys and conditions
come from `keys`, items and the attributes a change sets from `records`, so neither is built
here. Multi-item changes are transactions, so a crash or a race never leaves a board
half-changed; the two that cannot fit one transaction — starting a version, deleting a board —
are their own parts (`retro.store.versions`, `retro.store.deletion`), made whole after a crash
by the marks they leave. Notes and votes are their own parts too (`retro.store.notes`,
`retro.store.votes`).
"""

import functools

from retro.errors import ConflictError, NotFoundError, RetroError
from retro.models import Board, BoardVersion, User
from retro.settings import settings
from retro.store import keys
from retro.store.actions import Put, Update
from retro.store.changes import BoardChanges, Idempotency
from retro.store.deletion import DeletionStore
from retro.store.failures import TransactionFailed
from retro.store.gates import BOARD_MIRROR
from retro.store.groups import GroupsStore
from retro.store.marks import deleted_at
from retro.store.meeting import MeetingStore
from retro.store.notes import NotesStore
from retro.store.pagereads import PageReads
from retro.store.records import (
    board_changes,
    board_item,
    to_board,
    to_user,
    to_version,
    token_item,
    user_item,
    version_item,
)
from retro.store.table import Table
from retro.store.trends import TrendsStore
from retro.store.votes import VotesStore

__all__ = ["Store", "default_store"]


class Store(
    NotesStore, VotesStore, DeletionStore, MeetingStore, PageReads, TrendsStore, GroupsStore
):
    """Retro's reads and writes: users, boards and versions here; notes, votes, starting
    versions, deleting boards, versions' meetings (stage, timer), the board page's reads and
    versions' counts and groups inherited."""

    # -- users -------------------------------------------------------------------------------
    def create_user(self, user: User, token_hash: str) -> None:
        self.table.transact(
            [
                Put(user_item(user), keys.not_exists()),
                Put(token_item(user.id, token_hash)),
            ]
        )

    def has_token(self, user_id: str, token_hash: str) -> bool:
        return self.table.get(keys.token(user_id, token_hash), consistent=True) is not None

    def get_user(self, user_id: str) -> User | None:
        item = self.table.get(keys.user(user_id))
        return to_user(item) if item else None

    # -- boards ------------------------------------------------------------------------------
    def create_board(
        self, board: Board, first: BoardVersion, once: Idempotency | None = None
    ) -> str:
        """Create a board with its first version; returns the id that exists afterwards.

        With an idempotency key that was used before, nothing is written and the earlier
        board's id is returned.
        """
        return self.write_once(
            board.id,
            [
                Put(board_item(board), keys.not_exists()),
                Put(version_item(first), keys.not_exists()),
            ],
            once,
        ).result_id

    def find_board(self, board_id: str) -> Board | None:
        """A board by its id alone: `cid_si` gives its key, then one GetItem (2 round trips).

        None for a board whose deletion has begun: nobody sees it from the tombstone on.
        """
        found = self.locate_board(board_id)
        return found.board if found is not None and not found.deleting else None

    def boards_of(
        self, owner_id: str, limit: int, next_token: str | None
    ) -> tuple[list[Board], str | None]:
        page = self.table.children(
            keys.owner_pid(owner_id),
            keys.BOARD,
            limit=limit,
            next_token=next_token,
            newest_first=True,
        )
        # a board being deleted is left out: the page may be short, its token still right
        boards = [to_board(item) for item in page.items if deleted_at(item) is None]
        return boards, page.next_token

    def update_board(
        self, board: Board, changes: BoardChanges, caller: str, once: Idempotency | None = None
    ) -> Board:
        """Change a board its owner `caller` owns; the board as it is afterwards (once per key).

        A change that begins to hide texts or counts is a change of the live version's meeting:
        it moves the meeting's revision on, on the version and the board's mirror of it, so a
        page that read the board before it (beside notes written hidden after it) knows its
        read is older than those notes (`retro.services.boardpage`). Then the live version must
        still be the one `board` names (ConflictError if a start came between)."""
        key = keys.board(board.owner_id, board.id)
        if not _begins_to_hide(board, changes):
            update = Update(key, set_=board_changes(changes), condition=keys.is_owner(caller))
            self.write_once(board.id, [update], once, refused=NotFoundError("board", board.id))
        else:
            live = board.current_version.id
            actions = [
                Update(
                    key,
                    set_=board_changes(changes),
                    add={f"{BOARD_MIRROR}meeting_rev": 1},
                    condition=keys.is_owner_at(caller, live),
                ),
                Update(
                    keys.version(board.id, live), add={"meeting_rev": 1}, condition=keys.is_live()
                ),
            ]

            def refused(_: TransactionFailed) -> RetroError:
                item = self.table.get(key, consistent=True)
                if item is None or deleted_at(item) is not None:
                    return NotFoundError("board", board.id)
                return ConflictError(f"board {board.id}: a version started meanwhile; retry")

            self.write_once(board.id, actions, once, refused=refused)
        item = self.table.get(key, consistent=True)
        if item is None:
            raise NotFoundError("board", board.id)
        return to_board(item)

    # -- versions ----------------------------------------------------------------------------
    def versions(
        self, board_id: str, limit: int | None = None, next_token: str | None = None
    ) -> tuple[list[BoardVersion], str | None]:
        page = self.table.children(
            keys.board_pid(board_id), keys.VERSION, limit=limit, next_token=next_token
        )
        return [to_version(item) for item in page.items], page.next_token

    def get_version(self, board_id: str, version_id: str) -> BoardVersion | None:
        item = self.table.get(keys.version(board_id, version_id))
        return to_version(item) if item else None


@functools.cache
def default_store() -> Store:
    """The process's store, on the table the settings name (made on first use, then kept)."""
    return Store(Table(settings()))


def _begins_to_hide(board: Board, changes: BoardChanges) -> bool:
    """Whether `changes` turn on the hiding of texts or counts on `board`."""
    settings = board.settings
    return (changes.hide_while_writing is True and not settings.hide_while_writing) or (
        changes.secret_ballot is True and not settings.secret_ballot
    )
