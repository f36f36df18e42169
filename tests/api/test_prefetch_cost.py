"""The handlers' own bounds, as AppSync would call them in the cloud: what a selection costs.

Nested page fields have no resolver, so AppSync's resolver-count limit never sees what the
resolver of their parent loads for them. The handler prices a selection before it reads
(`retro.services.pages`: the DynamoDB reads its page spec implies) and refuses one over
MAX_READS; and it reads `selectionSetGraphQL` within bounds of size, fields and depth, counted
with fragments expanded (`resolvers/selection.py`). A refusal reads nothing and writes nothing.
"""

import pytest

from resolvers import read, write
from resolvers.selection import MAX_DEPTH, MAX_FIELDS, MAX_TEXT, parse_selection
from retro import services
from retro.errors import RetroError, ValidationError
from retro.services.pages import MAX_READS
from tests.api.conftest import make_event

NOTES = "notes { id }"


@pytest.fixture
def board(store, people):
    owner, _ = people["owner"]
    board = services.create_board(store, owner, "Priced")
    services.add_note(store, owner, board.id, "GOOD", "a note")
    return board


def read_board(owner: str, board_id: str, selection: str) -> dict:
    return read.handler(
        make_event("Query.board", {"id": board_id}, user=owner, selection=selection)
    )


def refused(call, match: str) -> ValidationError:
    with pytest.raises(RetroError, match=match) as caught:
        call()
    assert caught.value.error_type == "BadInputError"
    return caught.value  # type: ignore[return-value]


def test_reads_are_priced_from_the_selection(store, people, board, requests):
    owner, _ = people["owner"]
    assert MAX_READS == 25
    # the live notes (1) + a page of versions (1) + the notes of each of up to 23 (23) = 25
    at_limit = f"{{ currentVersion {{ {NOTES} }} versions(limit: 23) {{ items {{ {NOTES} }} }} }}"
    requests.clear()
    page = read_board(owner, board.id, at_limit)
    assert [n["id"] for n in page["currentVersion"]["notes"]] == [
        n["id"] for n in page["versions"]["items"][0]["notes"]
    ]
    # what it cost is what it found: (index ∥ newest version ∥ versions), then (board ∥ live
    # notes ∥ the 1 listed version's notes)
    assert len(requests.calls) == 6
    for over in (
        f"{{ currentVersion {{ {NOTES} }} versions(limit: 24) {{ items {{ {NOTES} }} }} }}",
        f"{{ versions(limit: 100) {{ items {{ {NOTES} }} }} }}",
    ):
        requests.clear()
        error = refused(lambda s=over: read_board(owner, board.id, s), "selection: would take")
        assert f"over the limit of {MAX_READS} per field" in str(error)
        assert requests.calls == []  # refused before the board is even looked up


def test_aliases_of_a_nested_field_are_one_load_and_priced_once(store, people, board, requests):
    owner, _ = people["owner"]
    versions = f"versions(limit: 20) {{ items {{ {NOTES} }} }}"
    once = read_board(owner, board.id, f"{{ {versions} }}")
    requests.clear()
    fifty = read_board(
        owner, board.id, "{ " + " ".join(f"v{i}: {versions}" for i in range(50)) + " }"
    )
    assert fifty["versions"] == once["versions"]
    # (index ∥ newest version ∥ versions), then (board ∥ the one version's notes)
    assert len(requests.calls) == 5


def test_a_users_boards_are_priced_for_a_full_page(store, people, board, requests):
    owner, _ = people["owner"]
    source = {"id": owner}

    def boards(limit: int) -> dict:
        selection = f"{{ items {{ id currentVersion {{ {NOTES} }} }} }}"
        event = make_event(
            "User.boards", {"limit": limit}, user=owner, source=source, selection=selection
        )
        return read.handler(event)

    assert [b["id"] for b in boards(MAX_READS)["items"]] == [board.id]
    requests.clear()
    refused(lambda: boards(MAX_READS + 1), "selection: would take 26 database reads")
    assert requests.calls == []


@pytest.mark.parametrize(
    "field", ["Mutation.createBoard", "Mutation.updateBoard", "Mutation.deleteBoard"]
)
def test_a_mutation_whose_selection_costs_too_much_writes_nothing(
    store, people, board, requests, field
):
    owner, _ = people["owner"]
    arguments = {
        "Mutation.createBoard": {"input": {"title": "Costly"}},
        "Mutation.updateBoard": {"input": {"id": board.id, "title": "Costly"}},
        "Mutation.deleteBoard": {"id": board.id},
    }[field]
    selection = (
        f"{{ id currentVersion {{ {NOTES} }} versions(limit: 30) {{ items {{ {NOTES} }} }} }}"
    )
    requests.clear()
    refused(
        lambda: write.handler(make_event(field, arguments, user=owner, selection=selection)),
        "selection: would take 32 database reads",
    )
    assert requests.calls == []  # no read, no write
    assert services.boards_of(store, owner)[0] == [board]


# -- reading the selection within bounds ---------------------------------------------------------
def doubling(depth: int) -> str:
    """The selection as AppSync may send it: the spread, then the fragments it names."""
    fragments = ["fragment F0 on Board { id }"] + [
        f"fragment F{i} on Board {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, depth + 1)
    ]
    return f"{{ ...F{depth} }} " + " ".join(fragments)


def test_fragments_are_expanded_within_the_field_limit(store, people, board, requests):
    owner, _ = people["owner"]
    assert len(parse_selection(doubling(9), {}).fields) == 512 <= MAX_FIELDS
    requests.clear()
    error = refused(lambda: read_board(owner, board.id, doubling(16)), "selection: has more than")
    assert str(error) == f"selection: has more than {MAX_FIELDS} fields with its fragments expanded"
    assert requests.calls == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{ " + "id " * (MAX_TEXT // 3) + "}", f"is longer than {MAX_TEXT} characters"),
        ("{ " + " ".join(f"a{i}: id" for i in range(MAX_FIELDS + 1)) + " }", "more than"),
        ("{ " + "id " * (MAX_FIELDS + 1) + "}", f"has more than {MAX_FIELDS} fields"),
        ("{ a " * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1), f"nests more than {MAX_DEPTH}"),
        ("{ a(x: 1) " * 3000 + "}" * 3000, "cannot be read"),  # nested past the parser
        (
            "{ ...F0 } "
            + " ".join(f"fragment F{i} on B {{ ...F{i + 1} }}" for i in range(MAX_DEPTH + 1))
            + f" fragment F{MAX_DEPTH + 1} on B {{ id }}",
            f"nests more than {MAX_DEPTH}",
        ),
        (
            "{ " + " ".join(f"a{i}: id(x: [1, 2, 3, 4, 5, 6, 7])" for i in range(900)) + " }",
            "more than 10000 tokens",
        ),
    ],
    ids=[
        "text",
        "aliases",
        "plain fields",
        "plain depth",
        "parser depth",
        "fragment chain",
        "tokens",
    ],
)
def test_selections_out_of_bounds_are_refused(text, message):
    with pytest.raises(ValidationError, match=message) as caught:
        parse_selection(text, {})
    assert caught.value.field == "selection"
