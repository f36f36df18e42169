"""Truthful answers through the handlers, with AppSync-shaped events and faults below the store.

A mutation whose write committed but whose answer was an error is sent again — the same event,
the same `clientRequestId` — and answers the success it was, applied once. The authorizer never
says "not authorized" of a token it could not check: it retries the read within its budget,
then fails the request without a verdict.
"""

import json
import logging

import botocore.endpoint
import pytest

from resolvers import authorizer, read, write
from retro import services
from retro.errors import RetroError
from tests.api.conftest import load_event, make_event
from tests.faults import error_after_commit, unreachable

NOTE = "{ id boardId versionId column text votes }"


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    """botocore's and the authorizer's pauses: counted, never waited for."""
    pauses: list[float] = []

    class Instant:
        @staticmethod
        def sleep(seconds: float) -> None:
            pauses.append(seconds)

    monkeypatch.setattr(botocore.endpoint, "time", Instant)
    monkeypatch.setattr(authorizer, "sleep", Instant.sleep)
    return pauses


@pytest.fixture
def board(store, people):
    owner, _ = people["owner"]
    return services.create_board(store, owner, "Sprint 41", vote_budget=3)


def send(field, arguments, user, selection=NOTE):
    return write.handler(make_event(field, arguments, user=user, selection=selection))


def send_after_an_error(store, field, arguments, user, selection=NOTE):
    """The event answered UnavailableError after its write committed, then sent again."""
    with (
        error_after_commit(store.table.client, "TransactWriteItems") as fault,
        pytest.raises(RetroError) as caught,
    ):
        send(field, arguments, user, selection)
    assert (fault.hit, caught.value.error_type) == (1, "UnavailableError")
    return send(field, arguments, user, selection)


def test_each_mutation_retried_with_its_key_is_applied_once(store, people, board):
    owner, _ = people["owner"]
    member, _ = people["member"]
    note = send_after_an_error(
        store,
        "Mutation.addNote",
        {"input": {"boardId": board.id, "column": "GOOD", "text": "t", "clientRequestId": "a"}},
        member,
    )
    vote = {"boardId": board.id, "noteId": note["id"]}
    assert (
        send_after_an_error(store, "Mutation.vote", vote | {"clientRequestId": "v1"}, owner)[
            "votes"
        ]
        == 1
    )
    assert (
        send_after_an_error(store, "Mutation.vote", vote | {"clientRequestId": "v2"}, owner)[
            "votes"
        ]
        == 2
    )
    assert (
        send_after_an_error(store, "Mutation.unvote", vote | {"clientRequestId": "u"}, owner)[
            "votes"
        ]
        == 1
    )
    edit = {"boardId": board.id, "id": note["id"], "text": "t2", "clientRequestId": "e"}
    assert (
        send_after_an_error(store, "Mutation.updateNote", {"input": edit}, member)["text"] == "t2"
    )
    rename = {"id": board.id, "title": "Renamed", "clientRequestId": "r"}
    renamed = send_after_an_error(
        store, "Mutation.updateBoard", {"input": rename}, owner, "{ id title }"
    )
    assert (renamed["id"], renamed["title"]) == (board.id, "Renamed")
    mine = read.handler(make_event("Query.participation", {"boardId": board.id}, user=owner))
    assert (mine["votesUsed"], mine["myVotes"]) == (1, [{"noteId": note["id"], "count": 1}])
    removed = send_after_an_error(
        store,
        "Mutation.deleteNote",
        {"boardId": board.id, "id": note["id"], "clientRequestId": "d"},
        member,
    )
    assert (removed["id"], removed["text"], removed["votes"]) == (note["id"], "t2", 1)
    mine = read.handler(make_event("Query.participation", {"boardId": board.id}, user=owner))
    assert (mine["votesUsed"], mine["votesLeft"]) == (0, 3)  # refunded once
    page = read.handler(
        make_event(
            "Query.board",
            {"id": board.id},
            user=owner,
            selection="{ currentVersion { notes { id } } }",
        )
    )
    assert page["currentVersion"]["notes"] == []


@pytest.mark.parametrize(
    ("field", "arguments"),
    [
        ("Mutation.vote", {"boardId": "B", "noteId": "N", "clientRequestId": ""}),
        ("Mutation.unvote", {"boardId": "B", "noteId": "N", "clientRequestId": "a#b"}),
        ("Mutation.deleteNote", {"boardId": "B", "id": "N", "clientRequestId": "x" * 65}),
        ("Mutation.updateNote", {"input": {"boardId": "B", "id": "N", "clientRequestId": 7}}),
        ("Mutation.updateBoard", {"input": {"id": "B", "clientRequestId": "tab\there"}}),
    ],
)
def test_a_bad_key_is_refused_naming_it(store, people, board, field, arguments):
    owner, _ = people["owner"]
    text = json.dumps(arguments).replace('"B"', json.dumps(board.id))
    with pytest.raises(RetroError) as caught:
        send(field, json.loads(text), owner)
    assert caught.value.error_type == "BadInputError"
    assert "clientRequestId" in str(caught.value).split(":")[0]


# -- the authorizer ------------------------------------------------------------------------------
def test_the_authorizer_retries_a_read_the_database_failed(store, people, no_waiting):
    """5 GetItems fail (botocore's 4 attempts of the first read, then the second read's first):
    the token is still checked, and found good."""
    user, token = people["member"]
    with unreachable(store.table.client, "GetItem", times=5) as fault:
        verdict = authorizer.handler(load_event("authorizer", token=token))
    assert verdict == {
        "isAuthorized": True,
        "resolverContext": {"userId": user},
        "deniedFields": ["Mutation.createUser"],
        "ttlOverride": authorizer.TTL_SECONDS,
    }
    assert (fault.hit, fault.passed) == (5, 1)
    assert authorizer.FIRST_PAUSE_SECONDS in no_waiting  # the authorizer paused once


class Recorded(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_the_authorizer_fails_without_a_verdict_when_it_cannot_check(store, people, no_waiting):
    """The database never answers: no `isAuthorized: false` (a client would drop its identity),
    an error after ATTEMPTS reads — AppSync fails the request and caches nothing."""
    _, token = people["member"]
    recorded = Recorded()
    logging.getLogger("retro").addHandler(recorded)
    try:
        with (
            unreachable(store.table.client, "GetItem", times=1000) as fault,
            pytest.raises(RetroError) as caught,
        ):
            authorizer.handler(load_event("authorizer", token=token))
    finally:
        logging.getLogger("retro").removeHandler(recorded)
    assert caught.value.error_type == "UnavailableError"
    assert fault.hit == 4 * authorizer.ATTEMPTS  # botocore's 4 attempts per read
    assert fault.passed == 0
    assert [(r.levelno, r.getMessage()) for r in recorded.records] == [
        (logging.ERROR, "authorizer could not check a token")
    ]


def test_the_authorizer_stops_at_its_budget(store, people, monkeypatch):
    """A slow database: the reads stop when the budget is spent, well inside AppSync's 10 s."""
    _, token = people["member"]
    moment = [0.0]

    def waited(seconds: float) -> None:
        moment[0] += seconds * 10  # each pause and its read take ten times the pause

    monkeypatch.setattr(authorizer, "clock", lambda: moment[0])
    monkeypatch.setattr(authorizer, "sleep", waited)
    with (
        unreachable(store.table.client, "GetItem", times=1000) as fault,
        pytest.raises(RetroError),
    ):
        authorizer.handler(load_event("authorizer", token=token))
    assert fault.hit == 4 * 2  # two reads: after the second pause the budget is spent
    assert authorizer.BUDGET_SECONDS < 10


def test_the_authorizer_still_refuses_tokens_it_checked(store, people):
    user, _ = people["owner"]
    for token in (f"{user}.{'x' * 43}", "garbage"):
        assert authorizer.handler(load_event("authorizer", token=token)) == {
            "isAuthorized": False,
            "ttlOverride": 0,
        }
