"""graphql-transport-ws (the `graphql-ws` npm library's protocol), for GraphiQL and tools.

AppSync does not speak it; the local server does so GraphiQL's subscriptions work. The same
engine runs every operation, so authorization is AppSync's: the `connection_init` payload
carries the headers (`{"x-api-key": ...}` or `{"Authorization": ...}`) and is checked like an
HTTP request's; the `@aws_*` rules apply per field.

Protocol rules, as the library's PROTOCOL.md fixes them: no `connection_init` within 10 s →
close 4408; a second one → 4429; `subscribe` before the ack → 4401; refused credentials → 4403;
a duplicate active id → 4409; an invalid message → 4400. `ping` → `pong`. The messages
themselves, typed, are in `transport_ws_messages`.
"""

import asyncio
import contextlib
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from appsync_local import transport_ws_messages as messages
from appsync_local.auth import Caller
from appsync_local.engine import Engine, SubscriptionRefused
from appsync_local.errors import RequestError, internal_error_message
from appsync_local.realtime import RealtimeSettings, send_payloads

__all__ = ["SUBPROTOCOL", "serve_transport_ws"]

SUBPROTOCOL = "graphql-transport-ws"
_INIT_TIMEOUT_SECONDS = 10.0


class _Close(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _next_frame(op_id: str, payload: dict[str, Any]) -> str:
    return messages.encode(messages.next_(op_id, payload))


class _Connection:
    def __init__(self, websocket: WebSocket, engine: Engine, settings: RealtimeSettings) -> None:
        self.websocket = websocket
        self.engine = engine
        self.settings = settings
        self.headers: dict[str, str] = {k: v for k, v in websocket.headers.items() if k != "cookie"}
        self.operations: dict[str, asyncio.Task[None]] = {}
        self.send_lock = asyncio.Lock()

    async def send(self, message: messages.ServerMessage) -> None:
        async with self.send_lock:
            await self.websocket.send_text(messages.encode(message))

    async def receive(self) -> messages.Frame:
        message = await self.websocket.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        frame = messages.decode(message.get("text"))
        if frame is None:
            raise _Close(4400, "Invalid message received")
        return frame

    async def init(self) -> Caller:
        """Wait for `connection_init`, authenticate its headers and acknowledge: the caller."""
        try:
            frame = await asyncio.wait_for(self.receive(), _INIT_TIMEOUT_SECONDS)
        except TimeoutError:
            raise _Close(4408, "Connection initialisation timeout") from None
        if frame["type"] == "subscribe":
            raise _Close(4401, "Unauthorized")
        if frame["type"] != "connection_init":
            raise _Close(4400, "Invalid message received")
        self.headers.update(messages.init_headers(frame))
        try:
            caller = await self.engine.authenticator.authenticate(self.headers)
        except RequestError:
            raise _Close(4403, "Forbidden") from None
        await self.send(messages.connection_ack())
        return caller

    async def run(self) -> None:
        caller = await self.init()
        while True:
            frame = await self.receive()
            kind = frame["type"]
            if kind == "connection_init":
                raise _Close(4429, "Too many initialisation requests")
            if kind == "ping":
                await self.send(messages.pong())
            elif kind == "pong":
                continue
            elif kind == "subscribe":
                await self.subscribe(frame, caller)
            elif kind == "complete":
                task = self.operations.pop(messages.as_complete(frame)["id"], None)
                if task is not None:
                    task.cancel()
            else:
                raise _Close(4400, f"Invalid message type {kind!r}")

    async def subscribe(self, frame: messages.Frame, caller: Caller) -> None:
        subscribe = messages.as_subscribe(frame)
        if subscribe is None:
            raise _Close(4400, "Invalid subscribe message")
        op_id = subscribe["id"]
        if op_id in self.operations:
            raise _Close(4409, f"Subscriber for {op_id} already exists")
        limit = self.settings.max_subscriptions
        if len(self.operations) >= limit:
            message = f"Max number of {limit} subscriptions reached."
            error = {"errorType": "MaxSubscriptionsReachedError", "message": message}
            await self.send(messages.error(op_id, [error]))
            return
        self.operations[op_id] = asyncio.create_task(self.operate(subscribe, caller))

    async def operate(self, subscribe: messages.SubscribeMessage, caller: Caller) -> None:
        op_id = subscribe["id"]
        query = subscribe["payload"]["query"]
        variables = subscribe["payload"]["variables"]
        operation_name = subscribe["payload"]["operationName"]
        try:
            prepared = await self.engine.prepare(query, operation_name)
            if prepared.operation_type in {"query", "mutation"}:
                result = await self.engine.execute(
                    query, variables, operation_name, caller, self.headers, prepared
                )
                await self.send(messages.next_(op_id, result))
                await self.send(messages.complete(op_id))
                return
            handle = await self.engine.subscribe(
                query, variables, operation_name, caller, self.headers, prepared
            )
            if isinstance(handle, SubscriptionRefused):
                await self.send(messages.error(op_id, handle.errors))
                return
            await send_payloads(
                self.websocket,
                self.send_lock,
                op_id,
                _next_frame,
                handle.payloads,
                self.settings.max_message_bytes,
            )
            await self.send(messages.complete(op_id))
        except (WebSocketDisconnect, RuntimeError):
            return
        finally:
            self.operations.pop(op_id, None)

    async def close_all(self) -> None:
        tasks = list(self.operations.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def serve_transport_ws(
    websocket: WebSocket, engine: Engine, settings: RealtimeSettings
) -> None:
    """Serve one graphql-transport-ws connection until the client leaves."""
    await websocket.accept(subprotocol=SUBPROTOCOL)
    connection = _Connection(websocket, engine, settings)
    try:
        await connection.run()
    except _Close as close:
        with contextlib.suppress(Exception):
            await websocket.close(code=close.code, reason=close.reason)
    except WebSocketDisconnect:
        pass
    except Exception as error:
        internal_error_message(error, "graphql-transport-ws connection")
        with contextlib.suppress(Exception):
            await websocket.close(code=1011, reason="Internal server error")
    finally:
        await connection.close_all()
