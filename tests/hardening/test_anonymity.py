"""Anonymity: in a whole meeting, nobody receives anything that identifies anybody else.

Three people hold a retro over the local AppSync — the owner and two participants — with notes,
votes, edits, a refused edit, a deleted note, a note the owner removes (moderation), the
meeting's stage and timer, an action ticked off and named, notes grouped, a group renamed and a
note taken out of it, the trend, a rename, a new version, exports in every format and finally the
board's deletion, while each of them listens to all eight subscriptions of the board over
AppSync's realtime protocol. Every HTTP answer (headers and body) and every
realtime frame is recorded with its receiver; afterwards each is scanned for the user id, the
token, the token's secret part and the SHA-256 of either (what the table stores) of every
user other than the receiver. None may appear anywhere.
"""

import asyncio
import json
from collections import defaultdict
from typing import Any

import graphql
import websockets

from tests.appsync_realtime import Frames, appsync_url, start
from tests.conftest import LiveServer

from .conftest import User, raw_request

NOTE = (
    "id boardId versionId column text votes createdAt updatedAt"
    " done who carriedFrom carriedCount groupId"
)
GROUP = "id boardId versionId column title votes noteIds"
MEETING = """stage textsHidden votesHidden
  timer { endsAt remainingMs durationSeconds advances running ended }"""
BOARD = f"""id title createdAt updatedAt settings {{ voteBudget hideWhileWriting secretBallot }}
  currentVersion {{ id boardId number title createdAt frozenAt {MEETING} notes {{ {NOTE} }}
    groups {{ {GROUP} }} }}
  versions(limit: 20) {{ items {{ id number frozenAt notes {{ {NOTE} }} }} nextToken }}"""
PAGE = f"""query($b: ID!) {{
  board(id: $b) {{ {BOARD}
    version(number: 1) {{ id notes {{ {NOTE} }}
      md: export(format: MARKDOWN) csv: export(format: CSV) json: export(format: JSON) }} }}
  participation(boardId: $b) {{ boardId versionId isOwner voteBudget votesUsed votesLeft
    myVotes {{ noteId count }} myNoteIds myNotes {{ id column text }} }}
  me {{ id name createdAt boards(limit: 100) {{ items {{ id title }} nextToken }} }}
  trend(boardId: $b) {{ boardId versions {{ versionId number title goodNotes badNotes actionNotes
    votesCast actionsOpened actionsCarried actionsDone actionsOpen oldestOpenActionAge }} }}
}}"""
SUBSCRIPTIONS = {
    "onNoteAdded": f"subscription($b: ID!) {{ onNoteAdded(boardId: $b) {{ {NOTE} }} }}",
    "onNoteUpdated": f"subscription($b: ID!) {{ onNoteUpdated(boardId: $b) {{ {NOTE} }} }}",
    "onNoteDeleted": f"subscription($b: ID!) {{ onNoteDeleted(boardId: $b) {{ {NOTE} }} }}",
    "onBoardUpdated": f"subscription($b: ID!) {{ onBoardUpdated(id: $b) {{ {BOARD} }} }}",
    "onBoardDeleted": "subscription($b: ID!) { onBoardDeleted(id: $b) { id title } }",
    "onVersionStarted": """subscription($b: ID!) { onVersionStarted(boardId: $b) {
      id boardId number title notes { id text votes } } }""",
    "onVersionChanged": f"""subscription($b: ID!) {{ onVersionChanged(boardId: $b) {{
      id boardId number {MEETING} notes {{ {NOTE} }} }} }}""",
    "onGroupChanged": f"subscription($b: ID!) {{ onGroupChanged(boardId: $b) {{ {GROUP} }} }}",
}
# Which subscription each mutation fires (AppSync's @aws_subscribe in the schema).
FIRES = {
    "addNote": "onNoteAdded",
    "updateNote": "onNoteUpdated",
    "vote": "onNoteUpdated",
    "unvote": "onNoteUpdated",
    "deleteNote": "onNoteDeleted",
    "updateBoard": "onBoardUpdated",
    "deleteBoard": "onBoardDeleted",
    "startNewVersion": "onVersionStarted",
    "setStage": "onVersionChanged",
    "startTimer": "onVersionChanged",
    "extendTimer": "onVersionChanged",
    "stopTimer": "onVersionChanged",
    "updateAction": "onNoteUpdated",
    "groupNotes": "onGroupChanged",
    "renameGroup": "onGroupChanged",
    "ungroupNote": "onGroupChanged",
}


def root_fields(query: str) -> list[str]:
    """The root fields of a mutation document (none for a query)."""
    (operation,) = graphql.parse(query).definitions
    assert isinstance(operation, graphql.OperationDefinitionNode)
    if operation.operation is not graphql.OperationType.MUTATION:
        return []
    return [
        s.name.value for s in operation.selection_set.selections if isinstance(s, graphql.FieldNode)
    ]


class Meeting:
    """Everyone's traffic, recorded per receiver."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.received: dict[str, list[str]] = defaultdict(list)  # receiver name -> texts
        self.users: dict[str, User] = {}
        self.board = ""
        self.expected_events = 0  # data frames every listener must get

    async def http(self, name: str | None, query: str, variables: dict[str, Any]) -> Any:
        """A request as `name` (None: anonymously); its answer is recorded for `name`."""
        headers = {"content-type": "application/json"}
        if name in self.users:
            headers["authorization"] = self.users[name].token
        else:
            headers.update(self.server.public_headers)
        body = json.dumps({"query": query, "variables": variables}).encode()
        response = await asyncio.to_thread(raw_request, self.server, body, headers)
        assert response.status == 200, response.text
        return response, json.dumps(response.headers) + response.text

    async def call(self, name: str, query: str, **variables: Any) -> Any:
        response, text = await self.http(name, query, variables)
        self.received[name].append(text)
        answer = response.json()
        assert not answer.get("errors"), answer
        # a null answer (a vote in a secret ballot) is sent to no subscriber
        fired = [f for f in root_fields(query) if f in FIRES and answer["data"][f] is not None]
        self.expected_events += len(fired)
        return answer["data"]

    async def refused(self, name: str, error_type: str, query: str, **variables: Any) -> None:
        response, text = await self.http(name, query, variables)
        self.received[name].append(text)
        assert response.json()["errors"][0]["errorType"] == error_type, response.text

    async def join(self, name: str) -> None:
        query = "mutation($n: String) { createUser(name: $n) { token user { id name createdAt } } }"
        response, text = await self.http(None, query, {"n": name})
        session = response.json()["data"]["createUser"]
        self.users[name] = User(session["token"], session["user"]["id"])
        self.received[name].append(text)  # the answer carries the new user's own secrets only

    async def listen(self, name: str, ready: asyncio.Event, done: asyncio.Event) -> int:
        """Subscribe `name` to every subscription of the board; record every frame."""
        auth = {
            "host": f"127.0.0.1:{self.server.server.port}",
            "Authorization": self.users[name].token,
        }
        url = appsync_url(self.server, auth, path="/graphql/realtime")
        events = 0
        async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
            frames = Frames(ws)

            async def receive() -> dict[str, Any]:
                frame = await frames.next(keepalive=True, timeout=30)
                self.received[name].append(json.dumps(frame, ensure_ascii=False))
                return frame

            await frames.send({"type": "connection_init"})
            assert (await receive())["type"] == "connection_ack"
            for field, query in SUBSCRIPTIONS.items():
                await frames.send(start(field, query, {"b": self.board}, auth=auth))
                frame = await receive()
                while frame["type"] == "ka":
                    frame = await receive()
                assert frame == {"type": "start_ack", "id": field}, frame
            ready.set()
            while not (done.is_set() and events >= self.expected_events):
                try:
                    frame = await asyncio.wait_for(receive(), 0.5)
                except TimeoutError:
                    continue
                if frame["type"] == "data":
                    events += 1
        return events


def test_nobody_receives_anything_identifying_anybody_else(live_server: LiveServer) -> None:
    meeting = Meeting(live_server)

    async def scenario() -> list[int]:
        for name in ("owner", "bea", "cy"):
            await meeting.join(name)
        created = await meeting.call(
            "owner",
            "mutation($t: String!) { createBoard(input: {title: $t}) { id title } }",
            t="Sprint 7",
        )
        meeting.board = created["createBoard"]["id"]
        board = meeting.board
        done = asyncio.Event()
        readiness = {name: asyncio.Event() for name in meeting.users}
        listeners = [
            asyncio.create_task(meeting.listen(name, readiness[name], done))
            for name in meeting.users
        ]
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in readiness.values())), 30)

        add = f"""mutation($b: ID!, $c: Column!, $t: String!) {{
          addNote(input: {{boardId: $b, column: $c, text: $t}}) {{ {NOTE} }} }}"""
        notes: dict[str, list[str]] = defaultdict(list)
        for name, column, text in [
            ("bea", "GOOD", "pairing worked"),
            ("bea", "BAD", "flaky deploys"),
            ("cy", "BAD", "too many meetings"),
            ("cy", "ACTION", "fix the pipeline"),
            ("owner", "GOOD", "shipped on time"),
        ]:
            data = await meeting.call(name, add, b=board, c=column, t=text)
            notes[name].append(data["addNote"]["id"])

        vote = f"mutation($b: ID!, $n: ID!) {{ vote(boardId: $b, noteId: $n) {{ {NOTE} }} }}"
        unvote = f"mutation($b: ID!, $n: ID!) {{ unvote(boardId: $b, noteId: $n) {{ {NOTE} }} }}"
        for name, note in [
            ("owner", notes["bea"][0]),
            ("cy", notes["bea"][0]),
            ("cy", notes["bea"][0]),
            ("bea", notes["cy"][1]),
            ("owner", notes["cy"][1]),
        ]:
            await meeting.call(name, vote, b=board, n=note)
        await meeting.call("cy", unvote, b=board, n=notes["bea"][0])

        edit = f"""mutation($b: ID!, $n: ID!, $t: String, $c: Column) {{
          updateNote(input: {{boardId: $b, id: $n, text: $t, column: $c}}) {{ {NOTE} }} }}"""
        await meeting.call("bea", edit, b=board, n=notes["bea"][1], t="deploys flaky on Fridays")
        await meeting.call("cy", edit, b=board, n=notes["cy"][0], c="GOOD")
        # refused attempts answer without saying whose the note is
        await meeting.refused(
            "bea", "ForbiddenError", edit, b=board, n=notes["cy"][1], t="mine now"
        )
        await meeting.refused("owner", "ConflictError", unvote, b=board, n=notes["owner"][0])
        # the follow-through: anyone ticks an action off and names who; anyone groups notes
        await meeting.call(
            "bea",
            f"""mutation($b: ID!, $n: ID!) {{ updateAction(input: {{boardId: $b, id: $n,
              done: true, who: "Dee"}}) {{ {NOTE} }} }}""",
            b=board,
            n=notes["cy"][1],
        )
        grouped = await meeting.call(
            "cy",
            f"""mutation($b: ID!, $n: [ID!]!) {{ groupNotes(input: {{boardId: $b, noteIds: $n,
              title: "Delivery"}}) {{ {GROUP} }} }}""",
            b=board,
            n=[notes["bea"][0], notes["owner"][0]],
        )
        group = grouped["groupNotes"]["id"]
        await meeting.call(
            "bea",
            f"""mutation($b: ID!, $g: ID!) {{ renameGroup(input: {{boardId: $b, id: $g,
              title: "Shipping"}}) {{ {GROUP} }} }}""",
            b=board,
            g=group,
        )
        await meeting.call(
            "owner",
            f"""mutation($b: ID!, $n: ID!) {{ ungroupNote(input: {{boardId: $b, noteId: $n}}) {{
              {GROUP} }} }}""",
            b=board,
            n=notes["owner"][0],
        )
        delete = f"mutation($b: ID!, $n: ID!) {{ deleteNote(boardId: $b, id: $n) {{ {NOTE} }} }}"
        await meeting.refused("cy", "ForbiddenError", delete, b=board, n=notes["bea"][1])
        await meeting.call("bea", delete, b=board, n=notes["bea"][1])
        await meeting.call("owner", delete, b=board, n=notes["cy"][1])  # moderation

        for name in meeting.users:
            await meeting.call(name, PAGE, b=board)
        await meeting.call(
            "owner",
            f"""mutation($b: ID!, $t: String) {{
              updateBoard(input: {{id: $b, title: $t}}) {{ {BOARD} }} }}""",
            b=board,
            t="Sprint 7 (done)",
        )
        # the meeting: stages and the timer, on a board that now hides texts and counts
        version = f"id boardId number {MEETING} notes {{ {NOTE} }}"
        await meeting.call(
            "owner",
            """mutation($b: ID!) { updateBoard(input: {id: $b,
              settings: {hideWhileWriting: true, secretBallot: true}}) { id } }""",
            b=board,
        )
        for document in (
            f"""mutation($b: ID!) {{ setStage(input: {{boardId: $b, stage: WRITE}}) {{
              {version} }} }}""",
            f"""mutation($b: ID!) {{ startTimer(input: {{boardId: $b, seconds: 300,
              advance: true}}) {{ {version} }} }}""",
            f"mutation($b: ID!) {{ extendTimer(boardId: $b, seconds: 60) {{ {version} }} }}",
            f"mutation($b: ID!) {{ stopTimer(boardId: $b) {{ {version} }} }}",
        ):
            await meeting.call("owner", document, b=board)
        await meeting.call("bea", add, b=board, c="GOOD", t="written unseen")
        await meeting.refused("cy", "ConflictError", vote, b=board, n=notes["bea"][0])
        await meeting.call(
            "owner",
            f"""mutation($b: ID!) {{ setStage(input: {{boardId: $b, stage: VOTE}}) {{
              {version} }} }}""",
            b=board,
        )
        await meeting.call("cy", vote, b=board, n=notes["owner"][0])

        await meeting.call(
            "owner",
            """mutation($b: ID!) { startNewVersion(input: {boardId: $b, title: "Sprint 8"}) {
              id boardId number title notes { id text votes } } }""",
            b=board,
        )
        await meeting.call("cy", add, b=board, c="BAD", t="still too many meetings")
        for name in meeting.users:
            await meeting.call(name, PAGE, b=board)  # version 1 is frozen now: read it again
        await meeting.call(
            "owner", "mutation($b: ID!) { deleteBoard(id: $b) { id title } }", b=board
        )
        done.set()
        return await asyncio.wait_for(asyncio.gather(*listeners), 60)

    events = asyncio.run(asyncio.wait_for(scenario(), 120))
    # every listener got every event (so the scan below covered them all)
    assert events == [meeting.expected_events] * 3, (events, meeting.expected_events)
    assert meeting.expected_events == 30  # the vote in the secret ballot fired nothing

    scanned = 0
    for receiver, texts in meeting.received.items():
        # the scan can see: each receiver did get its own id and token (createUser, `me`)
        assert any(meeting.users[receiver].id in t for t in texts[1:]), receiver
        assert meeting.users[receiver].token in texts[0], receiver
        others = [user for name, user in meeting.users.items() if name != receiver]
        for text in texts:
            scanned += 1
            for other in others:
                for secret in other.secrets:
                    assert secret not in text, (receiver, secret, text[:300])
    assert scanned >= 3 * (meeting.expected_events + 6)  # events + start_acks, per listener
    print(f"anonymity: {scanned} HTTP answers and realtime frames scanned")
