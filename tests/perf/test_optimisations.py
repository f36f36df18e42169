"""Optimisations made for the budgets (docs/PERFORMANCE.md) keep behaviour exactly.

Each test pins what a faster implementation replaced, against the slower definition it came
from, over every input that matters.
"""

import sys
import unicodedata

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolvers.selection import parse_selection
from retro.errors import ValidationError
from retro.models import clean_text
from retro.store.codec import load as _load
from tests.conftest import ROOT


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
