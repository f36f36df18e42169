"""The store: Retro's data access on the original single table.

`Table` (table.py) is the generic layer — the original model wrapper's verbs on (`pid`, `cid`)
items. `Store` (below) speaks in Retro's models and is what services call: every key shape and
condition it needs comes from `keys`, so no other module builds either. Multi-item changes are
transactions, so a crash or a race never leaves a board half-changed.
"""

import functools
from collections.abc import Sequence
from typing import Any

from retro.errors import ConflictError, NotFoundError
from retro.models import Board, BoardVersion, Column, Note, User
from retro.settings import settings
from retro.store import keys
from retro.store.records import (
    board_item,
    note_item,
    to_board,
    to_note,
    to_user,
    to_version,
    user_item,
    version_item,
)
from retro.store.table import (
    TABLE_DEFINITION,
    Action,
    Condition,
    ConditionFailed,
    Page,
    RequestLog,
    Table,
    TransactionFailed,
    UnavailableError,
    record_requests,
)
from retro.times import iso

__all__ = [
    "TABLE_DEFINITION",
    "Page",
    "RequestLog",
    "Store",
    "Table",
    "UnavailableError",
    "default_store",
    "record_requests",
]

# A transaction holds at most 100 actions; keep room for the fixed ones around carried notes.
_TRANSACTION_ROOM = 90


class Store:
    """Retro's reads and writes, each a named access pattern (docs/ARCHITECTURE.md lists them)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.parallel = table.parallel

    # -- users -------------------------------------------------------------------------------
    def create_user(self, user: User, token_hash: str) -> None:
        pid, cid = keys.token(user.id, token_hash)
        self.table.transact(
            [
                Action("Put", item=user_item(user), condition=keys.not_exists()),
                Action("Put", item={"pid": pid, "cid": cid, "user_id": user.id}),
            ]
        )

    def has_token(self, user_id: str, token_hash: str) -> bool:
        return self.table.get(keys.token(user_id, token_hash), consistent=True) is not None

    def get_user(self, user_id: str) -> User | None:
        item = self.table.get(keys.user(user_id))
        return to_user(item) if item else None

    # -- idempotency -------------------------------------------------------------------------
    def replayed(self, user_id: str, operation: str, client_key: str) -> str | None:
        """The id created earlier under this idempotency key, if any."""
        item = self.table.get(keys.idempotency(user_id, operation, client_key), consistent=True)
        return str(item["result_id"]) if item else None

    def _once(self, idem: tuple[str, str, str] | None, result_id: str) -> list[Action]:
        """The action that makes a create happen once per key: it must come first."""
        if idem is None:
            return []
        pid, cid = keys.idempotency(*idem)
        item = {"pid": pid, "cid": cid, "result_id": result_id, "operation": idem[1]}
        return [Action("Put", item=item, condition=keys.not_exists())]

    # -- boards ------------------------------------------------------------------------------
    def create_board(
        self, board: Board, first: BoardVersion, idem: tuple[str, str, str] | None = None
    ) -> str:
        """Create a board with its first version; returns the id that exists afterwards.

        With an idempotency key that was used before, nothing is written and the earlier
        board's id is returned.
        """
        once = self._once(idem, board.id)
        try:
            self.table.transact(
                [
                    *once,
                    Action("Put", item=board_item(board), condition=keys.not_exists()),
                    Action("Put", item=version_item(first), condition=keys.not_exists()),
                ]
            )
        except TransactionFailed as failure:
            if once and failure.failed(0) and idem is not None:
                return self._replay(idem)
            raise
        return board.id

    def _replay(self, idem: tuple[str, str, str]) -> str:
        earlier = self.replayed(*idem)
        if earlier is None:  # the winner's transaction was cancelled after all: try again
            raise UnavailableError("a concurrent request with the same clientRequestId failed")
        return earlier

    def find_board(self, board_id: str) -> Board | None:
        """A board by its id alone: `cid_si` gives its key, then one GetItem (2 round trips)."""
        owners = [
            key
            for key in self.table.find_keys(keys.BOARD + board_id)
            if key[0].startswith(keys.USER)
        ]
        if not owners:
            return None
        item = self.table.get(owners[0])
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

    def update_board(self, board: Board, changes: dict[str, Any], caller: str) -> Board:
        try:
            item = self.table.update(
                keys.board(board.owner_id, board.id), set_=changes, condition=keys.is_owner(caller)
            )
        except ConditionFailed as error:
            raise NotFoundError("board", board.id) from error
        return to_board(item)

    def delete_board(self, board: Board) -> None:
        """Delete a board, its versions and everything in them (ballots and votes too)."""
        versions = self.table.children(keys.board_pid(board.id), keys.VERSION).items
        contents = self.parallel(
            *[
                functools.partial(self.table.children, keys.version_pid(str(v["id"])), "")
                for v in versions
            ]
        )
        doomed = [(str(i["pid"]), str(i["cid"])) for page in contents for i in page.items]
        doomed += [(str(v["pid"]), str(v["cid"])) for v in versions]
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
        idem: tuple[str, str, str] | None = None,
    ) -> str:
        """Freeze the live version, make `new` live and copy `carried` notes into it, atomically.

        Returns the id of the version that exists afterwards (an earlier one on a replay).
        Raises ConflictError if someone else started a version meanwhile.
        """
        current = board.current_version
        once = self._once(idem, new.id)
        in_transaction, later = carried[:_TRANSACTION_ROOM], carried[_TRANSACTION_ROOM:]
        actions = [
            *once,
            Action(
                "Update",
                key=keys.version(board.id, current.id),
                set_={"frozen_at": iso(new.created_at)},
                condition=keys.is_live(),
            ),
            Action("Put", item=version_item(new), condition=keys.not_exists()),
            Action(
                "Update",
                key=keys.board(board.owner_id, board.id),
                set_={
                    "cv_id": new.id,
                    "cv_number": new.number,
                    "cv_title": new.title,
                    "cv_created_at": iso(new.created_at),
                    "updated_at": iso(new.created_at),
                },
                condition=keys.is_current(current.id),
            ),
            *[
                Action("Put", item=note_item(n), condition=keys.not_exists())
                for n in in_transaction
            ],
        ]
        try:
            self.table.transact(actions)
        except TransactionFailed as failure:
            if once and failure.failed(0) and idem is not None:
                return self._replay(idem)
            raise ConflictError(
                f"board {board.id}: version {current.number} is no longer the live version"
            ) from failure
        self.put_notes(later)  # beyond one transaction's room
        return new.id

    def put_notes(self, notes: Sequence[Note]) -> None:
        """Write notes outright (carried notes beyond a transaction's room, or carried late).

        Each put is keyed by the note's own new id, so writing one twice changes nothing.
        """
        for note in notes:
            self.table.put(note_item(note))

    # -- notes -------------------------------------------------------------------------------
    def notes(
        self, version_id: str, column: Column | None = None, *, consistent: bool = False
    ) -> list[Note]:
        pid = keys.version_pid(version_id)
        items = self.table.children(pid, keys.NOTE, consistent=consistent).items
        notes = [to_note(i) for i in items]
        return [n for n in notes if column is None or n.column == column]

    def get_note(self, version_id: str, note_id: str, *, consistent: bool = False) -> Note | None:
        item = self.table.get(keys.note(version_id, note_id), consistent=consistent)
        return to_note(item) if item else None

    def version_of_note(self, note_id: str) -> str | None:
        """The version a note lives in, found by the note's id alone (`cid_si`)."""
        for pid, _ in self.table.find_keys(keys.NOTE + note_id):
            if pid.startswith(keys.VERSION):
                return keys.stem(pid)
        return None

    def add_note(self, note: Note, idem: tuple[str, str, str] | None = None) -> str:
        """Add a note to a live version; returns the id that exists afterwards."""
        once = self._once(idem, note.id)
        try:
            self.table.transact(
                [
                    *once,
                    Action("Put", item=note_item(note), condition=keys.not_exists()),
                    _version_is_live(note),
                ]
            )
        except TransactionFailed as failure:
            if once and failure.failed(0) and idem is not None:
                return self._replay(idem)
            raise _frozen(note.version_id) from failure
        return note.id

    def update_note(self, note: Note, changes: dict[str, Any], caller: str) -> Note:
        """Change a note of a live version, if `caller` wrote it."""
        try:
            self.table.transact(
                [
                    Action(
                        "Update",
                        key=keys.note(note.version_id, note.id),
                        set_=changes,
                        condition=keys.is_author(caller),
                    ),
                    _version_is_live(note),
                ]
            )
        except TransactionFailed as failure:
            if failure.failed(0):
                raise NotFoundError("note", note.id) from failure
            raise _frozen(note.version_id) from failure
        updated = self.get_note(note.version_id, note.id, consistent=True)
        if updated is None:
            raise NotFoundError("note", note.id)
        return updated

    def delete_note(self, note: Note, caller: str) -> None:
        """Delete a note of a live version, if `caller` wrote it, and give its votes back.

        `note` must have been read (consistently) before this reads the votes on it: the delete
        is conditioned on the note's vote count and vote moves being what `note` shows, so a
        vote or unvote landing after that read cancels the delete (ConflictError) instead of
        refunding votes that were taken back or keeping ones that were spent on it.
        """
        pid = keys.version_pid(note.version_id)
        votes = [
            v
            for v in self.table.children(pid, keys.VOTE, consistent=True).items
            if keys.stem(str(v["cid"])) == note.id and int(v.get("count", 0)) > 0
        ]
        refunds: list[Action] = []
        for vote in votes:
            voter = str(vote["cid"]).split("#")[1]
            refunds.append(Action("Delete", key=(pid, str(vote["cid"]))))
            refunds.append(
                Action(
                    "Update",
                    key=keys.ballot(note.version_id, voter),
                    add={"used": -int(vote["count"])},
                )
            )
        condition = keys.is_untouched_own_note(caller, note.votes, note.vote_moves)
        first, rest = refunds[:_TRANSACTION_ROOM], refunds[_TRANSACTION_ROOM:]
        try:
            self.table.transact(
                [
                    Action("Delete", key=keys.note(note.version_id, note.id), condition=condition),
                    _version_is_live(note),
                    *first,
                ]
            )
        except TransactionFailed as failure:
            if failure.failed(0):
                raise ConflictError(
                    f"note {note.id} changed while deleting it; please retry"
                ) from failure
            raise _frozen(note.version_id) from failure
        for i in range(0, len(rest), _TRANSACTION_ROOM):
            self.table.transact(rest[i : i + _TRANSACTION_ROOM])

    # -- votes -------------------------------------------------------------------------------
    def vote(self, note: Note, voter: str, budget: int) -> None:
        """Spend one of `voter`'s votes on `note`, within `budget`, atomically."""
        self._count_vote(
            note,
            voter,
            +1,
            ballot_guard=keys.below("used", budget),
            refused=f"no votes left: all {budget} are spent on this version",
        )

    def unvote(self, note: Note, voter: str) -> None:
        """Take back one of `voter`'s votes on `note`."""
        self._count_vote(
            note,
            voter,
            -1,
            ballot_guard=keys.positive("used"),
            refused=f"note {note.id}: you have no vote on it to take back",
        )

    def _count_vote(
        self, note: Note, voter: str, step: int, *, ballot_guard: Condition, refused: str
    ) -> None:
        """Move one vote between `voter`'s ballot and `note`, in one transaction of four.

        The ballot counts the votes spent on the version (guarded by the budget, or by having
        one to take back); the vote item counts them per note; the note's count moves with
        them; and the version must still be live.
        """
        counted = keys.exists() if step > 0 else keys.positive("count")
        try:
            self.table.transact(
                [
                    Action(
                        "Update",
                        key=keys.ballot(note.version_id, voter),
                        add={"used": step},
                        condition=ballot_guard,
                    ),
                    Action(
                        "Update",
                        key=keys.vote(note.version_id, voter, note.id),
                        add={"count": step},
                        condition=None if step > 0 else counted,
                    ),
                    Action(
                        "Update",
                        key=keys.note(note.version_id, note.id),
                        add={"votes": step, "vote_moves": 1},
                        condition=keys.exists() if step > 0 else keys.positive("votes"),
                    ),
                    _version_is_live(note),
                ]
            )
        except TransactionFailed as failure:
            if failure.failed(0) or failure.failed(1):
                raise ConflictError(refused) from failure
            if failure.failed(2):
                raise NotFoundError("note", note.id) from failure
            raise _frozen(note.version_id) from failure

    def votes_spent(self, version_id: str, voter: str) -> tuple[int, dict[str, int]]:
        """How many votes `voter` spent on a version, and on which notes."""
        pid = keys.version_pid(version_id)
        ballot, votes = self.parallel(
            lambda: self.table.get(keys.ballot(version_id, voter), consistent=True),
            lambda: self.table.children(pid, keys.votes_of(voter), consistent=True).items,
        )
        used = int(ballot.get("used", 0)) if ballot else 0
        per_note = {keys.stem(str(v["cid"])): int(v["count"]) for v in votes if int(v["count"]) > 0}
        return used, per_note


def _version_is_live(note: Note) -> Action:
    """The transaction step that refuses any write to a note of a frozen version."""
    return Action(
        "ConditionCheck", key=keys.version(note.board_id, note.version_id), condition=keys.is_live()
    )


def _frozen(version_id: str) -> ConflictError:
    return ConflictError(f"version {version_id} is frozen: a newer version has been started")


@functools.cache
def default_store() -> Store:
    """The process's store, on the table the settings name (made on first use, then kept)."""
    return Store(Table(settings()))
