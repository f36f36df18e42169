"""Hidden counts and texts against settings read stale: answers that read notes after the board.

A board's settings (`hideWhileWriting`, `secretBallot`) live on its item; what a live version
hides is those settings and its stage. An answer that reads the board, then the notes, and
decides what to hide from the settings it read first, shows what the owner began to hide
between the two reads — a text written, or a vote cast, a moment after the setting was turned
on. The board page holds against it (the setting moves the meeting's revision on, the notes
written hidden are stamped with it: tests/core/test_stages.py); these hold the other answers
that read notes or counts after the board:

- `BoardVersion.export` of the live version (the export's own re-check after its notes read);
- `Query.trend` (the board and the versions' counts are read side by side);
- `groupNotes` (its answer is every `onGroupChanged` subscriber's message).

Each race is made deterministic: the setting changes, and the hidden write lands, exactly
between the answer's board read and its read of what it shows. Real handlers, AppSync-shaped
events, moto underneath.
"""

import asyncio
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest

from bench.common import appsync_event
from resolvers.read import handler as read
from resolvers.write import handler as write
from retro import services
from retro.errors import ConflictError
from retro.store import Store, keys
from tests.appsync_realtime import listen, until
from tests.conftest import LiveServer
from tests.moto_dynamodb import set_dummy_credentials

from .conftest import User, add_note, new_user, raw_request

set_dummy_credentials()


@pytest.fixture
def store(handler_store: Store) -> Store:
    """The store the handlers use, on a fresh moto table (tests/conftest.py)."""
    return handler_store


@pytest.fixture
def people(store: Store) -> dict[str, str]:
    return {who: services.create_user(store, who)[0].id for who in ("owner", "member", "voter")}


def event(
    field: str,
    arguments: dict[str, Any],
    user: str,
    selection: str,
    source: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return appsync_event(field, arguments, user=user, selection=selection, source=source)


def once_after(
    monkeypatch: pytest.MonkeyPatch, target: Any, name: str, meanwhile: Callable[[], None]
) -> None:
    """`target.name` runs `meanwhile()` after its first call (then behaves as itself)."""
    real = getattr(target, name)
    done = threading.Event()

    def then(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        if not done.is_set():
            done.set()
            meanwhile()
        return found

    monkeypatch.setattr(target, name, then)


def once_before(
    monkeypatch: pytest.MonkeyPatch, target: Any, name: str, meanwhile: Callable[[], None]
) -> None:
    """`target.name` runs `meanwhile()` before its first call (then behaves as itself)."""
    real = getattr(target, name)
    done = threading.Event()

    def first(*args: Any, **kwargs: Any) -> Any:
        if not done.is_set():
            done.set()
            meanwhile()
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, first)


# -- the export's re-check ------------------------------------------------------------------------
def export_of(board_id: str, caller: str, store: Store) -> dict[str, Any]:
    version = services.require_board(store, board_id).current_version
    return event(
        "BoardVersion.export",
        {"format": "MARKDOWN"},
        caller,
        "",
        source={"id": version.id, "boardId": board_id, "number": version.number},
    )


def exported_or_refused(asked: dict[str, Any]) -> str:
    """The export's document, or "refused: <why>"."""
    try:
        return str(read(asked))
    except ConflictError as error:
        return f"refused: {error}"


def test_an_export_does_not_carry_a_text_written_after_hiding_was_turned_on(
    monkeypatch: pytest.MonkeyPatch, store: Store, people: dict[str, str]
) -> None:
    owner, member = people["owner"], people["member"]
    board = services.create_board(store, owner, "Export race")  # hides nothing
    services.set_stage(store, owner, board.id, "WRITE")
    services.add_note(store, member, board.id, "GOOD", "written while texts were shown")
    secret = "written a moment after hiding was turned on"
    asked = export_of(board.id, member, store)

    def hiding_then_writing() -> None:
        services.update_board(store, owner, board.id, hide_while_writing=True)
        services.add_note(store, member, board.id, "BAD", secret)

    # the export has read the board (hides nothing); its notes are read after the change
    once_before(monkeypatch, store, "notes", hiding_then_writing)
    outcome = exported_or_refused(asked)
    assert secret not in outcome
    assert outcome.startswith("refused:") and "texts are hidden" in outcome


def test_an_export_does_not_carry_a_count_cast_after_the_ballot_was_made_secret(
    monkeypatch: pytest.MonkeyPatch, store: Store, people: dict[str, str]
) -> None:
    owner, member, voter = people["owner"], people["member"], people["voter"]
    board = services.create_board(store, owner, "Export race")
    note = services.add_note(store, member, board.id, "GOOD", "the one voted on")
    services.set_stage(store, owner, board.id, "VOTE")
    asked = export_of(board.id, member, store)

    def secret_then_vote() -> None:
        services.update_board(store, owner, board.id, secret_ballot=True)
        assert services.vote(store, voter, board.id, note.id) is None  # cast in secret

    once_before(monkeypatch, store, "notes", secret_then_vote)
    outcome = exported_or_refused(asked)
    assert "1 vote" not in outcome
    assert outcome.startswith("refused:") and "vote counts are hidden" in outcome


# -- the trend ------------------------------------------------------------------------------------
TREND = "{ boardId versions { number votesCast goodNotes } }"


def test_a_trend_does_not_show_a_vote_total_cast_after_the_ballot_was_made_secret(
    monkeypatch: pytest.MonkeyPatch, store: Store, people: dict[str, str]
) -> None:
    owner, member, voter = people["owner"], people["member"], people["voter"]
    board = services.create_board(store, owner, "Trend race")
    note = services.add_note(store, member, board.id, "GOOD", "the one voted on")
    services.set_stage(store, owner, board.id, "VOTE")
    asked = event("Query.trend", {"boardId": board.id}, member, TREND)
    before = read(asked)["versions"][0]["votesCast"]
    assert before == 0  # shown: the ballot is not secret yet

    # The trend reads the board item and the versions side by side: here the board is read,
    # then the ballot is made secret and a vote cast, then the versions are read.
    board_read = threading.Event()
    reader = threading.get_ident

    def secret_then_vote() -> None:
        services.update_board(store, owner, board.id, secret_ballot=True)
        assert services.vote(store, voter, board.id, note.id) is None
        board_read.set()

    board_reader: list[int] = []

    def record() -> None:
        board_reader.append(reader())
        secret_then_vote()

    once_after(monkeypatch, store, "_board_item", record)
    real_children = store.table.children
    board_pid = keys.board_pid(board.id)

    def versions_after(pid: str, *args: Any, **kwargs: Any) -> Any:
        if pid == board_pid and reader() not in board_reader:
            assert board_read.wait(30)
        return real_children(pid, *args, **kwargs)

    monkeypatch.setattr(store.table, "children", versions_after)
    shown = read(asked)["versions"][0]
    assert shown["votesCast"] is None, "a vote cast in secret is counted in the trend's answer"


# -- a group's answer -----------------------------------------------------------------------------
GROUP = "{ id boardId votes noteIds }"


def test_a_groups_answer_does_not_sum_a_vote_cast_after_the_ballot_was_made_secret(
    monkeypatch: pytest.MonkeyPatch, store: Store, people: dict[str, str]
) -> None:
    owner, member, voter = people["owner"], people["member"], people["voter"]
    board = services.create_board(store, owner, "Group race")
    first = services.add_note(store, member, board.id, "GOOD", "one")
    second = services.add_note(store, member, board.id, "GOOD", "the same")
    services.set_stage(store, owner, board.id, "VOTE")  # counts shown: not secret yet

    def secret_then_vote() -> None:
        services.update_board(store, owner, board.id, secret_ballot=True)
        assert services.vote(store, voter, board.id, first.id) is None  # cast in secret

    # the group is made under the settings read before; its answer reads its notes after
    once_after(monkeypatch, store, "make_group", secret_then_vote)
    answer = write(
        event(
            "Mutation.groupNotes",
            {"input": {"boardId": board.id, "noteIds": [first.id, second.id], "title": "dup"}},
            member,
            GROUP,
        )
    )
    # every onGroupChanged subscriber gets this answer: a sum of 1 names the group voted on
    assert answer["noteIds"] == [first.id, second.id]
    assert answer["votes"] is None


# -- the secret ballot on the wire: retries, deletes, actions and groups ---------------------------
WIRE_NOTE = "id boardId text votes done groupId"
WIRE_GROUP = "id boardId title votes noteIds"
WIRE_SUBSCRIPTIONS = {
    "onNoteUpdated": f"subscription($b: ID!) {{ onNoteUpdated(boardId: $b) {{ {WIRE_NOTE} }} }}",
    "onNoteDeleted": f"subscription($b: ID!) {{ onNoteDeleted(boardId: $b) {{ {WIRE_NOTE} }} }}",
    "onGroupChanged": f"""subscription($b: ID!) {{
      onGroupChanged(boardId: $b) {{ {WIRE_GROUP} }} }}""",
}
BALLOT = {
    "vote": f"""mutation($b: ID!, $n: ID!, $k: String) {{
      vote(boardId: $b, noteId: $n, clientRequestId: $k) {{ {WIRE_NOTE} }} }}""",
    "unvote": f"""mutation($b: ID!, $n: ID!, $k: String) {{
      unvote(boardId: $b, noteId: $n, clientRequestId: $k) {{ {WIRE_NOTE} }} }}""",
    "deleteNote": f"""mutation($b: ID!, $n: ID!, $k: String) {{
      deleteNote(boardId: $b, id: $n, clientRequestId: $k) {{ {WIRE_NOTE} }} }}""",
    "updateAction": f"""mutation($b: ID!, $n: ID!, $k: String) {{
      updateAction(input: {{boardId: $b, id: $n, done: true, clientRequestId: $k}}) {{
        {WIRE_NOTE} }} }}""",
    "groupNotes": f"""mutation($b: ID!, $ns: [ID!]!, $k: String) {{
      groupNotes(input: {{boardId: $b, noteIds: $ns, title: "same", clientRequestId: $k}}) {{
        {WIRE_GROUP} }} }}""",
    "ungroupNote": f"""mutation($b: ID!, $n: ID!, $k: String) {{
      ungroupNote(input: {{boardId: $b, noteId: $n, clientRequestId: $k}}) {{ {WIRE_GROUP} }} }}""",
}
COUNTS = f"""query($b: ID!) {{
  board(id: $b) {{ currentVersion {{ votesHidden notes {{ {WIRE_NOTE} }} groups {{ {WIRE_GROUP} }}
    v: notes {{ votes }} }} }}
  trend(boardId: $b) {{ versions {{ votesCast }} }} }}"""


def _call(server: LiveServer, user: User, query: str, **variables: Any) -> Any:
    body = json.dumps({"query": query, "variables": variables}).encode()
    answer = raw_request(
        server, body, {"content-type": "application/json", "authorization": user.token}
    )
    assert answer.status == 200, answer.text
    found = answer.json()
    assert not found.get("errors"), found
    return found["data"]


def _counts_in(value: Any) -> list[Any]:
    """Every `votes`/`votesCast` value anywhere in `value`."""
    if isinstance(value, dict):
        return [
            found
            for key, inner in value.items()
            for found in ([inner] if key in ("votes", "votesCast") else _counts_in(inner))
        ]
    if isinstance(value, list):
        return [found for inner in value for found in _counts_in(inner)]
    return []


def test_a_secret_ballot_shows_no_count_through_retries_deletes_actions_and_groups(
    live_server: LiveServer,
) -> None:
    owner, author, voter, watcher = (
        new_user(live_server, name) for name in ("Fac", "Ann", "Vic", "Wat")
    )
    board = _call(
        live_server,
        owner,
        """mutation { createBoard(input: {title: "Ballot", settings: {voteBudget: 9,
          secretBallot: true}}) { id } }""",
    )["createBoard"]["id"]
    popular = add_note(live_server, author.token, board, "popular")
    twin = add_note(live_server, author.token, board, "popular too")
    plain = add_note(live_server, author.token, board, "never voted on")
    action = add_note(live_server, author.token, board, "do it", "ACTION")
    stage = "mutation($b: ID!, $s: Stage!) { setStage(input: {boardId: $b, stage: $s}) { id } }"
    _call(live_server, owner, stage, b=board, s="VOTE")

    frames: list[dict[str, Any]] = []
    answers: list[tuple[str, Any]] = []

    async def meeting() -> None:
        ready, done = asyncio.Event(), asyncio.Event()
        listening = asyncio.create_task(
            listen(
                live_server,
                watcher.token,
                WIRE_SUBSCRIPTIONS,
                {"b": board},
                ready,
                done,
                frames.append,
            )
        )
        await asyncio.wait_for(ready.wait(), 10)

        async def call(user: User, name: str, **variables: Any) -> None:
            data = await asyncio.to_thread(_call, live_server, user, BALLOT[name], **variables)
            answers.append((name, data[name]))

        for key in ("v1", "v1", "v2"):  # a retry, then a second vote
            await call(voter, "vote", b=board, n=popular, k=key)
        await call(voter, "vote", b=board, n=twin, k="v3")
        await call(voter, "vote", b=board, n=action, k="v4")
        for _ in range(2):
            await call(voter, "unvote", b=board, n=twin, k="u1")
        for _ in range(2):
            await call(watcher, "updateAction", b=board, n=action, k="a1")
        for _ in range(2):
            await call(watcher, "groupNotes", b=board, ns=[popular, twin, plain], k="g1")
        await call(watcher, "ungroupNote", b=board, n=plain, k="x1")
        for _ in range(2):  # the author deletes a note with a vote on it (the vote goes back)
            await call(author, "deleteNote", b=board, n=twin, k="d1")

        # the frames the assertions below expect (under load they take seconds), then a second
        # more for any that should not come
        def expected_in() -> bool:
            updated = [f for f in frames if f["id"] == "onNoteUpdated"]
            return len(updated) >= 2 and len(frames) >= 4

        await until(expected_in)
        await asyncio.sleep(1.0)
        done.set()
        await listening

    asyncio.run(meeting())
    # a vote and an unvote answer nothing, replayed or not, and fire nothing
    assert [a for n, a in answers if n in ("vote", "unvote")] == [None] * 7
    noted = [f["payload"]["data"]["onNoteUpdated"] for f in frames if f["id"] == "onNoteUpdated"]
    # updateAction's and its replay's only: none names a note voted on
    assert [n["id"] for n in noted] == [action, action], noted
    # no answer and no frame carries a count
    assert _counts_in([a for _, a in answers]) == [None] * 7, answers  # actions, groups, deletes
    assert _counts_in(frames) == [None] * len(_counts_in(frames)) and len(frames) >= 4, frames
    during = _call(live_server, watcher, COUNTS, b=board)
    assert set(_counts_in(during)) == {None}, during
    mine = _call(
        live_server,
        voter,
        "query($b: ID!) { participation(boardId: $b) { votesUsed myVotes { noteId count } } }",
        b=board,
    )["participation"]
    assert mine == {
        "votesUsed": 3,
        "myVotes": sorted(
            [{"noteId": popular, "count": 2}, {"noteId": action, "count": 1}],
            key=lambda v: v["noteId"],
        ),
    }
    # the reveal: one read shows every count, right
    _call(live_server, owner, stage, b=board, s="DISCUSS")
    after = _call(live_server, watcher, COUNTS, b=board)
    shown = {n["id"]: n["votes"] for n in after["board"]["currentVersion"]["notes"]}
    assert shown == {popular: 2, plain: 0, action: 1}
    assert after["trend"]["versions"][0]["votesCast"] == 3
    assert [g["votes"] for g in after["board"]["currentVersion"]["groups"]] == [2]


# -- a board read from an eventually consistent GetItem -------------------------------------------
def test_a_version_by_number_read_with_a_stale_board_shows_no_text_written_after_hiding_began(
    monkeypatch: pytest.MonkeyPatch, store: Store, people: dict[str, str]
) -> None:
    """`Board.version` reads the version (its stage, its revision), then the board's settings
    through `find_board` — an eventually consistent GetItem, which in AWS may answer the item
    as it was a moment before — then the notes. A board read from before the owner turned
    hiding on must not let a text written after it show."""
    owner, member = people["owner"], people["member"]
    board = services.create_board(store, owner, "Stale board")
    services.set_stage(store, owner, board.id, "WRITE")  # texts shown: the board hides nothing
    stale = services.require_board(store, board.id)
    services.update_board(store, owner, board.id, hide_while_writing=True)
    secret = "written a moment after hiding was turned on"
    services.add_note(store, member, board.id, "GOOD", secret)
    # the board's GetItem answers the item as it was before the change (as AWS may)
    monkeypatch.setattr(store, "find_board", lambda board_id: stale)
    asked = event(
        "Board.version",
        {"number": 1},
        member,
        "{ id number stage textsHidden notes { id text } }",
        source={"id": board.id},
    )
    shown = read(asked)
    assert secret not in json.dumps(shown)


def test_a_retried_add_read_with_a_stale_board_does_not_answer_a_hidden_text(
    monkeypatch: pytest.MonkeyPatch, store: Store, people: dict[str, str]
) -> None:
    """A client retries an addNote (same clientRequestId) after an ambiguous answer; the retry
    reads the board through an eventually consistent GetItem, which may answer it as it was
    before the owner turned hiding on. The retry's answer goes to every onNoteAdded
    subscriber."""
    owner, member = people["owner"], people["member"]
    board = services.create_board(store, owner, "Stale retry")
    services.set_stage(store, owner, board.id, "WRITE")
    stale = services.require_board(store, board.id)  # hides nothing
    services.update_board(store, owner, board.id, hide_while_writing=True)
    secret = "written after hiding was turned on"
    asked = event(
        "Mutation.addNote",
        {"input": {"boardId": board.id, "column": "GOOD", "text": secret, "clientRequestId": "k"}},
        member,
        "{ id boardId text }",
    )
    assert write(asked)["text"] is None
    monkeypatch.setattr(store, "find_board", lambda board_id: stale)
    assert write(asked)["text"] is None


def test_a_retried_secret_vote_read_with_a_stale_board_still_answers_nothing(
    monkeypatch: pytest.MonkeyPatch, store: Store, people: dict[str, str]
) -> None:
    owner, member, voter = people["owner"], people["member"], people["voter"]
    board = services.create_board(store, owner, "Stale retry")
    note = services.add_note(store, member, board.id, "GOOD", "voted on")
    services.set_stage(store, owner, board.id, "VOTE")
    stale = services.require_board(store, board.id)  # counts shown
    services.update_board(store, owner, board.id, secret_ballot=True)
    asked = event(
        "Mutation.vote",
        {"boardId": board.id, "noteId": note.id, "clientRequestId": "k"},
        voter,
        "{ id boardId votes }",
    )
    assert write(asked) is None
    monkeypatch.setattr(store, "find_board", lambda board_id: stale)
    # a note here would be every onNoteUpdated subscriber's message: it names the note voted on
    assert write(asked) is None


# -- selections: aliases, fragments, __typename reach nothing hidden ------------------------------
SELECTED_NOTE = """
  __typename t: text w: who v: votes ...on Note { text votes who } ...NoteBits
  id boardId"""
NOTE_BITS = """
fragment NoteBits on Note { text votes who groupId n: __typename }"""
FRAGMENTS = (
    NOTE_BITS
    + """
fragment VersionBits on BoardVersion {
  __typename number textsHidden votesHidden
  notes { ...NoteBits } groups { __typename title votes noteIds }
  all: notes { t: text v: votes } }"""
)


def test_no_selection_reaches_a_hidden_text_count_or_person(live_server: LiveServer) -> None:
    """The views render only what is selected (resolvers/project.py): an alias, a fragment, an
    inline fragment, `__typename` and nested fields pick among what the services published —
    never a text or count the stage hides, never a person — and a batched field's source holds
    only ids and a number."""
    owner, author, voter = (new_user(live_server, name) for name in ("Fac", "Ann", "Vic"))
    board = _call(
        live_server,
        owner,
        """mutation { createBoard(input: {title: "Selections", settings: {voteBudget: 5,
          hideWhileWriting: true, secretBallot: true}}) { id } }""",
    )["createBoard"]["id"]
    stage = "mutation($b: ID!, $s: Stage!) { setStage(input: {boardId: $b, stage: $s}) { id } }"
    _call(live_server, owner, stage, b=board, s="WRITE")
    secret_text, secret_who = "a text nobody may read yet", "Somebody Secret"
    page = f"""query($b: ID!) {{ board(id: $b) {{ __typename id
      cv: currentVersion {{ ...VersionBits ex: __typename }}
      currentVersion {{ id boardId }}
      versions {{ items {{ ...VersionBits }} }}
      one: version(number: 1) {{ ...VersionBits }} }}
      trend(boardId: $b) {{ __typename versions {{ v: votesCast votesCast number }} }} }}
    {FRAGMENTS}"""
    seen: list[Any] = []
    note = _call(
        live_server,
        author,
        f"""mutation($b: ID!, $t: String!) {{ addNote(input: {{boardId: $b, column: ACTION,
          text: $t}}) {{ {SELECTED_NOTE} }} }} {NOTE_BITS}""",
        b=board,
        t=secret_text,
    )["addNote"]
    seen += [note]
    seen += [
        _call(
            live_server,
            voter,
            f"""mutation($b: ID!, $n: ID!, $w: String) {{ updateAction(input: {{boardId: $b,
              id: $n, who: $w}}) {{ {SELECTED_NOTE} }} }} {NOTE_BITS}""",
            b=board,
            n=note["id"],
            w=secret_who,
        )
    ]
    seen += [_call(live_server, voter, page, b=board)]
    _call(live_server, owner, stage, b=board, s="VOTE")  # the texts are revealed
    vote = f"""mutation($b: ID!, $n: ID!) {{ vote(boardId: $b, noteId: $n) {{ {SELECTED_NOTE} }} }}
      {NOTE_BITS}"""
    for _ in range(3):
        assert _call(live_server, voter, vote, b=board, n=note["id"])["vote"] is None
    during_ballot = _call(live_server, author, page, b=board)
    seen_in_ballot = json.dumps(during_ballot)
    assert secret_text in seen_in_ballot  # revealed: the selections do reach what is shown
    assert set(_counts_in(during_ballot)) == {None}, during_ballot
    text = json.dumps(seen)
    assert secret_text not in text and secret_who not in text, text
    for person in (author, voter):
        for secret in person.secrets:
            assert secret not in text + seen_in_ballot
    assert '"__typename": "Note"' in text and '"n": "Note"' in text  # the selection was read
