"""Idempotent creates: retries of one request, all at once, write once and agree.

`createBoard`, `addNote` and `startNewVersion` take an optional `clientRequestId`. A client that
lost an answer (timeout, dropped connection) sends the request again with the same key. Here
10 copies of each are sent at the same moment over HTTP to the local AppSync: exactly one item is
written, and all 10 answers are the same item. Keys belong to the caller: another user's request
with the same key is a different request.
"""

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import websockets

from tests.appsync_realtime import Frames, appsync_url, start
from tests.conftest import LiveServer

from .conftest import board_state, create_board, new_user

RETRIES = 10
NOTE = "id boardId versionId column text votes createdAt updatedAt"


def at_once(call: Callable[[], Any], copies: int = RETRIES) -> list[Any]:
    """`copies` calls released together (a barrier), each in its own thread."""
    barrier = threading.Barrier(copies)

    def one() -> Any:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(copies) as pool:
        return list(pool.map(lambda _: one(), range(copies)))


def test_create_board_retried_concurrently_creates_one_board(live_server: LiveServer) -> None:
    owner = new_user(live_server, "Retrier")
    query = """mutation($i: CreateBoardInput!) { createBoard(input: $i) {
      id title createdAt settings { voteBudget } currentVersion { id number } } }"""
    variables = {"i": {"title": "Retried", "settings": {"voteBudget": 4}, "clientRequestId": "b-1"}}
    answers = at_once(lambda: live_server.data(query, variables, token=owner.token)["createBoard"])
    assert all(answer == answers[0] for answer in answers), answers
    boards = live_server.data(
        "{ me { boards(limit: 100) { items { id title } } } }", token=owner.token
    )
    assert boards["me"]["boards"]["items"] == [{"id": answers[0]["id"], "title": "Retried"}]


def test_add_note_retried_concurrently_adds_one_note(live_server: LiveServer) -> None:
    author = new_user(live_server, "Author")
    board = create_board(live_server, author.token)
    query = f"mutation($i: AddNoteInput!) {{ addNote(input: $i) {{ {NOTE} }} }}"
    variables = {
        "i": {"boardId": board, "column": "GOOD", "text": "once", "clientRequestId": "n-1"}
    }
    auth = {"host": "local", "Authorization": author.token}

    async def scenario() -> tuple[list[Any], list[str]]:
        url = appsync_url(live_server, auth)
        async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
            frames = Frames(ws)
            subscription = "subscription($b: ID!) { onNoteAdded(boardId: $b) { id text } }"
            await frames.send(start("s", subscription, {"b": board}, auth=auth))
            assert await frames.next() == {"type": "start_ack", "id": "s"}
            answers = await asyncio.to_thread(
                at_once, lambda: live_server.data(query, variables, token=author.token)["addNote"]
            )
            # the first event may take seconds under load; the others follow it closely
            events = [(await frames.next(timeout=10))["payload"]["data"]["onNoteAdded"]["id"]]
            try:
                while True:
                    frame = await frames.next(timeout=1.0)
                    events.append(frame["payload"]["data"]["onNoteAdded"]["id"])
            except TimeoutError:
                pass
            return answers, events

    answers, events = asyncio.run(asyncio.wait_for(scenario(), 60))
    assert all(answer == answers[0] for answer in answers), answers
    notes = board_state(live_server, author.token, board)["currentVersion"]["notes"]
    assert [(n["id"], n["text"]) for n in notes] == [(answers[0]["id"], "once")]
    # Each completed retry is published (AppSync publishes every completed mutation), but all
    # name the one note: a client keyed by note id shows it once.
    assert set(events) == {answers[0]["id"]} and 1 <= len(events) <= RETRIES, events
    print(f"idempotency: {RETRIES} concurrent addNote retries -> 1 note, {len(events)} events")


def test_start_new_version_retried_concurrently_starts_one_version(
    live_server: LiveServer,
) -> None:
    owner = new_user(live_server, "Facilitator")
    board = create_board(live_server, owner.token)
    query = """mutation($i: StartVersionInput!) { startNewVersion(input: $i) {
      id boardId number title createdAt } }"""
    variables = {"i": {"boardId": board, "title": "Sprint 2", "clientRequestId": "v-2"}}
    answers = at_once(
        lambda: live_server.data(query, variables, token=owner.token)["startNewVersion"]
    )
    assert all(answer == answers[0] for answer in answers), answers
    assert answers[0]["number"] == 2
    state = board_state(live_server, owner.token, board)
    assert [v["number"] for v in state["versions"]["items"]] == [1, 2]
    assert state["currentVersion"]["id"] == answers[0]["id"]


def test_a_key_belongs_to_its_caller_and_its_operation(live_server: LiveServer) -> None:
    """The same key from another user, or for another operation, is another request; a retry
    that changes the payload still gets the first answer (the key names the request)."""
    amy, ben = new_user(live_server, "Amy"), new_user(live_server, "Ben")
    board = create_board(live_server, amy.token)
    add = "mutation($i: AddNoteInput!) { addNote(input: $i) { id text } }"

    def note(token: str, text: str) -> Any:
        variables = {"i": {"boardId": board, "column": "BAD", "text": text, "clientRequestId": "k"}}
        return live_server.data(add, variables, token=token)["addNote"]

    amys = note(amy.token, "from amy")
    assert note(amy.token, "amy, changed her mind") == amys  # a retry: the first answer
    bens = note(ben.token, "from ben")
    assert bens["id"] != amys["id"] and bens["text"] == "from ben"
    version = live_server.data(
        'mutation($b: ID!) { startNewVersion(input: {boardId: $b, clientRequestId: "k"}) '
        "{ number } }",
        {"b": board},
        token=amy.token,
    )
    assert version == {"startNewVersion": {"number": 2}}
    texts = sorted(
        n["text"]
        for n in board_state(live_server, amy.token, board)["versions"]["items"][0]["notes"]
    )
    assert texts == ["from amy", "from ben"]


def test_an_invalid_key_is_refused_and_writes_nothing(live_server: LiveServer) -> None:
    owner = new_user(live_server, "Careful")
    board = create_board(live_server, owner.token)
    before = board_state(live_server, owner.token, board)
    for key in ["", "x" * 65, "has#hash", "tab\there"]:
        response = live_server.post(
            "mutation($i: AddNoteInput!) { addNote(input: $i) { id } }",
            {"i": {"boardId": board, "column": "GOOD", "text": "t", "clientRequestId": key}},
            token=owner.token,
        )
        (error,) = response.body["errors"]
        assert error["errorType"] == "BadInputError", error
        assert error["message"].startswith("clientRequestId"), error
    assert board_state(live_server, owner.token, board) == before
