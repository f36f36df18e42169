"""Crash points at the store boundary, by the index of a request in an operation.

`tests/faults.py` fails the next calls of one DynamoDB operation; this module sweeps every
request an operation makes, whatever its kind. The DynamoDB client a `Table` talks to is wrapped
from the test's side, so the production code has no hook to know about.

- `crash_after(table, n)`: the n-th DynamoDB request is applied, then the process "dies" —
  `Crash` (a BaseException, so no `except Exception` cleanup runs, as none runs after kill -9)
  is raised to its caller, and every later request of the process raises it too (parallel
  branches still in flight stop at their next request).
- `timeout_after(table, n)`: the n-th request is applied, then its answer is lost — a read
  timeout, as botocore reports one (the store answers UnavailableError: please retry).
- `count_requests(table)`: how many requests an operation makes, to sweep every point.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ReadTimeoutError

__all__ = ["Crash", "Faulty", "count_requests", "crash_after", "timeout_after"]

OPERATIONS = {
    "get_item",
    "put_item",
    "update_item",
    "delete_item",
    "query",
    "batch_write_item",
    "transact_write_items",
}


class Crash(BaseException):
    """The process died right after a request reached the database."""


class Faulty:
    """A DynamoDB client that applies each request, then fails at the `at`-th one."""

    def __init__(self, client: Any, at: int | None, fault: Callable[[], BaseException]) -> None:
        self._client = client
        self._at = at
        self._fault = fault
        self._lock = threading.Lock()
        self.calls: list[str] = []
        self.dead = False

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)
        if name not in OPERATIONS:
            return method

        def call(**kwargs: Any) -> Any:
            if self.dead:
                raise Crash
            result = method(**kwargs)
            with self._lock:
                self.calls.append(name)
                hit = len(self.calls) == self._at
            if hit:
                error = self._fault()
                self.dead = isinstance(error, Crash)
                raise error
            return result

        return call


@contextmanager
def _wrapped(table: Any, at: int | None, fault: Callable[[], BaseException]) -> Iterator[Faulty]:
    original = table.client
    table.client = faulty = Faulty(original, at, fault)
    try:
        yield faulty
    finally:
        table.client = original


def crash_after(table: Any, at: int) -> Any:
    return _wrapped(table, at, Crash)


def timeout_after(table: Any, at: int) -> Any:
    return _wrapped(table, at, lambda: ReadTimeoutError(endpoint_url="http://dynamodb"))


def count_requests(table: Any) -> Any:
    return _wrapped(table, None, Crash)
