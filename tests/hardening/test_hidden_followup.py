"""Hidden writing holds for the follow-through: a group's title and an action's `who` are text.

On a board that hides texts while writing and counts while voting, through the local AppSync,
with a participant listening to onNoteUpdated, onGroupChanged and onVersionChanged over the
realtime protocol: a group titled and an action named before the stage goes back to WRITE, and
an action named during WRITE, reach nobody while texts are hidden — not in an answer, not in a
realtime frame; grouping is refused then (naming the stage). While the secret ballot hides
counts, neither a group's sum nor the trend's vote total shows them. In DISCUSS one read shows
it all.
"""

import asyncio
import json
from typing import Any

import websockets

from tests.appsync_realtime import Frames, appsync_url, start
from tests.conftest import LiveServer

from .conftest import User, add_note, new_user, raw_request

NOTE = "id boardId text votes done who groupId"  # boardId: the subscriptions filter on it
GROUP = "id title votes noteIds"
PAGE = f"""query($b: ID!) {{
  board(id: $b) {{ currentVersion {{ stage notes {{ {NOTE} }} groups {{ {GROUP} }} }} }}
  trend(boardId: $b) {{ versions {{ votesCast actionsDone }} }} }}"""
SUBSCRIPTIONS = {
    "onNoteUpdated": f"subscription($b: ID!) {{ onNoteUpdated(boardId: $b) {{ {NOTE} }} }}",
    "onGroupChanged": f"subscription($b: ID!) {{ onGroupChanged(boardId: $b) {{ {GROUP} }} }}",
    "onVersionChanged": f"""subscription($b: ID!) {{ onVersionChanged(boardId: $b) {{
      id stage notes {{ {NOTE} }} }} }}""",
}
SECRETS = ("Title Before", "Named Before", "Named While Hidden")


def _post(server: LiveServer, user: User, query: str, **variables: Any) -> tuple[dict, str]:
    body = json.dumps({"query": query, "variables": variables}).encode()
    headers = {"content-type": "application/json", "authorization": user.token}
    response = raw_request(server, body, headers)
    assert response.status == 200, response.text
    return response.json(), response.text


def _stage(server: LiveServer, owner: User, board: str, stage: str) -> str:
    answer, text = _post(
        server,
        owner,
        f"mutation($b: ID!, $s: Stage!) {{ setStage(input: {{boardId: $b, stage: $s}}) {{ "
        f"id boardId stage notes {{ {NOTE} }} }} }}",
        b=board,
        s=stage,
    )
    assert not answer.get("errors"), answer
    return text


def test_group_titles_and_who_stay_hidden_while_texts_are(live_server: LiveServer) -> None:
    owner, member = new_user(live_server, "Fac"), new_user(live_server, "Pat")
    answer, _ = _post(
        live_server,
        owner,
        """mutation { createBoard(input: {title: "Hidden", settings: {hideWhileWriting: true,
          secretBallot: true}}) { id } }""",
    )
    board = answer["data"]["createBoard"]["id"]
    good = add_note(live_server, owner.token, board, "went well")
    action = add_note(live_server, owner.token, board, "do it", "ACTION")
    grouped, _ = _post(
        live_server,
        owner,
        "mutation($b: ID!, $n: ID!) { groupNotes(input: {boardId: $b, noteIds: [$n], title: "
        '"Title Before"}) { id } }',
        b=board,
        n=good,
    )
    group = grouped["data"]["groupNotes"]["id"]
    update_action = f"""mutation($b: ID!, $n: ID!, $w: String) {{ updateAction(input:
      {{boardId: $b, id: $n, who: $w}}) {{ {NOTE} }} }}"""
    _post(live_server, owner, update_action, b=board, n=action, w="Named Before")

    async def hidden_phase() -> list[str]:
        """Everything the participant receives while the board is in WRITE."""
        received: list[str] = []
        auth = {"host": f"127.0.0.1:{live_server.server.port}", "Authorization": member.token}
        url = appsync_url(live_server, auth, path="/graphql/realtime")
        async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
            frames = Frames(ws)
            await frames.send({"type": "connection_init"})
            assert (await frames.next())["type"] == "connection_ack"
            for field, query in SUBSCRIPTIONS.items():
                await frames.send(start(field, query, {"b": board}, auth=auth))
                assert (await frames.next()) == {"type": "start_ack", "id": field}
            received.append(_stage(live_server, owner, board, "WRITE"))
            answer, text = await asyncio.to_thread(
                _post, live_server, member, update_action, b=board, n=action, w="Named While Hidden"
            )
            received.append(text)
            assert answer["data"]["updateAction"]["who"] is None, answer
            for document, variables in (
                (
                    "mutation($b: ID!, $n: ID!) { groupNotes(input: {boardId: $b, noteIds: [$n], "
                    'title: "Refused"}) { id } }',
                    {"b": board, "n": action},
                ),
                (
                    "mutation($b: ID!, $g: ID!) { renameGroup(input: {boardId: $b, id: $g, "
                    'title: "Refused"}) { id } }',
                    {"b": board, "g": group},
                ),
                (
                    "mutation($b: ID!, $n: ID!) { ungroupNote(input: {boardId: $b, noteId: $n}) "
                    "{ id title } }",
                    {"b": board, "n": good},
                ),
            ):
                answer, text = await asyncio.to_thread(
                    _post, live_server, member, document, **variables
                )
                received.append(text)
                (error,) = answer["errors"]
                assert error["errorType"] == "ConflictError", answer
                assert error["message"].endswith("the board is in WRITE"), answer
            page, text = await asyncio.to_thread(_post, live_server, member, PAGE, b=board)
            received.append(text)
            version = page["data"]["board"]["currentVersion"]
            assert [g["title"] for g in version["groups"]] == [None]
            assert {n["id"]: n["who"] for n in version["notes"]} == {good: None, action: None}
            for _ in range(2):  # the stage change and the action's update
                frame = await frames.next(timeout=10)
                assert frame["type"] == "data", frame
                received.append(json.dumps(frame))
            await frames.nothing(0.5)  # the refused writes sent nothing
        return received

    hidden = asyncio.run(asyncio.wait_for(hidden_phase(), 60))
    assert len(hidden) == 8
    for text in hidden:
        for secret in SECRETS:
            assert secret not in text, (secret, text[:300])

    # VOTE with the secret ballot: no sum, no total
    _stage(live_server, owner, board, "VOTE")
    _post(
        live_server,
        member,
        "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { id } }",
        b=board,
        n=good,
    )
    page, text = _post(live_server, member, PAGE, b=board)
    assert page["data"]["board"]["currentVersion"]["groups"][0]["votes"] is None
    assert page["data"]["trend"]["versions"][0]["votesCast"] is None

    # DISCUSS: one read shows it all
    _stage(live_server, owner, board, "DISCUSS")
    page, _ = _post(live_server, member, PAGE, b=board)
    version = page["data"]["board"]["currentVersion"]
    assert version["groups"] == [
        {"id": group, "title": "Title Before", "votes": 1, "noteIds": [good]}
    ]
    assert {n["id"]: n["who"] for n in version["notes"]} == {
        good: None,
        action: "Named While Hidden",
    }
    assert page["data"]["trend"]["versions"][0]["votesCast"] == 1
