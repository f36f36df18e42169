"""Protocol abuse on the realtime endpoint: each gets AppSync's answer, and others are served.

Every abuse runs on its own connection(s); after each one, `still_serving()` proves the server
still serves everybody else end to end: a new client connects, subscribes, and receives the
note another user adds over HTTP.

Answers (AppSync Developer Guide, "Building a real-time WebSocket client"; docs/LOCAL.md): a
frame that is not a JSON object with a string `type`, or
a type the protocol does not have → `error` `UnsupportedOperation` ("<type> not supported through
the realtime channel") and the connection stays open; the 101st subscription →
`MaxSubscriptionsReachedError`; a duplicate id → `DuplicatedOperationError` (the first one keeps
working); `start` before `connection_init` is served (init is optional in AppSync) but only with
valid authorization; a frame over the server's 1 MiB limit → the socket is closed with 1009
("message too big"; AppSync documents no inbound limit); a client that never reads does not
hold anybody else up.
"""

import asyncio
import base64
import json
import os
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import websockets

from tests.appsync_realtime import Frames, appsync_url, start, until
from tests.conftest import LiveServer

from .conftest import User, add_note, board_state, create_board, new_user

# selects what `add_note` selects: a subscriber gets the mutation's selection set
NOTE_SUB = "subscription($b: ID!) { onNoteAdded(boardId: $b) { id boardId } }"
MAX_FRAME_BYTES = 1024 * 1024  # appsync_local/server.py: uvicorn's ws_max_size


def run(coroutine: Awaitable[Any]) -> Any:
    return asyncio.run(asyncio.wait_for(coroutine, 90))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def user(live_server: LiveServer) -> User:
    return new_user(live_server, "Abuser")


@pytest.fixture(scope="module")
def board(live_server: LiveServer, user: User) -> str:
    return create_board(live_server, user.token, "Abused")


def auth_of(server: LiveServer, user: User) -> dict[str, str]:
    return {"host": f"127.0.0.1:{server.server.port}", "Authorization": user.token}


def connect(server: LiveServer, user: User, **kwargs: Any) -> Any:
    return websockets.connect(
        appsync_url(server, auth_of(server, user), path="/graphql/realtime"),
        subprotocols=["graphql-ws"],
        **kwargs,
    )


async def still_serving(server: LiveServer, user: User, board: str) -> None:
    """A fresh client connects, subscribes and receives a note added over HTTP."""
    auth = auth_of(server, user)
    async with connect(server, user) as ws:
        frames = Frames(ws)
        await frames.send({"type": "connection_init"})
        assert (await frames.next())["type"] == "connection_ack"
        await frames.send(start("check", NOTE_SUB, {"b": board}, auth=auth))
        assert await frames.next() == {"type": "start_ack", "id": "check"}
        note = await asyncio.to_thread(add_note, server, user.token, board, "still serving")
        frame = await frames.next(timeout=10)
        assert frame["id"] == "check" and frame["payload"]["data"]["onNoteAdded"]["id"] == note
    health = await asyncio.to_thread(server.data, "{ __typename }")
    assert health == {"__typename": "Query"}


def unsupported(what: str) -> dict[str, Any]:
    return {
        "type": "error",
        "payload": {
            "errors": [
                {
                    "errorType": "UnsupportedOperation",
                    "message": f"{what} not supported through the realtime channel",
                }
            ]
        },
    }


Abuse = Callable[[LiveServer, User, str], Awaitable[None]]


async def malformed_frames(server: LiveServer, user: User, board: str) -> None:
    async with connect(server, user) as ws:
        frames = Frames(ws)
        for text in ["{not json", "[]", "42", "null", '"start"', "{}", '{"type": 7}', "\x00"]:
            await ws.send(text)
            assert await frames.next() == unsupported("unknown"), text
        await ws.send(b"\x01\x02binary")  # a binary frame
        assert await frames.next() == unsupported("unknown")
        # the same connection still works
        await frames.send(start("after", NOTE_SUB, {"b": board}, auth=auth_of(server, user)))
        assert await frames.next() == {"type": "start_ack", "id": "after"}


async def malformed_starts(server: LiveServer, user: User, board: str) -> None:
    auth = auth_of(server, user)
    async with connect(server, user) as ws:
        frames = Frames(ws)
        bad = [
            {"type": "start"},  # no id
            {"type": "start", "id": 5, "payload": {}},
            {"type": "start", "id": "", "payload": {}},
        ]
        for frame in bad:
            await frames.send(frame)
            answer = await frames.next()
            assert answer["payload"]["errors"][0]["errorType"] == "BadRequestException", frame
        for n, payload in enumerate(
            [None, {}, {"data": 5}, {"data": "not json"}, {"data": "[]"}, {"data": '{"q": 1}'}]
        ):
            await frames.send({"type": "start", "id": f"p{n}", "payload": payload})
            answer = await frames.next()
            assert (answer["type"], answer["id"]) == ("error", f"p{n}"), answer
            assert answer["payload"]["errors"][0]["errorType"] == "BadRequestException"
        await frames.send(start("q", "{ me { id } }", auth=auth))
        assert await frames.next() == {**unsupported("query"), "id": "q"}
        await frames.send(
            start("m", 'mutation { createBoard(input: {title: "x"}) { id } }', auth=auth)
        )
        assert await frames.next() == {**unsupported("mutation"), "id": "m"}
        await frames.send(start("v", NOTE_SUB, {"b": "not an id"}, auth=auth))
        answer = await frames.next()
        assert answer["payload"]["errors"][0]["errorType"] == "BadInputError", answer
        await frames.send(
            start("g", "subscription { onNoteAdded(boardId: 1) { nope } }", auth=auth)
        )
        answer = await frames.next()
        # AppSync's validation error: its message only, no errorType
        assert answer["payload"]["errors"] == [
            {
                "message": "Validation error of type FieldUndefined: "
                "Field 'nope' in type 'Note' is undefined @ 'onNoteAdded/nope'"
            }
        ], answer


async def frame_over_the_size_limit(server: LiveServer, user: User, board: str) -> None:
    async with connect(server, user, max_size=None) as ws:
        frames = Frames(ws)
        await frames.send({"type": "connection_init"})
        assert (await frames.next())["type"] == "connection_ack"
        huge = json.dumps(
            {"type": "start", "id": "huge", "payload": {"data": "x" * MAX_FRAME_BYTES}}
        )
        await ws.send(huge)
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await frames.next(keepalive=False, timeout=10)  # (no answer: the socket closes)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


async def just_under_the_size_limit(server: LiveServer, user: User, board: str) -> None:
    """A big frame under the limit is read and answered like any other."""
    async with connect(server, user, max_size=None) as ws:
        frames = Frames(ws)
        document = NOTE_SUB + " " * (MAX_FRAME_BYTES - 4096)
        await frames.send(start("big", document, {"b": board}, auth=auth_of(server, user)))
        assert await frames.next() == {"type": "start_ack", "id": "big"}


async def subscriptions_101(server: LiveServer, user: User, board: str) -> None:
    auth = auth_of(server, user)
    broker = server.engine.broker
    baseline = broker.count()
    async with connect(server, user) as ws:
        frames = Frames(ws)
        for n in range(100):
            await frames.send(start(f"s{n}", NOTE_SUB, {"b": board}, auth=auth))
            assert await frames.next() == {"type": "start_ack", "id": f"s{n}"}
        await frames.send(start("s100", NOTE_SUB, {"b": board}, auth=auth))
        assert await frames.next() == {
            "type": "error",
            "id": "s100",
            "payload": {
                "errors": [
                    {
                        "errorType": "MaxSubscriptionsReachedError",
                        "message": "Max number of 100 subscriptions reached.",
                    }
                ]
            },
        }
        # the hundred still deliver, once each
        note = await asyncio.to_thread(add_note, server, user.token, board, "to a hundred")
        got = sorted([(await frames.next())["id"] for _ in range(100)])
        assert got == sorted(f"s{n}" for n in range(100))
        await frames.nothing(0.3)
        assert note
        # stopping one frees a slot
        await frames.send({"type": "stop", "id": "s0"})
        assert await frames.next() == {"type": "complete", "id": "s0"}
        await frames.send(start("s100", NOTE_SUB, {"b": board}, auth=auth))
        assert await frames.next() == {"type": "start_ack", "id": "s100"}
    await until(lambda: broker.count() == baseline)  # and they all end with the connection
    assert broker.count() == baseline


async def start_before_connection_init(server: LiveServer, user: User, board: str) -> None:
    auth = auth_of(server, user)
    async with connect(server, user) as ws:
        frames = Frames(ws)
        # no init, no authorization in the start: refused, nothing subscribed
        await frames.send(start("bare", NOTE_SUB, {"b": board}, auth=None))
        answer = await frames.next()
        assert (answer["id"], answer["payload"]["errors"][0]["errorType"]) == (
            "bare",
            "UnauthorizedException",
        )
        await frames.send(start("forged", NOTE_SUB, {"b": board}, auth={"Authorization": "x.y"}))
        answer = await frames.next()
        assert answer["payload"]["errors"][0]["errorType"] == "UnauthorizedException"
        # with valid authorization it is served, as AppSync serves it
        await frames.send(start("early", NOTE_SUB, {"b": board}, auth=auth))
        assert await frames.next() == {"type": "start_ack", "id": "early"}
    # and a handshake without credentials never gets that far
    url = f"ws://127.0.0.1:{server.server.port}/graphql/realtime"
    async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert frame["type"] == "connection_error"
        assert frame["payload"]["errors"][0]["errorCode"] == 401


async def duplicate_ids(server: LiveServer, user: User, board: str) -> None:
    auth = auth_of(server, user)
    async with connect(server, user) as ws:
        frames = Frames(ws)
        await frames.send(start("same", NOTE_SUB, {"b": board}, auth=auth))
        assert await frames.next() == {"type": "start_ack", "id": "same"}
        other = "subscription($b: ID!) { onNoteDeleted(boardId: $b) { id } }"
        await frames.send(start("same", other, {"b": board}, auth=auth))
        assert await frames.next() == {
            "type": "error",
            "id": "same",
            "payload": {
                "errors": [
                    {
                        "errorType": "DuplicatedOperationError",
                        "message": "Duplicate subscription ID.",
                    }
                ]
            },
        }
        # the first subscription is untouched and delivers exactly once
        note = await asyncio.to_thread(add_note, server, user.token, board, "dup")
        frame = await frames.next()
        assert frame["id"] == "same" and frame["payload"]["data"]["onNoteAdded"]["id"] == note
        await frames.nothing(0.3)


async def unknown_message_types(server: LiveServer, user: User, board: str) -> None:
    async with connect(server, user) as ws:
        frames = Frames(ws)
        for kind in ["subscribe", "connection_terminate", "ping", "data", "ka", "x" * 300]:
            await frames.send({"type": kind, "id": "1", "payload": {}})
            assert await frames.next() == unsupported(kind)
        await frames.send({"type": "stop", "id": "never-started"})  # ignored, as AppSync does
        await frames.send({"type": "stop", "id": ["not", "a", "string"]})
        await frames.send({"type": "connection_init"})
        assert (await frames.next())["type"] == "connection_ack"


OP_CLOSE = 0x8
CONTROL = {0x9, 0xA}  # ping, pong (RFC 6455 5.5)


class SilentClient:
    """A WebSocket client that subscribes and then never reads a byte (a plain socket with a
    tiny receive window: nothing in between reads on its behalf)."""

    def __init__(self, server: LiveServer, user: User) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting
        self.sock.connect(("127.0.0.1", server.server.port))
        self.auth = auth_of(server, user)
        path = appsync_url(server, self.auth, path="/graphql/realtime").split(":", 2)[2]
        path = path[path.index("/") :]
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-ws\r\n\r\n"
            ).encode()
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += self.sock.recv(1)
        assert answer.startswith(b"HTTP/1.1 101"), answer

    def send(self, frame: dict[str, Any]) -> None:
        """One masked text frame, as a client must send it."""
        payload = json.dumps(frame).encode()
        mask = os.urandom(4)
        length = len(payload)
        header = bytes([0x81]) + (
            bytes([0x80 | length]) if length < 126 else bytes([0x80 | 126]) + length.to_bytes(2)
        )
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def read_frames(self, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
        """Start reading at last: the next `count` frames other than `ka` (server frames are
        unmasked: opcode byte, length, payload)."""
        self.sock.settimeout(timeout)
        buffer = b""
        frames: list[dict[str, Any]] = []

        def need(n: int) -> None:
            nonlocal buffer
            while len(buffer) < n:
                chunk = self.sock.recv(65536)
                assert chunk, "the server closed the connection"
                buffer += chunk

        while len(frames) < count:
            need(2)
            length, offset = buffer[1] & 0x7F, 2
            if length == 126:
                need(4)
                length, offset = int.from_bytes(buffer[2:4]), 4
            elif length == 127:
                need(10)
                length, offset = int.from_bytes(buffer[2:10]), 10
            need(offset + length)
            opcode, payload = buffer[0] & 0x0F, buffer[offset : offset + length]
            buffer = buffer[offset + length :]
            if opcode == OP_CLOSE:
                code = int.from_bytes(payload[:2]) if payload else None
                raise AssertionError(f"the server closed the connection: {code} {payload[2:]!r}")
            # uvicorn's keepalive ping, 20 s after the connect when the silent phase outlasts
            # that (load ~18: 10-22 s). A pong 20 s later than the ping is a dead client to it:
            # its close then fails the test above, plainly.
            if opcode in CONTROL:
                continue
            frame = json.loads(payload)
            if frame.get("type") != "ka":
                frames.append(frame)
        return frames


async def a_client_that_never_reads(server: LiveServer, user: User, board: str) -> None:
    """It subscribes to ~200 KB events and reads nothing while ~5 MB of them are published: a
    reading client gets every event meanwhile, the server holds the silent one's events (up to
    its bounded queue) and, once it reads, it gets them all, in order."""
    auth = auth_of(server, user)
    wide = "🙂" * 2000  # 2,000 characters, 24 KB as the server's JSON escapes them
    fields = " ".join(
        f'n{i}: addNote(input: {{boardId: $b, column: GOOD, text: "{wide}"}}) {{ id }}'
        for i in range(8)
    )
    await asyncio.to_thread(
        server.data, f"mutation($b: ID!) {{ {fields} }}", {"b": board}, token=user.token
    )
    watch = """subscription($b: ID!) {
      onBoardUpdated(id: $b) { id title currentVersion { notes { text } } } }"""
    rename = """mutation($b: ID!, $t: String) { updateBoard(input: {id: $b, title: $t}) {
      id title currentVersion { notes { text } } } }"""
    broker = server.engine.broker
    baseline = broker.count()
    silent = await asyncio.to_thread(SilentClient, server, user)
    try:
        silent.send(start("w", watch, {"b": board}, auth=auth))
        async with connect(server, user, max_size=None) as reader:
            frames = Frames(reader)
            await frames.send(start("r", watch, {"b": board}, auth=auth))
            assert await frames.next() == {"type": "start_ack", "id": "r"}
            # the silent client's subscription is in place too
            await until(lambda: broker.count() == baseline + 2)
            assert broker.count() == baseline + 2
            titles = [f"rename {n}" for n in range(25)]
            got = []
            for title in titles:
                variables = {"b": board, "t": title}
                await asyncio.to_thread(server.data, rename, variables, token=user.token)
                event = (await frames.next(timeout=20))["payload"]["data"]["onBoardUpdated"]
                got.append(event["title"])
            assert got == titles  # the reader missed nothing
            # The server is holding events for the silent client: its TCP window is full.
            # (The subscriber's queue is internal; it is the only place they are visible.)
            held = max(s.queue.qsize() for s in broker._subscribers["onBoardUpdated"])
            assert 0 < held <= 1000, held
        frames = await asyncio.to_thread(silent.read_frames, 1 + len(titles))
        assert frames[0] == {"type": "start_ack", "id": "w"}
        assert [f["payload"]["data"]["onBoardUpdated"]["title"] for f in frames[1:]] == titles
    finally:
        silent.sock.close()
    # once it is gone, so is its subscription (nothing stays stuck)
    await until(lambda: broker.count() == baseline)
    assert broker.count() == baseline


ABUSES: dict[str, Abuse] = {
    "malformed frames": malformed_frames,
    "malformed starts": malformed_starts,
    "a frame over the size limit": frame_over_the_size_limit,
    "a frame just under the size limit": just_under_the_size_limit,
    "101 subscriptions on one connection": subscriptions_101,
    "start before connection_init": start_before_connection_init,
    "duplicate ids": duplicate_ids,
    "unknown message types": unknown_message_types,
    "a client that never reads": a_client_that_never_reads,
}


@pytest.mark.parametrize("abuse", list(ABUSES))
def test_abuse_gets_appsyncs_answer_and_others_are_served(
    live_server: LiveServer, user: User, board: str, abuse: str
) -> None:
    async def scenario() -> None:
        await ABUSES[abuse](live_server, user, board)
        await still_serving(live_server, user, board)

    run(scenario())


# -- a mutation's selection naming another board for the subscription filters ---------------------
# AppSync compares a subscription's arguments with the mutation's result, and is reported to key
# that result by response keys (aws/aws-appsync-community#160): an alias named after a filter
# argument would steer the event to the board that aliased value names. The local server keys
# it so too (appsync_local/engine.py); the resolvers refuse such a selection before writing.
STEERING: dict[str, tuple[str, str]] = {
    # name: (mutation on the attacker's board $a carrying the victim's board id $v, the field
    # its error names)
    "addNote, text aliased as boardId": (
        """mutation($a: ID!, $v: String!) {
          addNote(input: {boardId: $a, column: GOOD, text: $v}) { boardId: text id text column }
        }""",
        "boardId",
    ),
    "addNote, in an inline fragment": (
        """mutation($a: ID!, $v: String!) {
          addNote(input: {boardId: $a, column: GOOD, text: $v}) { id ... on Note { boardId: text } }
        }""",
        "boardId",
    ),
    "addNote, in a named fragment": (
        """mutation($a: ID!, $v: String!) {
          addNote(input: {boardId: $a, column: GOOD, text: $v}) { id ...Steer }
        }
        fragment Steer on Note { text boardId: text }""",
        "boardId",
    ),
    "updateBoard, title aliased as id": (
        """mutation($a: ID!, $v: String!) {
          updateBoard(input: {id: $a, title: $v}) { id: title title }
        }""",
        "id",
    ),
}
VICTIM_SUBSCRIPTIONS = {
    "notes": NOTE_SUB,  # what `add_note` selects
    "board": "subscription($b: ID!) { onBoardUpdated(id: $b) { id title } }",
}


def test_no_mutation_selection_steers_an_event_to_another_board(live_server: LiveServer) -> None:
    """A subscriber of board B receives nothing from a mutation on board A whose selection
    aliases another field as a filter argument (`boardId: text`, `id: title`) carrying B's id:
    the mutation is refused with the field named and writes nothing; B's own notes still
    arrive, and harmless aliases still answer."""
    attacker, victim = new_user(live_server, "Mallory"), new_user(live_server, "Victor")
    theirs = create_board(live_server, attacker.token, "Mallory's")
    victims = create_board(live_server, victim.token, "Victor's")
    before = board_state(live_server, attacker.token, theirs)

    async def scenario() -> None:
        auth = auth_of(live_server, victim)
        async with connect(live_server, victim) as ws:
            frames = Frames(ws)
            await frames.send({"type": "connection_init"})
            assert (await frames.next())["type"] == "connection_ack"
            for op_id, query in VICTIM_SUBSCRIPTIONS.items():
                await frames.send(start(op_id, query, {"b": victims}, auth=auth))
                assert await frames.next() == {"type": "start_ack", "id": op_id}
            for name, (mutation, field) in STEERING.items():
                answer = await asyncio.to_thread(
                    live_server.post, mutation, {"a": theirs, "v": victims}, token=attacker.token
                )
                errors = answer.body.get("errors") or []
                assert [e.get("errorType") for e in errors] == ["BadInputError"], (name, answer)
                assert errors[0]["message"].startswith(f"selection: `{field}` "), (name, errors)
                assert not any((answer.body.get("data") or {}).values()), (name, answer.body)
            await frames.nothing(1.0)
            # the victim's own note arrives (the subscription was live all along), and first
            note = await asyncio.to_thread(add_note, live_server, victim.token, victims, "ours")
            frame = await frames.next(timeout=10)
            assert frame["id"] == "notes", frame
            assert frame["payload"]["data"]["onNoteAdded"]["id"] == note

    run(scenario())
    assert board_state(live_server, attacker.token, theirs) == before  # nothing written
    # harmless aliases: a field under another name, a filter argument under its own name
    answer = live_server.data(
        """mutation($a: ID!) { addNote(input: {boardId: $a, column: GOOD, text: "fine"}) {
          noteText: text boardId: boardId id } }""",
        {"a": theirs},
        token=attacker.token,
    )
    assert answer["addNote"]["noteText"] == "fine" and answer["addNote"]["boardId"] == theirs
