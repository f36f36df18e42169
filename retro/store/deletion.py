"""The deletion part of `Store`: a board goes in one write, its contents after it, resumably.

1. **Tombstone**, one transaction: `deleted_at` on the board's item (conditioned on the owner,
   the live version unchanged, no deletion begun) and the live version frozen. From then on the
   board is invisible — `find_board` and `boards_of` skip it, so every service, subscription and
   page does — and closed: every note and vote write checks that its version is live, and board
   changes and starts check the tombstone.
2. **Clean up**, resumable: every version's (and every staged version's) votes, then ballots —
   never a ballot before the votes it counts — then the rest (notes, receipts); then the
   versions and staging markers; last the board's item, the tombstone itself, so a crash
   anywhere leaves it to be found and finished by a retried `deleteBoard` or `retro doctor`.
"""

import contextlib
import functools
from datetime import datetime
from typing import NamedTuple

from retro.errors import ConflictError
from retro.models import Board
from retro.store import keys
from retro.store.actions import Update
from retro.store.base import Written
from retro.store.changes import Idempotency
from retro.store.codec import Item
from retro.store.failures import ConditionFailed
from retro.store.marks import deleted_at, tombstone
from retro.store.records import board_item, freeze, key_of, to_board
from retro.store.versions import VersionsStore

__all__ = ["DeletionStore", "Located"]


class Located(NamedTuple):
    """A board found by its id, and whether its deletion has begun (then nobody sees it)."""

    board: Board
    deleting: bool


class DeletionStore(VersionsStore):
    """Deleting boards: tombstoned in one write, cleaned up after."""

    def locate_board(self, board_id: str, *, consistent: bool = False) -> Located | None:
        """A board by its id alone, even one being deleted: `cid_si`, then one GetItem."""
        owners = [
            owner
            for key in self.table.find_keys(keys.board_cid(board_id))
            if (owner := keys.board_owner(key)) is not None
        ]
        if not owners:
            return None
        item = self.table.get(keys.board(owners[0], board_id), consistent=consistent)
        return Located(to_board(item), deleted_at(item) is not None) if item else None

    def tombstone_board(
        self, board: Board, caller: str, at: datetime, once: Idempotency | None = None
    ) -> Written:
        """Hide and close `board` in one transaction. ConflictError if its live version moved
        or its deletion began meanwhile (look again)."""
        current = board.current_version.id
        return self.write_once(
            board.id,
            [
                Update(
                    keys.board(board.owner_id, board.id),
                    set_=tombstone(at),
                    condition=keys.is_owner_at(caller, current),
                ),
                Update(keys.version(board.id, current), set_=freeze(at), condition=keys.exists()),
            ],
            once,
            ConflictError(f"board {board.id} changed while deleting it; please retry"),
            snapshot=board_item(board),  # a retry after the cleanup answers the board as it was
        )

    def board_of_snapshot(self, snapshot: Item) -> Board:
        """The board a delete's idempotency record kept (its item as it was)."""
        return to_board(snapshot)

    def finish_delete(self, board_id: str, owner_id: str) -> int:
        """Remove everything under a board whose tombstone the caller has seen (or whose item
        is gone), then its item; resumable. Returns how many items went.

        A tombstone is never lifted, so having seen it once is enough; the board's item itself
        goes only on the condition that it is one.
        """
        key = keys.board(owner_id, board_id)
        removed = 0
        # Again until nothing is left: a start that staged meanwhile may have added a marker.
        while children := self.table.children(keys.board_pid(board_id), "", consistent=True).items:
            removed += self.empty_versions([keys.stem(str(c["cid"])) for c in children])
            self._delete_parallel([key_of(c) for c in children])
            removed += len(children)
        with contextlib.suppress(ConditionFailed):  # gone already (a concurrent cleanup)
            self.table.destroy(key, condition=keys.is_deleting())
            removed += 1
        return removed

    def empty_versions(self, version_ids: list[str]) -> int:
        """Delete everything in these versions' partitions: votes, then ballots, then the rest."""
        pages = self.parallel(
            *[
                functools.partial(self.table.children, keys.version_pid(v), "", consistent=True)
                for v in version_ids
            ]
        )
        found = [key_of(item) for page in pages for item in page.items]
        votes = [k for k in found if k[1].startswith(keys.VOTE)]
        ballots = [k for k in found if k[1].startswith(keys.BALLOT)]
        rest = [k for k in found if not k[1].startswith((keys.VOTE, keys.BALLOT))]
        for group in (votes, ballots, rest):
            self._delete_parallel(group)
        return len(found)
