"""Truthful answers under faults at the store boundary: a retried write never applies twice.

A database that commits and then times out, or answers an error after committing, makes the
store report a failure for a write that happened. The client retries with the same
`clientRequestId`; the retry must be answered as the success it was, and the books must show one
application: a vote's ballot, vote item and the note's count agree; one note; a delete refunds
once. Faults come from `tests/faults.py` (botocore events below the store); DynamoDB's own
`ClientRequestToken` rule is emulated in front of moto (`retro_tools/serve/moto_tokens.py`).
"""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import botocore.endpoint
import pytest
from botocore.exceptions import ClientError

from retro import services
from retro.errors import ConflictError, NotFoundError, UnavailableError, ValidationError
from retro.store import keys
from retro.store import notes as notes_store
from retro.store.records import to_vote, used_of
from retro_tools.serve.moto_tokens import Answer, ClientRequestTokens
from tests.faults import answer_lost, error_after_commit

WRITE = "TransactWriteItems"


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    """botocore's pauses between its retries: counted by the faults, not waited for."""

    class Instant:
        @staticmethod
        def sleep(_: float) -> None:
            return None

    monkeypatch.setattr(botocore.endpoint, "time", Instant)


@pytest.fixture
def board(store, owner):
    return services.create_board(store, owner, "Truthful", vote_budget=5)


def books(store, version_id: str) -> dict[str, Any]:
    """A version's vote books, read raw: what ballots, vote items and notes each say."""
    items = store.table.children(keys.version_pid(version_id), "", consistent=True).items
    ballots = {i["cid"]: used_of(i) for i in items if i["cid"].startswith(keys.BALLOT)}
    votes = [to_vote(i) for i in items if i["cid"].startswith(keys.VOTE)]
    notes = {i["id"]: i["votes"] for i in items if i["cid"].startswith(keys.NOTE)}
    per_note = Counter()
    per_voter = Counter()
    for vote in votes:
        per_note[vote.note_id] += vote.count
        per_voter[vote.voter] += vote.count
    return {
        "ballots": {cid.removeprefix(keys.BALLOT): used for cid, used in ballots.items() if used},
        "per_voter": {voter: n for voter, n in per_voter.items() if n},
        "per_note": {note: n for note, n in per_note.items() if n},
        "notes": notes,
    }


def assert_books_balance(store, version_id: str) -> dict[str, Any]:
    """Ballots = vote items per voter; note counts = vote items per note."""
    book = books(store, version_id)
    assert book["ballots"] == book["per_voter"], book
    assert {n: v for n, v in book["notes"].items() if v} == book["per_note"], book
    return book


# -- DynamoDB's ClientRequestToken, as the embedded and test databases honour it ---------------
def _counter_request(table: str, token: str | None, step: int = 1) -> dict[str, Any]:
    request: dict[str, Any] = {
        "TransactItems": [
            {
                "Update": {
                    "TableName": table,
                    "Key": {"pid": {"S": "X#1"}, "cid": {"S": "X#1"}},
                    "UpdateExpression": "ADD n :one",
                    "ConditionExpression": "attribute_exists(pid)",
                    "ExpressionAttributeValues": {":one": {"N": str(step)}},
                }
            }
        ]
    }
    if token is not None:
        request["ClientRequestToken"] = token
    return request


def test_a_token_applies_its_transaction_once_and_refuses_other_parameters(store):
    client, table = store.table.client, store.table.name
    with pytest.raises(ClientError, match="TransactionCanceled"):
        client.transact_write_items(**_counter_request(table, "t-1"))  # no item yet: cancelled
    store.table.put({"pid": "X#1", "cid": "X#1", "n": 0})
    for _ in range(3):  # a failed request left no trace: the first of these applies
        client.transact_write_items(**_counter_request(table, "t-1"))
    with pytest.raises(ClientError) as refused:
        client.transact_write_items(**_counter_request(table, "t-1", step=2))
    assert refused.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
    client.transact_write_items(**_counter_request(table, None))  # botocore makes a fresh token
    client.transact_write_items(**_counter_request(table, None))
    assert store.table.get(("X#1", "X#1"), consistent=True)["n"] == 3


def test_a_token_is_remembered_for_10_minutes_after_it_completed():
    moment = [0.0]
    tokens = ClientRequestTokens(clock=lambda: moment[0])
    body = b'{"ClientRequestToken": "t", "TransactItems": []}'
    tokens.after("TransactWriteItems", body, Answer(200, [], b"{}"))
    moment[0] = 599.0
    assert tokens.before("TransactWriteItems", body) == Answer(200, [], b"{}")
    assert tokens.before("TransactWriteItems", body.replace(b"[]", b"[1]")).status == 400
    moment[0] = 601.0
    assert tokens.before("TransactWriteItems", body) is None
    assert tokens.before("PutItem", body) is None  # only TransactWriteItems has tokens


@pytest.mark.parametrize("keyed", [False, True], ids=["no key", "with a key"])
def test_a_lost_answer_retried_by_botocore_is_not_applied_again(store, owner, member, board, keyed):
    note = services.add_note(store, member, board.id, "GOOD", "n")
    key = (lambda k: k) if keyed else (lambda _: None)
    with answer_lost(store.table.client, WRITE, times=3) as fault:
        voted = services.vote(store, owner, board.id, note.id, key("v-1"))
        added = services.add_note(store, owner, board.id, "BAD", "once", key("n-1"))
        unvoted = services.unvote(store, owner, board.id, note.id, key("u-1"))
    assert fault.hit == 3 and fault.passed == 3  # each committed, then retried by botocore
    assert (voted.votes, unvoted.votes) == (1, 0)
    texts = [n.text for n in services.notes_of(store, board.current_version.id)]
    assert texts == ["n", "once"] and added.text == "once"
    assert assert_books_balance(store, board.current_version.id)["ballots"] == {}


# -- a write that committed, answered with an error, retried with its key ----------------------
def test_votes_retried_after_an_error_after_commit_count_once(store, owner, member, board):
    """The issue's case: 8 votes, each answered UnavailableError after it was recorded, each
    retried as told: 8 votes used, not 16 (and not a refusal at the budget)."""
    board = services.update_board(store, owner, board.id, vote_budget=8)
    note = services.add_note(store, member, board.id, "GOOD", "popular")
    for i in range(8):
        with (
            error_after_commit(store.table.client, WRITE) as fault,
            pytest.raises(UnavailableError),
        ):
            services.vote(store, owner, board.id, note.id, f"vote-{i}")
        assert fault.hit == 1
        assert services.vote(store, owner, board.id, note.id, f"vote-{i}").votes == i + 1
    book = assert_books_balance(store, board.current_version.id)
    assert book["ballots"] == {owner: 8} and book["notes"] == {note.id: 8}
    assert services.participation(store, owner, board.id).votes_left == 0


def test_unvote_retried_after_an_error_after_commit_gives_back_one(store, owner, member, board):
    note = services.add_note(store, member, board.id, "GOOD", "n")
    services.vote(store, owner, board.id, note.id)
    services.vote(store, owner, board.id, note.id)
    with error_after_commit(store.table.client, WRITE), pytest.raises(UnavailableError):
        services.unvote(store, owner, board.id, note.id, "u")
    assert services.unvote(store, owner, board.id, note.id, "u").votes == 1
    assert assert_books_balance(store, board.current_version.id)["ballots"] == {owner: 1}


def test_notes_retried_after_an_error_after_commit_exist_once(store, member, board):
    answers = []
    for i in range(3):
        with error_after_commit(store.table.client, WRITE), pytest.raises(UnavailableError):
            services.add_note(store, member, board.id, "ACTION", f"action {i}", f"add-{i}")
        answers.append(
            services.add_note(store, member, board.id, "ACTION", f"action {i}", f"add-{i}")
        )
    notes = services.notes_of(store, board.current_version.id)
    assert [n.id for n in notes] == [a.id for a in answers]
    assert [n.text for n in notes] == ["action 0", "action 1", "action 2"]


def test_updates_retried_after_an_error_after_commit_answer_what_was_written(
    store, owner, member, board, requests
):
    note = services.add_note(store, member, board.id, "GOOD", "draft")
    with error_after_commit(store.table.client, WRITE), pytest.raises(UnavailableError):
        services.update_note(store, member, board.id, note.id, text="final", client_request_id="e")
    requests.clear()
    # A retry made anew carries a new time (and here a changed text): DynamoDB refuses the
    # token's other parameters, the store sends it again without, and the record answers.
    again = services.update_note(store, member, board.id, note.id, "changed mind", None, "e")
    assert again.text == "final"
    assert requests.operations.count("TransactWriteItems") == 2
    with error_after_commit(store.table.client, WRITE), pytest.raises(UnavailableError):
        services.update_board(store, owner, board.id, title="Renamed", client_request_id="r")
    assert services.update_board(store, owner, board.id, title="Renamed", client_request_id="r")
    assert services.get_board(store, board.id).title == "Renamed"


def test_a_delete_retried_after_an_error_after_commit_refunds_once(
    store, owner, member, board, monkeypatch
):
    """More voters than the delete's own transaction gives back (45 in production, 4 here to
    keep moto quick): the first transaction commits and errors, so the rest of the refunds never
    ran. The retry answers the note as it was deleted and finishes them, once."""
    monkeypatch.setattr(notes_store, "REFUNDS_IN_DELETE", 4)
    note = services.add_note(store, member, board.id, "GOOD", "doomed")
    keeper = services.add_note(store, member, board.id, "BAD", "kept")
    voters = [services.create_user(store, f"v{i}")[0].id for i in range(10)]
    for voter in voters:
        services.vote(store, voter, board.id, note.id)
        services.vote(store, voter, board.id, keeper.id)
    with error_after_commit(store.table.client, WRITE), pytest.raises(UnavailableError):
        services.delete_note(store, member, board.id, note.id, "d")
    assert books(store, board.current_version.id)["per_note"][note.id] == 6  # 4 given back
    deleted = services.delete_note(store, member, board.id, note.id, "d")
    assert (deleted.id, deleted.text, deleted.votes) == (note.id, "doomed", 10)
    assert services.delete_note(store, member, board.id, note.id, "d") == deleted  # again
    book = assert_books_balance(store, board.current_version.id)
    assert book["ballots"] == dict.fromkeys(voters, 1)
    assert book["notes"] == {keeper.id: 10}


def test_a_retry_refused_by_what_the_first_attempt_did_is_answered(store, owner, member, board):
    """The budget spent, the version frozen since: the retry is still the success it was."""
    board = services.update_board(store, owner, board.id, vote_budget=1)
    note = services.add_note(store, member, board.id, "ACTION", "n")
    with error_after_commit(store.table.client, WRITE), pytest.raises(UnavailableError):
        services.vote(store, owner, board.id, note.id, "last")
    assert services.vote(store, owner, board.id, note.id, "last").votes == 1  # budget spent
    with pytest.raises(ConflictError, match="no votes left"):
        services.vote(store, owner, board.id, note.id, "another")
    with error_after_commit(store.table.client, WRITE), pytest.raises(UnavailableError):
        services.update_note(store, member, board.id, note.id, text="edited", client_request_id="e")
    services.start_new_version(store, owner, board.id)
    edited = services.update_note(
        store, member, board.id, note.id, text="edited", client_request_id="e"
    )
    assert (edited.id, edited.text, edited.version_id) == (note.id, "edited", note.version_id)
    with pytest.raises(ConflictError, match="frozen"):  # without the key: refused, truthfully
        services.update_note(store, member, board.id, note.id, text="edited")
    assert_books_balance(store, note.version_id)


def test_one_key_for_another_target_is_refused_and_writes_nothing(store, owner, member, board):
    first = services.add_note(store, member, board.id, "GOOD", "a")
    second = services.add_note(store, member, board.id, "GOOD", "b")
    services.vote(store, owner, board.id, first.id, "k")
    with pytest.raises(ValidationError, match=r"^clientRequestId"):
        services.vote(store, owner, board.id, second.id, "k")
    other = services.create_board(store, owner, "Other")
    services.add_note(store, member, board.id, "GOOD", "c", "n-k")
    with pytest.raises(ValidationError, match=r"^clientRequestId"):
        services.add_note(store, member, other.id, "GOOD", "c", "n-k")
    book = assert_books_balance(store, board.current_version.id)
    assert book["ballots"] == {owner: 1} and book["per_note"] == {first.id: 1}
    assert services.notes_of(store, other.current_version.id) == []
    with pytest.raises(NotFoundError):  # another board's id with a replayed key: not there
        services.vote(store, owner, other.id, first.id, "k")


def test_ten_concurrent_retries_of_one_vote_count_once(store, owner, member, board):
    note = services.add_note(store, member, board.id, "GOOD", "n")
    with ThreadPoolExecutor(10) as pool:
        answers = list(
            pool.map(
                lambda _: services.vote(store, owner, board.id, note.id, "same").votes, range(10)
            )
        )
    assert answers == [1] * 10
    assert assert_books_balance(store, board.current_version.id)["ballots"] == {owner: 1}
