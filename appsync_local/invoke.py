"""Calling handlers the way AppSync calls Lambda functions.

- The payload and the response cross a JSON boundary, as they do between AppSync and Lambda:
  the handler gets its own copy of the event, and a response that JSON cannot carry fails like
  Lambda's `Runtime.MarshalError` instead of passing Python objects through.
- Each call runs in a worker thread, so concurrent requests run concurrently, as Lambdas do.
- A handler that raises gives `errorType` = the exception's class name, `message` = its text.
- `maxBatchSize` > 0: the field's events of one request are collected for a short window and
  sent as ONE list per `maxBatchSize` items; the handler answers a list of
  `{"data", "errorMessage", "errorType"}` envelopes in the same order.

Invocations are counted per function (`Invoker.counts`), so tests can check how many Lambda
calls a request costs. An invocation that outlives its time (`timeout_seconds`, or the
function's own in `timeouts`; the binder passes what is left of the request's time) fails with
AppSync's `ExecutionTimeout` "Execution timed out."; the handler's thread runs on, as a Lambda
does after AppSync stopped waiting for it.
"""

import asyncio
import collections
import contextvars
import decimal
import json
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from appsync_local.config import Handler, load_handler
from appsync_local.errors import UNAUTHORIZED_MESSAGE

__all__ = [
    "TIMEOUT_ERROR_TYPE",
    "TIMEOUT_MESSAGE",
    "BatchLoader",
    "HandlerError",
    "Invoker",
    "LambdaContext",
]

_TIMEOUT_SECONDS = 30.0  # AppSync's limit for a whole request
TIMEOUT_ERROR_TYPE = "ExecutionTimeout"  # what AppSync answers for a field that ran out of time
TIMEOUT_MESSAGE = "Execution timed out."


class HandlerError(Exception):
    """A handler's failure, as AppSync reports it: an errorType and a message."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


@dataclass
class LambdaContext:
    """The `context` object a Python Lambda receives (the attributes handlers commonly read)."""

    function_name: str
    invoked_function_arn: str
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    log_group_name: str = ""
    log_stream_name: str = "local"
    deadline: float = field(default_factory=lambda: time.monotonic() + _TIMEOUT_SECONDS)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


def _json_default(value: Any) -> Any:
    # Lambda's Python runtime serialises Decimal too (boto3 returns numbers as Decimal).
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _across_json(value: Any) -> Any:
    return json.loads(json.dumps(value, default=_json_default))


class Invoker:
    """Loads the handlers named in `resolvers.json` and calls them like Lambda does."""

    def __init__(
        self,
        functions: Mapping[str, str],
        *,
        region: str,
        account_id: str = "000000000000",
        max_workers: int = 8,
        timeout_seconds: float = _TIMEOUT_SECONDS,
        timeouts: Mapping[str, float] | None = None,
    ) -> None:
        self._names = dict(functions)
        self._timeout = timeout_seconds
        self._timeouts = dict(timeouts or {})
        self._handlers: dict[str, Handler] = {}
        self._region = region
        self._account = account_id
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="retro-lambda")
        self.counts: collections.Counter[str] = collections.Counter()

    def load(self) -> None:
        """Import every handler now, so a wrong name fails at start-up, not at first call."""
        for name, dotted in self._names.items():
            self._handlers[name] = load_handler(dotted)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _context(self, function: str, timeout: float) -> LambdaContext:
        arn = f"arn:aws:lambda:{self._region}:{self._account}:function:{function}"
        return LambdaContext(
            function_name=function,
            invoked_function_arn=arn,
            log_group_name=f"/aws/lambda/{function}",
            deadline=time.monotonic() + timeout,
        )

    def _call(self, handler: Handler, function: str, payload: Any, timeout: float) -> Any:
        """Runs in a worker thread: the Lambda invocation proper."""
        event = _across_json(payload)
        try:
            # A fresh context per invocation, as each Lambda invocation is its own flow of
            # control: nothing (context variables included) leaks from the previous one.
            result = contextvars.Context().run(handler, event, self._context(function, timeout))
        except Exception as error:  # a Lambda error, reported as AppSync reports it
            error_type = type(error).__name__
            message = UNAUTHORIZED_MESSAGE if error_type == "UnauthorizedException" else str(error)
            raise HandlerError(error_type, message) from error
        try:
            return _across_json(result)
        except (TypeError, ValueError) as error:
            raise HandlerError(
                "Runtime.MarshalError", f"Unable to marshal response: {error}"
            ) from error

    async def invoke(self, function: str, payload: Any, timeout: float | None = None) -> Any:
        """One invocation of `function` with `payload` (an event, or a list of them), given
        `timeout` seconds at most (default: the function's, else the invoker's)."""
        handler = self._handlers.get(function)
        if handler is None:
            handler = self._handlers[function] = load_handler(self._names[function])
        if timeout is None:
            timeout = self._timeouts.get(function, self._timeout)
        self.counts[function] += 1
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(
                loop.run_in_executor(self._pool, self._call, handler, function, payload, timeout),
                max(timeout, 0.0),
            )
        except TimeoutError:
            raise HandlerError(TIMEOUT_ERROR_TYPE, TIMEOUT_MESSAGE) from None


@dataclass
class _Pending:
    event: dict[str, Any]
    future: asyncio.Future[Any]


class BatchLoader:
    """AppSync's BatchInvoke for one field within one request.

    Events queued within `window` seconds of the first are sent together, `max_batch` per
    invocation. A short window (not "same event-loop tick") is what keeps a batch whole when
    parents finish resolving at slightly different times.
    """

    def __init__(
        self,
        invoke: Callable[[Any], Any],
        max_batch: int,
        *,
        window: float = 0.003,
    ) -> None:
        self._invoke = invoke
        self._max = max_batch
        self._window = window
        self._pending: list[_Pending] = []
        self._tasks: set[asyncio.Task[None]] = set()

    def load(self, event: dict[str, Any]) -> "asyncio.Future[Any]":
        loop = asyncio.get_running_loop()
        if not self._pending:
            loop.call_later(self._window, self._flush)
        future: asyncio.Future[Any] = loop.create_future()
        self._pending.append(_Pending(event, future))
        return future

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        for start in range(0, len(pending), self._max):
            task = asyncio.ensure_future(self._dispatch(pending[start : start + self._max]))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _dispatch(self, batch: list[_Pending]) -> None:
        try:
            results = await self._invoke([p.event for p in batch])
        except Exception as error:  # raising fails the whole batch
            for p in batch:
                _settle(p.future, error=error)
            return
        if not isinstance(results, list) or len(results) != len(batch):
            got = f"{len(results)} items" if isinstance(results, list) else type(results).__name__
            mismatch = HandlerError(
                "Lambda:IllegalResponse",
                f"a batch of {len(batch)} events must be answered by a list of {len(batch)} "
                f"envelopes; the function returned {got}",
            )
            for p in batch:
                _settle(p.future, error=mismatch)
            return
        for p, envelope in zip(batch, results, strict=True):
            if not isinstance(envelope, dict):
                _settle(
                    p.future,
                    error=HandlerError(
                        "Lambda:IllegalResponse",
                        "each batch result must be an object {data, errorMessage, errorType}",
                    ),
                )
            elif envelope.get("errorMessage") is not None or envelope.get("errorType") is not None:
                _settle(
                    p.future,
                    error=HandlerError(
                        str(envelope.get("errorType") or "Lambda:Handled"),
                        str(envelope.get("errorMessage") or ""),
                    ),
                )
            else:
                _settle(p.future, value=envelope.get("data"))


def _settle(
    future: "asyncio.Future[Any]", *, value: Any = None, error: BaseException | None = None
) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)
