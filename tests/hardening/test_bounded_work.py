"""Bounded work per request: each abusive request is refused by a limit before it costs much.

Issue 18 found four requests that stalled the server (and, in the cloud, a Lambda): 16
fragments that each spread the one before twice (652 bytes, 65,536 fields once expanded),
30,000 aliased `__typename` (1 MB), 20,000 operations in one document, and 50 aliases of a board
asking for `versions(limit: 100) { items { notes } }` (one resolver each, but 101 DynamoDB reads
each: the nested fields have no resolver, so AppSync's resolver-count limit never sees them).
Also 1,000 aliased mutations ended in `InternalFailure` (a RecursionError), and sockets that
never sent `connection_init` stayed open forever.

Here each is refused by its limit — asserted by the error, and by the DynamoDB requests made
(`retro.store.record_requests()`) — while other clients are served first; the limits are
documented in docs/API.md ("Limits") and docs/LOCAL.md. The server runs the limits AppSync is
deployed with (infra's resolver count and depth, introspection off) and closes a realtime
socket that has not begun within one second (30 s by default).
"""

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import websockets

from appsync_local.documents import SMALL_TEXT
from appsync_local.engine import Limits
from appsync_local.realtime import RealtimeSettings
from retro.services.pages import MAX_READS
from retro.store import record_requests
from tests.appsync_realtime import Frames, appsync_url, start
from tests.conftest import LiveServer, retro_test_options, start_server, stop_server

from .conftest import RESOLVER_COUNT_LIMIT, User, add_note, board_state, infra_default, new_user

TOKEN_LIMIT = Limits().max_tokens
FIELD_LIMIT = Limits().max_fields
INIT_TIMEOUT = 1.0


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    """Production limits; module-scoped for the reason `limited_server` gives."""
    options = retro_test_options(
        limits=Limits(
            query_depth=infra_default("query_depth_limit"),
            resolver_count=RESOLVER_COUNT_LIMIT,
            introspection=False,
        ),
        realtime=RealtimeSettings(init_timeout_seconds=INIT_TIMEOUT),
    )
    started, saved = start_server(options)
    try:
        yield LiveServer(started)
    finally:
        stop_server(started, saved)


@pytest.fixture(scope="module")
def owner(server: LiveServer) -> User:
    user = new_user(server, "Bounded")
    server.data("{ me { id } }", token=user.token)  # the authorizer's answer is cached now
    return user


@pytest.fixture(scope="module")
def board(server: LiveServer, owner: User) -> str:
    """A board with two notes."""
    board = server.data(
        'mutation { createBoard(input: {title: "Bounded"}) { id } }', token=owner.token
    )["createBoard"]["id"]
    add_note(server, owner.token, board, "good")
    add_note(server, owner.token, board, "bad", "BAD")
    return str(board)


def doubling(board: str, depth: int = 16) -> str:
    fragments = ["fragment F0 on Board { id }"] + [
        f"fragment F{i} on Board {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, depth + 1)
    ]
    return f'{{ board(id: "{board}") {{ ...F{depth} }} }} ' + " ".join(fragments)


ALIASES = "{ " + " ".join(f"a{i}: __typename" for i in range(30_000)) + " }"
OPERATIONS = " ".join(f"query q{i} {{ __typename }}" for i in range(20_000))
TOO_MANY_TOKENS = f"The document has more than {TOKEN_LIMIT} tokens (the local server's limit)."
TOO_MANY_FIELDS = (
    f"The operation selects more than {FIELD_LIMIT} fields with its fragments expanded "
    "(the local server's limit)."
)


def refused(response_body: dict[str, Any]) -> dict[str, Any]:
    assert response_body["data"] is None, str(response_body)[:500]
    [error] = response_body["errors"]
    assert "errorType" not in error, error  # refused as AppSync refuses a document
    return error  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("abuse", "message"),
    [("doubling", TOO_MANY_FIELDS), ("aliases", TOO_MANY_TOKENS), ("operations", TOO_MANY_TOKENS)],
)
def test_abusive_documents_are_refused_before_anything_runs(
    server: LiveServer, owner: User, board: str, abuse: str, message: str
) -> None:
    document = {"doubling": doubling(board), "aliases": ALIASES, "operations": OPERATIONS}[abuse]
    assert len(document.encode()) < 1024 * 1024  # under the body limit: the document is read
    before = server.invocations()
    with record_requests() as log:
        body = server.post(document, token=owner.token).body
    assert refused(body)["message"] == message
    assert log.calls == []  # no DynamoDB request at all
    assert server.invocations() == before  # no handler ran


def nested_page(board: str, aliases: int, limit: int) -> str:
    page = f'board(id: "{board}") {{ versions(limit: {limit}) {{ items {{ notes {{ id }} }} }} }}'
    return "{ " + " ".join(f"a{i}: {page}" for i in range(aliases)) + " }"


def test_fifty_aliases_of_a_nested_page_are_refused_by_the_prefetch_limit(
    server: LiveServer, owner: User, board: str
) -> None:
    before = server.invocations()
    with record_requests() as log:
        body = server.post(nested_page(board, 50, 100), token=owner.token).body
    assert body["data"] == {f"a{i}": None for i in range(50)}
    assert len(body["errors"]) == 50
    for error in body["errors"]:
        assert error["errorType"] == "BadInputError"
        assert error["message"].startswith(
            f"selection: would take 101 database reads to prefetch, over the limit of {MAX_READS}"
        )
    assert log.calls == []  # each of the 50 invocations refused before its first read
    assert (server.invocations() - before)["read"] == 50

    # Within the limit (a page of 20 versions with notes: 21 reads at most), one alias costs
    # what it loads: find the board (index ∥ its newest version, then the board: 3), its
    # versions (1), the notes of its one version (1).
    with record_requests() as log:
        page = server.data(nested_page(board, 1, 20), token=owner.token)
    assert [len(v["notes"]) for v in page["a0"]["versions"]["items"]] == [2]
    assert len(log.calls) == 5
    # Aliases of the nested field under one board are one load (AppSync fills it by name).
    versions = "versions(limit: 20) { items { notes { id } } }"
    merged = " ".join(f"v{i}: {versions}" for i in range(50))
    with record_requests() as log:
        page = server.data(f'{{ board(id: "{board}") {{ {merged} }} }}', token=owner.token)
    assert page["board"]["v49"] == page["board"]["v0"]
    assert len(log.calls) == 5


def test_a_small_request_is_answered_while_an_abusive_one_is_read(
    server: LiveServer, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ordering, not time: the abusive document's preparation is held until `{ __typename }`
    from another client has been answered. Had the server read documents on its event loop,
    that answer could never come while the other is held (the test would fail on its
    timeout)."""
    preparer = server.engine.preparer
    real = preparer.prepare_now
    reading, release = threading.Event(), threading.Event()

    def held(query: str, operation_name: str | None) -> Any:
        if len(query) > SMALL_TEXT:
            reading.set()
            release.wait(60)
        return real(query, operation_name)

    monkeypatch.setattr(preparer, "prepare_now", held)
    order: list[str] = []

    def abusive() -> dict[str, Any]:
        body = server.post(ALIASES, token=owner.token).body
        order.append("abusive")
        return body

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(abusive)
        try:
            assert reading.wait(30)
            assert server.data("{ __typename }") == {"__typename": "Query"}  # anonymously
            order.append("small")
        finally:
            release.set()
        body = future.result(timeout=60)
    assert order == ["small", "abusive"]
    assert refused(body)["message"] == TOO_MANY_TOKENS


def test_a_thousand_aliased_mutations_end_in_a_limit_error(server: LiveServer, owner: User) -> None:
    board = server.data(
        'mutation { createBoard(input: {title: "Mutated"}) { id } }', token=owner.token
    )["createBoard"]["id"]
    before_state = board_state(server, owner.token, board)
    before = server.invocations()
    writes = " ".join(
        f'a{i}: addNote(input: {{boardId: "{board}", column: GOOD, text: "n{i}"}}) {{ id }}'
        for i in range(1_000)
    )
    with record_requests() as log:
        body = server.post(f"mutation {{ {writes} }}", token=owner.token).body
    assert refused(body)["message"] == TOO_MANY_TOKENS
    assert log.calls == []
    assert server.invocations() == before
    assert board_state(server, owner.token, board) == before_state

    # As short as an aliased mutation can be (12 tokens), 800 fit under the token limit: the
    # first 100 run and the resolver count limit stops the rest, as AppSync does.
    writes = " ".join(f"a{i}: addNote(input: $i) {{ id }}" for i in range(800))
    variables = {"i": {"boardId": board, "column": "GOOD", "text": "one of many"}}
    body = server.post(f"mutation($i: AddNoteInput!) {{ {writes} }}", variables, token=owner.token)
    assert body.body["data"] is None
    [error] = body.body["errors"]
    assert error["errorType"] == "ResolverExecutionLimitReached"
    assert error["path"] == [f"a{RESOLVER_COUNT_LIMIT}"]
    notes = board_state(server, owner.token, board)["currentVersion"]["notes"]
    assert len(notes) == RESOLVER_COUNT_LIMIT


def test_realtime_sockets_that_never_begin_are_closed(server: LiveServer, owner: User) -> None:
    auth = {"host": f"127.0.0.1:{server.server.port}", "Authorization": owner.token}
    url = appsync_url(server, auth, path="/graphql/realtime")
    subscription = 'subscription { onBoardDeleted(id: "x") { id } }'

    async def idle() -> tuple[dict[str, Any], int | None]:
        async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
            frames = Frames(ws)
            frame = await frames.next(timeout=30)
            with pytest.raises(websockets.ConnectionClosed):
                await frames.next(timeout=30)
            return frame, ws.close_code

    async def scenario() -> tuple[list[tuple[dict[str, Any], int | None]], dict[str, Any]]:
        async with websockets.connect(url, subprotocols=["graphql-ws"]) as begun:
            frames = Frames(begun)
            await frames.send({"type": "connection_init"})
            assert (await frames.next())["type"] == "connection_ack"
            closed = await asyncio.gather(*(idle() for _ in range(100)))
            # every idle socket is gone by now; the one that began is still served
            await frames.send(start("late", subscription, auth=auth))
            return closed, await frames.next()

    closed, answer = asyncio.run(asyncio.wait_for(scenario(), 120))
    expected = {
        "type": "connection_error",
        "payload": {
            "errors": [
                {
                    "errorType": "TimeoutException",
                    "message": f"No connection_init or start within {INIT_TIMEOUT:g} seconds: "
                    "closing.",
                    "errorCode": 408,
                }
            ]
        },
    }
    assert closed == [(expected, 1000)] * 100
    # the subscription's resolver refuses an unknown board: it ran, so the socket was served
    assert answer["id"] == "late" and answer["type"] == "error"
    assert server.data("{ __typename }") == {"__typename": "Query"}
