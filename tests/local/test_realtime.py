"""Subscriptions over real WebSockets: AppSync's realtime protocol and graphql-transport-ws."""

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import Any

import pytest
import websockets
from gql import Client, gql
from gql.transport.appsync_auth import AppSyncApiKeyAuthentication, AppSyncJWTAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport
from gql.transport.websockets import WebsocketsTransport

from tests.appsync_realtime import API_KEY, Frames, appsync_url, b64, start, until
from tests.conftest import LiveServer

ADD = "mutation($i: ItemInput!) { addItem(input: $i) { %s } }"


def run(coroutine: Awaitable[Any]) -> Any:
    return asyncio.run(asyncio.wait_for(coroutine, 60))  # type: ignore[arg-type]


async def add(server: LiveServer, fields: str, **item: Any) -> dict[str, Any]:
    response = await asyncio.to_thread(server.post, ADD % fields, {"i": {"label": "cup", **item}})
    assert not response.body.get("errors"), response.body
    return response.body["data"]["addItem"]  # type: ignore[no-any-return]


async def connect(server: LiveServer, **kwargs: Any) -> Any:
    return await websockets.connect(appsync_url(server, **kwargs), subprotocols=["graphql-ws"])


def test_appsync_protocol_round_trip(fake_server: LiveServer, fake: Any) -> None:
    async def scenario() -> None:
        async with await connect(fake_server) as ws:
            assert ws.subprotocol == "graphql-ws"
            frames = Frames(ws)
            await frames.send({"type": "connection_init"})
            assert await frames.next() == {
                "type": "connection_ack",
                "payload": {"connectionTimeoutMs": 300000},
            }
            assert (await frames.next(keepalive=True)) == {"type": "ka"}
            query = 'subscription { onItem(shelfId: "s1") { id shelfId label color } }'
            await frames.send(start("sub-1", query))
            assert await frames.next() == {"type": "start_ack", "id": "sub-1"}
            await add(fake_server, "id shelfId", shelfId="s2")  # filtered out
            item = await add(fake_server, "id shelfId label", shelfId="s1", color="RED")
            # the subscriber gets the MUTATION's selection set: color was not selected there
            assert await frames.next() == {
                "type": "data",
                "id": "sub-1",
                "payload": {
                    "data": {
                        "onItem": {"id": item["id"], "shelfId": "s1", "label": "cup", "color": None}
                    }
                },
            }
            await frames.send({"type": "stop", "id": "sub-1"})
            assert await frames.next() == {"type": "complete", "id": "sub-1"}
            await add(fake_server, "id shelfId", shelfId="s1")
            await frames.nothing(0.4)

    run(scenario())


def test_amplify_style_header_subprotocol_and_custom_domain_path(
    fake_server: LiveServer, fake: Any
) -> None:
    async def scenario() -> None:
        header = "header-" + b64({"host": "local", "Authorization": "user-amy"}, urlsafe=True)
        url = f"ws://127.0.0.1:{fake_server.server.port}/graphql/realtime"
        async with websockets.connect(url, subprotocols=["graphql-ws", header]) as ws:
            frames = Frames(ws)
            # connection_init is optional in AppSync: a start before it is served
            query = 'subscription { onItemForUsers(shelfId: "s3") { id label } }'
            await frames.send(
                start("a", query, auth={"host": "local", "Authorization": "user-amy"})
            )
            assert await frames.next() == {"type": "start_ack", "id": "a"}
            item = await add(fake_server, "id shelfId label", shelfId="s3")
            frame = await frames.next()
            assert frame["payload"]["data"]["onItemForUsers"] == {"id": item["id"], "label": "cup"}

    run(scenario())


def test_argument_filters(fake_server: LiveServer, fake: Any) -> None:
    subscriptions = {
        "shelf": 'subscription { onItem(shelfId: "s1") { id } }',
        "all": "subscription { onItem { id } }",
        "colorless": "subscription { onItem(color: null) { id } }",
        "label": 'subscription { onItem(label: "cup") { id } }',  # the mutation never selects label
        "red-on-s1": 'subscription { onItem(shelfId: "s1", color: RED) { id } }',
    }

    async def scenario() -> dict[str, list[str]]:
        received: dict[str, list[str]] = {name: [] for name in subscriptions}
        async with await connect(fake_server) as ws:
            frames = Frames(ws)
            for name, query in subscriptions.items():
                await frames.send(start(name, query))
                assert await frames.next() == {"type": "start_ack", "id": name}
            red = await add(fake_server, "id shelfId color", shelfId="s1", color="RED")
            plain = await add(fake_server, "id shelfId color", shelfId="s1")
            other = await add(fake_server, "id shelfId color", shelfId="s2", color="RED")
            expected = {
                "shelf": [red["id"], plain["id"]],
                "all": [red["id"], plain["id"], other["id"]],
                "colorless": [plain["id"]],  # null matches only null
                "label": [],  # a field the mutation did not select matches nothing
                "red-on-s1": [red["id"]],  # AND across arguments
            }
            # as many frames as expected (a gap between two is no sign of the last one under
            # load), then none more
            for _ in range(sum(map(len, expected.values()))):
                frame = await frames.next(timeout=10)
                received[frame["id"]].append(frame["payload"]["data"]["onItem"]["id"])
            await frames.nothing(0.5)
        assert received == expected
        return received

    run(scenario())


def test_filters_and_payloads_read_the_mutations_response_keys(
    fake_server: LiveServer, fake: Any
) -> None:
    """The published result is keyed as the mutation's caller got it, by alias: a filter
    compares with whatever the caller named after its argument, and a field the mutation
    aliased reaches subscribers under the alias only (null for theirs). AppSync's guide does
    not say; AppSync is reported to do so (aws/aws-appsync-community#160). Retro's resolvers
    refuse such aliases of filter arguments (resolvers/published.py)."""
    subscriptions = {
        "s1": 'subscription { onItem(shelfId: "s1") { id tags } }',
        "s2": 'subscription { onItem(shelfId: "s2") { id } }',
    }

    async def scenario() -> None:
        received: dict[str, list[dict[str, Any]]] = {name: [] for name in subscriptions}
        async with await connect(fake_server) as ws:
            frames = Frames(ws)
            for name, query in subscriptions.items():
                await frames.send(start(name, query))
                assert await frames.next() == {"type": "start_ack", "id": name}
            # stored on shelf s2, but its label is answered under the name `shelfId`
            steered = await add(
                fake_server, "id shelfId: label t: tags", shelfId="s2", label="s1", tags=["x"]
            )
            plain = await add(fake_server, "id shelfId tags", shelfId="s1", tags=["y"])
            expected = {
                "s1": [{"id": steered["id"], "tags": None}, {"id": plain["id"], "tags": ["y"]}],
                "s2": [],
            }
            for _ in range(sum(map(len, expected.values()))):  # as many as expected, then none
                frame = await frames.next(timeout=10)
                received[frame["id"]].append(frame["payload"]["data"]["onItem"])
            await frames.nothing(0.5)
        assert received == expected

    run(scenario())


def test_protocol_errors_as_appsync(fake_server: LiveServer, fake: Any) -> None:
    async def scenario() -> None:
        async with await connect(fake_server) as ws:
            frames = Frames(ws)
            await ws.send("{not json")
            assert await frames.next() == {
                "type": "error",
                "payload": {
                    "errors": [
                        {
                            "errorType": "UnsupportedOperation",
                            "message": "unknown not supported through the realtime channel",
                        }
                    ]
                },
            }
            await frames.send({"type": "subscribe"})
            error = (await frames.next())["payload"]["errors"][0]
            assert error == {
                "errorType": "UnsupportedOperation",
                "message": "subscribe not supported through the realtime channel",
            }
            query = "subscription { onItem { id } }"
            await frames.send(start("1", query))
            assert (await frames.next())["type"] == "start_ack"
            await frames.send(start("1", query))
            assert await frames.next() == {
                "type": "error",
                "id": "1",
                "payload": {
                    "errors": [
                        {
                            "errorType": "DuplicatedOperationError",
                            "message": "Duplicate subscription ID.",
                        }
                    ]
                },
            }
            await frames.send(start("2", '{ shelf(id: "s1") { id } }'))
            assert (await frames.next())["payload"]["errors"][0] == {
                "errorType": "UnsupportedOperation",
                "message": "query not supported through the realtime channel",
            }
            await frames.send(start("3", query, auth=None))
            assert (await frames.next())["payload"]["errors"][0][
                "errorType"
            ] == "UnauthorizedException"
            await frames.send(start("4", query, auth={"x-api-key": "da2-wrong"}))
            assert (await frames.next())["payload"]["errors"][0][
                "errorType"
            ] == "UnauthorizedException"
            await frames.send({"id": "5", "type": "start", "payload": {"data": "[]"}})
            assert (await frames.next())["payload"]["errors"][0][
                "errorType"
            ] == "BadRequestException"
            await frames.send(start("6", "subscription { onItem { nope } }"))
            frame = await frames.next()
            assert (frame["type"], frame["id"]) == ("error", "6")
            # AppSync's validation error on the realtime channel: its message only
            assert frame["payload"]["errors"] == [
                {
                    "message": "Validation error of type FieldUndefined: "
                    "Field 'nope' in type 'Item' is undefined @ 'onItem/nope'"
                }
            ]
            # the subscription field's resolver runs at subscribe time and can refuse
            await frames.send(
                start("7", 'subscription { onItemGuarded(shelfId: "forbidden") { id } }')
            )
            frame = await frames.next()
            assert frame["id"] == "7" and frame["type"] == "error"
            assert frame["payload"]["errors"][0]["errorType"] == "Forbidden"
            assert frame["payload"]["errors"][0]["message"] == "you may not watch shelf forbidden"
            guard_event = fake.EVENTS[-1]
            assert guard_event["info"]["parentTypeName"] == "Subscription"
            assert guard_event["arguments"] == {"shelfId": "forbidden"}
            await frames.send(start("8", 'subscription { onItemGuarded(shelfId: "s1") { id } }'))
            assert await frames.next() == {"type": "start_ack", "id": "8"}
            # @aws_lambda only: refused for the API key
            await frames.send(start("9", 'subscription { onItemForUsers(shelfId: "s1") { id } }'))
            frame = await frames.next()
            assert frame["payload"]["errors"][0]["errorType"] == "Unauthorized"
            # stop of an unknown id is ignored; the connection still works
            await frames.send({"type": "stop", "id": "nope"})
            await frames.send({"type": "connection_init"})
            assert (await frames.next())["type"] == "connection_ack"

    run(scenario())


@pytest.mark.parametrize(
    "headers", [{"host": "local", "x-api-key": "da2-wrong"}, {"host": "local"}, None]
)
def test_refused_connection(
    fake_server: LiveServer, fake: Any, headers: dict[str, str] | None
) -> None:
    async def scenario() -> None:
        url = (
            appsync_url(fake_server, headers)
            if headers is not None
            else f"ws://127.0.0.1:{fake_server.server.port}/graphql"
        )
        async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
            frame = json.loads(await ws.recv())
            assert frame["type"] == "connection_error"
            (error,) = frame["payload"]["errors"]
            assert error["errorType"] == "UnauthorizedException" and error["errorCode"] == 401
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)

    run(scenario())


def test_subscription_limit_and_unsubscribe_on_disconnect(
    fake_server: LiveServer, fake: Any
) -> None:
    broker = fake_server.engine.broker
    baseline = broker.count()

    async def scenario() -> None:
        async with await connect(fake_server) as ws:
            frames = Frames(ws)
            for n in range(100):
                await frames.send(start(str(n), "subscription { onItem { id } }"))
                assert (await frames.next())["type"] == "start_ack"
            await frames.send(start("100", "subscription { onItem { id } }"))
            assert await frames.next() == {
                "type": "error",
                "id": "100",
                "payload": {
                    "errors": [
                        {
                            "errorType": "MaxSubscriptionsReachedError",
                            "message": "Max number of 100 subscriptions reached.",
                        }
                    ]
                },
            }
            assert broker.count() == baseline + 100
        await until(lambda: broker.count() == baseline)
        assert broker.count() == baseline

    run(scenario())


def test_messages_over_240_kb_are_dropped(fake_server: LiveServer, fake: Any, caplog: Any) -> None:
    async def scenario() -> None:
        async with await connect(fake_server) as ws:
            frames = Frames(ws)
            await frames.send(start("big", 'subscription { onItem(shelfId: "s2") { id label } }'))
            assert (await frames.next())["type"] == "start_ack"
            await add(fake_server, "id shelfId label", shelfId="s2", label="x" * (250 * 1024))
            small = await add(fake_server, "id shelfId label", shelfId="s2", label="small")
            frame = await frames.next()
            assert frame["payload"]["data"]["onItem"] == {"id": small["id"], "label": "small"}

    with caplog.at_level(logging.WARNING, logger="appsync_local"):
        run(scenario())
    assert any("dropped" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("auth_kind", ["api_key", "token"])
def test_gql_appsync_transport_unmodified(
    fake_server: LiveServer, fake: Any, auth_kind: str
) -> None:
    host = f"127.0.0.1:{fake_server.server.port}"
    auth = (
        AppSyncApiKeyAuthentication(host=host, api_key=API_KEY)
        if auth_kind == "api_key"
        else AppSyncJWTAuthentication(host=host, jwt="user-gql")
    )

    async def scenario() -> list[dict[str, Any]]:
        transport = AppSyncWebsocketsTransport(url=f"ws://{host}/graphql", auth=auth)
        got: list[dict[str, Any]] = []
        async with Client(transport=transport) as session:
            subscription = session.subscribe(
                gql('subscription { onItem(shelfId: "s1") { id label } }')
            )

            async def produce() -> None:
                while not got:
                    await add(fake_server, "id shelfId label", shelfId="s1", label="from gql")
                    await asyncio.sleep(0.2)

            producer = asyncio.create_task(produce())
            async with aclosing(subscription):
                async for result in subscription:
                    got.append(result)
                    break
            await producer
        return got

    (first,) = run(scenario())
    assert first["onItem"]["label"] == "from gql"


def test_graphql_transport_ws_with_gql(fake_server: LiveServer, fake: Any) -> None:
    async def scenario() -> None:
        transport = WebsocketsTransport(
            url=f"ws://127.0.0.1:{fake_server.server.port}/graphql",
            subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
            init_payload={"x-api-key": API_KEY},
        )
        async with Client(transport=transport) as session:
            # queries and mutations run on the socket too (and publish)
            assert await session.execute(gql('{ shelf(id: "s2") { name } }')) == {
                "shelf": {"name": "Garage"}
            }
            subscription = session.subscribe(
                gql('subscription { onItem(shelfId: "s2") { id label } }')
            )
            got: list[Any] = []

            async def produce() -> None:
                while not got:
                    await session.execute(
                        gql(
                            'mutation { addItem(input: {shelfId: "s2", label: "tws"}) { id '
                            "shelfId label } }"
                        )
                    )
                    await asyncio.sleep(0.2)

            producer = asyncio.create_task(produce())
            async with aclosing(subscription):
                async for result in subscription:
                    got.append(result)
                    break
            await producer
            assert got[0]["onItem"]["label"] == "tws"

    run(scenario())


CloseCheck = Callable[[Frames], Awaitable[None]]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("bad-credentials", 4403),
        ("subscribe-before-init", 4401),
        ("duplicate-id", 4409),
        ("second-init", 4429),
        ("invalid", 4400),
    ],
)
def test_graphql_transport_ws_protocol_errors(
    fake_server: LiveServer, fake: Any, name: str, code: int
) -> None:
    query = {"query": "subscription { onItem { id } }"}

    async def scenario() -> None:
        url = f"ws://127.0.0.1:{fake_server.server.port}/graphql"
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:
            frames = Frames(ws)
            if name == "bad-credentials":
                await frames.send(
                    {"type": "connection_init", "payload": {"x-api-key": "da2-wrong"}}
                )
            elif name == "subscribe-before-init":
                await frames.send({"type": "subscribe", "id": "1", "payload": query})
            else:
                await frames.send({"type": "connection_init", "payload": {"x-api-key": API_KEY}})
                assert await frames.next() == {"type": "connection_ack"}
                await frames.send({"type": "ping"})
                assert await frames.next() == {"type": "pong"}
                if name == "duplicate-id":
                    await frames.send({"type": "subscribe", "id": "1", "payload": query})
                    await frames.send({"type": "subscribe", "id": "1", "payload": query})
                elif name == "second-init":
                    await frames.send({"type": "connection_init", "payload": {}})
                else:
                    await ws.send("[]")
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == code

    run(scenario())
