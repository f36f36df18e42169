"""Truthful answers through the real local server, with the database failing under it.

The faults of `tests/faults.py` go on the DynamoDB client of the server's handlers (they run in
this process, on the embedded DynamoDB in a child process): a write that commits and is then
answered with an error, an answer lost after the commit (botocore retries with the same
ClientRequestToken, which the embedded DynamoDB honours as DynamoDB does), a database that does
not answer the authorizer. A client that retries with the same `clientRequestId`, as docs/API.md
tells it to, never spends a vote twice, never makes a note twice, and never loses its identity
to a 401 that was only the database being busy.
"""

from typing import Any

import botocore.endpoint
import pytest

from resolvers import authorizer
from retro.services import default_store
from tests.conftest import LiveServer
from tests.faults import answer_lost, error_after_commit, unreachable

from .conftest import User, add_note, board_state, create_board, new_user

WRITE = "TransactWriteItems"
NOTE = "id boardId versionId column text votes"
VOTE = f"""mutation($b: ID!, $n: ID!, $k: String) {{
  vote(boardId: $b, noteId: $n, clientRequestId: $k) {{ {NOTE} }} }}"""
DELETE = f"""mutation($b: ID!, $n: ID!, $k: String) {{
  deleteNote(boardId: $b, id: $n, clientRequestId: $k) {{ {NOTE} }} }}"""
PARTICIPATION = (
    "query($b: ID!) { participation(boardId: $b) { votesUsed votesLeft myVotes { noteId count } } }"
)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's and the authorizer's pauses between attempts: counted, not waited for."""

    class Instant:
        @staticmethod
        def sleep(_: float) -> None:
            return None

    monkeypatch.setattr(botocore.endpoint, "time", Instant)
    monkeypatch.setattr(authorizer, "sleep", Instant.sleep)


def client() -> Any:
    """The DynamoDB client of the server's handlers."""
    return default_store().table.client


def error_type(server: LiveServer, query: str, variables: dict[str, Any], token: str) -> str:
    response = server.post(query, variables, token=token)
    assert response.status == 200, response.body
    (error,) = response.body["errors"]
    return str(error["errorType"])


def retried(server: LiveServer, query: str, variables: dict[str, Any], token: str) -> Any:
    """The request answered UnavailableError after its write committed, sent again as is."""
    with error_after_commit(client(), WRITE) as fault:
        assert error_type(server, query, variables, token) == "UnavailableError"
    assert fault.hit == 1
    return server.data(query, variables, token=token)


def participation(server: LiveServer, user: User, board: str) -> Any:
    return server.data(PARTICIPATION, {"b": board}, token=user.token)["participation"]


def test_votes_answered_with_errors_after_they_counted_are_spent_once(
    live_server: LiveServer,
) -> None:
    """The issue's case: 8 votes answered UnavailableError though recorded, each retried as
    told — 8 votes used of 8, the note at 8, and the 9th refused at the budget."""
    owner, voter = new_user(live_server, "Owner"), new_user(live_server, "Voter")
    board = create_board(live_server, owner.token, budget=8)
    note = add_note(live_server, owner.token, board, "popular")
    answers = [
        retried(live_server, VOTE, {"b": board, "n": note, "k": f"vote-{i}"}, voter.token)["vote"]
        for i in range(8)
    ]
    assert [a["votes"] for a in answers] == list(range(1, 9))
    mine = participation(live_server, voter, board)
    assert mine == {"votesUsed": 8, "votesLeft": 0, "myVotes": [{"noteId": note, "count": 8}]}
    assert error_type(live_server, VOTE, {"b": board, "n": note, "k": "9"}, voter.token) == (
        "ConflictError"
    )
    [live] = board_state(live_server, owner.token, board)["currentVersion"]["notes"]
    assert live["votes"] == 8
    print("truthful writes: 8 votes retried after an error after commit -> 8 counted")


def test_lost_answers_retried_by_botocore_apply_once(live_server: LiveServer) -> None:
    """No clientRequestId at all: botocore's own retry of a committed transaction carries its
    ClientRequestToken, and the embedded DynamoDB answers it as DynamoDB would."""
    owner, voter = new_user(live_server, "Owner"), new_user(live_server, "Voter")
    board = create_board(live_server, owner.token)
    note = add_note(live_server, owner.token, board, "n")
    with answer_lost(client(), WRITE, times=3) as fault:
        voted = live_server.data(VOTE, {"b": board, "n": note, "k": None}, token=voter.token)
        added = add_note(live_server, voter.token, board, "once")
        live_server.data(
            "mutation($b: ID!, $n: ID!) { deleteNote(boardId: $b, id: $n) { id } }",
            {"b": board, "n": added},
            token=voter.token,
        )
    assert (fault.hit, fault.passed) == (3, 3)
    assert voted["vote"]["votes"] == 1
    state = board_state(live_server, owner.token, board)
    assert [(n["text"], n["votes"]) for n in state["currentVersion"]["notes"]] == [("n", 1)]
    assert participation(live_server, voter, board)["votesUsed"] == 1


def test_notes_and_updates_answered_with_errors_are_written_once(live_server: LiveServer) -> None:
    author = new_user(live_server, "Author")
    board = create_board(live_server, author.token)
    add = f"mutation($i: AddNoteInput!) {{ addNote(input: $i) {{ {NOTE} }} }}"
    notes = [
        retried(
            live_server,
            add,
            {"i": {"boardId": board, "column": "BAD", "text": f"n{i}", "clientRequestId": f"a{i}"}},
            author.token,
        )["addNote"]
        for i in range(3)
    ]
    edit = f"mutation($i: UpdateNoteInput!) {{ updateNote(input: $i) {{ {NOTE} }} }}"
    edited = retried(
        live_server,
        edit,
        {"i": {"boardId": board, "id": notes[0]["id"], "text": "n0!", "clientRequestId": "e"}},
        author.token,
    )["updateNote"]
    rename = "mutation($i: UpdateBoardInput!) { updateBoard(input: $i) { id title } }"
    renamed = retried(
        live_server,
        rename,
        {"i": {"id": board, "title": "Renamed", "clientRequestId": "r"}},
        author.token,
    )["updateBoard"]
    state = board_state(live_server, author.token, board)
    assert [n["id"] for n in state["currentVersion"]["notes"]] == [n["id"] for n in notes]
    assert [n["text"] for n in state["currentVersion"]["notes"]] == ["n0!", "n1", "n2"]
    assert (edited["text"], renamed["title"], state["title"]) == ("n0!", "Renamed", "Renamed")


def test_a_delete_answered_with_an_error_refunds_votes_once(live_server: LiveServer) -> None:
    author = new_user(live_server, "Author")
    voters = [new_user(live_server, f"Voter {i}") for i in range(3)]
    board = create_board(live_server, author.token)
    note = add_note(live_server, author.token, board, "doomed")
    for voter in voters:
        for i in range(2):
            live_server.data(
                VOTE, {"b": board, "n": note, "k": f"{voter.id}-{i}"}, token=voter.token
            )
    deleted = retried(live_server, DELETE, {"b": board, "n": note, "k": "d"}, author.token)
    assert (deleted["deleteNote"]["id"], deleted["deleteNote"]["votes"]) == (note, 6)
    for voter in voters:
        assert participation(live_server, voter, board)["votesUsed"] == 0
    assert board_state(live_server, author.token, board)["currentVersion"]["notes"] == []


def test_a_busy_database_never_costs_a_token_its_identity(live_server: LiveServer) -> None:
    """The authorizer retries a failed read (5 GetItems fail: the request still succeeds); when
    the database does not answer at all the request fails with a 401 — AppSync's answer to an
    authorizer that fails, emulated conservatively (docs/LOCAL.md) — and the same token works
    as soon as the database answers: nothing was cached against it."""
    me = "{ me { id } }"
    first = new_user(live_server, "Patient")
    with unreachable(client(), "GetItem", times=5) as fault:
        assert live_server.data(me, token=first.token) == {"me": {"id": first.id}}
    assert fault.hit == 5 and fault.passed >= 1
    second = new_user(live_server, "Unlucky")
    with unreachable(client(), "GetItem", times=10_000) as fault:
        refused = live_server.post(me, token=second.token)
    assert refused.status == 401, refused.body
    assert refused.body["errors"][0]["errorType"] == "UnauthorizedException"
    assert fault.hit == 4 * authorizer.ATTEMPTS and fault.passed == 0
    assert live_server.data(me, token=second.token) == {"me": {"id": second.id}}
