"""The real handlers with AppSync-shaped events, against moto."""

import json
import logging

import pytest

from resolvers import authorizer, read, write
from retro import services
from retro.errors import RetroError
from tests.api.conftest import load_event, make_event

NOTE = "{ id boardId versionId column text votes createdAt updatedAt }"


@pytest.fixture
def board(store, people):
    owner, _ = people["owner"]
    return services.create_board(store, owner, "Sprint 41")


def call(handler, field, arguments=None, **kwargs):
    return handler(make_event(field, arguments, **kwargs))


# -- success paths of every field ---------------------------------------------------------------
def test_create_user_anonymously_returns_a_token_that_authorizes(store):
    session = write.handler(load_event("Mutation.createUser"))
    assert session["user"]["name"] == "Robin"
    verdict = authorizer.handler(load_event("authorizer", token=session["token"]))
    assert verdict == {
        "isAuthorized": True,
        "resolverContext": {"userId": session["user"]["id"]},
        "deniedFields": ["Mutation.createUser"],
        "ttlOverride": authorizer.TTL_SECONDS,
    }


def test_authorizer_refuses_unknown_and_malformed_tokens(store, people):
    user, _ = people["owner"]
    for token in (f"{user}.{'x' * 43}", "garbage", ""):
        assert authorizer.handler(load_event("authorizer", token=token))["isAuthorized"] is False
    assert authorizer.handler({"nothing": 1}) == {"isAuthorized": False}


def test_board_page_comes_nested_from_one_invocation_in_2_rounds(store, people, board, requests):
    owner, token = people["owner"]
    for i in range(12):
        services.add_note(store, owner, board.id, ["GOOD", "BAD", "ACTION"][i % 3], f"n{i}")
    event = load_event("Query.board", boardId=board.id, userId=owner, token=token)
    # the handler answers what is selected (resolvers/project.py): select every version field
    event["info"]["selectionSetGraphQL"] = event["info"]["selectionSetGraphQL"].replace(
        "items {\n      number\n    }\n  }",
        "items { id boardId number title createdAt frozenAt stage textsHidden votesHidden "
        "timer { endsAt } }\n    nextToken\n  }",
    )
    requests.clear()
    page = read.handler(event)
    assert page["title"] == "Sprint 41"
    assert page["currentVersion"]["number"] == 1
    assert [n["text"] for n in page["currentVersion"]["notes"]] == [f"n{i}" for i in range(12)]
    assert page["versions"] == {
        "items": [
            {
                "id": board.current_version.id,
                "boardId": board.id,
                "number": 1,
                "title": None,
                "createdAt": page["versions"]["items"][0]["createdAt"],
                "frozenAt": None,
                "stage": "FREE",
                "timer": None,
                "textsHidden": False,
                "votesHidden": False,
            }
        ],
        "nextToken": None,
    }
    assert requests.sequential == 2
    # (index ∥ newest version ∥ versions) → (board ∥ notes)
    assert len(requests.calls) == 5


@pytest.mark.parametrize(
    ("variables", "texts"),
    [({"c": "BAD"}, ["b"]), ({"c": None}, ["g", "b"]), ({}, ["g", "b"])],
    ids=["a column", "null: every column", "omitted: as if not written"],
)
def test_notes_filtered_by_column_through_variables(store, people, board, variables, texts):
    owner, _ = people["owner"]
    services.add_note(store, owner, board.id, "GOOD", "g")
    services.add_note(store, owner, board.id, "BAD", "b")
    page = call(
        read.handler,
        "Query.board",
        {"id": board.id},
        user=owner,
        selection="{ currentVersion { notes(column: $c) { text } } }",
        variables=variables,
    )
    assert [n["text"] for n in page["currentVersion"]["notes"]] == texts


def test_conflicting_aliases_of_a_prefetched_field_are_refused(store, people, board):
    owner, _ = people["owner"]
    with pytest.raises(RetroError, match="notes: is selected more than once"):
        call(
            read.handler,
            "Query.board",
            {"id": board.id},
            user=owner,
            selection="{ currentVersion { g: notes(column: GOOD) { id } "
            "b: notes(column: BAD) { id } } }",
        )


@pytest.mark.parametrize(
    ("field", "arguments", "selection", "message"),
    [
        (
            "Mutation.createBoard",
            {"input": {"title": "Twice?"}},
            "{ id versions(limit: 500) { items { id } } }",
            "limit: must be from 1 to 100",
        ),
        (
            "Mutation.createBoard",
            {"input": {"title": "Twice?"}},
            "{ id a: currentVersion { notes(column: GOOD) { id } } "
            "b: currentVersion { notes(column: BAD) { id } } }",
            "notes: is selected more than once",
        ),
        (
            "Mutation.updateBoard",
            {"input": {"id": "$board", "title": "Renamed?"}},
            "{ id versions(limit: 0) { items { id } } }",
            "limit: must be from 1 to 100",
        ),
        (
            "Mutation.startNewVersion",
            {"input": {"boardId": "$board"}},
            "{ id g: notes(column: GOOD) { id } all: notes { id } }",
            "notes: is selected more than once",
        ),
        (
            "Mutation.deleteBoard",
            {"id": "$board"},
            "{ id versions { items { notes(column: UGLY) { id } } } }",
            "column: must be one of GOOD, BAD, ACTION",
        ),
    ],
)
def test_a_mutation_whose_selection_is_refused_writes_nothing(
    store, people, board, field, arguments, selection, message
):
    """What AppSync lets through (an Int out of range, the prefetch rule) is refused before the
    write: refused after it, the client sees an error for a change that was made and retries."""
    owner, _ = people["owner"]
    arguments = json.loads(json.dumps(arguments).replace("$board", board.id))
    with pytest.raises(RetroError, match=message) as caught:
        call(write.handler, field, arguments, user=owner, selection=selection)
    assert caught.value.error_type == "BadInputError"
    assert services.boards_of(store, owner)[0] == [board]
    assert services.get_board(store, board.id) == board


def test_a_refused_selection_costs_no_read(store, people, board, requests):
    owner, _ = people["owner"]
    requests.clear()
    with pytest.raises(RetroError, match="limit: must be from 1 to 100"):
        call(
            read.handler,
            "Query.board",
            {"id": board.id},
            user=owner,
            selection="{ id versions(limit: 101) { items { id } } }",
        )
    assert requests.calls == []


def test_deleting_a_board_returns_what_went_and_reads_the_board_once(
    store, people, board, requests
):
    owner, _ = people["owner"]
    services.add_note(store, owner, board.id, "GOOD", "last words")
    requests.clear()
    gone = call(
        write.handler,
        "Mutation.deleteBoard",
        {"id": board.id},
        user=owner,
        selection="{ id currentVersion { notes { text } } "
        "versions { items { number notes { text } } } }",
    )
    assert gone["id"] == board.id
    assert [n["text"] for n in gone["currentVersion"]["notes"]] == ["last words"]
    assert [v["number"] for v in gone["versions"]["items"]] == [1]
    assert [n["text"] for n in gone["versions"]["items"][0]["notes"]] == ["last words"]
    assert requests.operations.count("GetItem") == 1  # the board, read once
    assert services.get_board(store, board.id) is None


def test_missing_board_is_null_and_a_malformed_id_names_the_field(store, people):
    owner, _ = people["owner"]
    assert call(read.handler, "Query.board", {"id": "0" * 36}, user=owner) is None
    with pytest.raises(RetroError, match="id: is not a valid id") as caught:
        call(read.handler, "Query.board", {"id": "nope"}, user=owner)
    assert caught.value.error_type == "BadInputError"


def test_me_and_my_boards(store, people, board):
    owner, _ = people["owner"]
    me = call(read.handler, "Query.me", user=owner)
    assert me["name"] == "owner"
    boards = call(
        read.handler,
        "User.boards",
        {"limit": 5},
        user=owner,
        source=me,
        selection="{ items { id title createdAt updatedAt currentVersion { number } "
        "settings { voteBudget hideWhileWriting secretBallot } } nextToken }",
    )
    assert boards == {
        "items": [
            {
                "id": board.id,
                "title": "Sprint 41",
                "createdAt": boards["items"][0]["createdAt"],
                "updatedAt": boards["items"][0]["updatedAt"],
                "settings": {"voteBudget": 5, "hideWhileWriting": False, "secretBallot": False},
                "currentVersion": boards["items"][0]["currentVersion"],
            }
        ],
        "nextToken": None,
    }


def test_an_answer_holds_what_is_selected_and_the_ids_a_nested_resolver_reads(store, people, board):
    """Only selected fields come back. A field with a resolver of its own is filled by AppSync
    from `source` — this answer, not what the query selected — so the answer keeps the ids that
    resolver reads when such a field is selected, asked for or not."""
    owner, _ = people["owner"]
    assert call(
        read.handler, "Query.board", {"id": board.id}, user=owner, selection="{ title }"
    ) == {"title": "Sprint 41"}
    parent = call(
        read.handler,
        "Query.board",
        {"id": board.id},
        user=owner,
        selection="{ title version(number: 1) { title } }",
    )
    assert parent == {"id": board.id, "title": "Sprint 41"}
    version = call(
        read.handler,
        "Board.version",
        {"number": 1},
        user=owner,
        source=parent,
        selection="{ title export(format: CSV) }",
    )
    assert version == {
        "id": board.current_version.id,
        "boardId": board.id,
        "number": 1,
        "title": None,
    }
    exported = call(
        read.handler, "BoardVersion.export", {"format": "CSV"}, user=owner, source=version
    )
    assert exported.splitlines()[0].startswith("column,")
    me = call(read.handler, "Query.me", user=owner, selection="{ boards { nextToken } }")
    assert me == {"id": owner}
    assert call(
        read.handler, "User.boards", {}, user=owner, source=me, selection="{ nextToken }"
    ) == {"nextToken": None}


def test_someone_elses_boards_are_not_listed(store, people):
    owner, _ = people["owner"]
    stranger, _ = people["stranger"]
    with pytest.raises(RetroError) as caught:
        call(read.handler, "User.boards", {}, user=stranger, source={"id": owner})
    assert caught.value.error_type == "ForbiddenError"


def test_every_mutation_succeeds_for_the_right_caller(store, people):
    owner, _ = people["owner"]
    member, _ = people["member"]
    created = call(
        write.handler,
        "Mutation.createBoard",
        {"input": {"title": "Retro", "settings": {"voteBudget": 2}}},
        user=owner,
        selection="{ id title settings { voteBudget hideWhileWriting secretBallot } "
        "currentVersion { number notes { id } } }",
    )
    assert created["settings"] == {
        "voteBudget": 2,
        "hideWhileWriting": False,
        "secretBallot": False,
    }
    assert created["currentVersion"]["notes"] == []
    board_id = created["id"]
    renamed = call(
        write.handler,
        "Mutation.updateBoard",
        {"input": {"id": board_id, "title": "Retro 2"}},
        user=owner,
    )
    assert renamed["title"] == "Retro 2"
    note = call(
        write.handler,
        "Mutation.addNote",
        {"input": {"boardId": board_id, "column": "ACTION", "text": " ship "}},
        user=member,
        selection=NOTE,
    )
    assert (note["text"], note["boardId"], note["votes"]) == ("ship", board_id, 0)
    assert (
        call(
            write.handler, "Mutation.vote", {"boardId": board_id, "noteId": note["id"]}, user=member
        )["votes"]
        == 1
    )
    assert (
        call(
            write.handler,
            "Mutation.unvote",
            {"boardId": board_id, "noteId": note["id"]},
            user=member,
        )["votes"]
        == 0
    )
    edited = call(
        write.handler,
        "Mutation.updateNote",
        {"input": {"boardId": board_id, "id": note["id"], "text": "ship it"}},
        user=member,
    )
    assert edited["text"] == "ship it"
    version = call(
        write.handler,
        "Mutation.startNewVersion",
        {"input": {"boardId": board_id, "title": "S2"}},
        user=owner,
        selection="{ id number title notes { id text } }",
    )
    assert (version["number"], version["title"], [n["text"] for n in version["notes"]]) == (
        2,
        "S2",
        ["ship it"],
    )
    carried = version["notes"][0]
    removed = call(
        write.handler,
        "Mutation.deleteNote",
        {"boardId": board_id, "id": carried["id"]},
        user=member,
    )
    assert removed["id"] == carried["id"]
    mine = call(read.handler, "Query.participation", {"boardId": board_id}, user=member)
    assert mine == {
        "boardId": board_id,
        "versionId": version["id"],
        "isOwner": False,
        "voteBudget": 2,
        "votesUsed": 0,
        "votesLeft": 2,
        "myVotes": [],
        "myNoteIds": [],
        "myNotes": [],
    }
    gone = call(write.handler, "Mutation.deleteBoard", {"id": board_id}, user=owner)
    assert gone["id"] == board_id
    assert call(read.handler, "Query.board", {"id": board_id}, user=owner) is None


def test_export_resolves_for_a_version(store, people, board):
    owner, _ = people["owner"]
    services.add_note(store, owner, board.id, "GOOD", "pairing")
    source = {"id": board.current_version.id, "boardId": board.id, "number": 1}
    text = call(
        read.handler, "BoardVersion.export", {"format": "MARKDOWN"}, user=owner, source=source
    )
    assert "- pairing" in text


def test_subscribing_checks_the_board_exists(store, people, board):
    member, _ = people["member"]
    assert (
        call(read.handler, "Subscription.onNoteAdded", {"boardId": board.id}, user=member) is None
    )
    with pytest.raises(RetroError) as caught:
        call(read.handler, "Subscription.onBoardUpdated", {"id": "1" * 36}, user=member)
    assert caught.value.error_type == "NotFoundError"


# -- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "arguments", "role", "error_type"),
    [
        (
            "Mutation.updateBoard",
            {"input": {"id": "$board", "title": "x"}},
            "member",
            "ForbiddenError",
        ),
        ("Mutation.deleteBoard", {"id": "$board"}, "stranger", "ForbiddenError"),
        ("Mutation.startNewVersion", {"input": {"boardId": "$board"}}, "member", "ForbiddenError"),
        (
            "Mutation.addNote",
            {"input": {"boardId": "$board", "column": "GOOD", "text": ""}},
            "member",
            "BadInputError",
        ),
        (
            "Mutation.addNote",
            {"input": {"boardId": "$board", "column": "UGLY", "text": "x"}},
            "member",
            "BadInputError",
        ),
        (
            "Mutation.addNote",
            {"input": {"boardId": "$board", "column": "GOOD"}},
            "member",
            "BadInputError",
        ),
        (
            "Mutation.addNote",
            {"input": {"boardId": "$board", "column": "GOOD", "text": "x", "authorId": "me"}},
            "member",
            "BadInputError",
        ),
        ("Mutation.vote", {"boardId": "$board", "noteId": "2" * 36}, "member", "NotFoundError"),
        ("Mutation.createBoard", {"input": {"title": "x"}}, None, "UnauthorizedError"),
        ("Query.participation", {"boardId": "$board"}, None, "UnauthorizedError"),
    ],
)
def test_refusals_carry_their_error_type_and_write_nothing(
    store, people, board, field, arguments, role, error_type
):
    arguments = json.loads(json.dumps(arguments).replace("$board", board.id))
    user = people[role][0] if role else None
    handler = read.handler if field.startswith("Query") else write.handler
    with pytest.raises(RetroError) as caught:
        call(handler, field, arguments, user=user)
    assert caught.value.error_type == error_type
    assert services.notes_of(store, board.current_version.id) == []
    assert services.get_board(store, board.id) == board


def test_validation_messages_name_the_field(store, people, board):
    member, _ = people["member"]
    with pytest.raises(RetroError, match=r"^text: must be at most 2000 characters"):
        call(
            write.handler,
            "Mutation.addNote",
            {"input": {"boardId": board.id, "column": "GOOD", "text": "x" * 2001}},
            user=member,
        )
    with pytest.raises(RetroError, match=r"^input\.column: is required"):
        call(
            write.handler,
            "Mutation.addNote",
            {"input": {"boardId": board.id, "text": "x"}},
            user=member,
        )


def test_vote_over_budget_is_a_conflict(store, people, board):
    member, _ = people["member"]
    note = services.add_note(store, member, board.id, "GOOD", "x")
    for _ in range(5):
        call(write.handler, "Mutation.vote", {"boardId": board.id, "noteId": note.id}, user=member)
    with pytest.raises(RetroError, match="no votes left") as caught:
        call(write.handler, "Mutation.vote", {"boardId": board.id, "noteId": note.id}, user=member)
    assert caught.value.error_type == "ConflictError"


def test_unexpected_failures_are_masked_with_a_correlation_id_in_the_log(
    store, people, board, monkeypatch, capsys
):
    owner, _ = people["owner"]

    def explode(*_args, **_kwargs):
        raise RuntimeError("secret table detail arn:aws:dynamodb:...")

    monkeypatch.setattr(services, "load_board_page", explode)
    with pytest.raises(RetroError) as caught:
        call(read.handler, "Query.board", {"id": board.id}, user=owner)
    assert caught.value.error_type == "InternalError"
    assert "secret" not in str(caught.value)
    correlation = str(caught.value).split("correlation id ")[1].rstrip(")")
    logged = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    entry = next(line for line in logged if line.get("correlation_id") == correlation)
    assert entry["level"] == logging.getLevelName(logging.ERROR)
    assert "secret table detail" in entry["exception"]


# -- batches --------------------------------------------------------------------------------------
def test_batch_answers_in_order_with_per_item_errors(store, people, board):
    owner, token = people["owner"]
    services.add_note(store, owner, board.id, "GOOD", "v1 note")
    services.start_new_version(store, owner, board.id)
    other = services.create_board(store, people["stranger"][0], "Elsewhere")
    event = load_event(
        "Board.version.batch", boardId=board.id, otherBoardId=other.id, userId=owner, token=token
    )
    for item in event:  # every version field: the handler answers what is selected
        item["info"]["selectionSetGraphQL"] = (
            "{ id boardId number title createdAt frozenAt stage timer { endsAt } textsHidden "
            "votesHidden notes { text } }"
        )
    answers = read.handler(event)
    assert len(answers) == 4
    assert answers[0] == {
        "data": {
            "id": answers[0]["data"]["id"],
            "boardId": board.id,
            "number": 2,
            "title": None,
            "createdAt": answers[0]["data"]["createdAt"],
            "frozenAt": None,
            "stage": "FREE",
            "timer": None,
            "textsHidden": False,
            "votesHidden": False,
            "notes": [],
        }
    }
    assert answers[1]["data"]["number"] == 1
    assert [n["text"] for n in answers[1]["data"]["notes"]] == ["v1 note"]
    assert answers[2] == {"data": None}
    assert (
        answers[3]["data"]["number"] == 1
    )  # boards are capabilities: any board id the caller holds


def test_batch_item_errors_use_the_envelope(store, people, board):
    owner, _ = people["owner"]
    good = make_event(
        "BoardVersion.export",
        {"format": "CSV"},
        user=owner,
        source={"id": board.current_version.id, "boardId": board.id, "number": 1},
    )
    bad = make_event(
        "BoardVersion.export",
        {"format": "PDF"},
        user=owner,
        source={"id": board.current_version.id, "boardId": board.id, "number": 1},
    )
    anonymous = make_event(
        "BoardVersion.export",
        {"format": "CSV"},
        source={"id": board.current_version.id, "boardId": board.id, "number": 1},
    )
    answers = read.handler([good, bad, anonymous])
    assert answers[0]["data"].startswith("column,text,votes,createdAt")
    assert answers[1] == {
        "data": None,
        "errorMessage": "format: must be one of MARKDOWN, CSV, JSON",
        "errorType": "BadInputError",
    }
    assert answers[2]["errorType"] == "UnauthorizedError"


def test_a_field_of_the_other_function_is_refused(store, people):
    owner, _ = people["owner"]
    with pytest.raises(RetroError, match="not resolved by the read function"):
        call(read.handler, "Mutation.addNote", {}, user=owner)
