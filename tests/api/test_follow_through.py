"""The follow-through fields through the real handlers, with AppSync-shaped events, on moto:
updateAction, the group mutations, BoardVersion.groups on a page, and Query.trend — what each
answers (never an author), what bad arguments get, and what the trend costs (counted)."""

import pytest

from bench.common import appsync_invocations
from resolvers import read, write
from retro import services
from retro.errors import RetroError
from tests.api.conftest import make_event

NOTE = "{ id column text votes done who carriedFrom carriedCount groupId }"
GROUP = "{ id boardId versionId column title votes noteIds }"
TREND_QUERY = """query($b: ID!) { trend(boardId: $b) { boardId versions {
  versionId number title createdAt frozenAt goodNotes badNotes actionNotes votesCast
  actionsOpened actionsCarried actionsDone actionsOpen oldestOpenActionAge } } }"""


@pytest.fixture
def board(store, people):
    owner, _ = people["owner"]
    return services.create_board(store, owner, "Team")


def call(handler, field, arguments=None, **kwargs):
    return handler(make_event(field, arguments, **kwargs))


def test_update_action_answers_the_public_note(store, people, board):
    owner, _ = people["owner"]
    member, _ = people["member"]
    note = services.add_note(store, owner, board.id, "ACTION", "fix CI")
    answer = call(
        write.handler,
        "Mutation.updateAction",
        {"input": {"boardId": board.id, "id": note.id, "done": True, "who": "Ana"}},
        user=member,
        # every field of a Note: the handler answers what is selected (resolvers/project.py)
        selection="{ id boardId versionId column text votes createdAt updatedAt done who "
        "carriedFrom carriedCount groupId }",
    )
    assert answer == {
        "id": note.id,
        "boardId": board.id,
        "versionId": board.current_version.id,
        "column": "ACTION",
        "text": "fix CI",
        "votes": 0,
        "createdAt": answer["createdAt"],
        "updatedAt": answer["updatedAt"],
        "done": True,
        "who": "Ana",
        "carriedFrom": None,
        "carriedCount": 0,
        "groupId": None,
    }
    assert owner not in str(answer) and member not in str(answer)


@pytest.mark.parametrize(
    ("field", "arguments", "named"),
    [
        ("Mutation.updateAction", {"input": {"boardId": "B", "id": "N", "done": "yes"}}, "done"),
        ("Mutation.updateAction", {"input": {"boardId": "B", "id": "N", "who": 7}}, "who"),
        ("Mutation.groupNotes", {"input": {"boardId": "B", "noteIds": "N"}}, "noteIds"),
        ("Mutation.groupNotes", {"input": {"boardId": "B", "noteIds": [], "x": 1}}, "x"),
        ("Mutation.renameGroup", {"input": {"boardId": "B", "id": "G"}}, "title"),
        ("Mutation.ungroupNote", {"input": {"boardId": "B"}}, "noteId"),
    ],
)
def test_a_wrong_shape_is_refused_naming_the_field(store, people, field, arguments, named):
    owner, _ = people["owner"]
    with pytest.raises(RetroError) as refused:
        call(write.handler, field, arguments, user=owner, selection="{ id }")
    assert refused.value.field.endswith(named)  # type: ignore[attr-defined]


def test_groups_through_the_handlers_and_on_the_board_page(store, people, board, requests):
    owner, _ = people["owner"]
    a = services.add_note(store, owner, board.id, "GOOD", "pairing")
    b = services.add_note(store, owner, board.id, "GOOD", "mobbing")
    services.vote(store, owner, board.id, b.id)
    made = call(
        write.handler,
        "Mutation.groupNotes",
        {"input": {"boardId": board.id, "noteIds": [a.id, b.id], "title": "Together"}},
        user=owner,
        selection=GROUP,
    )
    assert made["title"] == "Together" and made["votes"] == 1
    assert made["noteIds"] == [a.id, b.id]
    renamed = call(
        write.handler,
        "Mutation.renameGroup",
        {"input": {"boardId": board.id, "id": made["id"], "title": "Pairs"}},
        user=owner,
        selection=GROUP,
    )
    assert renamed["title"] == "Pairs"

    # the board page selects groups and not notes: the notes are loaded for them, same rounds
    requests.clear()
    page = call(
        read.handler,
        "Query.board",
        {"id": board.id},
        user=owner,
        selection="{ id currentVersion { groups " + GROUP + " } }",
    )
    assert page["currentVersion"]["groups"] == [renamed]
    assert requests.sequential <= 2

    left = call(
        write.handler,
        "Mutation.ungroupNote",
        {"input": {"boardId": board.id, "noteId": a.id}},
        user=owner,
        selection=GROUP,
    )
    assert left["noteIds"] == [b.id]


def test_the_trend_of_20_versions_is_one_invocation_and_two_rounds(store, people, board, requests):
    owner, _ = people["owner"]
    member, _ = people["member"]
    for number in range(2, 21):
        note = services.add_note(store, member, board.id, "ACTION", f"action {number}")
        if number % 4 == 0:
            services.update_action(store, member, board.id, note.id, done=True)
        services.start_new_version(store, owner, board.id, from_version=number - 1)

    requests.clear()
    selection = TREND_QUERY.split("trend(boardId: $b)", 1)[1].rsplit("}", 1)[0]
    answer = call(
        read.handler, "Query.trend", {"boardId": board.id}, user=owner, selection=selection
    )
    assert requests.sequential <= 2, requests.calls
    assert sorted(requests.operations) == ["GetItem", "Query", "Query"]
    assert appsync_invocations(TREND_QUERY, {"trend": answer}) == {"Query.trend": 1}

    versions = answer["versions"]
    assert [v["number"] for v in versions] == list(range(1, 21))
    last = versions[-1]
    assert last["frozenAt"] is None and all(v["frozenAt"] for v in versions[:-1])
    # every version carries the open ones: five of the 19 actions were done when written
    assert last["actionNotes"] == last["actionsCarried"] == last["actionsOpen"] == 14
    assert last["oldestOpenActionAge"] == 19  # written in version 1, open since
    assert sum(v["actionsDone"] for v in versions) == 5
    assert owner not in str(answer) and member not in str(answer)


def test_no_trend_for_a_board_that_does_not_exist(store, people):
    owner, _ = people["owner"]
    assert call(read.handler, "Query.trend", {"boardId": "0" * 36}, user=owner) is None
