"""`ClientRequestToken` of TransactWriteItems, honoured as DynamoDB documents it; moto ignores it.

DynamoDB: "Providing a ClientRequestToken makes the call to TransactWriteItems idempotent ... A
client request token is valid for 10 minutes after the first request that uses it is completed
... If you submit a request with the same client token but a change in other parameters within
the 10-minute idempotency window, DynamoDB returns an IdempotentParameterMismatch exception."

botocore fills the token itself, once per call (the shape's idempotencyToken), and keeps it for
its own retries of the call: so in AWS a retry after a commit whose answer was lost (a read
timeout, a 500) is answered as the success it was, and applies nothing. moto applies it again —
a vote counted twice. Here, in front of moto: a token that completed successfully within 10
minutes answers the same request with the earlier answer, unapplied, and another request with
`IdempotentParameterMismatchException`. A request that failed leaves no trace (a retry of it is
applied, as DynamoDB does for a request that failed the first time).

Two fronts share the rule: `TokenApp` wraps moto's server (the embedded DynamoDB of
`retro serve`, `moto_atomic.py`); the tests' in-process moto calls `ClientRequestTokens` around
each request (`tests/moto_dynamodb.py`). Both call it under their one-request-at-a-time lock.
"""

import hashlib
import io
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Answer", "ClientRequestTokens", "TokenApp"]

WINDOW_SECONDS = 600.0  # "valid for 10 minutes after the first request that uses it is completed"
MAX_TOKENS = 100_000  # memory bound; the oldest go first
_OPERATION = "TransactWriteItems"
_MISMATCH = json.dumps(
    {
        "__type": "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
        "message": "Request with the same client token but different parameters was already made",
    }
).encode()


@dataclass(frozen=True)
class Answer:
    """An HTTP answer as moto gave it, to give again."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class _Seen:
    fingerprint: str
    completed: float
    answer: Answer


class ClientRequestTokens:
    """Successful TransactWriteItems answers by their ClientRequestToken, for 10 minutes."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._seen: dict[str, _Seen] = {}
        self._lock = threading.Lock()

    def before(self, operation: str, body: bytes) -> Answer | None:
        """The answer to give without applying the request, or None: apply it."""
        token, fingerprint = _identify(operation, body)
        if token is None:
            return None
        with self._lock:
            seen = self._seen.get(token)
            if seen is None or self._clock() - seen.completed > WINDOW_SECONDS:
                return None
        if seen.fingerprint == fingerprint:
            return seen.answer
        headers = [("Content-Type", "application/x-amz-json-1.0")]
        return Answer(400, headers, _MISMATCH)

    def after(self, operation: str, body: bytes, answer: Answer) -> None:
        """Remember a successful answer to a request with a token (a failed one is forgotten)."""
        token, fingerprint = _identify(operation, body)
        if token is None or answer.status != 200:
            return
        with self._lock:
            moment = self._clock()
            for old in [t for t, s in self._seen.items() if moment - s.completed > WINDOW_SECONDS]:
                del self._seen[old]
            while len(self._seen) >= MAX_TOKENS:
                del self._seen[next(iter(self._seen))]
            self._seen[token] = _Seen(fingerprint, moment, answer)


def _identify(operation: str, body: bytes) -> tuple[str | None, str]:
    """The request's token and a fingerprint of everything else it says."""
    if operation != _OPERATION:
        return None, ""
    try:
        request = json.loads(body)
    except ValueError:
        return None, ""
    if not isinstance(request, dict) or not isinstance(request.get("ClientRequestToken"), str):
        return None, ""
    token = request.pop("ClientRequestToken")
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":")).encode()
    return token, hashlib.sha256(canonical).hexdigest()


class TokenApp:
    """A WSGI app in front of moto's server that honours TransactWriteItems' tokens."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self.tokens = ClientRequestTokens()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        operation = str(environ.get("HTTP_X_AMZ_TARGET", "")).rpartition(".")[2]
        if operation != _OPERATION:
            return list(self._app(environ, start_response))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)  # moto reads the body again
        earlier = self.tokens.before(operation, body)
        if earlier is not None:
            start_response(_status_line(earlier.status), earlier.headers)
            return [earlier.body]
        started: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            started[:] = [status, headers]
            return start_response(status, headers, *rest)

        chunks = list(self._app(environ, capture))
        if started:
            status, headers = started
            self.tokens.after(operation, body, Answer(int(status[:3]), headers, b"".join(chunks)))
        return chunks


def _status_line(status: int) -> str:
    return {200: "200 OK", 400: "400 Bad Request"}.get(status, f"{status} Status")
