"""What every part of `Store` shares: the table, parallel reads, and writes made once.

Every write may carry an idempotency key (`clientRequestId`). `StoreBase.write_once` is the one
rule for all of them — creates, changes and deletes alike: the key's record
(`U#<caller>/I#<operation>#<key>`: the operation, its target, what it made or changed) is put
first in the write's own transaction, on the condition that it does not exist. So the write and
its record commit together or not at all, and a retry — after a timeout, a lost answer, an error
that came after the commit, or concurrently — finds the record instead of writing again: it is
answered as the success it was. The transaction also carries a ClientRequestToken derived from
the key, so DynamoDB itself answers an identical retry within 10 minutes without applying it.
"""

from collections.abc import Callable, Sequence
from typing import NamedTuple

from retro.errors import ConflictError, RetroError, UnavailableError, ValidationError
from retro.models import Note
from retro.store import keys
from retro.store.actions import Action, Check, Put
from retro.store.changes import Idempotency
from retro.store.codec import Item
from retro.store.failures import TokenReused, TransactionFailed
from retro.store.parallel import parallel
from retro.store.records import idempotency_item, to_record
from retro.store.table import Table
from retro.times import now

__all__ = ["TRANSACTION_ROOM", "Refusal", "StoreBase", "Written", "frozen", "version_is_live"]

# A transaction holds at most 100 actions; keep room for the fixed ones around carried notes.
TRANSACTION_ROOM = 90

# How a refused transaction becomes the error a client sees: one error, or one chosen from the
# failure (its reasons indexed as the write's own actions, without the record before them).
Refusal = RetroError | Callable[[TransactionFailed], RetroError] | None


class Written(NamedTuple):
    """What a write came to: the id it made or changed, and whether it was done before.

    `replayed`: this request (by its key) had already been written, and nothing was written now;
    `snapshot` is what the earlier write recorded for its answer (a deleted item as it was).
    """

    result_id: str
    replayed: bool = False
    snapshot: Item | None = None


class StoreBase:
    """The table a store works on, and the helpers its parts share."""

    parallel = staticmethod(parallel)

    def __init__(self, table: Table) -> None:
        self.table = table

    def replay_of(self, once: Idempotency) -> Written | None:
        """The earlier write under this key, if there was one (a consistent read).

        Raises ValidationError if the key was used for another target: a client's mistake,
        which must not be answered with someone else's result nor written again.
        """
        item = self.table.get(
            keys.idempotency(once.user_id, once.operation, once.client_key), consistent=True
        )
        if item is None:
            return None
        record = to_record(item)
        if record.operation != once.operation or (
            record.target_id and once.target_id and record.target_id != once.target_id
        ):
            raise ValidationError(
                "clientRequestId",
                f"was already used for another {once.operation} request; send a new one",
            )
        return Written(record.result_id, replayed=True, snapshot=record.snapshot)

    def write_once(
        self,
        result_id: str,
        actions: Sequence[Action],
        once: Idempotency | None,
        refused: Refusal = None,
        *,
        snapshot: Item | None = None,
    ) -> Written:
        """Run a write's transaction, once per idempotency key.

        `result_id` is the id the write makes or changes; `snapshot` what a replay must be able
        to answer once the target is gone (a deleted note). If `once` was written before,
        nothing is written and the earlier write is returned (`replayed`). Any other failure
        raises `refused`, or stays a TransactionFailed without it (a failure no client causes).
        """
        if once is None:
            try:
                self.table.transact(actions)
            except TransactionFailed as failure:
                if refused is None:
                    raise
                raise _refusal(failure, refused) from failure
            return Written(result_id)
        record = Put(idempotency_item(once, result_id, now(), snapshot), keys.not_exists())
        try:
            try:
                token = keys.request_token(once.user_id, once.operation, once.client_key)
                self.table.transact([record, *actions], token=token)
            except TokenReused:
                # An attempt under this key reached DynamoDB in the last 10 minutes with other
                # parameters (a retry made anew has new times): the record's condition decides.
                self.table.transact([record, *actions])
        except TransactionFailed as failure:
            if failure.failed(0):
                return self._replay(once)
            if refused is None:
                raise
            raise _refusal(TransactionFailed(failure.reasons[1:]), refused) from failure
        return Written(result_id)

    def _replay(self, once: Idempotency) -> Written:
        earlier = self.replay_of(once)
        if earlier is None:  # the winner's transaction was cancelled after all: try again
            raise UnavailableError("a concurrent request with the same clientRequestId failed")
        return earlier


def _refusal(
    failure: TransactionFailed, refused: RetroError | Callable[[TransactionFailed], RetroError]
) -> RetroError:
    if isinstance(refused, RetroError):
        return refused
    return refused(failure)


def version_is_live(note: Note) -> Check:
    """The transaction step that refuses any write to a note of a frozen version."""
    return Check(keys.version(note.board_id, note.version_id), keys.is_live())


def frozen(version_id: str) -> ConflictError:
    return ConflictError(f"version {version_id} is frozen: a newer version has been started")
