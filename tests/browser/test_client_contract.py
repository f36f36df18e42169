"""The client agrees with the server: its forms carry the server's limits, and it reads each
error the server really sends as one meaning (client/js/errors.js), both unauthorized names
as one."""

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from retro import errors, models
from retro.ids import new_id
from retro.services import checks
from tests.browser.board_page import (
    add_note,
    create_board,
    graphql_as,
    note,
    open_board,
    token_key,
)
from tests.test_client_limits import vote_budget_bounds

pytestmark = pytest.mark.browser

# What each errorType means to the client. AppSync's own names are here too: the whole request
# refused (UnauthorizedException, HTTP 401) and one field refused for the credential used.
MEANINGS = {
    "NotFoundError": "notFound",
    "ForbiddenError": "forbidden",
    "UnauthorizedError": "unauthorized",
    "UnauthorizedException": "unauthorized",
    "Unauthorized": "forbidden",
    "ConflictError": "conflict",
    "BadInputError": "invalid",
    "UnavailableError": "unavailable",
    "InternalError": "internal",
    # the local AppSync's answer for a resolver that ran out of time: its write may have happened
    "ExecutionTimeout": "unavailable",
}

MEANING_OF = "async ([type, message]) => (await import('/js/errors.js')).meaningOf(type, message)"

SEND = """async ([query, variables, headers]) => {
    const config = await (await fetch('/config.json')).json();
    const response = await fetch(config.graphqlUrl, {
        method: 'POST',
        headers: {'content-type': 'application/json', ...headers},
        body: JSON.stringify({query, variables}),
    });
    return response.json();
}"""


def test_every_error_type_of_the_server_has_its_meaning(new_page: Any) -> None:
    # Every errorType of the server's taxonomy is named here, so a new one fails this test until
    # the client decides what it means.
    taxonomy = {name for name in errors.__all__ if name.endswith("Error") and name != "RetroError"}
    assert taxonomy <= set(MEANINGS)
    page = new_page()
    for error_type, meaning in MEANINGS.items():
        assert page.evaluate(MEANING_OF, [error_type, "whatever"]) == meaning, error_type
    # Names the client makes up for failures outside GraphQL; and anything unknown.
    assert page.evaluate(MEANING_OF, ["NetworkError", "Can't reach the server."]) == "unavailable"
    assert page.evaluate(MEANING_OF, ["HttpError", "The server answered HTTP 403."]) == (
        "unavailable"
    )
    assert page.evaluate(MEANING_OF, ["", "Validation error of type FieldUndefined"]) == (
        "internal"
    )
    assert page.evaluate(MEANING_OF, ["constructor", "x"]) == "internal"


def _meaning(page: Any, answer: dict[str, Any]) -> str:
    assert answer.get("errors"), json.dumps(answer)
    error = answer["errors"][0]
    meaning: str = page.evaluate(MEANING_OF, [error.get("errorType") or "", error["message"]])
    return meaning


def test_the_errors_the_server_really_sends_are_read_as_one_meaning(new_page: Any) -> None:
    owner = new_page()
    url = create_board(owner, "Errors", votes=1)
    board_id = url.rsplit("/", 1)[1]
    add_note(owner, "GOOD", "Vote for me")
    note_id = note(owner, "GOOD", "Vote for me").get_attribute("data-note-id")
    member = open_board(new_page, url)
    add_note_doc = "mutation($i: AddNoteInput!) { addNote(input: $i) { id } }"
    vote_doc = "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { id } }"

    # A board link with a mangled id is refused as bad input naming `id`: no such board.
    malformed = graphql_as(owner, "query($id: ID!) { board(id: $id) { id } }", {"id": "nope"})
    assert malformed["errors"][0]["errorType"] == "BadInputError"
    assert _meaning(owner, malformed) == "notFound"
    # ... as is one naming a nested id argument, while other bad input stays invalid.
    nested = {"boardId": "nope", "column": "GOOD", "text": "x"}
    assert _meaning(owner, graphql_as(owner, add_note_doc, {"i": nested})) == "notFound"
    empty = {"boardId": board_id, "column": "GOOD", "text": " "}
    assert _meaning(owner, graphql_as(owner, add_note_doc, {"i": empty})) == "invalid"
    bad_request_id = {"boardId": board_id, "column": "GOOD", "text": "x", "clientRequestId": "a#b"}
    assert _meaning(owner, graphql_as(owner, add_note_doc, {"i": bad_request_id})) == "invalid"
    long_text = {"boardId": board_id, "column": "GOOD", "text": "x" * (models.MAX_NOTE_TEXT + 1)}
    assert _meaning(owner, graphql_as(owner, add_note_doc, {"i": long_text})) == "invalid"

    # A well-formed id of nothing
    gone = {"b": board_id, "n": new_id()}
    assert _meaning(owner, graphql_as(owner, vote_doc, gone)) == "notFound"
    # Not the owner
    rename = "mutation($i: UpdateBoardInput!) { updateBoard(input: $i) { id } }"
    taken = graphql_as(member, rename, {"i": {"id": board_id, "title": "Taken over"}})
    assert _meaning(member, taken) == "forbidden"
    # The one vote is spent
    assert "errors" not in graphql_as(member, vote_doc, {"b": board_id, "n": note_id})
    assert _meaning(member, graphql_as(member, vote_doc, {"b": board_id, "n": note_id})) == (
        "conflict"
    )
    # An unknown token: AppSync refuses the whole request (HTTP 401)
    stale = member.evaluate(SEND, ["query { me { id } }", {}, {"Authorization": "stale"}])
    assert stale["errors"][0]["errorType"] == "UnauthorizedException"
    assert _meaning(member, stale) == "unauthorized"
    # A field the credential may not use: a user's token asking for a new user
    token = member.evaluate("key => localStorage.getItem(key)", token_key(member))
    create_user = ["mutation { createUser { token } }", {}, {"Authorization": token}]
    twice = member.evaluate(SEND, create_user)
    assert twice["errors"][0]["errorType"] == "Unauthorized"
    assert _meaning(member, twice) == "forbidden"


def test_a_mangled_board_link_says_the_board_does_not_exist(new_page: Any) -> None:
    page = new_page("/#/board/not-a-board-id")
    expect(page.get_by_role("heading", name="This board doesn't exist")).to_be_visible()


def test_the_forms_and_requests_carry_the_servers_limits(new_page: Any) -> None:
    low, high = vote_budget_bounds()
    page = new_page()
    queries: list[str] = []
    page.on("request", lambda request: queries.append(request.post_data or ""))
    title = page.get_by_label("Board title")
    budget = page.get_by_label("Votes per person")
    expect(title).to_have_attribute("maxlength", str(models.MAX_TITLE))
    expect(budget).to_have_attribute("min", str(low))
    expect(budget).to_have_attribute("max", str(high))
    expect(budget).to_have_value(str(models.DEFAULT_VOTE_BUDGET))

    create_board(page, "Limits")
    # The version list asks for the largest page the server answers.
    board_pages = [json.loads(q)["query"] for q in queries if "query BoardPage" in q]
    assert board_pages
    assert all(f"versions(limit: {checks.MAX_PAGE})" in q for q in board_pages)
    expect(page.get_by_text(f"of {models.DEFAULT_VOTE_BUDGET} votes left")).to_be_visible()
    composer = page.locator('[data-retro="composer-GOOD"]')
    expect(composer).to_have_attribute("maxlength", str(models.MAX_NOTE_TEXT))
    card = add_note(page, "GOOD", "Edit me")
    card.get_by_role("button", name="Edit").click()
    editor = card.get_by_label("Edit note")
    expect(editor).to_have_attribute("maxlength", str(models.MAX_NOTE_TEXT))
    editor.press("Escape")

    page.get_by_role("button", name="Board settings").click()
    settings = page.get_by_role("dialog", name="Board settings")
    expect(settings.get_by_label("Board title")).to_have_attribute(
        "maxlength", str(models.MAX_TITLE)
    )
    expect(settings.get_by_label("Votes per person")).to_have_attribute("min", str(low))
    expect(settings.get_by_label("Votes per person")).to_have_attribute("max", str(high))
    settings.get_by_role("button", name="Cancel").click()
    page.get_by_role("button", name="Start new version").click()
    dialog = page.get_by_role("dialog", name="Start a new version")
    expect(dialog.get_by_label("Name (optional)")).to_have_attribute(
        "maxlength", str(models.MAX_TITLE)
    )
    # A start names the version it closes, so a double click starts one version, not two.
    dialog.get_by_role("button", name="Start version 2").click()
    expect(page.get_by_label("Version", exact=True).locator("option:checked")).to_have_text(
        "Version 2 (live)"
    )
    starts = [json.loads(q) for q in queries if "startNewVersion" in q]
    assert [s["variables"]["input"]["fromVersion"] for s in starts] == [1]
