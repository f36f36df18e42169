"""Instrumentation: every DynamoDB call, and the round trip of waiting it belongs to.

Tests and benchmarks count calls and rounds (never time) with `record_requests()`; `Table`
registers `after_call` on its client, and `retro.store.parallel` keeps the round count right for
calls made side by side.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ROUNDS", "RequestLog", "after_call", "record_requests"]


@dataclass
class RequestLog:
    """DynamoDB calls seen while recording, each as (operation, round).

    The round of a call is how many calls its flow of control had waited for before it,
    plus one: calls made side by side by `Store.parallel` share a round. The largest round is
    the number of round trips a request waited for one after another, whatever the timing.
    """

    calls: list[tuple[str, int]] = field(default_factory=list)

    @property
    def operations(self) -> list[str]:
        return [name for name, _ in self.calls]

    @property
    def sequential(self) -> int:
        return max((depth for _, depth in self.calls), default=0)

    def clear(self) -> None:
        """Forget the calls so far and count rounds from zero again in this flow of control."""
        self.calls.clear()
        ROUNDS.set(0)


_recorders: list[RequestLog] = []
_recorders_lock = threading.Lock()
# Round trips this flow of control has waited for; `Store.parallel` gives each branch a copy.
ROUNDS: ContextVar[int] = ContextVar("retro_store_rounds", default=0)


@contextmanager
def record_requests() -> Iterator[RequestLog]:
    """Record every DynamoDB call made by any `Table` in this process (tests, benchmarks).

    Rounds count from zero for the code inside the `with` block.
    """
    log = RequestLog()
    token = ROUNDS.set(0)
    with _recorders_lock:
        _recorders.append(log)
    try:
        yield log
    finally:
        ROUNDS.reset(token)
        with _recorders_lock:
            _recorders.remove(log)


def after_call(event_name: str, **_: Any) -> None:
    """botocore's `after-call.dynamodb` hook: one more round for this flow, logged if recording."""
    depth = ROUNDS.get() + 1
    ROUNDS.set(depth)
    if not _recorders:
        return
    operation = event_name.rsplit(".", 1)[-1]
    with _recorders_lock:
        for log in _recorders:
            log.calls.append((operation, depth))
