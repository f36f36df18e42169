"""Optimisations made for the budgets (docs/PERFORMANCE.md) keep behaviour exactly.

Each test pins what a faster implementation replaced, against the slower definition it came
from, over every input that matters.
"""

import functools
import json
import re
import runpy
import sys
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLObjectType,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_schema,
    get_named_type,
    is_non_null_type,
    parse,
    visit,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appsync_local.events import selection_set_graphql
from appsync_local.sdl import PRELUDE
from bench.common import PAGE_QUERY
from resolvers import views
from resolvers.selection import Selection, parse_selection
from retro.errors import ValidationError
from retro.models import (
    Board,
    BoardSettings,
    BoardVersion,
    Column,
    MyNote,
    NoteGroup,
    Participation,
    PublicNote,
    Stage,
    Tally,
    User,
    VersionRef,
    clean_text,
)
from retro.services.pages import BoardPage, VersionPage, VersionsPage
from retro.services.stages import MeetingState, TimerState
from retro.services.trends import Trend
from retro.store.codec import load as _load
from retro_tools.apidocs_examples import EXAMPLES
from tests.conftest import ROOT
from tests.perf import whole_views as before


def _category_rule(char: str, multiline: bool) -> bool:
    """The rule clean_text enforced before: refuse Cc and Cs, except tab and newline in notes."""
    allowed = {"\n", "\t"} if multiline else set()
    return char not in allowed and unicodedata.category(char) in {"Cc", "Cs"}


@pytest.mark.parametrize("multiline", [True, False])
def test_clean_text_refuses_exactly_unicode_control_and_surrogate_characters(multiline):
    refused = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        try:
            clean_text(f"a{char}b", max_length=10, multiline=multiline)
        except ValueError:
            refused.append(code)
    expected = [c for c in range(sys.maxunicode + 1) if _category_rule(chr(c), multiline)]
    assert refused == expected
    assert len(refused) == (2113 - 2 if multiline else 2113)  # 65 Cc + 2,048 Cs


def test_clean_text_names_the_first_control_character():
    with pytest.raises(ValueError, match=r"found U\+0001\)"):
        clean_text("a\x01b\x02", max_length=10, multiline=True)
    with pytest.raises(ValueError, match=r"found U\+0009\)"):
        clean_text("a\tb\x02", max_length=10, multiline=False)


def test_loading_items_equals_typedeserializer_with_integers():
    serializer, deserializer = TypeSerializer(), TypeDeserializer()
    item = {
        "s": "text",
        "empty": "",
        "n": 7,
        "flag": True,
        "nothing": None,
        "list": [1, "x"],
        "map": {"k": 2},
        "strings": {"a", "b"},
        "numbers": {1, 2},
        "bytes": b"raw",
    }
    raw = {k: serializer.serialize(v) for k, v in item.items()}
    before = {k: deserializer.deserialize(v) for k, v in raw.items()}
    before = {k: int(v) if type(v).__name__ == "Decimal" else v for k, v in before.items()}
    assert _load(raw) == before
    assert type(_load(raw)["n"]) is int


# -- the selection parser: plain field names without graphql-core ----------------------------
def _by_graphql_core(text):
    """What graphql-core reads, the reference for every selection."""
    from resolvers.selection import _read_with_graphql_core

    return _read_with_graphql_core(text, {})


_NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
_FIELDS = st.recursive(
    st.lists(_NAME, min_size=1, max_size=4).map(" ".join),
    lambda inner: st.lists(
        st.tuples(_NAME, inner).map(lambda pair: f"{pair[0]} {{ {pair[1]} }}"),
        min_size=1,
        max_size=3,
    ).map(",\n ".join),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_FIELDS.map(lambda body: f"{{ {body} }}"))
def test_plain_selections_read_as_graphql_core_reads_them(text):
    assert parse_selection(text, {}) == _by_graphql_core(text)


@pytest.mark.parametrize(
    "text",
    ["{ a b { c } }", "{\n  id\n  currentVersion {\n    notes {\n      id\n    }\n  }\n}"],
)
def test_plain_selections_do_not_import_graphql_core(text):
    import subprocess

    code = (
        "import sys; from resolvers.selection import parse_selection; "
        f"parse_selection({text!r}, {{}}); print('graphql' in sys.modules)"
    )
    answer = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert answer.stdout.strip() == "False"


@pytest.mark.parametrize(
    "text",
    ["{ a(x: 1) }", "{ b: a }", "{ ... on T { a } }", "{ a @skip(if: true) }", "{ 1a }", "{ }",
     "{ a", "{ a } }", "{ a # comment\n }"],
)  # fmt: skip
def test_anything_but_plain_names_goes_to_graphql_core(text):
    def outcome(read):
        try:
            return read(text, {})
        except ValidationError as error:
            return str(error)

    from resolvers.selection import _read_with_graphql_core

    assert outcome(parse_selection) == outcome(_read_with_graphql_core)


# -- the views render only what the query selects ------------------------------------------------
# Before, each view rendered its model whole and the router cut the result to the selection
# (tests/perf/whole_views.py keeps that code). Now the views render only the selected fields;
# the answer must be the same to the byte (key order included), for every selection a client,
# an example or the reference sends and for every field of every type of the schema.
SCHEMA_SDL = ROOT / "schema" / "schema.graphql"
RESOLVERS_JSON = ROOT / "schema" / "resolvers.json"
_AT = datetime(2026, 12, 3, 5, 25, 8, 123456, tzinfo=UTC)


def _at(minutes: int) -> datetime:
    return _AT + timedelta(minutes=minutes, microseconds=minutes * 7919)


_NOTES = [
    PublicNote(id="n1", board_id="b1", version_id="v2", column=Column.GOOD, text="Fast reviews",
               votes=3, created_at=_AT.replace(microsecond=0), updated_at=_at(1)),
    PublicNote(id="n2", board_id="b1", version_id="v2", column=Column.ACTION, text=None,
               votes=None, created_at=_at(2), updated_at=_at(3), done=True, who="Ada",
               carried_from="n0", carried_count=2, group_id="g1", group_title="Tooling"),
]  # fmt: skip
_GROUPS = [
    NoteGroup(id="g1", board_id="b1", version_id="v2", column=Column.ACTION, title="Tooling",
              votes=5, note_ids=["n2", "n3"]),
    NoteGroup(id="g2", board_id="b1", version_id="v2", column=Column.BAD, title=None,
              votes=None, note_ids=[]),
]  # fmt: skip
_USERS = [User(id="u1", name="Ada", created_at=_AT), User(id="u2", created_at=_at(4))]
_PARTICIPATIONS = [
    Participation(board_id="b1", version_id="v2", is_owner=True, vote_budget=5, votes_used=3,
                  my_votes={"n2": 1, "n1": 2}, my_note_ids=["n1"],
                  my_notes=[MyNote(id="n1", column=Column.GOOD, text="Fast reviews")]),
    Participation(board_id="b1", version_id="v2", is_owner=False, vote_budget=5, votes_used=0,
                  my_votes={}, my_note_ids=[]),
]  # fmt: skip
_TIMER = TimerState(ends_at=_at(10), remaining_ms=599_000, duration_seconds=600, advances=True,
                    running=True, ended=False)  # fmt: skip
_LIVE = BoardVersion(id="v2", board_id="b1", number=2, title="Sprint 42", created_at=_at(-60),
                     stage=Stage.VOTE)  # fmt: skip
_FROZEN = BoardVersion(id="v1", board_id="b1", number=1, created_at=_at(-600), frozen_at=_at(-60))
_REF = VersionRef(id="v2", number=2, title="Sprint 42", created_at=_at(-60), stage=Stage.WRITE)
_VOTING = MeetingState(stage=Stage.VOTE, timer=_TIMER, texts_hidden=False, votes_hidden=True)
_VERSIONS = [
    VersionPage(board_id="b1", version=_LIVE, meeting=_VOTING, notes=_NOTES, groups=_GROUPS),
    VersionPage(board_id="b1", version=_FROZEN, notes=[], groups=[],
                meeting=MeetingState(stage=Stage.DISCUSS, timer=None, texts_hidden=False,
                                     votes_hidden=False)),
    VersionPage(board_id="b1", version=_REF,  # the board's live version, nothing loaded under it
                meeting=MeetingState(stage=Stage.WRITE, timer=None, texts_hidden=True,
                                     votes_hidden=False)),
    VersionPage(board_id="b1", version=_LIVE, meeting=_VOTING, notes=_NOTES),  # groups not asked
]  # fmt: skip
_BOARD = Board(id="b1", owner_id="u1", title="Team", created_at=_at(-700), updated_at=_at(-5),
               settings=BoardSettings(vote_budget=3, hide_while_writing=True),
               current_version=_REF)  # fmt: skip
_BOARD_PAGES = [
    BoardPage(board=_BOARD, current=_VERSIONS[2]),  # versions not asked for
    BoardPage(board=_BOARD, current=_VERSIONS[0],
              versions=VersionsPage(items=[_VERSIONS[1], _VERSIONS[3]], next_token="t1")),
    BoardPage(board=_BOARD, current=_VERSIONS[3], versions=VersionsPage(items=[], next_token=None)),
]  # fmt: skip
_TRENDS = [
    Trend(board_id="b1", versions=[
        Tally(version_id="v1", number=1, created_at=_at(-600), frozen_at=_at(-60), good=2, bad=1,
              action=3, votes=4, carried=1, done=1, open_by_age={0: 1, 2: 1}),
        Tally(version_id="v2", number=2, title="Sprint 42", created_at=_at(-60), votes=None),
    ]),
    Trend(board_id="b2", versions=[]),
]  # fmt: skip

# schema type -> (models, before: whole view then the cut, now: the selective view)
_RENDERED: dict[str, tuple[list[Any], Callable[[Any], Any], Callable[[Any, Selection], Any]]] = {
    "Note": (_NOTES, before.note, views.note),
    "NoteGroup": (_GROUPS, before.group, views.group),
    "User": (_USERS, before.user, views.user),
    "Session": (
        [(u, "token-1") for u in _USERS],
        lambda s: before.session(*s),
        lambda s, selection: views.session(*s, selection),
    ),
    "Participation": (_PARTICIPATIONS, before.participation, views.participation),
    "BoardVersion": (_VERSIONS, before.version, views.version),
    "Board": (_BOARD_PAGES, before.board, views.board),
    "BoardPage": (
        [(_BOARD_PAGES, "t2"), ([], None)],
        lambda s: before.boards(*s),
        lambda s, selection: views.boards(*s, selection),
    ),
    "Trend": (_TRENDS, before.trend, views.trend),
}


@functools.cache
def _schema() -> GraphQLSchema:
    return build_schema(PRELUDE + SCHEMA_SDL.read_text(encoding="utf-8"))


def _sent_documents() -> dict[str, str]:
    """Every document the client, the examples, the API reference and the benchmarks send."""
    from tests.test_client_operations import _client_documents

    found = {f"client {name}": text for name, text in _client_documents().items()}
    found |= {f"docs/API.md {key}": example.document for key, example in EXAMPLES.items()}
    found["bench PAGE_QUERY"] = PAGE_QUERY
    examples = ROOT / "examples"
    sys.path.insert(0, str(examples))  # the examples import their retro_api
    try:
        for path in sorted(examples.glob("*.py")):
            for name, value in runpy.run_path(str(path), run_name="example").items():
                texts = value.values() if isinstance(value, dict) else [value]
                for i, text in enumerate(texts):
                    if isinstance(text, str) and _DOCUMENT.match(text):
                        found[f"examples/{path.name} {name} {i}"] = text
    finally:
        sys.path.remove(str(examples))
        sys.modules.pop("retro_api", None)
    return found


_DOCUMENT = re.compile(r"\s*(query|mutation|subscription)\b")


def _lambda_selections(document: str) -> list[tuple[str, str, str]]:
    """(Type.field, the type it returns, selectionSetGraphQL as AppSync sends it) for each field
    of `document` resolved by a Lambda."""
    resolved = json.loads(RESOLVERS_JSON.read_text(encoding="utf-8"))["resolvers"]
    tree = parse(document)
    fragments = {d.name.value: d for d in tree.definitions if isinstance(d, FragmentDefinitionNode)}
    info = TypeInfo(_schema())
    found: list[tuple[str, str, str]] = []

    class Fields(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent, field = info.get_parent_type(), info.get_field_def()
            key = f"{parent.name}.{node.name.value}" if parent else ""
            if field is not None and key in resolved:
                returned = get_named_type(field.type).name
                found.append((key, returned, selection_set_graphql([node], fragments)))

    visit(tree, TypeInfoVisitor(info, Fields()))
    return found


def _every_field(type_: GraphQLObjectType, inner: Callable[[GraphQLObjectType], str]) -> list[str]:
    """Each field of `type_` as selected alone, its required arguments given, what is under an
    object's field chosen by `inner`."""
    fields = []
    for name, field in type_.fields.items():
        required = [(a, arg.type) for a, arg in field.args.items() if is_non_null_type(arg.type)]
        arguments = ", ".join(f"{a}: {_an_argument(t)}" for a, t in required)
        text = f"{name}({arguments})" if arguments else name
        named = get_named_type(field.type)
        fields.append(f"{text} {inner(named)}" if isinstance(named, GraphQLObjectType) else text)
    return fields


def _an_argument(type_: Any) -> str:
    named = get_named_type(type_)
    if isinstance(named, GraphQLEnumType):
        return next(iter(named.values))
    return {"Int": "1", "Boolean": "true"}.get(named.name, '"x"')


def _all_of(type_: GraphQLObjectType) -> str:
    return "{ " + " ".join(_every_field(type_, _all_of)) + " }"


def _schema_selections(type_: GraphQLObjectType) -> list[str]:
    """Selections of `type_` that together name every field of every type under it: all at
    once, each alone (with everything under it, or only `__typename`), in reverse, aliased
    twice, an object field selected twice with different fields."""
    everything = _every_field(type_, _all_of)
    bare = _every_field(type_, lambda _: "{ __typename }")
    texts = ["", "{ " + " ".join(everything) + " }", "{ " + " ".join(everything[::-1]) + " }"]
    texts += ["{ " + f + " }" for f in everything + bare]
    texts += ["{ __typename }", "{ a: " + everything[0] + " b: " + everything[-1] + " __typename }"]
    for name, field in type_.fields.items():
        named = get_named_type(field.type)
        if isinstance(named, GraphQLObjectType) and not field.args:
            first, *_, last = _every_field(named, _all_of)
            texts.append(f"{{ {name} {{ {last} }} x: {name} {{ {first} }} }}")
    return texts


def _rendered_alike(type_name: str, selection_text: str) -> int:
    """Renders every model of `type_name` both ways for one selection; how many it compared."""
    models, whole, selective = _RENDERED[type_name]
    selection = parse_selection(selection_text, {})
    for model in models:
        expected = json.dumps(before.project(whole(model), selection))
        assert json.dumps(selective(model, selection)) == expected, (type_name, selection_text)
    return len(models)


def test_the_views_answer_every_sent_selection_as_the_whole_view_cut_to_it():
    seen: dict[str, set[str]] = {}
    for name, document in _sent_documents().items():
        for key, returned, text in _lambda_selections(document):
            if key.startswith("Subscription.") or returned == "String":
                continue  # a subscribe-time check answers null; an export is a string
            assert returned in _RENDERED, (name, key)
            seen.setdefault(returned, set()).add(text)
    for event in (ROOT / "tests" / "api" / "events").glob("*.json"):
        sent = json.loads(event.read_text())
        for item in sent if isinstance(sent, list) else [sent]:
            info = item.get("info")
            if info:
                field = _schema().get_type(info["parentTypeName"]).fields[info["fieldName"]]
                returned = get_named_type(field.type).name
                seen.setdefault(returned, set()).add(info["selectionSetGraphQL"])
    compared = sum(_rendered_alike(t, text) for t, texts in seen.items() for text in texts)
    assert set(seen) == set(_RENDERED), set(_RENDERED) - set(seen)
    assert compared > 100


@pytest.mark.parametrize("type_name", sorted(_RENDERED))
def test_the_views_answer_every_field_of_the_schema_as_the_whole_view_cut_to_it(type_name):
    type_ = _schema().get_type(type_name)
    assert isinstance(type_, GraphQLObjectType)
    texts = _schema_selections(type_)
    assert sum(_rendered_alike(type_name, text) for text in texts) >= 2 * len(texts)
