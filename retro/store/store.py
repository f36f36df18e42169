"""`Store`: Retro's reads and writes, each a named access pattern (docs/ARCHITECTURE.md).

It speaks in Retro's models and typed changes and is what services call. Keys and conditions
come from `keys`, items and the attributes a change sets from `records`, so neither is built
here. Multi-item changes are transactions, so a crash or a race never leaves a board
half-changed. Notes and votes are their own parts (`retro.store.notes`, `retro.store.votes`).
"""

import functools
from collections.abc import Sequence

from retro.errors import ConflictError, NotFoundError
from retro.models import Board, BoardVersion, Note, User
from retro.settings import settings
from retro.store import keys
from retro.store.actions import Put, Update
from retro.store.base import TRANSACTION_ROOM
from retro.store.changes import BoardChanges, Idempotency
from retro.store.meeting import MeetingStore
from retro.store.notes import NotesStore
from retro.store.records import (
    board_changes,
    board_item,
    freeze,
    key_of,
    live_version,
    note_item,
    to_board,
    to_user,
    to_version,
    token_item,
    user_item,
    version_item,
)
from retro.store.table import Table
from retro.store.votes import VotesStore

__all__ = ["Store", "default_store"]


class Store(NotesStore, VotesStore, MeetingStore):
    """Retro's reads and writes: users, boards and versions here; notes, votes and versions'
    meetings (stage, timer) inherited."""

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
        """A board by its id alone: `cid_si` gives its key, then one GetItem (2 round trips)."""
        owners = [
            owner
            for key in self.table.find_keys(keys.board_cid(board_id))
            if (owner := keys.board_owner(key)) is not None
        ]
        if not owners:
            return None
        item = self.table.get(keys.board(owners[0], board_id))
        return to_board(item) if item else None

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
        return [to_board(item) for item in page.items], page.next_token

    def update_board(
        self, board: Board, changes: BoardChanges, caller: str, once: Idempotency | None = None
    ) -> Board:
        """Change a board its owner `caller` owns; the board as it is afterwards (once per key)."""
        key = keys.board(board.owner_id, board.id)
        update = Update(key, set_=board_changes(changes), condition=keys.is_owner(caller))
        self.write_once(board.id, [update], once, refused=NotFoundError("board", board.id))
        item = self.table.get(key, consistent=True)
        if item is None:
            raise NotFoundError("board", board.id)
        return to_board(item)

    def delete_board(self, board: Board) -> None:
        """Delete a board, its versions and everything in them (ballots and votes too)."""
        versions = self.table.children(keys.board_pid(board.id), keys.VERSION).items
        contents = self.parallel(
            *[
                functools.partial(self.table.children, keys.version_pid(to_version(v).id), "")
                for v in versions
            ]
        )
        doomed = [key_of(item) for page in contents for item in page.items]
        doomed += [key_of(v) for v in versions]
        self.table.delete_many(doomed)
        self.table.destroy(keys.board(board.owner_id, board.id))

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

    def start_version(
        self,
        board: Board,
        new: BoardVersion,
        carried: Sequence[Note],
        once: Idempotency | None = None,
    ) -> str:
        """Freeze the live version, make `new` live and copy `carried` notes into it, atomically.

        Returns the id of the version that exists afterwards (an earlier one on a replay).
        Raises ConflictError if someone else started a version meanwhile.
        """
        current = board.current_version
        in_transaction, later = carried[:TRANSACTION_ROOM], carried[TRANSACTION_ROOM:]
        version_id = self.write_once(
            new.id,
            [
                Update(
                    keys.version(board.id, current.id),
                    set_=freeze(new.created_at),
                    condition=keys.is_live(),
                ),
                Put(version_item(new), keys.not_exists()),
                Update(
                    keys.board(board.owner_id, board.id),
                    set_=live_version(new),
                    condition=keys.is_current(current.id),
                ),
                *[Put(note_item(n), keys.not_exists()) for n in in_transaction],
            ],
            once,
            refused=ConflictError(
                f"board {board.id}: version {current.number} is no longer the live version"
            ),
        ).result_id
        if version_id == new.id:
            self.put_notes(later)  # beyond one transaction's room
        return version_id


@functools.cache
def default_store() -> Store:
    """The process's store, on the table the settings name (made on first use, then kept)."""
    return Store(Table(settings()))
