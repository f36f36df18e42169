"""A test client's side of AppSync's realtime protocol: URLs, frames, `start` messages.

Shared by the local server's tests and the hardening tests; kept small and literal so that a
test reads like the protocol (AppSync Developer Guide, "Building a real-time WebSocket client").
"""

import asyncio
import base64
import json
from collections.abc import Callable, Mapping
from typing import Any

import websockets

from tests.conftest import LiveServer

__all__ = ["API_KEY", "Frames", "appsync_url", "b64", "listen", "start", "until"]

# The API key of the servers the local tests start on the fake API.
API_KEY = "da2-localtestkey00000000000000"


def b64(value: dict[str, Any], *, urlsafe: bool = False) -> str:
    raw = json.dumps(value).encode()
    if urlsafe:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return base64.b64encode(raw).decode()


def appsync_url(
    server: LiveServer, headers: dict[str, str] | None = None, path: str = "/graphql"
) -> str:
    auth = headers if headers is not None else {"host": "local", "x-api-key": API_KEY}
    return f"ws://127.0.0.1:{server.server.port}{path}?header={b64(auth)}&payload=e30="


def start(
    op_id: str, query: str, variables: dict[str, Any] | None = None, auth: Any = "key"
) -> dict[str, Any]:
    authorization = {"host": "local", "x-api-key": API_KEY} if auth == "key" else auth
    payload: dict[str, Any] = {"data": json.dumps({"query": query, "variables": variables or {}})}
    if authorization is not None:
        payload["extensions"] = {"authorization": authorization}
    return {"id": op_id, "type": "start", "payload": payload}


class Frames:
    """A WebSocket's incoming JSON frames, read with a timeout, `ka` skipped unless asked."""

    def __init__(self, websocket: Any) -> None:
        self.websocket = websocket

    async def next(self, *, keepalive: bool = False, timeout: float = 5.0) -> dict[str, Any]:
        """The next frame within `timeout` seconds overall (TimeoutError otherwise)."""
        async with asyncio.timeout(timeout):
            while True:
                frame = json.loads(await self.websocket.recv())
                if keepalive or frame.get("type") != "ka":
                    return frame  # type: ignore[no-any-return]

    async def send(self, frame: dict[str, Any]) -> None:
        await self.websocket.send(json.dumps(frame))

    async def nothing(self, seconds: float = 0.5) -> None:
        """Assert that no frame (other than `ka`) arrives for a while."""
        try:
            frame = await self.next(timeout=seconds)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected frame {frame}")


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Return once `condition()` holds, looking every 20 ms, or after `seconds` whatever it is
    (the caller asserts it). A loaded machine can take seconds for what takes milliseconds
    alone; 10 s stays well below uvicorn's WebSocket ping timeout (20 s + 20 s), so a socket
    that only a lost ping would end still fails the caller's assertion."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)


async def listen(
    server: LiveServer,
    token: str,
    subscriptions: Mapping[str, str],
    variables: dict[str, Any],
    ready: asyncio.Event,
    done: asyncio.Event,
    received: Callable[[dict[str, Any]], None],
    *,
    keepalive: bool = False,
) -> None:
    """Listen as the holder of `token`: start every subscription (its id is its key) with
    `variables`, set `ready` once all are acknowledged, then hand each frame to `received`
    (`ka` too if `keepalive`) until `done` is set."""
    auth = {"host": f"127.0.0.1:{server.server.port}", "Authorization": token}
    url = appsync_url(server, auth, path="/graphql/realtime")
    async with websockets.connect(url, subprotocols=["graphql-ws"], max_size=None) as ws:
        frames = Frames(ws)
        await frames.send({"type": "connection_init"})
        assert (await frames.next())["type"] == "connection_ack"
        for field, query in subscriptions.items():
            await frames.send(start(field, query, variables, auth=auth))
            assert await frames.next() == {"type": "start_ack", "id": field}
        ready.set()
        while not done.is_set():
            try:
                frame = await frames.next(keepalive=keepalive, timeout=0.3)
            except TimeoutError:
                continue
            received(frame)
