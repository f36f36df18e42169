"""Load without loss: 20 writers add 10 notes each while 50 subscribers listen.

Fifty clients connect to the realtime endpoint (AppSync's protocol), each with its own user
token, and subscribe to `onNoteAdded` for one board. Then twenty writers, each its own user,
add 10 notes apiece over HTTP, all at the same time (each writer sends its next note when the
previous one is answered). Every subscriber must receive every one of the 200 notes exactly
once, and the live version must hold exactly 200 notes afterwards — a full version: 200 is the
most one may hold (`MAX_NOTES_PER_VERSION`, issue 16; this test wrote 1,000 before the limit).

Everything is on 127.0.0.1 and every wait is bounded; the test asserts counts, never time.
It has a server of its own: the session's table holds every other test's items, and the
embedded DynamoDB (moto) copies the whole table for each transaction, so many transactional
writes on a big table would measure moto, not Retro.
"""

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
import websockets

from tests.appsync_realtime import Frames, appsync_url, start
from tests.conftest import LiveServer, retro_test_options, start_server, stop_server

from .conftest import create_board, new_user

WRITERS = 20
NOTES_PER_WRITER = 10  # 20 x 10 = MAX_NOTES_PER_VERSION, a full version
SUBSCRIBERS = 50
TOTAL = WRITERS * NOTES_PER_WRITER

ADD = """mutation($i: AddNoteInput!) { addNote(input: $i) { id boardId text column } }"""
COLUMNS = ("GOOD", "BAD", "ACTION")


@pytest.fixture(scope="module")
def load_server() -> Iterator[LiveServer]:
    """Retro's API on a fresh embedded DynamoDB, for this test alone."""
    server, saved = start_server(retro_test_options())
    try:
        yield LiveServer(server)
    finally:
        stop_server(server, saved)


async def subscriber(
    server: LiveServer, token: str, board: str, ready: asyncio.Event, received: list[str]
) -> None:
    """Listen until TOTAL notes arrived (or the outer timeout ends the test)."""
    auth = {"host": f"127.0.0.1:{server.server.port}", "Authorization": token}
    async with websockets.connect(
        appsync_url(server, auth, path="/graphql/realtime"), subprotocols=["graphql-ws"]
    ) as ws:
        frames = Frames(ws)
        await frames.send({"type": "connection_init"})
        assert (await frames.next())["type"] == "connection_ack"
        query = "subscription($b: ID!) { onNoteAdded(boardId: $b) { id text } }"
        await frames.send(start("notes", query, {"b": board}, auth=auth))
        assert await frames.next() == {"type": "start_ack", "id": "notes"}
        ready.set()
        while len(received) < TOTAL:
            frame = await frames.next(timeout=60)
            assert frame["type"] == "data" and frame["id"] == "notes", frame
            received.append(frame["payload"]["data"]["onNoteAdded"]["id"])
        await frames.nothing(0.3)  # and nothing more: no duplicates trailing behind


async def writer(
    session: aiohttp.ClientSession, server: LiveServer, token: str, board: str, n: int
) -> list[str]:
    written = []
    for i in range(NOTES_PER_WRITER):
        variables = {
            "i": {"boardId": board, "column": COLUMNS[i % 3], "text": f"writer {n} note {i}"}
        }
        async with session.post(
            server.graphql_url,
            data=json.dumps({"query": ADD, "variables": variables}),
            headers={"content-type": "application/json", "authorization": token},
        ) as response:
            assert response.status == 200
            answer: dict[str, Any] = await response.json()
        assert not answer.get("errors"), answer
        written.append(answer["data"]["addNote"]["id"])
    return written


def test_every_subscriber_gets_every_note_exactly_once(load_server: LiveServer) -> None:
    live_server = load_server
    owner = new_user(live_server, "Load owner")
    board = create_board(live_server, owner.token, "Load")
    listeners = [new_user(live_server, f"Listener {n}").token for n in range(SUBSCRIBERS)]
    writers = [new_user(live_server, f"Writer {n}").token for n in range(WRITERS)]

    async def scenario() -> tuple[list[list[str]], list[list[str]]]:
        received: list[list[str]] = [[] for _ in range(SUBSCRIBERS)]
        ready = [asyncio.Event() for _ in range(SUBSCRIBERS)]
        listening = [
            asyncio.create_task(subscriber(live_server, token, board, ready[n], received[n]))
            for n, token in enumerate(listeners)
        ]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 60)
        connector = aiohttp.TCPConnector(limit=WRITERS)
        async with aiohttp.ClientSession(connector=connector) as session:
            written = await asyncio.gather(
                *(writer(session, live_server, token, board, n) for n, token in enumerate(writers))
            )
        await asyncio.gather(*listening)
        return written, received

    written, received = asyncio.run(asyncio.wait_for(scenario(), 170))
    all_written = [note for notes in written for note in notes]
    assert len(all_written) == len(set(all_written)) == TOTAL
    expected = Counter(all_written)
    for n, notes in enumerate(received):
        assert Counter(notes) == expected, f"subscriber {n}: {len(notes)} notes"
    version = live_server.data(
        "query($b: ID!) { board(id: $b) { currentVersion { notes { id } } } }",
        {"b": board},
        token=owner.token,
    )["board"]["currentVersion"]["notes"]
    assert sorted(n["id"] for n in version) == sorted(all_written)
    print(
        f"load: {WRITERS} writers x {NOTES_PER_WRITER} notes, {SUBSCRIBERS} subscribers: "
        f"{sum(len(r) for r in received)} deliveries, version holds {len(version)} notes"
    )
