"""Defects the hardening suite found, each pinned by a test named after what it broke.

Every one of these was a reachable server failure (HTTP 500 with a masked `InternalFailure`, or a
realtime connection closed with 1011) caused by client input alone.
"""

import asyncio
import json
from typing import Any

import pytest
import websockets

from tests.appsync_realtime import Frames, appsync_url, start
from tests.conftest import LiveServer

from .conftest import User, create_board, new_user, raw_request

NESTED_ARRAY = "[" * 100_000 + "]" * 100_000  # deeper than Python's JSON decoder can recurse


@pytest.fixture(scope="module")
def user(live_server: LiveServer) -> User:
    return new_user(live_server, "Regressions")


def test_deeply_nested_json_body_is_a_malformed_request_not_a_server_failure(
    live_server: LiveServer, user: User
) -> None:
    headers = {"content-type": "application/json", "authorization": user.token}
    bodies = [
        NESTED_ARRAY.encode(),
        b'{"query": "{ me { id } }", "variables": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ]
    for body in bodies:
        response = raw_request(live_server, body, headers)
        assert response.status == 400, response.text
        assert response.json() == {
            "errors": [
                {
                    "errorType": "MalformedHttpRequestException",
                    "message": "The request body is not valid JSON.",
                }
            ]
        }


def test_subscription_sent_over_http_is_refused_not_a_server_failure(
    live_server: LiveServer, user: User
) -> None:
    board = create_board(live_server, user.token)
    response = live_server.post(
        "subscription($b: ID!) { onNoteAdded(boardId: $b) { id } }", {"b": board}, token=user.token
    )
    assert response.status == 200, response.body
    assert response.body["data"] is None
    (error,) = response.body["errors"]
    assert error["errorType"] == "UnsupportedOperation"
    assert "realtime" in error["message"]


def test_deeply_nested_realtime_frames_get_appsyncs_error_not_a_closed_connection(
    live_server: LiveServer, user: User
) -> None:
    board = create_board(live_server, user.token)
    auth = {"host": "local", "Authorization": user.token}

    async def scenario() -> None:
        url = appsync_url(live_server, auth)
        async with websockets.connect(url, subprotocols=["graphql-ws"], max_size=None) as ws:
            frames = Frames(ws)
            await ws.send(NESTED_ARRAY)  # the frame itself
            frame = await frames.next()
            assert frame["type"] == "error"
            assert frame["payload"]["errors"][0]["errorType"] == "UnsupportedOperation"
            await frames.send(  # the JSON string inside a start
                {
                    "type": "start",
                    "id": "deep",
                    "payload": {"data": NESTED_ARRAY, "extensions": {"authorization": auth}},
                }
            )
            frame = await frames.next()
            assert (frame["type"], frame["id"]) == ("error", "deep")
            assert frame["payload"]["errors"][0]["errorType"] == "BadRequestException"
            # the connection still serves
            query = "subscription($b: ID!) { onNoteAdded(boardId: $b) { id } }"
            await frames.send(start("ok", query, {"b": board}, auth=auth))
            assert await frames.next() == {"type": "start_ack", "id": "ok"}

    asyncio.run(asyncio.wait_for(scenario(), 30))


def test_deeply_nested_graphql_transport_ws_frame_closes_4400_not_1011(
    live_server: LiveServer,
) -> None:
    async def scenario() -> Any:
        url = f"ws://127.0.0.1:{live_server.server.port}/graphql"
        async with websockets.connect(
            url, subprotocols=["graphql-transport-ws"], max_size=None
        ) as ws:
            await ws.send(
                json.dumps({"type": "connection_init", "payload": live_server.public_headers})
            )
            assert json.loads(await ws.recv()) == {"type": "connection_ack"}
            await ws.send(NESTED_ARRAY)
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
            return closed.value.rcvd

    received = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert received is not None and received.code == 4400


def test_embedded_dynamodb_transactions_roll_back_with_item_level_backups(
    live_server: LiveServer,
) -> None:
    """Each transaction of the embedded DynamoDB deep-copied the whole table (a write cost that
    grew with everything stored: 1,000 notes took minutes). It now backs up only the items it
    touches; a failed transaction must still leave every one of them as it was."""
    import boto3

    client = boto3.client(
        "dynamodb",
        endpoint_url=live_server.dynamodb_endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    name = "rollback-check"
    client.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pid", "KeyType": "HASH"},
            {"AttributeName": "cid", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pid", "AttributeType": "S"},
            {"AttributeName": "cid", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    try:

        def key(cid: str) -> dict[str, Any]:
            return {"pid": {"S": "P"}, "cid": {"S": cid}}

        client.put_item(TableName=name, Item={**key("a"), "n": {"N": "1"}})
        client.put_item(TableName=name, Item={**key("b"), "n": {"N": "2"}})
        before = client.query(
            TableName=name,
            KeyConditionExpression="pid = :p",
            ExpressionAttributeValues={":p": {"S": "P"}},
        )["Items"]
        writes = [
            {
                "Update": {
                    "TableName": name,
                    "Key": key("a"),
                    "UpdateExpression": "SET n = n + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
            {"Delete": {"TableName": name, "Key": key("b")}},
            {"Put": {"TableName": name, "Item": {**key("c"), "n": {"N": "3"}}}},
        ]
        failing = {
            "ConditionCheck": {
                "TableName": name,
                "Key": key("zzz"),
                "ConditionExpression": "attribute_exists(pid)",
            }
        }
        with pytest.raises(client.exceptions.TransactionCanceledException):
            client.transact_write_items(TransactItems=[*writes, failing])
        after = client.query(
            TableName=name,
            KeyConditionExpression="pid = :p",
            ExpressionAttributeValues={":p": {"S": "P"}},
        )["Items"]
        assert after == before  # the update, the delete and the put were all undone
        client.transact_write_items(TransactItems=writes)  # and without the failing check:
        applied = client.query(
            TableName=name,
            KeyConditionExpression="pid = :p",
            ExpressionAttributeValues={":p": {"S": "P"}},
        )["Items"]
        assert {(i["cid"]["S"], i["n"]["N"]) for i in applied} == {("a", "2"), ("c", "3")}
    finally:
        client.delete_table(TableName=name)


def test_subscriber_selecting_a_field_the_mutation_did_not_is_told_so_not_an_internal_failure(
    live_server: LiveServer, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    """AppSync sends subscribers the mutation's selection set: a non-null field the mutation
    did not select is null, which GraphQL reports as a non-null violation. That is the
    client's selection, not a server failure: it was masked as `InternalFailure` and logged as
    an internal failure with a stack trace."""
    board = create_board(live_server, user.token)
    auth = {"host": "local", "Authorization": user.token}

    async def scenario() -> dict[str, Any]:
        url = appsync_url(live_server, auth)
        async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
            frames = Frames(ws)
            # (`column`: `text` is nullable, null while a stage hides it)
            query = "subscription($b: ID!) { onNoteAdded(boardId: $b) { id column } }"
            await frames.send(start("s", query, {"b": board}, auth=auth))
            assert await frames.next() == {"type": "start_ack", "id": "s"}
            await asyncio.to_thread(
                live_server.data,
                'mutation($b: ID!) { addNote(input: {boardId: $b, column: GOOD, text: "t"}) '
                "{ id boardId } }",  # column not selected
                {"b": board},
                token=user.token,
            )
            return await frames.next()

    with caplog.at_level("ERROR", logger="appsync_local"):
        frame = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert frame["type"] == "data" and frame["payload"]["data"] == {"onNoteAdded": None}
    (error,) = frame["payload"]["errors"]
    assert error["errorType"] != "InternalFailure", error
    assert error["message"] == "Cannot return null for non-nullable field Note.column."
    assert error["path"] == ["onNoteAdded", "column"]
    assert not [r for r in caplog.records if "internal failure" in r.getMessage()]


def test_an_id_with_a_trailing_newline_is_refused_as_invalid(
    live_server: LiveServer, user: User
) -> None:
    """`^…$` let "<a valid id>\\n" through the id check (`$` also matches before a final
    newline), so it went on to the table as a key instead of being refused as invalid."""
    board = create_board(live_server, user.token)
    for query in (
        "query($b: ID!) { participation(boardId: $b) { boardId } }",
        "query($b: ID!) { board(id: $b) { id } }",
    ):
        response = live_server.post(query, {"b": board + "\n"}, token=user.token)
        (error,) = response.body["errors"]
        assert error["errorType"] == "BadInputError", error
        assert error["message"].endswith(": is not a valid id"), error
