"""Fan-out once per event (issue 16): the local server executes each distinct subscription
selection once per published event and sends every subscriber of it the same encoded payload;
the argument filters still apply to each subscriber. Counts only — never time.

Through the real local server (`live_server`) over real WebSockets, AppSync's realtime protocol.
"""

import asyncio
import json
from typing import Any

import websockets

from tests.appsync_realtime import b64
from tests.conftest import LiveServer

SUBSCRIBERS = 300
PER_CONNECTION = 100  # AppSync's (and the local server's) subscriptions per connection
SELECTIONS = ("{ id text }", "{ id column votes }")


def _subscription(selection: str) -> str:
    return f"subscription On($b: ID!) {{ onNoteAdded(boardId: $b) {selection} }}"


async def _listen(
    server: LiveServer,
    token: str,
    plan: list[tuple[str, str, str]],
    ready: asyncio.Event,
    frames: list[tuple[str, dict[str, Any]]],
) -> None:
    """Open connections, start `plan`'s (op id, selection, board) subscriptions 100 a
    connection, and collect the data frames into `frames` until cancelled: (op id, payload)."""
    host = server.graphql_url.split("//", 1)[1].split("/", 1)[0]
    headers = {"host": host, "authorization": token}
    url = f"{server.realtime_url}?header={b64(headers)}&payload=e30="
    acked = 0

    async def connection(part: list[tuple[str, str, str]]) -> None:
        nonlocal acked
        async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init"}))
            while json.loads(await ws.recv())["type"] != "connection_ack":
                pass  # the protocol: starts follow the acknowledgement
            for op_id, selection, board in part:
                payload = {
                    "data": json.dumps(
                        {"query": _subscription(selection), "variables": {"b": board}}
                    ),
                    "extensions": {"authorization": headers},
                }
                await ws.send(json.dumps({"id": op_id, "type": "start", "payload": payload}))
            async for raw in ws:
                frame = json.loads(raw)
                if frame["type"] == "start_ack":
                    acked += 1
                    if acked == len(plan):
                        ready.set()
                elif frame["type"] == "data":
                    frames.append((frame["id"], frame["payload"]))
                elif frame["type"] in {"error", "connection_error"}:
                    raise AssertionError(frame)

    parts = [plan[i : i + PER_CONNECTION] for i in range(0, len(plan), PER_CONNECTION)]
    tasks = [asyncio.create_task(connection(part)) for part in parts]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def test_300_subscribers_of_2_selections_cost_2_executions_per_event(live_server: LiveServer):
    token, _ = live_server.create_user("Owner")
    create = "mutation($t: String!) { createBoard(input: {title: $t}) { id } }"
    board = live_server.data(create, {"t": "Fan-out"}, token=token)["createBoard"]["id"]
    other = live_server.data(create, {"t": "Elsewhere"}, token=token)["createBoard"]["id"]
    plan = [(f"s{i}", SELECTIONS[i % 2], board) for i in range(SUBSCRIBERS)]
    plan += [("elsewhere", SELECTIONS[0], other)]  # same selection, another board's argument
    broker = live_server.engine.broker
    frames: list[tuple[str, dict[str, Any]]] = []
    add = (
        'mutation($b: ID!) { addNote(input: {boardId: $b, column: GOOD, text: "once"}) '
        "{ id boardId text column votes } }"
    )

    async def scenario() -> tuple[dict[str, Any], int]:
        ready = asyncio.Event()
        listening = asyncio.create_task(_listen(live_server, token, plan, ready, frames))
        waiting = asyncio.create_task(ready.wait())
        await asyncio.wait({waiting, listening}, timeout=120, return_when=asyncio.FIRST_COMPLETED)
        if listening.done():
            listening.result()  # a subscription refused: its error frame fails the test
        assert ready.is_set(), "not every subscription was acknowledged within 120 s"
        before = broker.executions
        added = await asyncio.to_thread(live_server.data, add, {"b": board}, token=token)
        for _ in range(600):  # until every frame is in (at most 30 s), then a little more
            await asyncio.sleep(0.05)
            if len(frames) >= SUBSCRIBERS:
                break
        await asyncio.sleep(0.5)  # a frame too many (to the other board) would arrive now
        executed = broker.executions - before
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
        return added["addNote"], executed

    note, executed = asyncio.run(scenario())
    assert executed == 2
    by_op = dict(frames)
    assert len(frames) == SUBSCRIBERS == len(by_op)  # once each; none to the other board
    assert "elsewhere" not in by_op
    for i in range(SUBSCRIBERS):
        received = by_op[f"s{i}"]["data"]["onNoteAdded"]
        wanted = ("id", "text") if i % 2 == 0 else ("id", "column", "votes")
        assert received == {name: note[name] for name in wanted}


def test_a_shared_payloads_frame_is_the_bytes_a_frame_of_its_own_would_be():
    from appsync_local import realtime_messages as messages
    from appsync_local.pubsub import SharedPayload
    from appsync_local.realtime import _data_frame

    payload = {"data": {"onNoteAdded": {"id": "n1", "text": 'caf\u00e9 "quoted" \U0001f600'}}}
    shared = SharedPayload(payload)
    expected = messages.encode(messages.data("op-1", payload))
    assert _data_frame("op-1", shared) == expected
    assert _data_frame("op-2", shared) == messages.encode(messages.data("op-2", payload))
