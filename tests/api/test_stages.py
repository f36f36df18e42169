"""The meeting's fields through the real handlers: stage and timer mutations, what they answer,
what a hidden stage leaves out, and the board page's cost with the stage and timer on it."""

import contextvars

import pytest

from resolvers import read, write
from retro import services
from retro.errors import RetroError
from tests.api.conftest import make_event

NOTE = "{ id boardId versionId column text votes createdAt updatedAt }"
VERSION = (
    "{ id boardId number stage textsHidden votesHidden "
    "timer { endsAt remainingMs durationSeconds advances running ended } notes " + NOTE + " }"
)
PAGE = (
    "{ id title settings { voteBudget hideWhileWriting secretBallot } "
    "currentVersion { number stage textsHidden votesHidden "
    "timer { endsAt remainingMs durationSeconds advances running ended } "
    "notes { id column text votes } } versions { items { number stage } } }"
)


@pytest.fixture
def board(store, people):
    owner, _ = people["owner"]
    return services.create_board(
        store, owner, "Guided", hide_while_writing=True, secret_ballot=True
    )


def call(handler, field, arguments=None, **kwargs):
    # a fresh context per invocation, as Lambda gives: round trips count from zero
    return contextvars.Context().run(handler, make_event(field, arguments, **kwargs))


def set_stage(board, user, stage, selection=VERSION):
    return call(
        write.handler,
        "Mutation.setStage",
        {"input": {"boardId": board.id, "stage": stage}},
        user=user,
        selection=selection,
    )


def test_the_owner_runs_the_meeting_through_the_write_handler(store, people, board):
    owner, _ = people["owner"]
    member, _ = people["member"]
    version = set_stage(board, owner, "WRITE")
    assert (version["stage"], version["textsHidden"], version["votesHidden"]) == (
        "WRITE",
        True,
        False,
    )
    assert version["timer"] is None and version["boardId"] == board.id
    started = call(
        write.handler,
        "Mutation.startTimer",
        {"input": {"boardId": board.id, "seconds": 300, "advance": True, "clientRequestId": "t"}},
        user=owner,
        selection=VERSION,
    )
    timer = started["timer"]
    assert (timer["durationSeconds"], timer["advances"], timer["running"]) == (300, True, True)
    assert timer["ended"] is False
    assert 290_000 < timer["remainingMs"] <= 300_000
    assert timer["endsAt"].endswith("Z")
    extended = call(
        write.handler,
        "Mutation.extendTimer",
        {"boardId": board.id, "seconds": 60},
        user=owner,
        selection=VERSION,
    )
    assert extended["timer"]["durationSeconds"] == 360
    stopped = call(
        write.handler, "Mutation.stopTimer", {"boardId": board.id}, user=owner, selection=VERSION
    )
    assert stopped["timer"]["running"] is False and stopped["timer"]["remainingMs"] == 0
    assert stopped["timer"]["ended"] is False  # stopped, not run out
    with pytest.raises(RetroError, match=f"only the owner of board {board.id}") as refused:
        set_stage(board, member, "VOTE")
    assert refused.value.error_type == "ForbiddenError"


def test_hidden_texts_are_null_in_every_answer_and_mine_are_on_participation(store, people, board):
    owner, _ = people["owner"]
    member, _ = people["member"]
    set_stage(board, owner, "WRITE")
    added = call(
        write.handler,
        "Mutation.addNote",
        {"input": {"boardId": board.id, "column": "GOOD", "text": "my secret"}},
        user=member,
        selection=NOTE,
    )
    assert added["text"] is None and added["votes"] == 0 and added["boardId"] == board.id
    page = call(read.handler, "Query.board", {"id": board.id}, user=owner, selection=PAGE)
    [shown] = page["currentVersion"]["notes"]
    assert (shown["id"], shown["text"], shown["votes"]) == (added["id"], None, 0)
    mine = call(
        read.handler,
        "Query.participation",
        {"boardId": board.id},
        user=member,
        selection="{ myNoteIds myNotes { id column text } }",
    )
    assert mine["myNotes"] == [{"id": added["id"], "column": "GOOD", "text": "my secret"}]
    voted = None
    with pytest.raises(RetroError, match="the board is in WRITE") as refused:
        voted = call(
            write.handler,
            "Mutation.vote",
            {"boardId": board.id, "noteId": added["id"]},
            user=member,
            selection=NOTE,
        )
    assert voted is None and refused.value.error_type == "ConflictError"
    revealed = set_stage(board, owner, "VOTE")
    assert [n["text"] for n in revealed["notes"]] == ["my secret"]
    voted = call(
        write.handler,
        "Mutation.vote",
        {"boardId": board.id, "noteId": added["id"]},
        user=member,
        selection=NOTE,
    )
    # a secret ballot: the answer (every onNoteUpdated subscriber's message) names no note
    assert voted is None
    mine = call(
        read.handler,
        "Query.participation",
        {"boardId": board.id},
        user=member,
        selection="{ myVotes { noteId count } }",
    )
    assert mine["myVotes"] == [{"noteId": added["id"], "count": 1}]


@pytest.mark.parametrize(
    ("field", "arguments", "message"),
    [
        ("Mutation.setStage", {"input": {"boardId": "B", "stage": 3}}, "input.stage"),
        ("Mutation.setStage", {"input": {"boardId": "B"}}, "input.stage: is required"),
        (
            "Mutation.startTimer",
            {"input": {"boardId": "B", "seconds": "60"}},
            "input.seconds",
        ),
        (
            "Mutation.startTimer",
            {"input": {"boardId": "B", "seconds": 60, "advance": "yes"}},
            "input.advance",
        ),
        ("Mutation.extendTimer", {"boardId": "B", "seconds": 1.5}, "seconds"),
        ("Mutation.stopTimer", {"boardId": "B", "extra": 1}, "extra: is not a field"),
        (
            "Mutation.createBoard",
            {"input": {"title": "t", "settings": {"secretBallot": "no"}}},
            "input.settings.secretBallot",
        ),
    ],
)
def test_bad_meeting_arguments_name_the_field(store, people, field, arguments, message):
    owner, _ = people["owner"]
    with pytest.raises(RetroError, match=message.replace(".", r"\.")) as refused:
        call(write.handler, field, arguments, user=owner, selection="{ id }")
    assert refused.value.error_type == "BadInputError"


def test_the_board_page_with_stage_and_timer_costs_what_it_cost_before(
    store, people, board, requests
):
    """The board item mirrors the live version's stage and timer: no read more for them."""
    owner, _ = people["owner"]
    set_stage(board, owner, "WRITE")
    call(
        write.handler,
        "Mutation.startTimer",
        {"input": {"boardId": board.id, "seconds": 120, "advance": True}},
        user=owner,
        selection="{ id }",
    )
    for i in range(9):
        services.add_note(store, owner, board.id, ["GOOD", "BAD", "ACTION"][i % 3], f"n{i}")
    requests.clear()
    page = call(read.handler, "Query.board", {"id": board.id}, user=owner, selection=PAGE)
    current = page["currentVersion"]
    assert (current["stage"], current["textsHidden"], current["timer"]["running"]) == (
        "WRITE",
        True,
        True,
    )
    assert [n["text"] for n in current["notes"]] == [None] * 9
    assert [(v["number"], v["stage"]) for v in page["versions"]["items"]] == [(1, "WRITE")]
    assert requests.sequential == 2
    # (index ∥ newest version ∥ versions) → (board ∥ notes) — as without a meeting
    assert len(requests.calls) == 5
