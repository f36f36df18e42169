"""The local server's bounds on a document, and how it reads one: off the event loop.

On the fake API (`appsync_fake/`), with tight bounds so that small documents cross them:
documents over `max_tokens` tokens or `max_fields` fields (fragments expanded) are refused
before anything runs; a small request is answered while large ones are being prepared, and no
more than `heavy_concurrency` large ones are prepared at once; a mutation's root fields run in a
loop, so a thousand of them cannot exhaust Python's recursion; a realtime socket that does not
begin in time is closed. Everything is asserted by outcome and order, never by time.
"""

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
import websockets

from appsync_local.documents import SMALL_TEXT, Preparer, expanded_fields
from appsync_local.engine import Limits
from appsync_local.realtime import RealtimeSettings
from tests.appsync_realtime import Frames, appsync_url, start
from tests.conftest import LiveServer, start_server, stop_server

from .conftest import fake_options

MAX_TOKENS = 2_000
MAX_FIELDS = 50


@pytest.fixture(scope="module")
def bounded() -> Iterator[LiveServer]:
    limits = Limits(max_tokens=MAX_TOKENS, max_fields=MAX_FIELDS)
    realtime = RealtimeSettings(keepalive_seconds=0.2, init_timeout_seconds=0.5)
    server, saved = start_server(fake_options(limits=limits, realtime=realtime))
    try:
        yield LiveServer(server)
    finally:
        stop_server(server, saved)


ROOMY_SECONDS = 300.0


@pytest.fixture(scope="module")
def roomy() -> Iterator[LiveServer]:
    """Room for a mutation of 1,500 root fields: only the resolver count limit applies, and
    time is not measured (1,500 invocations one after another: 3 s alone, over 30 s under two
    xdist workers at load ~20)."""
    limits = Limits(
        max_tokens=100_000, max_fields=10_000, resolver_count=10_000, request_seconds=ROOMY_SECONDS
    )
    server, saved = start_server(fake_options(limits=limits))
    try:
        yield LiveServer(server)
    finally:
        stop_server(server, saved)


def doubling(depth: int) -> str:
    """`{ shelf { ...F<depth> } }`: each fragment spreads the one before twice (2^depth ids)."""
    fragments = ["fragment F0 on Shelf { id }"] + [
        f"fragment F{i} on Shelf {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, depth + 1)
    ]
    return f'{{ shelf(id: "s1") {{ ...F{depth} }} }} ' + " ".join(fragments)


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    assert body["data"] is None, body
    [error] = body["errors"]
    return error  # type: ignore[no-any-return]


# -- bounds --------------------------------------------------------------------------------------
def test_fields_are_counted_with_fragments_expanded_without_expanding_them() -> None:
    from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

    document = parse(doubling(40))  # 2^40 fields: counting them one by one would never end
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    assert expanded_fields(operation.selection_set, fragments, 2**50) == 1 + 2**40
    assert expanded_fields(operation.selection_set, fragments, 100) > 100  # stops early
    cycle = parse("{ shelf { ...A } } fragment A on Shelf { id ...A }")
    operation = cycle.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    assert expanded_fields(operation.selection_set, {"A": cycle.definitions[1]}, 99) == 2  # type: ignore[dict-item]


def test_documents_over_the_token_limit_are_refused_unrun(bounded: LiveServer, fake: Any) -> None:
    def echo(count: int) -> str:  # `{ echo ( list : [ ... ] ) }`: count + 9 tokens
        return "{ echo(list: [" + " ".join("7" for _ in range(count)) + "]) }"

    assert bounded.data(echo(MAX_TOKENS - 9))["echo"]
    assert len(fake.EVENTS) == 1
    many_operations = " ".join(f"query q{i} {{ __typename }}" for i in range(1_000))
    for document in (echo(MAX_TOKENS - 8), many_operations):
        error = only_error(bounded.post(document).body)
        # refused as AppSync refuses a document: no errorType
        assert error == {
            "path": None,
            "locations": None,
            "message": f"The document has more than {MAX_TOKENS} tokens "
            "(the local server's limit).",
        }
    assert len(fake.EVENTS) == 1


def test_operations_over_the_field_limit_are_refused_unrun(bounded: LiveServer, fake: Any) -> None:
    # `shelf` + 2^5 ids = 33 fields; + 2^6 = 65 > 50
    assert bounded.data(doubling(5))["shelf"] == {"id": "s1"}
    runs = len(fake.EVENTS)
    for document in (doubling(6), doubling(16), doubling(40)):
        error = only_error(bounded.post(document).body)
        assert "errorType" not in error
        assert error["message"] == (
            f"The operation selects more than {MAX_FIELDS} fields with its fragments expanded "
            "(the local server's limit)."
        )
    flat = "{ " + " ".join(f"a{i}: __typename" for i in range(MAX_FIELDS + 1)) + " }"
    assert "more than 50 fields" in only_error(bounded.post(flat).body)["message"]
    assert len(fake.EVENTS) == runs  # none of them ran a resolver


def test_a_subscription_over_the_limits_is_refused(bounded: LiveServer, fake: Any) -> None:
    fields = " ".join(f"a{i}: id" for i in range(MAX_FIELDS + 1))
    query = f'subscription {{ onItem(shelfId: "s1") {{ {fields} }} }}'

    async def scenario() -> dict[str, Any]:
        async with websockets.connect(appsync_url(bounded), subprotocols=["graphql-ws"]) as ws:
            frames = Frames(ws)
            await frames.send({"type": "connection_init"})
            assert (await frames.next())["type"] == "connection_ack"
            await frames.send(start("big", query))
            return await frames.next()

    frame = asyncio.run(scenario())
    assert frame["type"] == "error" and frame["id"] == "big"
    assert "more than 50 fields" in frame["payload"]["errors"][0]["message"]


# -- off the event loop --------------------------------------------------------------------------
class Held:
    """`Preparer.prepare_now` held for large documents until released, so a test can send other
    requests while large ones are being prepared. Were the preparing done on the event loop,
    holding it would hold every request, and the small one's answer would never come."""

    def __init__(self, preparer: Preparer) -> None:
        self.real: Callable[[str, str | None], Any] = preparer.prepare_now
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.started = 0
        self.running = 0
        self.most_running = 0
        self.arrived = threading.Semaphore(0)

    def __call__(self, query: str, operation_name: str | None) -> Any:
        if len(query) > SMALL_TEXT:
            with self.lock:
                self.started += 1
                self.running += 1
                self.most_running = max(self.most_running, self.running)
            self.arrived.release()
            self.release.wait(60)
            with self.lock:
                self.running -= 1
        return self.real(query, operation_name)


def test_small_requests_are_answered_while_large_ones_are_prepared_two_at_a_time(
    bounded: LiveServer, fake: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    preparer = bounded.engine.preparer
    assert preparer.heavy_concurrency == 2
    held = Held(preparer)
    monkeypatch.setattr(preparer, "prepare_now", held)
    large = "{ " + " ".join(f"a{i}: __typename" for i in range(5_000)) + " }"  # > SMALL_TEXT
    order: list[str] = []

    def post_large(name: str) -> dict[str, Any]:
        body = bounded.post(large).body
        order.append(name)
        return body

    with ThreadPoolExecutor(3) as pool:
        futures: list[Future[dict[str, Any]]] = []
        try:
            for name in ("large 1", "large 2", "large 3"):
                futures.append(pool.submit(post_large, name))
            assert held.arrived.acquire(timeout=30) and held.arrived.acquire(timeout=30)
            # Two are being prepared; the third waits for a slot, not for a thread.
            for _ in range(3):
                assert bounded.data("{ __typename }") == {"__typename": "Query"}
                order.append("small")
            assert held.started == 2
        finally:
            held.release.set()
        bodies = [f.result(timeout=60) for f in futures]
    assert order[:3] == ["small"] * 3
    assert sorted(order[3:]) == ["large 1", "large 2", "large 3"]
    assert held.started == 3 and held.most_running == 2
    for body in bodies:
        assert "tokens" in only_error(body)["message"]


# -- serial mutations ----------------------------------------------------------------------------
def test_a_mutation_of_1500_root_fields_runs_them_all_in_order(
    roomy: LiveServer, fake: Any
) -> None:
    """graphql-core chained one coroutine per root field: ~950 raised RecursionError."""
    count = 1_500
    fields = " ".join(f"m{i}: addItem(input: $i) {{ id label }}" for i in range(count))
    document = f"mutation($i: ItemInput!) {{ {fields} }}"
    response = roomy.post(document, {"i": {"shelfId": "s1", "label": "x"}}, timeout=ROOMY_SECONDS)
    assert "errors" not in response.body, str(response.body)[:500]
    ids = [int(response.body["data"][f"m{i}"]["id"].removeprefix("i")) for i in range(count)]
    assert ids == sorted(ids) and len(set(ids)) == count  # one after another, each once


def test_serial_root_fields_past_the_resolver_limit_end_in_its_error(
    limited_server: LiveServer, fake: Any
) -> None:
    # 800 root fields of 12 tokens each: within the default token limit (10,000)
    fields = " ".join(f"m{i}: addItem(input: $i) {{ id }}" for i in range(800))
    document = f"mutation($i: ItemInput!) {{ {fields} }}"
    response = limited_server.post(document, {"i": {"shelfId": "s1", "label": "x"}})
    errors = response.body["errors"]
    assert [e["errorType"] for e in errors] == ["ResolverExecutionLimitReached"] * (800 - 3)
    assert [response.body["data"][f"m{i}"] is not None for i in range(4)] == [True] * 3 + [False]


# -- realtime: sockets that never begin ----------------------------------------------------------
def test_a_realtime_socket_that_never_begins_is_closed(bounded: LiveServer, fake: Any) -> None:
    async def idle() -> tuple[dict[str, Any], int | None]:
        async with websockets.connect(appsync_url(bounded), subprotocols=["graphql-ws"]) as ws:
            frames = Frames(ws)
            await frames.send({"type": "not-a-beginning"})  # answered, but begins nothing
            assert (await frames.next())["payload"]["errors"][0]["errorType"] == (
                "UnsupportedOperation"
            )
            frame = await frames.next(timeout=10)
            with pytest.raises(websockets.ConnectionClosed):
                await frames.next(timeout=10)
            return frame, ws.close_code

    async def begun(first: dict[str, Any]) -> dict[str, Any]:
        async with websockets.connect(appsync_url(bounded), subprotocols=["graphql-ws"]) as ws:
            frames = Frames(ws)
            await frames.send(first)
            await frames.next()  # connection_ack, or the start's answer
            # outlive the deadline: keep-alives come, the socket stays
            for _ in range(8):
                assert (await frames.next(keepalive=True, timeout=10))["type"] == "ka"
            await frames.send(start("later", 'subscription { onItem(shelfId: "s1") { id } }'))
            return await frames.next()

    frame, code = asyncio.run(idle())
    assert frame == {
        "type": "connection_error",
        "payload": {
            "errors": [
                {
                    "errorType": "TimeoutException",
                    "message": "No connection_init or start within 0.5 seconds: closing.",
                    "errorCode": 408,
                }
            ]
        },
    }
    assert code == 1000
    init = {"type": "connection_init"}
    assert asyncio.run(begun(init)) == {"type": "start_ack", "id": "later"}
    first = start("first", 'subscription { onItem(shelfId: "s2") { id } }')
    assert asyncio.run(begun(first)) == {"type": "start_ack", "id": "later"}
