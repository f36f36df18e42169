"""The trends part of `Store`: a board's versions with their counts, in two rounds at any length.

A version's counts are on its own item (`retro.store.tallies`), and a board's versions are the
children of `B#<board>` — a key known from the board's id alone. So the versions are queried
at the same time as the board is looked up (`cid_si`), and only the board's item comes after:
two sequential rounds, three requests, whatever the history's length (a Query page holds about
1 MB, thousands of version items; more follow in further pages).
"""

from typing import NamedTuple

from retro.models import Board, BoardVersion, Tally
from retro.store import keys
from retro.store.base import StoreBase
from retro.store.codec import Condition, Item
from retro.store.failures import ConditionFailed
from retro.store.marks import deleted_at
from retro.store.records import to_board, to_version
from retro.store.tallies import COUNTS, OPEN_PREFIX, to_tally

__all__ = ["Counted", "TrendsStore"]


class Counted(NamedTuple):
    """A board and its versions, oldest first, each with its counts."""

    board: Board
    versions: list[tuple[BoardVersion, Tally]]


class TrendsStore(StoreBase):
    """A board's versions with their counts."""

    def counted(self, board_id: str) -> Counted | None:
        """The board (None if it does not exist or is being deleted) and its versions."""
        pid = keys.board_pid(board_id)
        item, page = self.parallel(
            lambda: self._board_item(board_id),
            lambda: self.table.children(pid, keys.VERSION),
        )
        if item is None or deleted_at(item) is not None:
            return None
        return Counted(to_board(item), [(to_version(i), to_tally(i)) for i in page.items])

    def set_counts(
        self, board_id: str, version_id: str, counts: dict[str, int], stale: list[str]
    ) -> bool:
        """Write a frozen version's counts as recounted (`stale`: the open-by-age attributes it
        has now, removed unless recounted). Only a frozen version: nothing changes its notes, so
        a recount of them stays true; False if the version is not frozen (or gone)."""
        values: dict[str, int | None] = {name: counts.get(name, 0) for name in COUNTS}
        values |= {name: None for name in stale if name.startswith(OPEN_PREFIX)}
        values |= {name: n for name, n in counts.items() if name.startswith(OPEN_PREFIX)}
        frozen = Condition("attribute_exists(pid) AND attribute_exists(frozen_at)")
        try:
            self.table.update(keys.version(board_id, version_id), set_=values, condition=frozen)
        except ConditionFailed:
            return False
        return True

    def _board_item(self, board_id: str) -> Item | None:
        """The board's item: its key from `cid_si`, then a GetItem."""
        for key in self.table.find_keys(keys.board_cid(board_id)):
            if (owner := keys.board_owner(key)) is not None:
                return self.table.get(keys.board(owner, board_id))
        return None
