"""moto's DynamoDB as the tests use it: in-process, with DynamoDB's per-request atomicity.

DynamoDB applies each request — a conditional write, a whole transaction — atomically. moto
does not lock between threads: two threads' transactions can interleave inside moto and both
pass a condition that only one should. Concurrency tests (20 threads at a vote budget) must
race *our* requests against each other, not moto's internals, so each request here goes
through moto under one lock: requests interleave, their insides do not.
"""

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto import mock_aws
from moto.core.botocore_stubber import BotocoreStubber

from retro.store import RequestLog, record_requests

__all__ = ["atomic_mock_aws", "set_dummy_credentials", "spied_requests"]


def set_dummy_credentials() -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ.setdefault(name, value)


_moto_lock = threading.Lock()
_unlocked_call = BotocoreStubber.__call__


def _atomic_call(self: BotocoreStubber, event_name: str, request: Any, **kwargs: Any) -> Any:
    with _moto_lock:
        return _unlocked_call(self, event_name, request, **kwargs)


@contextmanager
def atomic_mock_aws() -> Iterator[None]:
    """`moto.mock_aws`, with every request applied atomically as DynamoDB does."""
    BotocoreStubber.__call__ = _atomic_call  # type: ignore[method-assign]
    try:
        with mock_aws():
            yield
    finally:
        BotocoreStubber.__call__ = _unlocked_call  # type: ignore[method-assign]


@contextmanager
def spied_requests() -> Iterator[RequestLog]:
    """Every DynamoDB call made inside; fails if any of them is a Scan."""
    with record_requests() as log:
        yield log
    assert "Scan" not in log.operations, "the store must never Scan"
