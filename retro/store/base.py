"""What every part of `Store` shares: the table, parallel reads, and creates made once.

A create with an idempotency key (`clientRequestId`) puts the key's record first in the
create's own transaction, so concurrent retries with one key write once and the losers read
the winner's result: `StoreBase.create_once` is that rule, for every create.
"""

from collections.abc import Sequence

from retro.errors import ConflictError, RetroError, UnavailableError
from retro.models import Note
from retro.store import keys
from retro.store.actions import Action, Check, Put
from retro.store.changes import Idempotency
from retro.store.failures import TransactionFailed
from retro.store.parallel import parallel
from retro.store.records import idempotency_item, result_of
from retro.store.table import Table

__all__ = ["TRANSACTION_ROOM", "StoreBase", "frozen", "version_is_live"]

# A transaction holds at most 100 actions; keep room for the fixed ones around carried notes.
TRANSACTION_ROOM = 90


class StoreBase:
    """The table a store works on, and the helpers its parts share."""

    parallel = staticmethod(parallel)

    def __init__(self, table: Table) -> None:
        self.table = table

    def replayed(self, once: Idempotency) -> str | None:
        """The id created earlier under this idempotency key, if any."""
        item = self.table.get(
            keys.idempotency(once.user_id, once.operation, once.client_key), consistent=True
        )
        return result_of(item) if item else None

    def create_once(
        self,
        result_id: str,
        actions: Sequence[Action],
        once: Idempotency | None,
        refused: RetroError | None = None,
    ) -> str:
        """Run a create's transaction, once per idempotency key; the id that exists afterwards.

        `result_id` is the id the create makes. If `once` was used before, nothing is written
        and the earlier create's id is returned. Any other failure raises `refused`, or stays a
        TransactionFailed without it (a failure no client can cause).
        """
        record = [] if once is None else [Put(idempotency_item(once, result_id), keys.not_exists())]
        try:
            self.table.transact([*record, *actions])
        except TransactionFailed as failure:
            if once is not None and failure.failed(0):
                return self._replay(once)
            if refused is None:
                raise
            raise refused from failure
        return result_id

    def _replay(self, once: Idempotency) -> str:
        earlier = self.replayed(once)
        if earlier is None:  # the winner's transaction was cancelled after all: try again
            raise UnavailableError("a concurrent request with the same clientRequestId failed")
        return earlier


def version_is_live(note: Note) -> Check:
    """The transaction step that refuses any write to a note of a frozen version."""
    return Check(keys.version(note.board_id, note.version_id), keys.is_live())


def frozen(version_id: str) -> ConflictError:
    return ConflictError(f"version {version_id} is frozen: a newer version has been started")
