"""The follow-through (issue 14) held against leaks, other boards and bad input, on the wire.

Action items (`updateAction`: done, who), groups (`groupNotes`, `renameGroup`, `ungroupNote`,
`BoardVersion.groups`, `onGroupChanged`) and the trend, through the local AppSync over real
sockets:

- hidden text: a group's title and an action's `who` are text, so while the live version hides
  texts (WRITE with `hideWhileWriting`) they are in no answer, no subscription frame, no error
  message and no trend — also when the stage goes back to WRITE after they were written; in a
  new version that starts in WRITE, a carried action shows what its frozen source shows until
  it is touched, then it is hidden too;
- a secret ballot: while counts are hidden, a group's vote sum is null everywhere, the order of
  the groups does not follow the votes (that would rank the notes), and the trend's `votesCast`
  of the live version is null;
- nobody's identity is in anything the follow-through answers;
- a note or group of another board, of a frozen version, or of another column is refused, and
  the refusal writes nothing;
- every new argument out of range or of the wrong shape is refused naming the field, and
  writes nothing.
"""

import asyncio
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from retro import services
from retro.services import exports, groups
from tests.appsync_realtime import listen
from tests.conftest import LiveServer

from .conftest import User, add_note, board_state, new_user, vote

NOTE = "id boardId versionId column text votes done who carriedFrom carriedCount groupId"
GROUP = "id boardId versionId column title votes noteIds"
VERSION = f"id number stage textsHidden votesHidden notes {{ {NOTE} }} groups {{ {GROUP} }}"
PAGE = f"query($b: ID!) {{ board(id: $b) {{ id currentVersion {{ {VERSION} }} }} }}"
TREND = """query($b: ID!) { trend(boardId: $b) { boardId versions { versionId number title
  goodNotes badNotes actionNotes votesCast actionsOpened actionsCarried actionsDone actionsOpen
  oldestOpenActionAge } } }"""
EXPORT = "query($b: ID!) { board(id: $b) { currentVersion { export(format: JSON) } } }"
CREATE = """mutation($t: String!, $h: Boolean, $s: Boolean) { createBoard(input: {title: $t,
  settings: {voteBudget: 10, hideWhileWriting: $h, secretBallot: $s}}) { id } }"""
SET_STAGE = f"""mutation($b: ID!, $s: Stage!) {{
  setStage(input: {{boardId: $b, stage: $s}}) {{ boardId {VERSION} }} }}"""
START = (
    f"""mutation($b: ID!) {{ startNewVersion(input: {{boardId: $b}}) {{ boardId {VERSION} }} }}"""
)
UPDATE_ACTION = f"""mutation($i: UpdateActionInput!) {{ updateAction(input: $i) {{ {NOTE} }} }}"""
GROUP_NOTES = f"""mutation($i: GroupNotesInput!) {{ groupNotes(input: $i) {{ {GROUP} }} }}"""
RENAME = f"""mutation($i: RenameGroupInput!) {{ renameGroup(input: $i) {{ {GROUP} }} }}"""
UNGROUP = f"""mutation($i: UngroupNoteInput!) {{ ungroupNote(input: $i) {{ {GROUP} }} }}"""
VOTE = f"mutation($b: ID!, $n: ID!) {{ vote(boardId: $b, noteId: $n) {{ {NOTE} }} }}"
SUBSCRIPTIONS = {
    "onNoteUpdated": f"subscription($b: ID!) {{ onNoteUpdated(boardId: $b) {{ {NOTE} }} }}",
    "onGroupChanged": f"subscription($b: ID!) {{ onGroupChanged(boardId: $b) {{ {GROUP} }} }}",
    "onVersionChanged": f"""subscription($b: ID!) {{
      onVersionChanged(boardId: $b) {{ boardId {VERSION} }} }}""",
    "onVersionStarted": f"""subscription($b: ID!) {{
      onVersionStarted(boardId: $b) {{ boardId {VERSION} }} }}""",
}
# Which subscription each mutation fires (the schema's @aws_subscribe).
FIRES = {
    "updateAction": "onNoteUpdated",
    "vote": "onNoteUpdated",
    "groupNotes": "onGroupChanged",
    "renameGroup": "onGroupChanged",
    "ungroupNote": "onGroupChanged",
    "setStage": "onVersionChanged",
    "startNewVersion": "onVersionStarted",
}


def secret(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:12]}"


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("data") in (None, {}) or all(v is None for v in body["data"].values()), body
    (error,) = body["errors"]
    return error  # type: ignore[no-any-return]


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


def new_board(server: LiveServer, owner: User, *, hide: bool, ballot: bool) -> str:
    variables = {"t": "Follow-through", "h": hide, "s": ballot}
    return str(server.data(CREATE, variables, token=owner.token)["createBoard"]["id"])


class Listener:
    """One person listening to the board's subscriptions; every frame and every HTTP answer
    anyone got is kept with the phase it belongs to, to be scanned afterwards."""

    def __init__(self, server: LiveServer, board: str, user: User) -> None:
        self.server, self.board, self.user = server, board, user
        self.phase = "setup"
        self.frames: list[tuple[str, dict[str, Any]]] = []
        self.answers: list[tuple[str, dict[str, Any]]] = []
        self.expected = 0

    async def call(self, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = await asyncio.to_thread(self.server.post, query, variables, token=token)
        assert response.status == 200, response.body
        body: dict[str, Any] = response.body
        self.answers.append((self.phase, body))
        if not body.get("errors"):
            # a null answer (a vote in a secret ballot) is sent to no subscriber
            self.expected += sum(1 for f, v in body["data"].items() if f in FIRES and v is not None)
        return body

    async def data(self, token: str, query: str, **variables: Any) -> dict[str, Any]:
        body = await self.call(token, query, variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]  # type: ignore[no-any-return]

    async def listen(self, ready: asyncio.Event, done: asyncio.Event) -> None:
        def received(frame: dict[str, Any]) -> None:
            self.frames.append((self.phase, frame))

        variables = {"b": self.board}
        await listen(self.server, self.user.token, SUBSCRIPTIONS, variables, ready, done, received)

    async def settle(self, phase: str) -> None:
        """Wait until every event expected so far has arrived, then start `phase`."""
        async with asyncio.timeout(30):
            while self.received() < self.expected:
                await asyncio.sleep(0.05)
        assert self.received() == self.expected, self.frames
        self.phase = phase

    def received(self) -> int:
        return sum(frame["type"] == "data" for _, frame in self.frames)

    def of(self, *phases: str) -> list[str]:
        """Every answer and frame of these phases, as text."""
        kept = [*self.answers, *self.frames]
        return [json.dumps(item, ensure_ascii=False) for phase, item in kept if phase in phases]


def run_listening(server: LiveServer, board: str, user: User, scenario: Any) -> Listener:
    """Run `scenario(listener)` while `user` listens to the board."""
    listener = Listener(server, board, user)

    async def main() -> None:
        ready, done = asyncio.Event(), asyncio.Event()
        task = asyncio.create_task(listener.listen(ready, done))
        await asyncio.wait_for(ready.wait(), 30)
        try:
            await scenario(listener)
            await listener.settle("end")
        finally:
            done.set()
            await asyncio.wait_for(task, 30)

    asyncio.run(asyncio.wait_for(main(), 180))
    return listener


@pytest.fixture(scope="module")
def people(live_server: LiveServer) -> dict[str, User]:
    return {name: new_user(live_server, name) for name in ("owner", "ana", "bo", "cy")}


def assert_anonymous(listener: Listener, people: dict[str, User]) -> None:
    """Nobody's id, token or hash in anything the listener or the callers received."""
    everything = listener.of(*{phase for phase, _ in listener.answers + listener.frames})
    for name, user in people.items():
        for value in user.secrets:
            assert not [t for t in everything if value in t], name


# -- hidden text ----------------------------------------------------------------------------------


def test_titles_and_who_stay_hidden_while_texts_are(
    live_server: LiveServer, people: dict[str, User]
) -> None:
    """Groups made and actions taken in FREE; the stage goes back to WRITE (texts hidden):
    neither a title nor a `who` reaches anyone until the reveal — not in an answer, a frame, an
    error, the trend. A new version that starts in WRITE shows the carried action as version 1
    does (it is not new writing), until a new `who` is written on it: that is hidden."""
    owner, ana, cy = people["owner"], people["ana"], people["cy"]
    board = new_board(live_server, owner, hide=True, ballot=False)
    texts = [secret("good one"), secret("good two"), secret("the action"), secret("loose")]
    good = [add_note(live_server, ana.token, board, t) for t in texts[:2]]
    action = add_note(live_server, ana.token, board, texts[2], "ACTION")
    loose = add_note(live_server, cy.token, board, texts[3])
    title, renamed = secret("title"), secret("renamed")
    who, who_later, who_carried = secret("who"), secret("who later"), secret("who carried")

    async def scenario(on: Listener) -> None:
        making = {"boardId": board, "noteIds": good, "title": title, "clientRequestId": "k-g"}
        group = (await on.data(ana.token, GROUP_NOTES, i=making))["groupNotes"]["id"]
        await on.data(ana.token, UPDATE_ACTION, i={"boardId": board, "id": action, "who": who})

        await on.settle("hidden")  # from here to the reveal, nothing hidden may reach anyone
        back = (await on.data(owner.token, SET_STAGE, b=board, s="WRITE"))["setStage"]
        assert back["textsHidden"] is True
        assert [g["title"] for g in back["groups"]] == [None]
        assert [n["who"] for n in back["notes"]] == [None] * 4
        for name in ("owner", "ana", "cy"):
            token = people[name].token
            page = (await on.data(token, PAGE, b=board))["board"]["currentVersion"]
            assert [g["title"] for g in page["groups"]] == [None], name
            assert [g["noteIds"] for g in page["groups"]] == [good], name
            assert [n["text"] for n in page["notes"]] == [None] * 4, name
            assert [n["who"] for n in page["notes"]] == [None] * 4, name
            await on.data(token, TREND, b=board)
        # who may be set while texts are hidden; the answer (sent to every subscriber) does not
        # carry it, nor does a retry of it
        change = {"boardId": board, "id": action, "who": who_later, "clientRequestId": "k-who"}
        taken = (await on.data(ana.token, UPDATE_ACTION, i=change))["updateAction"]
        assert (taken["who"], taken["text"]) == (None, None)
        again = (await on.data(ana.token, UPDATE_ACTION, i=change))["updateAction"]
        assert (again["who"], again["text"]) == (None, None)
        ticked = {"boardId": board, "id": action, "done": True}
        assert (await on.data(cy.token, UPDATE_ACTION, i=ticked))["updateAction"]["who"] is None
        # every group write is refused naming the stage
        refusals = [
            (RENAME, {"boardId": board, "id": group, "title": renamed}),
            (GROUP_NOTES, {"boardId": board, "noteIds": [loose], "groupId": group}),
            (UNGROUP, {"boardId": board, "noteId": good[0]}),
            (GROUP_NOTES, {"boardId": board, "noteIds": [loose], "title": renamed}),
            # a note named again into its own group would change nothing: refused all the same
            (GROUP_NOTES, {"boardId": board, "noteIds": good[:1], "groupId": group}),
        ]
        for query, variables in refusals:
            error = only_error(await on.call(cy.token, query, {"i": variables}))
            assert error["errorType"] == "ConflictError", error
            assert error["message"].endswith("the board is in WRITE"), error
        # a retry of the group's making is answered as it is now: without its title
        retried = (await on.data(ana.token, GROUP_NOTES, i=making))["groupNotes"]
        assert (retried["id"], retried["title"], retried["noteIds"]) == (group, None, good)
        # an action's refusal on a GOOD note names the column, not the text
        not_action = {"i": {"boardId": board, "id": good[0], "done": True}}
        error = only_error(await on.call(cy.token, UPDATE_ACTION, not_action))
        assert error["errorType"] == "ConflictError", error
        exported = await on.call(cy.token, EXPORT, {"b": board})
        assert "the board is in WRITE" in exported["errors"][0]["message"]

        await on.settle("reveal")
        shown = (await on.data(owner.token, SET_STAGE, b=board, s="VOTE"))["setStage"]
        assert [g["title"] for g in shown["groups"]] == [title]  # the rename was refused
        assert {n["id"]: n["who"] for n in shown["notes"]}[action] == who_later
        # opened again: a guided version starts the next in WRITE, carrying it, face up (its
        # frozen source shows the same to everyone)
        opened = {"boardId": board, "id": action, "done": False}
        await on.data(cy.token, UPDATE_ACTION, i=opened)
        started = (await on.data(owner.token, START, b=board))["startNewVersion"]
        assert (started["stage"], started["textsHidden"]) == ("WRITE", True)
        assert [(n["text"], n["who"], n["carriedFrom"]) for n in started["notes"]] == [
            (texts[2], who_later, action)
        ]
        (copy,) = [n["id"] for n in started["notes"]]

        await on.settle("carried")  # a new who on the copy is new writing: hidden
        change = {"boardId": board, "id": copy, "who": who_carried}
        taken = (await on.data(ana.token, UPDATE_ACTION, i=change))["updateAction"]
        assert (taken["text"], taken["who"]) == (None, None)
        page = (await on.data(cy.token, PAGE, b=board))["board"]["currentVersion"]
        assert [(n["text"], n["who"]) for n in page["notes"]] == [(None, None)]

    on = run_listening(live_server, board, cy, scenario)
    assert [t for t in on.of("setup") if title in t and '"onGroupChanged"' in t]  # it was live
    for text in on.of("hidden"):
        assert not [s for s in (*texts, title, renamed, who, who_later) if s in text], text
    for text in on.of("carried"):
        assert who_carried not in text, text
    assert len(on.of("hidden")) > 15
    assert_anonymous(on, people)


# -- a secret ballot ------------------------------------------------------------------------------


def test_group_sums_and_order_keep_a_secret_ballot(
    live_server: LiveServer, people: dict[str, User]
) -> None:
    """While counts are hidden, a group's sum is null in every answer and frame, the groups keep
    the order they were made in (sorting them by votes would rank them), and the trend's
    `votesCast` of the live version is null; the reveal shows them all, right."""
    owner, ana, bo, cy = (people[n] for n in ("owner", "ana", "bo", "cy"))
    board = new_board(live_server, owner, hide=False, ballot=True)
    notes = [add_note(live_server, ana.token, board, secret("good")) for _ in range(4)]
    action = add_note(live_server, bo.token, board, secret("act"), "ACTION")
    first = live_server.data(
        GROUP_NOTES,
        {"i": {"boardId": board, "noteIds": notes[:2], "title": "first"}},
        token=ana.token,
    )["groupNotes"]["id"]
    second = live_server.data(
        GROUP_NOTES,
        {"i": {"boardId": board, "noteIds": notes[2:3], "title": "second"}},
        token=bo.token,
    )["groupNotes"]["id"]

    async def scenario(on: Listener) -> None:
        await on.data(owner.token, SET_STAGE, b=board, s="VOTE")
        await on.settle("ballot")
        for voter in (ana, bo, cy):  # three votes on the younger group, none on the older
            assert (await on.data(voter.token, VOTE, b=board, n=notes[2]))["vote"] is None
        assert (await on.data(cy.token, VOTE, b=board, n=action))["vote"] is None
        joined = {"boardId": board, "noteIds": [notes[3]], "groupId": second}
        assert (await on.data(cy.token, GROUP_NOTES, i=joined))["groupNotes"]["votes"] is None
        renamed = {"boardId": board, "id": second, "title": "second, renamed"}
        assert (await on.data(cy.token, RENAME, i=renamed))["renameGroup"]["votes"] is None
        out = {"boardId": board, "noteId": notes[3]}
        assert (await on.data(cy.token, UNGROUP, i=out))["ungroupNote"]["votes"] is None
        ticked = {"boardId": board, "id": action, "done": True, "who": "Ana"}
        assert (await on.data(bo.token, UPDATE_ACTION, i=ticked))["updateAction"]["votes"] is None
        for voter in (owner, ana, cy):
            page = (await on.data(voter.token, PAGE, b=board))["board"]["currentVersion"]
            assert page["votesHidden"] is True
            assert [(g["id"], g["votes"]) for g in page["groups"]] == [
                (first, None),
                (second, None),
            ]
            trend = (await on.data(voter.token, TREND, b=board))["trend"]["versions"]
            assert [v["votesCast"] for v in trend] == [None]

        await on.settle("reveal")
        shown = (await on.data(owner.token, SET_STAGE, b=board, s="DISCUSS"))["setStage"]
        assert [(g["id"], g["votes"]) for g in shown["groups"]] == [(second, 3), (first, 0)]
        trend = (await on.data(cy.token, TREND, b=board))["trend"]["versions"]
        assert [v["votesCast"] for v in trend] == [4]

    on = run_listening(live_server, board, cy, scenario)
    for text in on.of("ballot"):
        decoded = json.loads(text)
        assert [v for v in values_of(decoded, "votes") if v is not None] == [], text
        assert [v for v in values_of(decoded, "votesCast") if v is not None] == [], text
    # the four votes sent no frame at all (it would name the note); the tick sent its own
    updated = [
        f["payload"]["data"]["onNoteUpdated"]["id"]
        for phase, f in on.frames
        if phase == "ballot" and f["type"] == "data" and "onNoteUpdated" in f["payload"]["data"]
    ]
    assert updated == [action]
    assert len(on.of("ballot")) >= 18
    assert_anonymous(on, people)


# -- other boards, frozen versions, other columns -----------------------------------------------

SNAPSHOT = f"""query($b: ID!) {{ board(id: $b) {{ id currentVersion {{ {VERSION} }}
  versions(limit: 20) {{ items {{ {VERSION} }} }} }} }}"""


def snapshot(server: LiveServer, token: str, board: str) -> Any:
    """Everything a reader sees of a board's follow-through, in every version."""
    return server.data(SNAPSHOT, {"b": board}, token=token)["board"]


def refused(server: LiveServer, user: User, query: str, variables: dict[str, Any]) -> Any:
    response = server.post(query, {"i": variables}, token=user.token)
    assert response.status == 200, response.body
    return only_error(response.body)


def test_notes_and_groups_of_other_boards_frozen_versions_or_columns_are_refused(
    live_server: LiveServer, people: dict[str, User]
) -> None:
    owner, ana, bo = people["owner"], people["ana"], people["bo"]
    a = new_board(live_server, owner, hide=False, ballot=False)
    b = new_board(live_server, bo, hide=False, ballot=False)
    a1, a2 = (add_note(live_server, ana.token, a, secret("a good")) for _ in range(2))
    a_bad = add_note(live_server, ana.token, a, secret("a bad"), "BAD")
    a_action = add_note(live_server, ana.token, a, secret("a action"), "ACTION")
    b1, b2 = (add_note(live_server, bo.token, b, secret("b good")) for _ in range(2))
    b_action = add_note(live_server, bo.token, b, secret("b action"), "ACTION")
    group = {"boardId": a, "noteIds": [a1], "title": "A's"}
    a_group = live_server.data(GROUP_NOTES, {"i": group}, token=ana.token)["groupNotes"]["id"]
    group = {"boardId": b, "noteIds": [b1], "title": "B's"}
    b_group = live_server.data(GROUP_NOTES, {"i": group}, token=bo.token)["groupNotes"]["id"]
    vote(live_server, bo.token, b, b1)

    def unchanged_by(cases: list[tuple[str, dict[str, Any], str, str]]) -> None:
        for query, variables, error_type, words in cases:
            before = snapshot(live_server, owner.token, a), snapshot(live_server, bo.token, b)
            error = refused(live_server, ana, query, variables)
            assert (error["errorType"], words in error["message"]) == (error_type, True), (
                variables,
                error,
            )
            after = snapshot(live_server, owner.token, a), snapshot(live_server, bo.token, b)
            assert after == before, variables

    gone = "NotFoundError"
    unchanged_by(
        [
            # another board's note or group, addressed through this board (or the reverse)
            (GROUP_NOTES, {"boardId": a, "noteIds": [b2], "title": "mine now"}, gone, b2),
            (GROUP_NOTES, {"boardId": a, "noteIds": [a2, b2], "title": "both"}, gone, b2),
            (GROUP_NOTES, {"boardId": b, "noteIds": [a2], "groupId": b_group}, gone, a2),
            (GROUP_NOTES, {"boardId": a, "noteIds": [a2], "groupId": b_group}, gone, b_group),
            (GROUP_NOTES, {"boardId": b, "noteIds": [b2], "groupId": a_group}, gone, a_group),
            (RENAME, {"boardId": a, "id": b_group, "title": "taken over"}, gone, b_group),
            (UNGROUP, {"boardId": a, "noteId": b1}, gone, b1),
            (UPDATE_ACTION, {"boardId": a, "id": b_action, "done": True}, gone, b_action),
            (UPDATE_ACTION, {"boardId": a, "id": b_action, "who": "me"}, gone, b_action),
            # another column, or a note in another group, or not an action
            (
                GROUP_NOTES,
                {"boardId": a, "noteIds": [a2, a_bad], "title": "mixed"},
                "BadInputError",
                "noteIds",
            ),
            (
                GROUP_NOTES,
                {"boardId": a, "noteIds": [a_bad], "groupId": a_group},
                "BadInputError",
                "noteIds",
            ),
            (
                GROUP_NOTES,
                {"boardId": a, "noteIds": [a2, a1], "title": "again"},
                "ConflictError",
                f"note {a1} is in another group",
            ),
            (UNGROUP, {"boardId": a, "noteId": a2}, "ConflictError", f"note {a2} is in no group"),
            (UPDATE_ACTION, {"boardId": a, "id": a2, "done": True}, "ConflictError", "GOOD"),
        ]
    )

    live_server.data(START, {"b": a}, token=owner.token)  # version 1 is frozen now
    frozen = "ConflictError"
    (carried,) = [n["id"] for n in snapshot(live_server, owner.token, a)["currentVersion"]["notes"]]
    in_version_1 = f"group {a_group} is in version 1, which is frozen"
    unchanged_by(
        [
            (RENAME, {"boardId": a, "id": a_group, "title": "late"}, frozen, in_version_1),
            (
                GROUP_NOTES,
                {"boardId": a, "noteIds": [carried], "groupId": a_group},
                frozen,
                in_version_1,
            ),
            (UPDATE_ACTION, {"boardId": a, "id": a_action, "done": True}, frozen, "frozen"),
            (UPDATE_ACTION, {"boardId": a, "id": a_action, "who": "late"}, frozen, "frozen"),
            (GROUP_NOTES, {"boardId": a, "noteIds": [a2], "title": "late"}, frozen, "frozen"),
            (GROUP_NOTES, {"boardId": a, "noteIds": [a2], "groupId": a_group}, frozen, "frozen"),
            (UNGROUP, {"boardId": a, "noteId": a1}, frozen, "frozen"),
        ]
    )


# -- bad input ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ids(live_server: LiveServer, people: dict[str, User]) -> dict[str, str]:
    """A board with two GOOD notes, one in a group, and an ACTION note."""
    owner = people["owner"]
    board = new_board(live_server, owner, hide=False, ballot=False)
    grouped, loose = (add_note(live_server, owner.token, board, "good") for _ in range(2))
    action = add_note(live_server, owner.token, board, "act", "ACTION")
    made = {"boardId": board, "noteIds": [grouped], "title": "G"}
    group = live_server.data(GROUP_NOTES, {"i": made}, token=owner.token)["groupNotes"]["id"]
    return {"b": board, "grouped": grouped, "n": loose, "a": action, "g": group}


LONG_TITLE = "t" * 201


@pytest.mark.parametrize(
    ("query", "arguments", "field"),
    [
        (UPDATE_ACTION, {"id": "{a}"}, "input"),
        (UPDATE_ACTION, {"id": "{a}", "who": "w" * 81}, "who"),
        (UPDATE_ACTION, {"id": "{a}", "who": "Ana\nBo"}, "who"),
        (UPDATE_ACTION, {"id": "{a}", "who": "Ana\u202eoB"}, "who"),
        (UPDATE_ACTION, {"id": "{a}", "who": "A\x07"}, "who"),
        (UPDATE_ACTION, {"id": "{a}", "who": "\u200b\u200b"}, "who"),
        (UPDATE_ACTION, {"id": "not an id", "done": True}, "id"),
        (UPDATE_ACTION, {"boardId": "nope", "id": "{a}", "done": True}, "boardId"),
        (UPDATE_ACTION, {"id": "{a}", "done": True, "clientRequestId": "a#b"}, "clientRequestId"),
        (GROUP_NOTES, {"noteIds": [], "title": "T"}, "noteIds"),
        (GROUP_NOTES, {"noteIds": "21 ids", "title": "T"}, "noteIds"),
        (GROUP_NOTES, {"noteIds": ["not an id"], "title": "T"}, "noteIds"),
        (GROUP_NOTES, {"noteIds": ["{n}"]}, "title"),
        (GROUP_NOTES, {"noteIds": ["{n}"], "title": ""}, "title"),
        (GROUP_NOTES, {"noteIds": ["{n}"], "title": "   "}, "title"),
        (GROUP_NOTES, {"noteIds": ["{n}"], "title": LONG_TITLE}, "title"),
        (GROUP_NOTES, {"noteIds": ["{n}"], "title": "a\u2028b"}, "title"),
        (GROUP_NOTES, {"noteIds": ["{n}"], "groupId": "{g}", "title": "T"}, "title"),
        (GROUP_NOTES, {"noteIds": ["{n}"], "groupId": "not an id"}, "groupId"),
        (GROUP_NOTES, {"boardId": "nope", "noteIds": ["{n}"], "title": "T"}, "boardId"),
        (RENAME, {"id": "{g}", "title": ""}, "title"),
        (RENAME, {"id": "{g}", "title": LONG_TITLE}, "title"),
        (RENAME, {"id": "{g}", "title": "a\u202eb"}, "title"),
        (RENAME, {"id": "not an id", "title": "T"}, "id"),
        (RENAME, {"boardId": "nope", "id": "{g}", "title": "T"}, "boardId"),
        (UNGROUP, {"noteId": "not an id"}, "noteId"),
        (UNGROUP, {"boardId": "nope", "noteId": "{grouped}"}, "boardId"),
        (UNGROUP, {"noteId": "{grouped}", "clientRequestId": ""}, "clientRequestId"),
    ],
)
def test_bad_follow_through_input_is_refused_naming_the_field(
    live_server: LiveServer,
    people: dict[str, User],
    ids: dict[str, str],
    query: str,
    arguments: dict[str, Any],
    field: str,
) -> None:
    owner = people["owner"]
    variables: dict[str, Any] = {"boardId": ids["b"]}
    for name, given in arguments.items():
        value = given
        if given == "21 ids":  # one more than a call may group
            value = [ids["n"]] * 20 + [ids["a"]]
        elif isinstance(given, list):
            value = [v.format(**ids) for v in given]
        elif isinstance(given, str) and given.startswith("{"):
            value = given.format(**ids)
        variables[name] = value
    before = board_state(live_server, owner.token, ids["b"])
    error = refused(live_server, owner, query, variables)
    assert error["errorType"] == "BadInputError", error
    assert re.match(rf"(input\.)?{field}: ", error["message"]), error
    assert board_state(live_server, owner.token, ids["b"]) == before


def test_a_bad_trend_board_id_is_named_and_an_unknown_board_has_no_trend(
    live_server: LiveServer, people: dict[str, User], ids: dict[str, str]
) -> None:
    token = people["owner"].token
    error = only_error(live_server.post(TREND, {"b": "not an id"}, token=token).body)
    assert error["errorType"] == "BadInputError" and error["message"].startswith("boardId: ")
    unknown = ids["b"][:-4] + ("0000" if not ids["b"].endswith("0000") else "1111")
    assert live_server.data(TREND, {"b": unknown}, token=token) == {"trend": None}


def test_a_group_answer_hides_votes_cast_after_the_stage_moved_to_a_secret_ballot(
    live_server: LiveServer, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group write read the board in FREE; just after it is written the owner moves the stage
    to VOTE under a secret ballot and a vote lands. The answer — sent to every `onGroupChanged`
    subscriber — must not carry that vote in the group's sum: what it hides is the stage after
    its notes were read, not the stage the board showed before the write."""
    owner, ana, bo = people["owner"], people["ana"], people["bo"]
    board = new_board(live_server, owner, hide=False, ballot=True)
    solo = add_note(live_server, ana.token, board, secret("solo"))
    made = {"boardId": board, "noteIds": [solo], "title": "Solo"}
    group = live_server.data(GROUP_NOTES, {"i": made}, token=ana.token)["groupNotes"]["id"]
    written = groups._gated

    def then_the_ballot_opens(store: Any, *args: Any) -> Any:
        gate = written(store, *args)
        services.set_stage(store, owner.id, board, "VOTE")
        services.vote(store, bo.id, board, solo)
        return gate

    monkeypatch.setattr(groups, "_gated", then_the_ballot_opens)
    renamed = {"boardId": board, "id": group, "title": "Solo, renamed"}
    answer = live_server.data(RENAME, {"i": renamed}, token=ana.token)["renameGroup"]
    assert (answer["title"], answer["votes"]) == ("Solo, renamed", None)
    page = live_server.data(PAGE, {"b": board}, token=ana.token)["board"]["currentVersion"]
    assert (page["votesHidden"], [g["votes"] for g in page["groups"]]) == (True, [None])


def test_an_export_refuses_texts_written_after_the_stage_went_back_to_hiding(
    live_server: LiveServer, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export of the live version checked its stage (FREE) and is about to read the notes;
    meanwhile the owner moves the stage to WRITE (texts hidden) and an author rewrites a note
    and names who takes an action. The export must not carry them: it is refused, naming the
    stage, as one asked in WRITE is."""
    owner, ana = people["owner"], people["ana"]
    board = new_board(live_server, owner, hide=True, ballot=False)
    note = add_note(live_server, ana.token, board, secret("before"))
    action = add_note(live_server, ana.token, board, secret("act"), "ACTION")
    rewritten, who = secret("rewritten while hidden"), secret("who while hidden")
    read = exports.notes_of

    def then_texts_hide(store: Any, version_id: str) -> Any:
        services.set_stage(store, owner.id, board, "WRITE")
        services.update_note(store, ana.id, board, note, rewritten)
        services.update_action(store, ana.id, board, action, who=who)
        return read(store, version_id)

    monkeypatch.setattr(exports, "notes_of", then_texts_hide)
    for fmt in ("MARKDOWN", "CSV", "JSON"):
        query = (
            f"query($b: ID!) {{ board(id: $b) {{ currentVersion {{ export(format: {fmt}) }} }} }}"
        )
        response = live_server.post(query, {"b": board}, token=ana.token)
        text = json.dumps(response.body, ensure_ascii=False)
        assert rewritten not in text and who not in text, text
        (error,) = response.body["errors"]
        assert error["errorType"] == "ConflictError", error
        assert "the board is in WRITE" in error["message"], error


def test_the_edges_of_the_ranges_are_accepted(
    live_server: LiveServer, people: dict[str, User]
) -> None:
    """The largest `who`, title and group a call may make are taken; `who` is trimmed, and an
    empty one takes the name away."""
    owner = people["owner"]
    board = new_board(live_server, owner, hide=False, ballot=False)
    action = add_note(live_server, owner.token, board, "act", "ACTION")
    named = {"boardId": board, "id": action, "who": f"  {'w' * 80}  "}
    answer = live_server.data(UPDATE_ACTION, {"i": named}, token=owner.token)["updateAction"]
    assert answer["who"] == "w" * 80
    cleared = {"boardId": board, "id": action, "who": ""}
    answer = live_server.data(UPDATE_ACTION, {"i": cleared}, token=owner.token)["updateAction"]
    assert answer["who"] is None
    notes = [add_note(live_server, owner.token, board, f"good {i}") for i in range(20)]
    made = {"boardId": board, "noteIds": notes, "title": "t" * 200}
    group = live_server.data(GROUP_NOTES, {"i": made}, token=owner.token)["groupNotes"]
    assert (group["title"], group["noteIds"], group["votes"]) == ("t" * 200, notes, 0)


def test_another_boards_follow_through_reaches_no_listener_of_this_one(
    live_server: LiveServer, people: dict[str, User]
) -> None:
    """Groups made, renamed and left and actions ticked on board B send nothing to someone
    listening to board A; A's own group write arrives, once."""
    owner, ana, cy = people["owner"], people["ana"], people["cy"]
    a = new_board(live_server, owner, hide=False, ballot=False)
    b = new_board(live_server, owner, hide=False, ballot=False)
    a_note = add_note(live_server, ana.token, a, "on A")
    b_notes = [add_note(live_server, ana.token, b, secret("on B")) for _ in range(2)]
    b_action = add_note(live_server, ana.token, b, secret("B's action"), "ACTION")

    def on_b(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return live_server.data(query, {"i": variables}, token=ana.token)  # type: ignore[no-any-return]

    async def scenario(on: Listener) -> None:
        made = {"boardId": b, "noteIds": b_notes, "title": secret("B's group")}
        group = (await asyncio.to_thread(on_b, GROUP_NOTES, made))["groupNotes"]["id"]
        renamed = {"boardId": b, "id": group, "title": secret("B renamed")}
        await asyncio.to_thread(on_b, RENAME, renamed)
        await asyncio.to_thread(on_b, UNGROUP, {"boardId": b, "noteId": b_notes[0]})
        ticked = {"boardId": b, "id": b_action, "done": True, "who": "Bo"}
        await asyncio.to_thread(on_b, UPDATE_ACTION, ticked)
        mine = {"boardId": a, "noteIds": [a_note], "title": "A's group"}
        await on.data(ana.token, GROUP_NOTES, i=mine)

    on = run_listening(live_server, a, cy, scenario)
    data = [frame for _, frame in on.frames if frame["type"] == "data"]
    assert len(data) == 1, data
    assert data[0]["payload"]["data"]["onGroupChanged"]["boardId"] == a
