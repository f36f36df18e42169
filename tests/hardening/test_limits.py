"""Limits and bad input over HTTP: a clear error, and nothing written.

Runs on `limited_server`: Retro's API with the limits AppSync is deployed with (infra's
resolver count, introspection off) and a depth limit low enough for this schema to exceed.
"Nothing written" is checked by reading the board back, and "nothing ran" by the handler
invocation counters (`write` is the function every mutation goes through).
"""

import json
from typing import Any

import pytest

from tests.conftest import LiveServer

from .conftest import (
    QUERY_DEPTH_LIMIT,
    RESOLVER_COUNT_LIMIT,
    User,
    add_note,
    board_state,
    create_board,
    new_user,
    raw_request,
    vote,
)

ADD = "mutation($i: AddNoteInput!) { addNote(input: $i) { id } }"


@pytest.fixture(scope="module")
def owner(limited_server: LiveServer) -> User:
    return new_user(limited_server, "Limited")


@pytest.fixture
def board(limited_server: LiveServer, owner: User) -> str:
    return create_board(limited_server, owner.token, "Limits")


def only_error(body: dict[str, Any]) -> dict[str, Any]:
    errors = body.get("errors") or []
    assert len(errors) >= 1, body
    return errors[0]  # type: ignore[no-any-return]


def test_fields_past_the_depth_limit_are_null_and_the_rest_is_answered(
    limited_server: LiveServer, owner: User, board: str
) -> None:
    """AppSync runs a document deeper than its limit: each field past it is null with
    `QueryDepthLimitReached` (a non-null one takes its nearest nullable parent with it) and
    the rest is answered ("Configuring query depth limits", AppSync Developer Guide)."""
    assert QUERY_DEPTH_LIMIT == 5  # the documents below are written for it
    at_limit = (
        'mutation { createBoard(input: {title: "deep"}) { versions { items { notes { id } } } } }'
    )
    assert limited_server.data(at_limit, token=owner.token)["createBoard"]["versions"]
    add_note(limited_server, owner.token, board, "deep")
    # 6 levels, the root field being level 1: `id` under `notes` is past the limit
    deep = "{ me { name } deep: me { boards { items { currentVersion { notes { id } } } } } }"
    response = limited_server.post(deep, token=owner.token)
    # Note.id, BoardVersion.notes, Board.currentVersion... are non-null: `deep` (nullable) is
    # null; `me`, within the limit, is answered
    assert response.body["data"] == {"me": {"name": "Limited"}, "deep": None}
    error = only_error(response.body)
    assert error["errorType"] == "QueryDepthLimitReached"
    assert str(QUERY_DEPTH_LIMIT) in error["message"]
    assert error["path"][0] == "deep" and error["path"][-1] == "id"
    assert len([p for p in error["path"] if isinstance(p, str)]) == QUERY_DEPTH_LIMIT + 1


def test_too_many_aliases_stop_at_the_resolver_count_limit(
    limited_server: LiveServer, owner: User, board: str
) -> None:
    count = RESOLVER_COUNT_LIMIT + 1
    reads = " ".join(f'a{i}: board(id: "{board}") {{ id }}' for i in range(count))
    before = limited_server.invocations()
    response = limited_server.post(f"{{ {reads} }}", token=owner.token)
    error = only_error(response.body)
    assert error["errorType"] == "ResolverExecutionLimitReached"
    assert str(RESOLVER_COUNT_LIMIT) in error["message"]
    assert error["path"] == [f"a{count - 1}"]
    spent = limited_server.invocations() - before
    assert spent["read"] == RESOLVER_COUNT_LIMIT  # the 101st never ran
    # Aliased writes: AppSync counts resolvers as it runs them, so the root fields within the
    # limit do run (one write each) and the rest are refused: never more than the limit.
    writes = " ".join(
        f'a{i}: addNote(input: {{boardId: "{board}", column: GOOD, text: "n{i}"}}) {{ id }}'
        for i in range(count)
    )
    response = limited_server.post(f"mutation {{ {writes} }}", token=owner.token)
    assert only_error(response.body)["errorType"] == "ResolverExecutionLimitReached"
    notes = board_state(limited_server, owner.token, board)["currentVersion"]["notes"]
    assert len(notes) == RESOLVER_COUNT_LIMIT
    assert f"n{count - 1}" not in {n["text"] for n in notes}
    # aliases of a field without a resolver cost nothing and are answered (as AppSync does)
    typenames = " ".join(f"t{i}: __typename" for i in range(1000))
    assert len(limited_server.data(f"{{ {typenames} }}")) == 1000


def test_oversized_documents_and_variables_are_refused_unread(
    limited_server: LiveServer, owner: User, board: str
) -> None:
    before = board_state(limited_server, owner.token, board)
    calls = limited_server.invocations()
    headers = {"content-type": "application/json", "authorization": owner.token}
    huge_document = json.dumps({"query": "mutation { __typename }" + " " * 1_100_000})
    variables = {"i": {"boardId": board, "column": "GOOD", "text": "x" * 1_100_000}}
    huge_variables = json.dumps({"query": ADD, "variables": variables})
    for body in (huge_document, huge_variables):
        response = raw_request(limited_server, body.encode(), headers)
        assert response.status == 413, response.text
        assert response.json() == {
            "errors": [
                {
                    "errorType": "PayloadTooLargeException",
                    "message": "The request body is too large.",
                }
            ]
        }
    assert limited_server.invocations() == calls
    assert board_state(limited_server, owner.token, board) == before


def test_batches_get_and_non_json_content_types_are_refused_unrun(
    limited_server: LiveServer, owner: User, board: str
) -> None:
    """No JSON array batching; no body a browser can send cross-site without a preflight (form,
    multipart, text). GET runs operations as AppSync does, but only with the Authorization header,
    which a link or an <img> cannot carry (CSRF): without it, 401 and nothing runs."""
    before = board_state(limited_server, owner.token, board)
    calls = limited_server.invocations()
    mutation = {
        "query": ADD,
        "variables": {"i": {"boardId": board, "column": "BAD", "text": "csrf"}},
    }
    auth = {"authorization": owner.token}
    batch = json.dumps([mutation, mutation]).encode()
    response = raw_request(limited_server, batch, {"content-type": "application/json", **auth})
    assert (response.status, only_error(response.json())["errorType"]) == (
        400,
        "MalformedHttpRequestException",
    )
    for query in ("{ __typename }", "mutation { __typename }"):
        path = "/graphql?query=" + query.replace(" ", "%20")
        response = raw_request(limited_server, None, {}, method="GET", path=path)
        assert (response.status, only_error(response.json())["errorType"]) == (
            401,
            "UnauthorizedException",
        )
        response = raw_request(limited_server, None, auth, method="GET", path=path)
        assert response.status == 200
        assert response.json()["data"]["__typename"] in ("Query", "Mutation")
    form = f"query={ADD}".encode()
    multipart = (
        b'--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        + json.dumps(mutation).encode()
        + b"\r\n--x--\r\n"
    )
    for content_type, body in [
        ("application/x-www-form-urlencoded", form),
        ("multipart/form-data; boundary=x", multipart),
        ("text/plain", json.dumps(mutation).encode()),
        ("application/graphql", ADD.encode()),
        (None, json.dumps(mutation).encode()),
    ]:
        headers = {**auth, **({"content-type": content_type} if content_type else {})}
        response = raw_request(limited_server, body, headers)
        assert response.status == 400, (content_type, response.text)
        error = only_error(response.json())
        assert error["errorType"] == "MalformedHttpRequestException"
        if content_type == "application/graphql":  # accepted as AppSync does, for a JSON body
            assert error["message"] == "The request body is not valid JSON."
        else:
            assert "application/json" in error["message"]
    assert limited_server.invocations() == calls
    assert board_state(limited_server, owner.token, board) == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "text"),
        ("   \n\t ", "text"),
        ("x" * 2001, "text"),
        ("bell \x07", "text"),
        ("nul \x00", "text"),
        ("\u200b\u200b", "text"),  # zero-width spaces only: looks empty
        ("\ufeff", "text"),  # a byte order mark only
        ("\u3164 \u2800", "text"),  # a Hangul filler and a braille blank
    ],
)
def test_bad_note_text_is_refused_naming_the_field(
    limited_server: LiveServer, owner: User, board: str, text: str, problem: str
) -> None:
    before = board_state(limited_server, owner.token, board)
    response = limited_server.post(
        ADD, {"i": {"boardId": board, "column": "GOOD", "text": text}}, token=owner.token
    )
    error = only_error(response.body)
    assert error["errorType"] == "BadInputError"
    assert error["message"].startswith(f"{problem}:"), error
    assert board_state(limited_server, owner.token, board) == before


def test_the_longest_note_text_is_accepted(
    limited_server: LiveServer, owner: User, board: str
) -> None:
    text = "y" * 2000
    note = limited_server.data(
        "mutation($i: AddNoteInput!) { addNote(input: $i) { text } }",
        {"i": {"boardId": board, "column": "GOOD", "text": f"  {text}  "}},
        token=owner.token,
    )
    assert note == {"addNote": {"text": text}}  # trimmed, then counted


@pytest.mark.parametrize(
    ("document", "variables", "field"),
    [
        ('mutation { createBoard(input: {title: "%s"}) { id } }' % ("t" * 201), {}, "title"),
        ("mutation($t: String!) { createBoard(input: {title: $t}) { id } }", {"t": " "}, "title"),
        (
            'mutation { createBoard(input: {title: "ok", settings: {voteBudget: 0}}) { id } }',
            {},
            "settings.voteBudget",
        ),
        (
            'mutation { createBoard(input: {title: "ok", settings: {voteBudget: 101}}) { id } }',
            {},
            "settings.voteBudget",
        ),
        (
            "mutation($t: String!) { createBoard(input: {title: $t}) { id } }",
            {"t": "\u200b"},
            "title",
        ),
        # bidi override and isolate, line and paragraph separators: refused in one-line fields
        (
            "mutation($t: String!) { createBoard(input: {title: $t}) { id } }",
            {"t": "a\u202eb"},
            "title",
        ),
        (
            "mutation($t: String!) { createBoard(input: {title: $t}) { id } }",
            {"t": "a\u2066b"},
            "title",
        ),
        (
            "mutation($t: String!) { createBoard(input: {title: $t}) { id } }",
            {"t": "a\u2028b"},
            "title",
        ),
        (
            "mutation($t: String!) { createBoard(input: {title: $t}) { id } }",
            {"t": "a\u2029b"},
            "title",
        ),
    ],
)
def test_bad_board_input_is_refused_naming_the_field(
    limited_server: LiveServer, owner: User, document: str, variables: dict[str, Any], field: str
) -> None:
    listing = "{ me { boards(limit: 100) { items { id } } } }"
    before = limited_server.data(listing, token=owner.token)
    error = only_error(limited_server.post(document, variables, token=owner.token).body)
    assert error["errorType"] == "BadInputError"
    assert error["message"].startswith(f"{field}:"), error
    assert limited_server.data(listing, token=owner.token) == before


def test_unknown_enum_values_are_refused(
    limited_server: LiveServer, owner: User, board: str
) -> None:
    before = board_state(limited_server, owner.token, board)
    calls = limited_server.invocations()
    literal = limited_server.post(
        'mutation($b: ID!) { addNote(input: {boardId: $b, column: PURPLE, text: "x"}) { id } }',
        {"b": board},
        token=owner.token,
    )
    error = only_error(literal.body)
    assert "errorType" not in error  # AppSync's refusal of a document carries none
    assert error["message"].startswith("Validation error of type WrongType: argument 'input'")
    assert "EnumValue{name='PURPLE'}" in error["message"]
    variable = limited_server.post(
        ADD, {"i": {"boardId": board, "column": "purple", "text": "x"}}, token=owner.token
    )
    assert "Column" in only_error(variable.body)["message"]
    export = limited_server.post(
        "query($b: ID!) { board(id: $b) { currentVersion { export(format: PDF) } } }",
        {"b": board},
        token=owner.token,
    )
    assert "PDF" in only_error(export.body)["message"]
    assert limited_server.invocations() == calls  # refused before any handler ran
    assert board_state(limited_server, owner.token, board) == before


def test_ids_of_another_board_reach_nothing(limited_server: LiveServer, owner: User) -> None:
    """A note id used with another board's id finds nothing and changes nothing — even for the
    author of the note, even for the owner of both boards."""
    ours = create_board(limited_server, owner.token, "Ours")
    theirs = create_board(limited_server, owner.token, "Theirs")
    note = add_note(limited_server, owner.token, theirs, "belongs to theirs")
    vote(limited_server, owner.token, theirs, note)
    before = {b: board_state(limited_server, owner.token, b) for b in (ours, theirs)}
    variables = {"b": ours, "n": note}
    for document in [
        'mutation($b: ID!, $n: ID!) { updateNote(input: {boardId: $b, id: $n, text: "x"}) { id } }',
        "mutation($b: ID!, $n: ID!) { deleteNote(boardId: $b, id: $n) { id } }",
        "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { id } }",
        "mutation($b: ID!, $n: ID!) { unvote(boardId: $b, noteId: $n) { id } }",
    ]:
        error = only_error(limited_server.post(document, variables, token=owner.token).body)
        assert error["errorType"] == "NotFoundError", (document, error)
        assert error["message"] == f"note {note} not found"
    after = {b: board_state(limited_server, owner.token, b) for b in (ours, theirs)}
    assert after == before


@pytest.mark.parametrize(
    "bad_id",
    ["", "x", "0" * 35, "0" * 37, "../../etc", "B#01m8", "01M8FHK5QK20VY4BW4D2K80WTWBW3FWDVH1F"],
)
def test_malformed_ids_are_refused_naming_the_argument(
    limited_server: LiveServer, owner: User, bad_id: str
) -> None:
    calls = limited_server.invocations()["write"]
    response = limited_server.post(
        ADD, {"i": {"boardId": bad_id, "column": "GOOD", "text": "x"}}, token=owner.token
    )
    error = only_error(response.body)
    assert (error["errorType"], error["message"]) == (
        "BadInputError",
        "boardId: is not a valid id",
    )
    assert limited_server.invocations()["write"] == calls + 1  # it ran, and wrote nothing


def test_introspection_off_and_no_field_suggestions(
    limited_server: LiveServer, owner: User
) -> None:
    response = limited_server.post("{ __schema { types { name } } }", token=owner.token)
    assert response.body["data"] is None
    # AppSync with introspection disabled: the introspection fields do not exist
    assert only_error(response.body)["message"] == (
        "Validation error of type FieldUndefined: "
        "Field '__schema' in type 'Query' is undefined @ '__schema'"
    )
    typo = limited_server.post("{ boards { id } }", token=owner.token)
    assert "Did you mean" not in json.dumps(typo.body)
    assert "errorType" not in only_error(typo.body)
    assert only_error(typo.body)["message"].startswith("Validation error of type FieldUndefined")
