"""Hidden writing and the secret ballot, held on the wire: a guided retro, every byte recorded.

Three people — the facilitator (the board's owner) and two participants — run a guided retro
on a board that hides texts while writing and counts while voting, through the local AppSync
over HTTP, each listening to every subscription of the board over AppSync's realtime protocol.
Every HTTP answer (headers and body) and every realtime frame is recorded with its receiver and
the phase of the meeting it belongs to (a phase ends only once every listener has received
every event of it). Then:

- WRITE: no text of another person's note is in anything anyone received, and no realtime
  frame carries any note's text at all — not even to its author (AppSync sends a mutation's
  result to every subscriber): authors read their own texts on `Participation.myNotes`.
- the reveal (WRITE → VOTE): the stage change's own event carries every text, and one refetch
  of the board page gives every client every text.
- VOTE with the secret ballot: no vote count of any note is in anything anyone received, and a
  vote sends no frame at all (its answer is null: a frame would name the note voted on); each
  person sees their own votes on `Participation.myVotes`.
- the reveal (VOTE → DISCUSS): one refetch gives every client every count, right.
"""

import asyncio
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from tests.appsync_realtime import listen
from tests.conftest import LiveServer

from .conftest import User, raw_request

NOTE = "id boardId versionId column text votes createdAt updatedAt"
VERSION = f"""id boardId number stage textsHidden votesHidden
  timer {{ endsAt remainingMs durationSeconds advances running ended }} notes {{ {NOTE} }}"""
PAGE = f"""query($b: ID!) {{
  board(id: $b) {{ id title settings {{ voteBudget hideWhileWriting secretBallot }}
    currentVersion {{ {VERSION} }}
    versions(limit: 5) {{ items {{ id number notes {{ {NOTE} }} }} }} }}
}}"""
PARTICIPATION = """query($b: ID!) { participation(boardId: $b) {
  isOwner votesUsed votesLeft myVotes { noteId count } myNoteIds myNotes { id column text } } }"""
EXPORT = """query($b: ID!) { board(id: $b) { currentVersion { export(format: MARKDOWN) } } }"""
SUBSCRIPTIONS = {
    "onNoteAdded": f"subscription($b: ID!) {{ onNoteAdded(boardId: $b) {{ {NOTE} }} }}",
    "onNoteUpdated": f"subscription($b: ID!) {{ onNoteUpdated(boardId: $b) {{ {NOTE} }} }}",
    "onNoteDeleted": f"subscription($b: ID!) {{ onNoteDeleted(boardId: $b) {{ {NOTE} }} }}",
    "onBoardUpdated": """subscription($b: ID!) { onBoardUpdated(id: $b) { id title
      settings { voteBudget } } }""",
    "onBoardDeleted": "subscription($b: ID!) { onBoardDeleted(id: $b) { id title } }",
    "onVersionStarted": f"""subscription($b: ID!) {{
      onVersionStarted(boardId: $b) {{ {VERSION} }} }}""",
    "onVersionChanged": f"""subscription($b: ID!) {{
      onVersionChanged(boardId: $b) {{ {VERSION} }} }}""",
}
FIRES = {
    "addNote": "onNoteAdded",
    "updateNote": "onNoteUpdated",
    "vote": "onNoteUpdated",
    "unvote": "onNoteUpdated",
    "deleteNote": "onNoteDeleted",
    "setStage": "onVersionChanged",
    "startTimer": "onVersionChanged",
    "extendTimer": "onVersionChanged",
    "stopTimer": "onVersionChanged",
}
ADD = f"""mutation($b: ID!, $c: Column!, $t: String!) {{
  addNote(input: {{boardId: $b, column: $c, text: $t}}) {{ {NOTE} }} }}"""
EDIT = f"""mutation($b: ID!, $n: ID!, $t: String) {{
  updateNote(input: {{boardId: $b, id: $n, text: $t}}) {{ {NOTE} }} }}"""
DELETE = f"mutation($b: ID!, $n: ID!) {{ deleteNote(boardId: $b, id: $n) {{ {NOTE} }} }}"
VOTE = f"mutation($b: ID!, $n: ID!) {{ vote(boardId: $b, noteId: $n) {{ {NOTE} }} }}"
UNVOTE = f"mutation($b: ID!, $n: ID!) {{ unvote(boardId: $b, noteId: $n) {{ {NOTE} }} }}"
SET_STAGE = f"""mutation($b: ID!, $s: Stage!) {{
  setStage(input: {{boardId: $b, stage: $s}}) {{ {VERSION} }} }}"""
START_TIMER = f"""mutation($b: ID!) {{
  startTimer(input: {{boardId: $b, seconds: 300, advance: true}}) {{ {VERSION} }} }}"""
EXTEND_TIMER = f"mutation($b: ID!) {{ extendTimer(boardId: $b, seconds: 60) {{ {VERSION} }} }}"


def values_of(value: Any, key: str) -> Iterator[Any]:
    """Every value under `key` anywhere inside a decoded JSON value."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name == key:
                yield item
            yield from values_of(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from values_of(item, key)


class Meeting:
    """Everyone's traffic, recorded per receiver and phase; one listener per person."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.users: dict[str, User] = {}
        self.board = ""
        self.phase = "setup"
        # receiver -> [(phase, kind, text, decoded)]: kind "http" (headers and body) or "frame"
        self.received: dict[str, list[tuple[str, str, str, Any]]] = defaultdict(list)
        self.events: Counter[str] = Counter()  # data frames per listener
        self.expected = 0  # data frames every listener must have by now
        self.texts: dict[str, str] = {}  # note id -> text
        self.author: dict[str, str] = {}  # note id -> author's name

    async def http(self, name: str | None, query: str, variables: dict[str, Any]) -> Any:
        headers = {"content-type": "application/json"}
        if name in self.users:
            headers["authorization"] = self.users[name].token
        else:
            headers.update(self.server.public_headers)
        body = json.dumps({"query": query, "variables": variables}).encode()
        response = await asyncio.to_thread(raw_request, self.server, body, headers)
        assert response.status == 200, response.text
        if name is not None:
            text = json.dumps(response.headers) + response.text
            self.received[name].append((self.phase, "http", text, response.json()))
        return response.json()

    async def call(self, name: str, query: str, **variables: Any) -> Any:
        answer = await self.http(name, query, variables)
        assert not answer.get("errors"), answer
        # a null answer (a vote in a secret ballot) is sent to no subscriber
        fired = [FIRES[f] for f, v in answer["data"].items() if f in FIRES and v is not None]
        self.expected += len(fired)
        return answer["data"]

    async def refused(self, name: str, query: str, stage: str, **variables: Any) -> None:
        answer = await self.http(name, query, variables)
        (error,) = answer["errors"]
        assert error["errorType"] == "ConflictError", error
        assert f"the board is in {stage}" in error["message"], error

    async def join(self, name: str) -> None:
        answer = await self.http(
            None, "mutation($n: String) { createUser(name: $n) { token user { id } } }", {"n": name}
        )
        session = answer["data"]["createUser"]
        self.users[name] = User(session["token"], session["user"]["id"])

    async def write(self, name: str, column: str, label: str) -> str:
        text = f"{name}'s {label} {uuid.uuid4().hex[:10]}"
        note = (await self.call(name, ADD, b=self.board, c=column, t=text))["addNote"]
        self.texts[note["id"]], self.author[note["id"]] = text, name
        return str(note["id"])

    async def listen(self, name: str, ready: asyncio.Event, done: asyncio.Event) -> None:
        def received(frame: dict[str, Any]) -> None:
            self.received[name].append((self.phase, "frame", json.dumps(frame), frame))
            if frame["type"] == "data":
                self.events[name] += 1

        token, variables = self.users[name].token, {"b": self.board}
        await listen(
            self.server, token, SUBSCRIPTIONS, variables, ready, done, received, keepalive=True
        )

    async def settle(self, phase: str) -> None:
        """Wait until every listener has every event so far, then start `phase`."""
        async with asyncio.timeout(60):
            while any(self.events[name] < self.expected for name in self.users):
                await asyncio.sleep(0.05)
        assert all(self.events[name] == self.expected for name in self.users), self.events
        self.phase = phase

    def of(self, name: str, phase: str, kind: str | None = None) -> list[str]:
        return [t for p, k, t, _ in self.received[name] if p == phase and kind in (None, k)]

    def decoded(self, name: str, phase: str) -> list[Any]:
        return [d for p, _, _, d in self.received[name] if p == phase]


def test_hidden_texts_and_secret_votes_reach_nobody_before_the_reveal(
    live_server: LiveServer,
) -> None:
    meeting = Meeting(live_server)
    people = ("owner", "bea", "cy")
    tally: Counter[str] = Counter()  # note id -> votes cast

    async def scenario() -> dict[str, Any]:
        for name in people:
            await meeting.join(name)
        created = await meeting.call(
            "owner",
            """mutation { createBoard(input: {title: "Guided",
              settings: {voteBudget: 4, hideWhileWriting: true, secretBallot: true}}) { id } }""",
        )
        meeting.board = board = created["createBoard"]["id"]
        done = asyncio.Event()
        ready = {name: asyncio.Event() for name in people}
        listeners = [asyncio.create_task(meeting.listen(n, ready[n], done)) for n in people]
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in ready.values())), 30)

        # -- WRITE: texts hidden --------------------------------------------------------------
        await meeting.settle("write")
        stage = await meeting.call("owner", SET_STAGE, b=board, s="WRITE")
        assert stage["setStage"]["textsHidden"] is True
        await meeting.call("owner", START_TIMER, b=board)
        notes = {name: [] for name in people}  # type: dict[str, list[str]]
        for name, column, label in [
            ("bea", "GOOD", "pairing"),
            ("bea", "BAD", "deploys"),
            ("cy", "BAD", "meetings"),
            ("cy", "ACTION", "pipeline"),
            ("owner", "GOOD", "shipped"),
            ("cy", "GOOD", "off topic"),
        ]:
            notes[name].append(await meeting.write(name, column, label))
        rewritten = f"bea's deploys, rewritten {uuid.uuid4().hex[:10]}"
        edited = await meeting.call("bea", EDIT, b=board, n=notes["bea"][1], t=rewritten)
        meeting.texts[notes["bea"][1]] = rewritten
        assert edited["updateNote"]["text"] is None  # the author's own answer too
        await meeting.call("owner", EXTEND_TIMER, b=board)
        moderated = await meeting.call("owner", DELETE, b=board, n=notes["cy"][2])
        assert moderated["deleteNote"]["text"] is None
        gone = meeting.texts.pop(notes["cy"][2])
        await meeting.refused("bea", VOTE, "WRITE", b=board, n=notes["cy"][0])
        for name in people:
            page = await meeting.call(name, PAGE, b=board)
            current = page["board"]["currentVersion"]
            assert current["textsHidden"] is True and current["timer"]["running"] is True
            assert [n["text"] for n in current["notes"]] == [None] * 5  # "5 notes being written"
            mine = (await meeting.call(name, PARTICIPATION, b=board))["participation"]["myNotes"]
            assert {n["id"]: n["text"] for n in mine} == {
                i: t for i, t in meeting.texts.items() if meeting.author[i] == name
            }
            exported = await meeting.http(name, EXPORT, {"b": board})
            assert "the board is in WRITE" in exported["errors"][0]["message"]

        # -- the reveal ------------------------------------------------------------------------
        await meeting.settle("reveal")
        revealed = await meeting.call("owner", SET_STAGE, b=board, s="VOTE")
        assert revealed["setStage"]["timer"]["running"] is False  # a stage change stops it
        for name in people:
            page = await meeting.call(name, PAGE, b=board)  # one refetch
            shown = {n["id"]: n["text"] for n in page["board"]["currentVersion"]["notes"]}
            assert shown == meeting.texts, name

        # -- VOTE: secret ballot -----------------------------------------------------------------
        await meeting.settle("vote")
        await meeting.refused("cy", ADD, "VOTE", b=board, c="GOOD", t="too late")
        for name, note in [
            ("owner", notes["bea"][0]),
            ("cy", notes["bea"][0]),
            ("cy", notes["bea"][0]),
            ("bea", notes["cy"][0]),
            ("owner", notes["cy"][1]),
            ("bea", notes["owner"][0]),
        ]:
            voted = await meeting.call(name, VOTE, b=board, n=note)
            assert voted["vote"] is None  # it would name the note to every subscriber
            tally[note] += 1
        await meeting.call("cy", UNVOTE, b=board, n=notes["bea"][0])
        tally[notes["bea"][0]] -= 1
        own: dict[str, dict[str, int]] = {}
        for name in people:
            page = await meeting.call(name, PAGE, b=board)
            assert page["board"]["currentVersion"]["votesHidden"] is True
            standing = (await meeting.call(name, PARTICIPATION, b=board))["participation"]
            own[name] = {v["noteId"]: v["count"] for v in standing["myVotes"]}
            exported = await meeting.http(name, EXPORT, {"b": board})
            assert "the board is in VOTE" in exported["errors"][0]["message"]
        assert own == {
            "owner": {notes["bea"][0]: 1, notes["cy"][1]: 1},
            "cy": {notes["bea"][0]: 1},
            "bea": {notes["cy"][0]: 1, notes["owner"][0]: 1},
        }

        # -- the second reveal -------------------------------------------------------------------
        await meeting.settle("discuss")
        await meeting.call("owner", SET_STAGE, b=board, s="DISCUSS")
        await meeting.refused("bea", VOTE, "DISCUSS", b=board, n=notes["cy"][0])
        counts = {}
        for name in people:
            page = await meeting.call(name, PAGE, b=board)  # one refetch
            counts[name] = {n["id"]: n["votes"] for n in page["board"]["currentVersion"]["notes"]}
        await meeting.settle("end")
        done.set()
        await asyncio.wait_for(asyncio.gather(*listeners), 30)
        return {"counts": counts, "gone": (notes["cy"][2], gone)}

    outcome = asyncio.run(asyncio.wait_for(scenario(), 240))
    deleted_id, deleted_text = outcome["gone"]
    texts = {**meeting.texts, deleted_id: deleted_text}

    scanned = 0
    for receiver in people:
        # WRITE: nobody received another person's text; no frame carried any text at all
        for text in meeting.of(receiver, "write"):
            scanned += 1
            for note_id, secret in texts.items():
                if meeting.author[note_id] != receiver:
                    assert secret not in text, (receiver, secret, text[:300])
        for frame in meeting.of(receiver, "write", "frame"):
            assert not [s for s in texts.values() if s in frame], (receiver, frame[:300])
        # the reveal's own event carries every text still on the board
        changed = [f for f in meeting.of(receiver, "reveal", "frame") if '"onVersionChanged"' in f]
        assert len(changed) == 1 and all(t in changed[0] for t in meeting.texts.values())
        # VOTE: the votes sent no frame at all (one would name the note voted on)
        assert [f for f in meeting.of(receiver, "vote", "frame") if '"data"' in f] == []
        # VOTE: no count of any note anywhere (an own ballot is `myVotes`, not `votes`)
        for decoded in meeting.decoded(receiver, "vote"):
            scanned += 1
            counts = [v for v in values_of(decoded, "votes") if v is not None]
            assert counts == [], (receiver, decoded)
        # DISCUSS: every count, right, within one refetch
        assert outcome["counts"][receiver] == {i: tally[i] for i in meeting.texts}, receiver
    assert scanned > 60
    # every listener got every event of every phase
    assert set(meeting.events.values()) == {meeting.expected}
    print(f"hidden text: {scanned} answers and frames scanned, {meeting.expected} events each")
