"""Writes made once per idempotency key: a retry is answered as the success it was.

Every mutation but `createUser` takes an optional `clientRequestId`. The store writes a key's
record in the write's own transaction (`Store.write_once`), so a retry that reaches the write
finds it and writes nothing. A retry can also be refused before it reaches the write, because
the first attempt changed what it checks: the note it deleted is gone, the vote it spent used up
the budget, a version started since froze the note. `or_replay` looks the key up when a keyed
write is refused that way, and answers the earlier write instead — costing nothing on the way
of a write that succeeds.
"""

from collections.abc import Callable
from typing import TypeVar

from retro.errors import ConflictError, ForbiddenError, NotFoundError
from retro.services import checks
from retro.store import Idempotency, Store, Written

__all__ = ["idempotency", "or_replay"]

T = TypeVar("T")


def idempotency(
    caller: str, operation: str, client_request_id: str | None, target_id: str = ""
) -> Idempotency | None:
    """The write's key, checked (a ValidationError names `clientRequestId`), or None."""
    key = checks.idempotency_key(client_request_id)
    return Idempotency(caller, operation, key, target_id) if key else None


def or_replay(
    store: Store,
    once: Idempotency | None,
    write: Callable[[], T],
    replay: Callable[[Written], T],
) -> T:
    """`write()`; if it is refused and this very request was written before, `replay` it."""
    try:
        return write()
    except (NotFoundError, ConflictError, ForbiddenError):
        earlier = store.replay_of(once) if once is not None else None
        if earlier is None:
            raise
        return replay(earlier)
