"""A published mutation's selection cannot give a subscription filter's name to another field.

AppSync sends a mutation's result to the subscribers whose arguments equal the result's fields
of the same names, and is reported to key that result by the caller's aliases
(aws/aws-appsync-community#160): `addNote(...) { boardId: text }` with another board's id as the
text would reach that board's `onNoteAdded`. The handlers refuse such a selection before any
read or write (resolvers/published.py); the SDL's bindings say which names count.
"""

from pathlib import Path
from typing import Any

import botocore.session
import graphql
import pytest

from resolvers import published, write
from retro import services
from retro.errors import BadInputError
from tests.api.conftest import make_event

SCHEMA = Path(__file__).parents[2] / "schema" / "schema.graphql"


def bindings_in_the_sdl() -> dict[str, frozenset[str]]:
    """ "Mutation.<name>" -> the argument names of every subscription bound to it."""
    document = graphql.parse(SCHEMA.read_text())
    found: dict[str, frozenset[str]] = {}
    for definition in document.definitions:
        if not isinstance(definition, graphql.ObjectTypeDefinitionNode):
            continue
        if definition.name.value != "Subscription":
            continue
        for field in definition.fields or ():
            names = frozenset(a.name.value for a in field.arguments or ())
            for directive in field.directives or ():
                if directive.name.value != "aws_subscribe":
                    continue
                for argument in directive.arguments or ():
                    mutations = graphql.value_from_ast_untyped(argument.value)
                    for mutation in mutations:
                        key = f"Mutation.{mutation}"
                        found[key] = found.get(key, frozenset()) | names
    return found


def test_the_filtered_names_are_the_sdls_bindings() -> None:
    expected = bindings_in_the_sdl()
    assert expected, "no @aws_subscribe in the SDL: the reader above is wrong"
    assert dict(published.FILTERED) == expected, f"resolvers/published.py FILTERED: {expected}"


def table(store: Any) -> list[dict[str, Any]]:
    """Every item of the table, read by a client of the test's own (the store's must never
    Scan, and its calls are what `requests` counts)."""
    client = botocore.session.get_session().create_client(
        "dynamodb", region_name=store.table.client.meta.region_name
    )
    items = client.scan(TableName=store.table.name)["Items"]
    return sorted(items, key=lambda item: (item["pid"]["S"], item["cid"]["S"]))


# -- addNote: the attempt over a real table -----------------------------------------------------
STEERING = {
    "alias": "{ boardId: text id text column }",
    "inline fragment": "{ id ... on Note { boardId: text } }",
    "named fragment": "{ id ...Steer }\nfragment Steer on Note { text boardId: text }",
    "__typename": "{ id boardId: __typename }",
}


@pytest.mark.parametrize("selection", list(STEERING))
def test_add_note_refuses_another_field_named_boardId_and_writes_nothing(
    store: Any, people: Any, requests: Any, selection: str
) -> None:
    owner, _ = people["owner"]
    stranger, _ = people["stranger"]
    mine = services.create_board(store, owner, "Mine")
    theirs = services.create_board(store, stranger, "Theirs")
    before = table(store)
    requests.clear()
    event = make_event(
        "Mutation.addNote",
        {"input": {"boardId": mine.id, "column": "GOOD", "text": theirs.id}},
        user=owner,
        selection=STEERING[selection],
    )
    with pytest.raises(BadInputError) as refused:
        write.handler(event)
    assert refused.value.field == "selection"
    assert str(refused.value).startswith("selection: `boardId` may only be the boardId field")
    assert requests.operations == []  # refused before anything is read or written
    assert table(store) == before  # the note is not added


def test_harmless_aliases_still_answer(store: Any, people: Any) -> None:
    owner, _ = people["owner"]
    mine = services.create_board(store, owner, "Mine")
    before = len(table(store))
    answers = {}
    for name, selection in (
        ("renamed", "{ noteText: text boardId: boardId id }"),
        ("twice", "{ id b: boardId ... on Note { boardId } }"),
    ):
        event = make_event(
            "Mutation.addNote",
            {"input": {"boardId": mine.id, "column": "GOOD", "text": name}},
            user=owner,
            selection=selection,
        )
        # the handler answers by field name; AppSync puts each value under its alias
        answers[name] = write.handler(event)
    assert answers["renamed"]["text"] == "renamed"
    assert answers["renamed"]["boardId"] == answers["twice"]["boardId"] == mine.id
    assert len({answers["renamed"]["id"], answers["twice"]["id"]}) == 2
    assert len(table(store)) > before


def test_update_board_refuses_another_field_named_id(store: Any, people: Any) -> None:
    owner, _ = people["owner"]
    stranger, _ = people["stranger"]
    mine = services.create_board(store, owner, "Mine")
    theirs = services.create_board(store, stranger, "Theirs")
    before = table(store)
    event = make_event(
        "Mutation.updateBoard",
        {"input": {"id": mine.id, "title": theirs.id}},
        user=owner,
        selection="{ id: title title }",
    )
    with pytest.raises(BadInputError, match=r"^selection: `id` may only be the id field"):
        write.handler(event)
    assert table(store) == before


# -- every published mutation: refused before its own arguments are even read ---------------------
@pytest.mark.parametrize(
    ("key", "name"),
    sorted((key, name) for key, names in bindings_in_the_sdl().items() for name in names),
)
def test_every_published_mutation_refuses_a_renamed_filter(
    store: Any, people: Any, requests: Any, key: str, name: str
) -> None:
    owner, _ = people["owner"]
    event = make_event(key, {}, user=owner, selection=f"{{ {name}: __typename }}")
    requests.clear()
    with pytest.raises(BadInputError, match=rf"^selection: `{name}` may only be the {name} field"):
        write.handler(event)
    assert requests.operations == []
