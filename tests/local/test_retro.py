"""Retro's own API on the local AppSync: the real schema, resolver map and handlers."""

import asyncio
import json
from contextlib import aclosing
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.appsync_auth import AppSyncJWTAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport

from retro.store import record_requests
from tests.conftest import LiveServer

NOTE = "id boardId versionId column text votes createdAt updatedAt"
VERSION = "id boardId number title createdAt frozenAt"
BOARD_PAGE = f"""query BoardPage($id: ID!) {{
  board(id: $id) {{
    id title createdAt updatedAt settings {{ voteBudget }}
    currentVersion {{ {VERSION} notes {{ {NOTE} }} }}
    versions(limit: 100) {{ items {{ {VERSION} }} nextToken }}
  }}
  participation(boardId: $id) {{
    boardId versionId isOwner voteBudget votesUsed votesLeft myVotes {{ noteId count }} myNoteIds
  }}
}}"""
COLUMNS = ("GOOD", "BAD", "ACTION")


def _board(server: LiveServer, token: str, title: str = "Retro") -> str:
    data = server.data(
        "mutation($i: CreateBoardInput!) { createBoard(input: $i) { id } }",
        {"i": {"title": title, "settings": {"voteBudget": 3}}},
        token=token,
    )
    return str(data["createBoard"]["id"])


def _add_notes(server: LiveServer, token: str, board: str, count: int) -> None:
    """Add notes through the API, 50 per request (aliased mutation fields)."""
    for start in range(0, count, 50):
        fields = " ".join(
            f'n{i}: addNote(input: {{boardId: "{board}", column: {COLUMNS[i % 3]}, text: "note '
            f'{i}"}}) {{ id }}'
            for i in range(start, min(count, start + 50))
        )
        server.data(f"mutation {{ {fields} }}", token=token)


@pytest.mark.parametrize("notes", [10, 200])  # 200: MAX_NOTES_PER_VERSION
def test_board_page_in_one_request_is_cheap(live_server: LiveServer, notes: int) -> None:
    token, _ = live_server.create_user("Owner")
    board = _board(live_server, token)
    _add_notes(live_server, token, board, notes)
    live_server.data("{ me { id } }", token=token)  # the authorizer's answer is now cached
    before = live_server.invocations()
    with record_requests() as log:
        response = live_server.post(BOARD_PAGE, {"id": board}, token=token)
    assert not response.body.get("errors"), response.body
    page = response.body["data"]
    assert len(page["board"]["currentVersion"]["notes"]) == notes
    assert page["participation"]["isOwner"] is True
    assert [v["number"] for v in page["board"]["versions"]["items"]] == [1]
    spent = live_server.invocations() - before
    assert sum(spent.values()) <= 2, spent
    assert log.sequential == 2, log.calls  # the page and participation: two rounds each


def test_every_mutation_through_the_local_appsync(live_server: LiveServer) -> None:
    owner, _ = live_server.create_user("Owner")
    guest, _ = live_server.create_user("Guest")
    board = _board(live_server, owner, "Sprint 1")
    updated = live_server.data(
        'mutation($b: ID!) { updateBoard(input: {id: $b, title: "Sprint 1b", settings: '
        "{voteBudget: 4}}) { title settings { voteBudget } } }",
        {"b": board},
        token=owner,
    )
    assert updated == {"updateBoard": {"title": "Sprint 1b", "settings": {"voteBudget": 4}}}
    note = live_server.data(
        'mutation($b: ID!) { addNote(input: {boardId: $b, column: ACTION, text: "ship it"}) { id '
        "votes } }",
        {"b": board},
        token=guest,
    )["addNote"]
    assert note["votes"] == 0
    args = {"b": board, "n": note["id"]}
    edited = live_server.data(
        'mutation($b: ID!, $n: ID!) { updateNote(input: {boardId: $b, id: $n, text: "ship it '
        'now"}) { text } }',
        args,
        token=guest,
    )
    assert edited == {"updateNote": {"text": "ship it now"}}
    assert live_server.data(
        "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { votes } }", args, token=owner
    ) == {"vote": {"votes": 1}}
    assert live_server.data(
        "mutation($b: ID!, $n: ID!) { unvote(boardId: $b, noteId: $n) { votes } }",
        args,
        token=owner,
    ) == {"unvote": {"votes": 0}}
    version = live_server.data(
        'mutation($b: ID!) { startNewVersion(input: {boardId: $b, title: "Sprint 2"}) { number '
        "title notes { text } } }",
        {"b": board},
        token=owner,
    )["startNewVersion"]
    assert version["number"] == 2 and version["title"] == "Sprint 2"
    assert [n["text"] for n in version["notes"]] == ["ship it now"]  # open actions carry over
    carried = version["notes"]
    assert carried
    second = live_server.data(
        'mutation($b: ID!) { addNote(input: {boardId: $b, column: BAD, text: "late"}) { id } }',
        {"b": board},
        token=guest,
    )["addNote"]["id"]
    deleted = live_server.data(
        "mutation($b: ID!, $n: ID!) { deleteNote(boardId: $b, id: $n) { id } }",
        {"b": board, "n": second},
        token=guest,
    )
    assert deleted == {"deleteNote": {"id": second}}
    # owner-only, refused for the guest with the domain's error
    refused = live_server.post(
        "mutation($b: ID!) { deleteBoard(id: $b) { id } }", {"b": board}, token=guest
    )
    assert refused.body["data"] == {"deleteBoard": None}
    assert refused.body["errors"][0]["errorType"] == "ForbiddenError"
    assert live_server.data(
        "mutation($b: ID!) { deleteBoard(id: $b) { id } }", {"b": board}, token=owner
    ) == {"deleteBoard": {"id": board}}
    assert live_server.data(
        "query($b: ID!) { board(id: $b) { id } }", {"b": board}, token=owner
    ) == {"board": None}


def test_the_anonymous_credential_may_only_create_users(live_server: LiveServer) -> None:
    """AWS_LAMBDA is the only mode: `anonymous` makes a user; every other field is denied."""
    created = live_server.post('mutation { createUser(name: "A") { token user { id } } }')
    assert created.status == 200 and created.body["data"]["createUser"]["token"]
    response = live_server.post('mutation { createBoard(input: {title: "x"}) { id } }')
    assert response.body["data"] is None
    assert response.body["errors"][0]["message"] == (
        "Not Authorized to access createBoard on type Mutation"
    )
    assert response.body["errors"][0]["errorType"] == "Unauthorized"
    # A user token may not make a second user.
    token = created.body["data"]["createUser"]["token"]
    again = live_server.post('mutation { createUser(name: "B") { token } }', token=token)
    assert again.body["errors"][0]["errorType"] == "Unauthorized"
    # There is no API key; a token of neither shape never reaches the authorizer.
    before = live_server.invocations()["authorizer"]
    for headers in ({"x-api-key": "da2-abcdefghijklmnopqrstuvwxyz"}, {"authorization": "Anon"}):
        refused = live_server.post("{ me { id } }", headers=headers)
        assert refused.status == 401, refused.body
        assert refused.body["errors"][0]["errorType"] == "UnauthorizedException"
    assert live_server.invocations()["authorizer"] == before


def test_notes_reach_gql_appsync_subscribers(live_server: LiveServer) -> None:
    token, _ = live_server.create_user("Watcher")
    board = _board(live_server, token)
    host = f"127.0.0.1:{live_server.server.port}"

    async def scenario() -> list[Any]:
        transport = AppSyncWebsocketsTransport(
            url=f"ws://{host}/graphql", auth=AppSyncJWTAuthentication(host=host, jwt=token)
        )
        got: list[Any] = []
        async with Client(transport=transport) as session:
            subscription = session.subscribe(
                GraphQLRequest(
                    "subscription($b: ID!) { onNoteAdded(boardId: $b) { id boardId text column } }",
                    variable_values={"b": board},
                )
            )

            async def produce() -> None:
                while not got:
                    await asyncio.to_thread(
                        live_server.data,
                        "mutation($b: ID!) { addNote(input: {boardId: $b, column: GOOD, text: "
                        '"live"}) { id boardId text column } }',
                        {"b": board},
                        token=token,
                    )
                    await asyncio.sleep(0.3)

            producer = asyncio.create_task(produce())
            async with aclosing(subscription):
                async for result in subscription:
                    got.append(result)
                    break
            await producer
        return got

    (first,) = asyncio.run(asyncio.wait_for(scenario(), 60))
    assert first["onNoteAdded"]["text"] == "live"
    assert first["onNoteAdded"]["boardId"] == board


def test_config_json_has_exactly_the_two_urls(live_server: LiveServer) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/config.json", timeout=10) as answer:
        config = json.loads(answer.read())
    assert config == {
        "graphqlUrl": live_server.graphql_url,
        "realtimeUrl": live_server.realtime_url,
    }
