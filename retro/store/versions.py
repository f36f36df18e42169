"""The versions part of `Store`: starting a version whole, at any size, whatever crashes.

A start is three steps, each safe to stop after (docs/ARCHITECTURE.md, "Starting a version"):

1. **Stage**: a marker (`B#<board>/STAGE#<new>`), then every carried copy and its receipt under
   the new version's id. Nothing points to that version yet, so nobody sees them.
2. **Commit**, one transaction: freeze the live version (`is_live`), put the new version
   (its carry `pending`), move the board's live pointer (`is_current`: the same live version,
   board not being deleted) and delete the marker (it must still exist). Either the whole new
   version is live, or nothing changed and the staging is dropped — by this request if it was
   refused, by the next start or `retro doctor` if it crashed.
3. **Finish the carry**: an action that landed in the old version between the read and the
   freeze is copied now, one transaction per copy with its receipt (so never twice), and the
   carry is marked `done`. A crash here leaves a live, usable version whose carry a retry, the
   next start or `retro doctor` finishes: the frozen version's actions cannot change any more.
"""

import functools
from collections.abc import Sequence
from typing import NamedTuple

from retro.errors import ConflictError, RetroError, UnavailableError
from retro.models import Board, BoardVersion, Note, VersionRef
from retro.store import keys
from retro.store.actions import Action, Check, Delete, Put, Update
from retro.store.base import StoreBase, Written
from retro.store.changes import Idempotency
from retro.store.codec import Item, Key
from retro.store.failures import TransactionFailed
from retro.store.marks import (
    CARRY_DONE,
    CARRY_PENDING,
    Staged,
    carry_state,
    deleted_at,
    previous_of,
    receipt_item,
    stage_item,
    started_version_item,
    to_staged,
)
from retro.store.records import (
    freeze,
    key_of,
    live_version,
    note_item,
    to_board,
    to_note,
    to_version,
)
from retro.store.tallies import counts, delta, note_state_is

__all__ = ["Started", "VersionsStore"]

_BATCH = 25  # BatchWriteItem's most items per request


class Started(NamedTuple):
    """A version as a start left it: the version it follows, and whether its carry is done."""

    version: BoardVersion
    previous_id: str | None
    pending: bool


class VersionsStore(StoreBase):
    """Starting versions: staged, committed in one transaction, carry finished after."""

    def start_version(
        self, board: Board, new: BoardVersion, carried: Sequence[Note], once: Idempotency | None
    ) -> Written:
        """Stage `carried` under `new`, then make `new` the live version in one transaction.

        Returns what was written (`replayed`: an earlier request with this key started a
        version, and nothing was written now). Raises ConflictError if the live version is no
        longer `board`'s (another start, or the board's deletion, came first).
        """
        previous = board.current_version
        self.table.put(stage_item(new, previous), condition=keys.not_exists())
        self._write_parallel([item for n in carried for item in (note_item(n), receipt_item(n))])
        refusals: list[TransactionFailed] = []

        def refused(failure: TransactionFailed) -> RetroError:
            refusals.append(failure)
            lost = failure.failed(0) or failure.failed(2)  # another start (or the delete) won
            if failure.failed(3) and not lost:  # the marker was taken as abandoned (retro doctor)
                return UnavailableError("the new version's staging was cleared; please retry")
            return ConflictError(
                f"board {board.id}: version {previous.number} is no longer the live version"
            )

        actions: list[Action] = [
            Update(
                keys.version(board.id, previous.id),
                set_=freeze(new.created_at),
                condition=keys.is_live(),
            ),
            # the new version starts with its carried copies counted (retro.store.tallies)
            Put({**started_version_item(new, previous.id), **counts(carried)}, keys.not_exists()),
            Update(
                keys.board(board.owner_id, board.id),
                set_=live_version(new),
                condition=keys.is_current(previous.id),
            ),
            Delete(keys.stage(board.id, new.id), keys.exists()),
        ]
        try:
            written = self.write_once(new.id, actions, once, refused)
        except RetroError:
            if refusals:  # refused for sure: nothing of it is live, its staging can go
                self.drop_staged(board.id, new.id)
            raise  # otherwise (a timeout) it may have committed: leave it to be looked at
        if written.replayed:
            self.drop_staged(board.id, new.id)
        else:
            self.sweep_staged(board.id, new.number)
        return written

    # -- the carry after the commit ---------------------------------------------------------
    def started_version(self, board_id: str, version_id: str) -> Started | None:
        """A version with what its start left (consistent), or None if it does not exist."""
        item = self.table.get(keys.version(board_id, version_id), consistent=True)
        if item is None:
            return None
        return Started(to_version(item), previous_of(item), carry_state(item) == CARRY_PENDING)

    def carry_receipts(self, version_id: str) -> dict[str, str]:
        """Notes carried into a version, by receipt: source note id → its copy's id."""
        items = self.table.children(keys.version_pid(version_id), keys.CARRY, consistent=True)
        return {keys.stem(str(i["cid"])): str(i["note_id"]) for i in items.items}

    def carry_late(self, copy: Note) -> bool:
        """Carry one more note into a live version, with its receipt; False if it was carried
        already (its receipt exists) or the version is frozen."""
        try:
            self.table.transact(
                [
                    Put(receipt_item(copy), keys.not_exists()),
                    Put(note_item(copy), keys.not_exists()),
                    Update(
                        keys.version(copy.board_id, copy.version_id),
                        add=delta(None, copy),
                        condition=keys.is_live(),
                    ),
                ]
            )
        except TransactionFailed:
            return False
        return True

    def uncarry(self, board_id: str, version_id: str, source_id: str, copy_id: str) -> bool:
        """Take back a copy whose source left the ACTION column before the freeze (with its
        receipt), unless someone voted on it meanwhile; False if it stays. A copy changed while
        this looked (moved, ticked off) stays too: its counts were read before."""
        item = self.table.get(keys.note(version_id, copy_id), consistent=True)
        version = keys.version(board_id, version_id)
        steps: list[Action] = [Delete(keys.receipt(version_id, source_id))]
        if item is None:  # its author deleted it, and its counts with it
            steps.append(Check(version, keys.is_live()))
        else:
            copy = to_note(item)
            unvoted = note_state_is(copy, keys.holds_no_votes())
            steps.append(Delete(keys.note(version_id, copy_id), unvoted))
            steps.append(Update(version, add=delta(copy, None), condition=keys.is_live()))
        try:
            self.table.transact(steps)
        except TransactionFailed:
            return False
        return True

    def carry_done(self, board_id: str, version_id: str) -> None:
        self.table.update(
            keys.version(board_id, version_id), set_={"carry": CARRY_DONE}, condition=keys.exists()
        )

    # -- staging that never went live ---------------------------------------------------------
    def staged(self, board_id: str) -> list[Staged]:
        """The markers of versions being started (or abandoned) on a board."""
        page = self.table.children(keys.board_pid(board_id), keys.STAGE, consistent=True)
        return [to_staged(item) for item in page.items]

    def sweep_staged(self, board_id: str, live_number: int) -> int:
        """Drop every staging that can no longer go live: it follows a version older than the
        live one, so its commit's conditions fail. Returns how many were dropped."""
        doomed = [s for s in self.staged(board_id) if s.from_number < live_number]
        for staged in doomed:
            self.drop_staged(board_id, staged.version_id)
        return len(doomed)

    def drop_staged(self, board_id: str, version_id: str) -> int:
        """Remove a staged version's notes and receipts, then its marker (last, so a crash
        half-way leaves the marker to find the rest by). Never touches a version that exists.
        Returns how many items went."""
        if self.table.get(keys.version(board_id, version_id), consistent=True) is None:
            items = self.table.children(keys.version_pid(version_id), "", consistent=True).items
            self._delete_parallel([key_of(item) for item in items])
        else:
            items = []
        self.table.destroy(keys.stage(board_id, version_id))
        return len(items) + 1

    def live_ref(self, board: Board) -> VersionRef | None:
        """The board's live version as its item says now (consistent); None if it is gone or
        being deleted."""
        item = self.table.get(keys.board(board.owner_id, board.id), consistent=True)
        if item is None or deleted_at(item) is not None:
            return None
        return to_board(item).current_version

    # -- plumbing -------------------------------------------------------------------------------
    def _write_parallel(self, items: list[Item]) -> None:
        chunks = [items[i : i + _BATCH] for i in range(0, len(items), _BATCH)]
        if chunks:
            self.parallel(*[functools.partial(self.table.put_many, chunk) for chunk in chunks])

    def _delete_parallel(self, doomed: list[Key]) -> None:
        chunks = [doomed[i : i + _BATCH] for i in range(0, len(doomed), _BATCH)]
        if chunks:
            self.parallel(*[functools.partial(self.table.delete_many, chunk) for chunk in chunks])
