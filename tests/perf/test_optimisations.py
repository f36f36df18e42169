"""Optimisations made for the budgets (docs/PERFORMANCE.md) keep behaviour exactly.

Each test pins what a faster implementation replaced, against the slower definition it came
from, over every input that matters.
"""

import sys
import unicodedata
from pathlib import Path

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolvers.selection import Selected, Selection, parse_selection
from retro.errors import ValidationError
from retro.models import clean_text
from retro.store.table import _load

ROOT = Path(__file__).resolve().parents[2]


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


# -- the selection parser: resolvers.document instead of graphql-core ---------------------------
def _old_parse_selection(text, variables):
    """parse_selection as it was with graphql-core (commit 6342fc7), the reference."""
    import graphql
    from graphql import (
        FieldNode,
        FragmentDefinitionNode,
        FragmentSpreadNode,
        InlineFragmentNode,
        OperationDefinitionNode,
        value_from_ast_untyped,
    )

    def convert(node, fragments, seen=frozenset()):
        if node is None:
            return Selection()
        found = []
        for item in node.selections:
            if isinstance(item, FieldNode):
                arguments = {
                    a.name.value: value_from_ast_untyped(a.value, dict(variables))
                    for a in item.arguments or ()
                }
                inner = convert(item.selection_set, fragments, seen)
                found.append(Selected(item.name.value, arguments, inner))
            elif isinstance(item, InlineFragmentNode):
                found.extend(convert(item.selection_set, fragments, seen).fields)
            elif isinstance(item, FragmentSpreadNode) and item.name.value not in seen:
                fragment = fragments.get(item.name.value)
                if fragment is not None:
                    inner = convert(fragment.selection_set, fragments, seen | {item.name.value})
                    found.extend(inner.fields)
        return Selection(tuple(found))

    if not text.strip():
        return Selection()
    try:
        document = graphql.parse(text, no_location=True)
    except graphql.GraphQLError as error:
        raise ValidationError("selection", f"cannot be read: {error.message}") from error
    if any(
        not isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
        for d in document.definitions
    ):
        return "SDL"  # type-system definitions: the new parser refuses them (documented)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return convert(operations[0].selection_set, fragments) if operations else Selection()


def _plain(value):
    """A Selection (or argument value) as plain data; either library's Undefined as one mark."""
    if isinstance(value, Selection):
        return [(f.name, _plain(dict(f.arguments)), _plain(f.selection)) for f in value.fields]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if repr(value) == "Undefined" and not value and value is not None:
        return "<undefined>"
    return (type(value).__name__, value)


def _outcome(parse, text, variables):
    try:
        result = parse(text, variables)
        return "ok", result if result == "SDL" else _plain(result)
    except ValidationError as error:
        refused = error
    assert refused.field == "selection"
    assert str(refused).startswith("selection: cannot be read: Syntax Error")
    return "error", None


def _assert_same(text, variables=None):
    for values in ({}, {"v": 5, "s": "x"}) if variables is None else (variables,):
        old = _outcome(_old_parse_selection, text, values)
        if old == ("ok", "SDL"):
            assert _outcome(parse_selection, text, values)[0] == "error"
            continue
        assert _outcome(parse_selection, text, values) == old, text


SELECTIONS = [
    "{ a }",
    "{}",
    "{ a b(x: 1) { c } }",
    '{ a(x: 1, y: "s", z: [1, 2.5, true, null, E], o: {k: $v, l: [$s, {m: $gone}]}) { b } }',
    "query Q($v: [Int!]! = [1] @d(a: 1), $s: String) @x { a(v: $v) }",
    '"about" query Q("var" $v: Int) { a(v: $v) }',
    '"about" fragment F on T { a } { ...F }',
    "{ ...F } fragment F on T { a ...G } fragment G on T { b ...F }",
    "fragment F on T { a } fragment F on T { b } { ...F }",
    "fragment F on T { a }",
    "{ ... on T { a } ... @include(if: $x) { b } ...F @skip(if: true) ...Missing }",
    '{ a(s: """\n   hello\n     world\n\n   """, t: """ x\r\n  y\r  z""") }',
    '{ a(s: """\\"""x\\y""") }',
    '{ a(s: "\\u00e9\\u{1F600}\\u{00000041}\\ud83d\\ude00\\n\\t\\"\\\\\\/\\b\\f\\r") }',
    '{ a(s: "\x01 raw control \t tab") }',
    "{ a(x: -0, y: 1e5, z: 1.5E-3, w: -12.25e+2, big: 123456789012345678901234567890) }",
    "# comment\n{ a # another\n , b,,, }\r\n",
    "\ufeff{ a }",
    "{ alias: a(x: 1) other: a(x: 2) }",
    "{ a(x: {k: 1, k: 2}) a2: a(x: 1, x: 2) }",
    "query { a } query { b }",
    "subscription S { a } mutation M { b }",
    '{ a(s: """""", t: "", u: """ """) }',
    "{ on fragment query true null { x } }",
    "{ a(e: on, f: fragment, q: query) }",
]
BROKEN = [
    "{ a",
    "{ a }}",
    "{ ..F }",
    "{ ... on { a } }",
    "{ ...on }",
    "fragment on on T { a }",
    "query () { a }",
    "{ a() }",
    "{ a(x: ) }",
    "{ a @d() }",
    "query ($a: Int = $b) { a }",
    '"about" { a }',
    "{ a(x: 01) }",
    "{ a(x: 1.) }",
    "{ a(x: .5) }",
    "{ a(x: 1a) }",
    "{ a(x: 1e) }",
    "{ a(x: -) }",
    '{ a(s: "open) }',
    '{ a(s: "line\nbreak") }',
    '{ a(s: """open) }',
    '{ a(s: "\\ud800") }',
    '{ a(s: "\\u{}") }',
    '{ a(s: "\\u{0000000041}") }',
    '{ a(s: "\\u{110000}") }',
    '{ a(s: "\\u{D800}") }',
    '{ a(s: "\\u12") }',
    '{ a(s: "\\q") }',
    '{ a(s: "\\',
    "{ 'a' }",
    "{ a\u00a0 }",
    "{ a \ud800 }",
    "# \ud800 lone surrogate in a comment\n{ a }",
    "{ a: }",
    "{ a(x: [1, 2) }",
    "{ a(x: {k 1}) }",
    "query Q($v Int) { a }",
    "query Q($v: [Int) { a }",
    "query Q($v: Int!!) { a }",
    "{ a } garbage",
    "type X { a: Int }",
    "{ a } extend type X { b: Int }",
    "x { a }",
]


@pytest.mark.parametrize("text", SELECTIONS)
def test_selection_parser_reads_what_graphql_core_read(text):
    assert _outcome(parse_selection, text, {})[0] == "ok"
    _assert_same(text)


@pytest.mark.parametrize("text", BROKEN)
def test_selection_parser_refuses_what_graphql_core_refused(text):
    assert _outcome(parse_selection, text, {})[0] == "error"
    _assert_same(text)


def test_selection_parser_refuses_nesting_beyond_graphql_cores_limit():
    assert _outcome(parse_selection, "{ a " * 150 + "}" * 150, {})[0] == "ok"
    with pytest.raises(ValidationError, match="nested more than 200 levels"):
        parse_selection("{ a " * 250 + "}" * 250, {})


_TOKENS = [
    "{", "}", "(", ")", "[", "]", ":", "$", "@", "!", "...", "..", "=", ",", " ", "\n", "\r",
    "a", "b", "on", "query", "fragment", "F", "T", "1", "0", "01", "-", "-1.5e3", "2.", ".",
    '"s"', '"', '"""x\n  y"""', '"""', "\\", '"\\u00e9"', '"\\u{1F600}"', '"\\x"', "true",
    "null", "#c\n", "'", "\t", "\ufeff", "é",
]  # fmt: skip


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TOKENS), max_size=40).map("".join))
def test_selection_parser_agrees_with_graphql_core_on_token_soup(text):
    _assert_same(text)


def _generated_queries():
    from hypothesis_graphql import from_schema
    from hypothesis_graphql import nodes as gql_nodes

    from retro.local.sdl import load_api

    schema = load_api((ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")).schema
    text = st.text(max_size=30)
    return from_schema(
        schema,
        custom_scalars={
            "ID": text.map(gql_nodes.String),
            "AWSDateTime": text.map(gql_nodes.String),
        },
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.deferred(_generated_queries))  # built once, when first drawn
def test_selection_parser_agrees_with_graphql_core_on_generated_operations(query):
    """Whole operations generated from schema/schema.graphql (strings of any text included)."""
    _assert_same(query)
