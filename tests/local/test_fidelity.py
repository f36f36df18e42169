"""AppSync behaviours a client could trip on, held through real sockets (issue 15).

Each test names the public source of the behaviour it holds; docs/LOCAL.md lists them.
"""

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
import websockets

from appsync_local.engine import Limits
from appsync_local.realtime import RealtimeSettings
from tests.appsync_realtime import Frames, appsync_url, start
from tests.conftest import LiveServer, start_server, stop_server

from .conftest import fake_options

REQUEST_SECONDS = 1.0
AUTHORIZER_SECONDS = 0.5
DEPTH = 2
ACK_DELAY = 0.3
RESOLVERS = 3


@pytest.fixture(scope="module")
def timed_server() -> Iterator[LiveServer]:
    """The fake API with AppSync's time limits scaled down (30 s and 10 s in the cloud)."""
    limits = Limits(request_seconds=REQUEST_SECONDS, authorizer_seconds=AUTHORIZER_SECONDS)
    server, saved = start_server(fake_options(limits=limits))
    try:
        yield LiveServer(server)
    finally:
        stop_server(server, saved)


@pytest.fixture(scope="module")
def shallow_server() -> Iterator[LiveServer]:
    """The fake API with a query depth limit of 2 levels, a resolver count limit of 3 and a slow
    `connection_ack`, and AppSync's own time limits: under the scaled-down ones, a resolver
    slowed by a loaded machine timed out in a test about something else."""
    limits = Limits(query_depth=DEPTH, resolver_count=RESOLVERS)
    realtime = RealtimeSettings(keepalive_seconds=0.2, ack_delay_seconds=ACK_DELAY)
    server, saved = start_server(fake_options(limits=limits, realtime=realtime))
    try:
        yield LiveServer(server)
    finally:
        stop_server(server, saved)


# -- 1. time limits ----------------------------------------------------------------------------
def test_the_request_and_the_authorizer_have_appsyncs_time_limits(
    timed_server: LiveServer, fake: Any
) -> None:
    """AppSync gives a whole request 30 s: two resolvers of 0.6 of that each, run one after the
    other (a mutation's root fields), do not both fit — the first answers, the second is null
    with `ExecutionTimeout` "Execution timed out." (the shape AppSync answers, e.g.
    aws-amplify/amplify-cli#8192), the rest of the answer intact. The authorizer has 10 s: one
    that takes longer refuses the request (HTTP 401, as any failing authorizer)."""
    part = REQUEST_SECONDS * 0.6
    response = timed_server.post(
        "mutation($s: Float!) { first: wait(seconds: $s) second: wait(seconds: $s) }", {"s": part}
    )
    assert response.status == 200
    assert response.body["data"] == {"first": part, "second": None}
    (error,) = response.body["errors"]
    assert error == {
        "path": ["second"],
        "data": None,
        "errorType": "ExecutionTimeout",
        "errorInfo": None,
        "locations": [{"line": 1, "column": 49, "sourceName": None}],
        "message": "Execution timed out.",
    }
    # each alone fits
    assert timed_server.data("mutation { wait(seconds: 0.1) }") == {"wait": 0.1}

    slow = timed_server.post("{ whoami { userId } }", token=f"slow-{AUTHORIZER_SECONDS * 1.5}")
    assert slow.status == 401
    assert slow.body == {
        "errors": [
            {
                "errorType": "UnauthorizedException",
                "message": "You are not authorized to make this call.",
            }
        ]
    }
    quick = timed_server.data("{ whoami { userId } }", token=f"slow-{AUTHORIZER_SECONDS * 0.1}")
    assert quick == {"whoami": {"userId": "slow"}}


# -- 5. depth limit ----------------------------------------------------------------------------
def test_fields_past_the_depth_limit_are_null_and_the_rest_is_answered(
    shallow_server: LiveServer, fake: Any
) -> None:
    """AppSync runs a document deeper than `queryDepthLimit`: each field past the limit is null
    with `QueryDepthLimitReached` and its resolver does not run; a non-null one takes its
    nearest nullable parent with it; everything else is answered ("Configuring query depth
    limits", AppSync Developer Guide). Levels count from the root fields (level 1)."""
    before = shallow_server.invocations()["main"]
    response = shallow_server.post('{ shelf(id: "s1") { name stats { count } } defaultModeOnly }')
    assert response.status == 200
    # `count` (Int!, level 3) is past the limit of 2: `stats` (nullable) becomes null
    assert response.body["data"] == {
        "shelf": {"name": "Kitchen", "stats": None},
        "defaultModeOnly": "default mode",
    }
    (error,) = response.body["errors"]
    assert error == {
        "path": ["shelf", "stats", "count"],
        "data": None,
        "errorType": "QueryDepthLimitReached",
        "errorInfo": None,
        "locations": [{"line": 1, "column": 34, "sourceName": None}],
        "message": f"The field is deeper than the query depth limit of {DEPTH} levels.",
    }
    # shelf, stats (level 2: within the limit) and defaultModeOnly ran; nothing past the limit
    assert shallow_server.invocations()["main"] - before == 3
    # A document within the limit is untouched.
    assert shallow_server.data('{ shelf(id: "s1") { name } }') == {"shelf": {"name": "Kitchen"}}


# -- 4. omitted variables ----------------------------------------------------------------------
def test_an_argument_whose_variable_was_omitted_is_null(fake_server: LiveServer, fake: Any) -> None:
    """AppSync passes an argument written with a variable the client left out as `null` (not
    absent, as GraphQL's spec would): aws/aws-appsync-community#348 and #394. A variable's own
    default still applies; an argument not written at all stays absent (or its default);
    `info.variables` is what the client sent."""
    query = """query($t: String, $n: Int, $c: Color = RED, $i: ItemInput) {
      echo(text: $t, n: $n, color: $c, input: $i)
    }"""
    event = json.loads(fake_server.data(query, {})["echo"])
    assert event["arguments"] == {
        "text": None,  # omitted: null
        # omitted: null, as if sent as null (the argument's default, 3, does not apply)
        "n": None,
        "color": "RED",  # the variable's default
        "input": None,
        "list": [1, 2],  # not written: the argument's default
    }
    assert event["info"]["variables"] == {}
    # in an input object too
    nested = 'query($c: Color) { echo(input: {shelfId: "s1", label: "x", color: $c}) }'
    event = json.loads(fake_server.data(nested, {})["echo"])
    assert event["arguments"]["input"] == {"shelfId": "s1", "label": "x", "color": None}


# -- 2. start before connection_ack ------------------------------------------------------------
def test_a_start_before_connection_ack_is_ignored(shallow_server: LiveServer, fake: Any) -> None:
    """AppSync ignores what a client sends between its `connection_init` and the server's
    `connection_ack` ("Building a real-time WebSocket client", AppSync Developer Guide: send
    `connection_init`, then wait for `connection_ack`): a `start` sent at once never gets a
    `start_ack` and never receives data; one sent after the ack does."""
    subscription = 'subscription { onItem(shelfId: "s1") { id shelfId label } }'

    async def scenario() -> None:
        url = appsync_url(shallow_server)
        async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
            frames = Frames(ws)
            await frames.send({"type": "connection_init"})
            await frames.send(start("early", subscription))  # does not wait for the ack
            assert await frames.next() == {
                "type": "connection_ack",
                "payload": {"connectionTimeoutMs": 300000},
            }
            await frames.send(start("late", subscription))
            # the first answer after the ack is for "late": "early" got nothing
            assert await frames.next() == {"type": "start_ack", "id": "late"}
            response = await asyncio.to_thread(
                shallow_server.post,
                'mutation { addItem(input: {shelfId: "s1", label: "cup"}) { id shelfId label } }',
            )
            item = response.body["data"]["addItem"]
            assert await frames.next() == {
                "type": "data",
                "id": "late",
                "payload": {"data": {"onItem": item}},
            }
            await frames.nothing(0.5)  # no data for "early"

    asyncio.run(asyncio.wait_for(scenario(), 30))


# -- 3. validation errors ----------------------------------------------------------------------
def test_documents_and_variables_are_refused_in_appsyncs_words(
    fake_server: LiveServer, fake: Any
) -> None:
    """A document that does not validate, or variables that do not coerce: HTTP 200, `data`
    null, errors of `path`, `locations` and `message` only — no errorType — in graphql-java's
    words, as AppSync answers (the first case is the AppSync team's own example,
    graphql/graphql-over-http#81; the others: aws-amplify/learn#417,
    aws/aws-appsync-community#273 and #406, awslabs/aws-mobile-appsync-sdk-js#83)."""

    def refusal(query: str, variables: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        response = fake_server.post(query, variables)
        assert response.status == 200
        assert response.body["data"] is None
        return response.body["errors"]  # type: ignore[no-any-return]

    def at(line: int, column: int) -> list[dict[str, Any]]:
        return [{"line": line, "column": column, "sourceName": None}]

    before = fake_server.invocations()
    assert refusal("{badfield}") == [
        {
            "path": None,
            "locations": at(1, 2),
            "message": "Validation error of type FieldUndefined: "
            "Field 'badfield' in type 'Query' is undefined @ 'badfield'",
        }
    ]
    assert refusal('{ shelf(id: "s1") { nope } }') == [
        {
            "path": None,
            "locations": at(1, 21),
            "message": "Validation error of type FieldUndefined: "
            "Field 'nope' in type 'Shelf' is undefined @ 'shelf/nope'",
        }
    ]
    assert refusal("query($t: Stamp) { echo(text: $t) }")[0] == {
        "path": None,
        "locations": at(1, 11),
        "message": "Validation error of type UnknownType: Unknown type Stamp",
    }
    assert refusal('mutation { addItem(input: {label: "x"}) { id } }') == [
        {
            "path": None,
            "locations": at(1, 27),
            "message": "Validation error of type WrongType: argument 'input' with value "
            "'ObjectValue{objectFields=[ObjectField{name='label', value=StringValue{value='x'}}]}'"
            " is missing required fields '[shelfId]' @ 'addItem'",
        }
    ]
    assert refusal('{ shelf(id: "s1") }')[0]["message"] == (
        "Validation error of type SubSelectionRequired: "
        "Sub selection required for type Shelf of field shelf @ 'shelf'"
    )
    assert refusal('{ shelf(id: "s1", x: 2) { id } }')[0]["message"] == (
        "Validation error of type UnknownArgument: Unknown field argument x @ 'shelf'"
    )
    assert refusal("{ shelf { id } }")[0]["message"] == (
        "Validation error of type MissingFieldArgument: Missing field argument id @ 'shelf'"
    )
    # variables that do not coerce
    add = "mutation($i: ItemInput!) { addItem(input: $i) { id } }"
    assert refusal("query($id: ID!) { shelf(id: $id) { id } }", {}) == [
        {
            "path": None,
            "locations": None,
            "message": "Variable 'id' has coerced Null value for NonNull type 'ID!'",
        }
    ]
    assert refusal(add, {"i": {"shelfId": "s1"}})[0]["message"] == (
        "Variable 'i' has coerced Null value for NonNull type 'String!'"
    )
    assert refusal(add, {"i": {"shelfId": "s1", "label": "x", "size": 1}})[0]["message"] == (
        "The variables input contains a field that is not defined for input object type "
        "'ItemInput' "
    )
    assert fake_server.invocations() == before  # nothing ran
