"""moto's DynamoDB as the tests use it: in-process, with DynamoDB's per-request atomicity.

DynamoDB applies each request — a conditional write, a whole transaction — atomically. moto
does not lock between threads: two threads' transactions can interleave inside moto and both
pass a condition that only one should. Concurrency tests (20 threads at a vote budget) must
race *our* requests against each other, not moto's internals, so each request here goes
through moto under one lock: requests interleave, their insides do not.

DynamoDB honours TransactWriteItems' `ClientRequestToken` (a retry of a committed transaction is
answered, not applied again); moto ignores it, so here the same rule as the embedded server's
stands in front of it (`retro_tools.serve.moto_tokens`).

Queries find their candidates by lookup (`retro_tools.serve.moto_index`), as in the embedded
server: installed here, at import, so that every test process answers them the same way and at
the same cost, whichever test of the process started an embedded server first (it installs it
too). Its answers are moto's own (tests/perf/test_index_lookup.py).
"""

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.awsrequest import AWSResponse
from moto import mock_aws
from moto.core.botocore_stubber import BotocoreStubber, MockRawResponse

from retro.store import RequestLog, record_requests
from retro_tools.serve import moto_index
from retro_tools.serve.moto_tokens import Answer, ClientRequestTokens

__all__ = ["atomic_mock_aws", "set_dummy_credentials", "spied_requests"]

moto_index.install()


def set_dummy_credentials() -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ.setdefault(name, value)


_moto_lock = threading.Lock()
_unlocked_call = BotocoreStubber.__call__
_tokens = ClientRequestTokens()


def _atomic_call(self: BotocoreStubber, event_name: str, request: Any, **kwargs: Any) -> Any:
    operation = event_name.rpartition(".")[2]
    body = request.body if isinstance(request.body, bytes) else str(request.body or "").encode()
    with _moto_lock:
        earlier = _tokens.before(operation, body)
        if earlier is not None:
            raw = MockRawResponse(earlier.body)
            return AWSResponse(request.url, earlier.status, dict(earlier.headers), raw)  # type: ignore[arg-type]
        response = _unlocked_call(self, event_name, request, **kwargs)
        if isinstance(response, AWSResponse):
            answer = Answer(response.status_code, list(response.headers.items()), response.content)
            _tokens.after(operation, body, answer)
        return response


@contextmanager
def atomic_mock_aws() -> Iterator[None]:
    """`moto.mock_aws`, with every request applied atomically as DynamoDB does, and
    TransactWriteItems' ClientRequestToken honoured as DynamoDB does."""
    global _tokens  # noqa: PLW0603 - each mock starts with a fresh database and fresh tokens
    _tokens = ClientRequestTokens()
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
