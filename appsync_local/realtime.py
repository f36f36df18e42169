"""AppSync's realtime WebSocket protocol (sub-protocol `graphql-ws`, AppSync's messages).

Connection: the authorization headers come base64-encoded, either as the query string
`?header=<b64 JSON>&payload=e30=` (gql, older Amplify) or as a second sub-protocol
`header-<base64url JSON>` (current Amplify). They are checked when the socket opens; a refusal is
a `connection_error` (errorCode 401) and the socket closes.

Messages, client → server: `connection_init` (optional, as in AppSync) → `connection_ack`
with `connectionTimeoutMs`; `start {id, payload: {data: "<JSON {query, variables}>",
extensions: {authorization: {...}}}}` → `start_ack` then `data` per event, or `error`;
`stop {id}` → `complete`. The server sends `ka` periodically.

Once a client has sent `connection_init`, it must wait for `connection_ack`: AppSync ignores
what comes before the ack, so a client that sends `start` at once gets no answer to it in the
cloud. The ack leaves `ack_delay_seconds` (0.1 s) after the init, and every message received
meanwhile is ignored (and logged), so such a client fails here as it would there. A `start`
without any `connection_init` is served (the init is optional, AppSync's guide step 2).

A socket that sends neither `connection_init` nor `start` within `init_timeout_seconds` (30 s)
gets a `connection_error` (`TimeoutException`, errorCode 408) and is closed: AppSync's guide
names no such limit (`connection_init` is optional there), so this is the local server's bound
on sockets that hold a connection and do nothing (docs/LOCAL.md).

Errors, as AppSync words them: a duplicate active id is `DuplicatedOperationError`, the 101st
subscription `MaxSubscriptionsReachedError`, a query or mutation (or an unknown message type)
`UnsupportedOperation` "<what> not supported through the realtime channel". A `data` message
over 240 KB is dropped and logged, as AppSync drops it. The messages themselves, typed, are in
`realtime_messages`.
"""

import asyncio
import base64
import binascii
import contextlib
import json
import logging
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect

from appsync_local import realtime_messages as messages
from appsync_local.engine import Engine, SubscriptionHandle, SubscriptionRefused
from appsync_local.errors import UNAUTHORIZED_MESSAGE, RequestError, internal_error_message
from appsync_local.pubsub import SharedPayload

__all__ = ["SUBPROTOCOL", "RealtimeSettings", "auth_headers", "send_payloads", "serve_appsync"]

log = logging.getLogger("appsync_local")

SUBPROTOCOL = "graphql-ws"


@dataclass(frozen=True)
class RealtimeSettings:
    keepalive_seconds: float = 60.0
    connection_timeout_ms: int = 300_000
    max_subscriptions: int = 100
    max_message_bytes: int = 240 * 1024
    init_timeout_seconds: float = 30.0  # for connection_init or a first start; 0 = no limit
    ack_delay_seconds: float = 0.1  # connection_init → connection_ack; messages between: ignored


async def send_payloads(
    websocket: WebSocket,
    send_lock: asyncio.Lock,
    op_id: str,
    frame: Callable[[str, dict[str, Any]], str],
    payloads: AsyncGenerator[dict[str, Any], None],
    max_bytes: int,
) -> None:
    """Send each payload of a subscription as the text `frame(op_id, payload)`, then close the
    stream.

    Both WebSocket protocols forward events this way (each with its own message); a message
    over `max_bytes` is dropped and logged, as AppSync drops it.
    """
    try:
        async for payload in payloads:
            text = frame(op_id, payload)
            size = len(text.encode())
            if size > max_bytes:
                log.warning(
                    "subscription %s: dropped a %d-byte message (limit %d bytes)",
                    op_id,
                    size,
                    max_bytes,
                )
                continue
            async with send_lock:
                await websocket.send_text(text)
    finally:
        with contextlib.suppress(Exception):
            await payloads.aclose()


def _decode(encoded: str) -> dict[str, str] | None:
    """A base64 (standard or url-safe, padding optional) JSON object of headers, or None."""
    padded = encoded + "=" * (-len(encoded) % 4)
    for decode in (base64.urlsafe_b64decode, base64.b64decode):
        try:
            value = json.loads(decode(padded))
        except (ValueError, RecursionError, binascii.Error):
            continue
        if isinstance(value, dict):
            return {str(k).lower(): str(v) for k, v in value.items() if isinstance(v, str | int)}
    return None


def auth_headers(websocket: WebSocket) -> dict[str, str] | None:
    """The authorization headers a client sent with the handshake, or None."""
    header = websocket.query_params.get("header")
    if header:
        return _decode(header)
    for protocol in websocket.scope.get("subprotocols", []):
        if protocol.startswith("header-"):
            return _decode(protocol[len("header-") :])
    return None


def _data_frame(op_id: str, payload: dict[str, Any]) -> str:
    if isinstance(payload, SharedPayload):  # the same bytes as below, its JSON made once
        return f'{{"type":"data","id":{json.dumps(op_id)},"payload":{payload.encoded()}}}'
    return messages.encode(messages.data(op_id, payload))


def _unsupported(kind: str) -> messages.ErrorMessage:
    return messages.protocol_error(
        f"{kind} not supported through the realtime channel", "UnsupportedOperation"
    )


class _InitTimeout(Exception):
    """Neither `connection_init` nor `start` came in time."""


class _Refused(Exception):
    def __init__(self, message: str, error_type: str) -> None:
        super().__init__(message)
        self.message = message
        self.error_type = error_type


class _Connection:
    def __init__(self, websocket: WebSocket, engine: Engine, settings: RealtimeSettings) -> None:
        self.websocket = websocket
        self.engine = engine
        self.settings = settings
        self.operations: dict[str, asyncio.Task[None]] = {}
        self.send_lock = asyncio.Lock()
        self.keepalive: asyncio.Task[None] | None = None
        self.handshake_headers = {k: v for k, v in websocket.headers.items() if k != "cookie"}
        # Until connection_init or start: when to give up on the socket (None: never).
        timeout = settings.init_timeout_seconds
        self.init_deadline = asyncio.get_running_loop().time() + timeout if timeout else None
        # After connection_init, when the ack is due (None: none pending).
        self.ack_due: float | None = None

    async def send(self, message: messages.ServerMessage) -> None:
        async with self.send_lock:
            await self.websocket.send_text(messages.encode(message))

    async def _keepalive(self) -> None:
        while True:
            await self.send(messages.keep_alive())
            await asyncio.sleep(self.settings.keepalive_seconds)

    def start_keepalive(self) -> None:
        if self.keepalive is None:
            self.keepalive = asyncio.create_task(self._keepalive())

    async def close_all(self) -> None:
        tasks = [*self.operations.values(), *([self.keepalive] if self.keepalive else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.operations.clear()

    async def receive(self) -> Message:
        """The next message; `_InitTimeout` if the socket has not begun in time. A pending
        `connection_ack` is sent when due, and what arrives before it is ignored."""
        while self.ack_due is not None:
            left = self.ack_due - asyncio.get_running_loop().time()
            try:
                message = await asyncio.wait_for(self.websocket.receive(), max(left, 0.0))
            except TimeoutError:
                self.ack_due = None
                await self.send(messages.connection_ack(self.settings.connection_timeout_ms))
                self.start_keepalive()
                break
            if message["type"] == "websocket.disconnect":
                return message
            log.info("realtime: ignored a message sent before connection_ack")
        if self.init_deadline is None:
            return await self.websocket.receive()
        left = self.init_deadline - asyncio.get_running_loop().time()
        try:
            return await asyncio.wait_for(self.websocket.receive(), max(left, 0.0))
        except TimeoutError:
            raise _InitTimeout from None

    async def run(self) -> None:
        """Answer messages until the client leaves; each `start` is authorized on its own."""
        while True:
            message = await self.receive()
            if message["type"] == "websocket.disconnect":
                return
            frame = messages.decode(message.get("text"))
            if frame is None:
                await self.send(_unsupported("unknown"))
                continue
            kind = frame["type"]
            if kind in {"connection_init", "start"}:
                self.init_deadline = None
            if kind == "connection_init":
                self.ack_due = asyncio.get_running_loop().time() + self.settings.ack_delay_seconds
            elif kind == "start":
                self.start_keepalive()
                await self.start(frame)
            elif kind == "stop":
                stop = messages.as_stop(frame)
                if stop is not None:
                    await self.stop(stop["id"])
            else:
                await self.send(_unsupported(kind))

    async def stop(self, op_id: str) -> None:
        task = self.operations.pop(op_id, None)
        if task is None:
            return
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await self.send(messages.complete(op_id))

    async def start(self, frame: messages.Frame) -> None:
        start = messages.as_start(frame)
        if start is None:
            await self.send(
                messages.protocol_error(
                    "A start message needs a string 'id'.", "BadRequestException"
                )
            )
            return
        op_id = start["id"]
        try:
            handle = await self._subscribe(start)
        except _Refused as refusal:
            await self.send(messages.protocol_error(refusal.message, refusal.error_type, op_id))
            return
        if isinstance(handle, SubscriptionRefused):
            await self.send(messages.error(op_id, handle.errors))
            return
        self.operations[op_id] = asyncio.create_task(self.forward(op_id, handle.payloads))
        await self.send(messages.start_ack(op_id))

    async def _subscribe(self, start: messages.StartMessage) -> SubscriptionHandle:
        """Check a `start` message and subscribe; `_Refused` says why not."""
        if start["id"] in self.operations:
            raise _Refused("Duplicate subscription ID.", "DuplicatedOperationError")
        limit = self.settings.max_subscriptions
        if len(self.operations) >= limit:
            raise _Refused(
                f"Max number of {limit} subscriptions reached.", "MaxSubscriptionsReachedError"
            )
        operation = messages.operation(start)
        if operation is None:
            raise _Refused(
                "'payload.data' must be a JSON string of {query, variables}.", "BadRequestException"
            )
        query = operation["query"]
        variables = operation["variables"]
        name = operation["operationName"]
        prepared = await self.engine.prepare(query, name)
        kind = prepared.operation_type
        if kind in {"query", "mutation"}:
            raise _Refused(
                f"{kind} not supported through the realtime channel", "UnsupportedOperation"
            )
        authorization = messages.authorization(start)
        if authorization is None:
            raise _Refused(UNAUTHORIZED_MESSAGE, "UnauthorizedException")
        headers = {**self.handshake_headers, **authorization}
        try:
            caller = await self.engine.authenticator.authenticate(
                headers, query=query, operation_name=name, variables=variables
            )
        except RequestError as error:
            raise _Refused(error.message, error.error_type) from None
        return await self.engine.subscribe(query, variables, name, caller, headers, prepared)

    async def forward(self, op_id: str, payloads: AsyncGenerator[dict[str, Any], None]) -> None:
        with contextlib.suppress(WebSocketDisconnect, RuntimeError):
            await send_payloads(
                self.websocket,
                self.send_lock,
                op_id,
                _data_frame,
                payloads,
                self.settings.max_message_bytes,
            )


_REFUSAL_GRACE_SECONDS = 2.0


async def serve_appsync(websocket: WebSocket, engine: Engine, settings: RealtimeSettings) -> None:
    """Serve one AppSync realtime connection until the client leaves."""
    headers = auth_headers(websocket)
    await websocket.accept(subprotocol=SUBPROTOCOL)
    connection = _Connection(websocket, engine, settings)
    try:
        try:
            if headers is None:
                raise RequestError(401, "UnauthorizedException", UNAUTHORIZED_MESSAGE)
            # Checked, not kept: each `start` is authorized with its own headers.
            await engine.authenticator.authenticate({**connection.handshake_headers, **headers})
        except RequestError as error:
            # AppSync answers `connection_init` with the refusal, then closes; closing at once
            # would make a client that sends its init next fail on a closed socket instead
            # of reading why it was refused.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(websocket.receive_text(), _REFUSAL_GRACE_SECONDS)
            await connection.send(messages.connection_error(error.message, error.error_type, 401))
            await websocket.close(code=1000)
            return
        await connection.run()
    except _InitTimeout:
        seconds = f"{settings.init_timeout_seconds:g}"
        with contextlib.suppress(Exception):
            await connection.send(
                messages.connection_error(
                    f"No connection_init or start within {seconds} seconds: closing.",
                    "TimeoutException",
                    408,
                )
            )
            await websocket.close(code=1000)
    except WebSocketDisconnect:
        pass
    except Exception as error:
        message = internal_error_message(error, "realtime connection")
        with contextlib.suppress(Exception):
            await connection.send(messages.protocol_error(message, "InternalFailure"))
            await websocket.close(code=1011)
    finally:
        await connection.close_all()
