"""A null in a non-null position is caught where the value is produced (`NonNullGuard`) and
reported exactly as graphql-core reports it on its own: same data (the null carried up to the
nearest nullable position), same messages, paths and locations; but as a `NonNullViolation`,
so errors are told apart by class, and the emulator's answer is AppSync's error shape.
"""

from typing import Any

import pytest
from graphql import GraphQLError, MiddlewareManager, build_schema, graphql_sync

from appsync_local.errors import NonNullViolation, format_error
from appsync_local.nonnull import NonNullGuard

SDL = """
type Note { id: ID! text: String! }
type Query {
  note: Note
  notes: [Note!]
  strict: [Note!]!
  nested: [[Note!]]
  nestedStrict: [[Note!]!]
  required: Note!
  plain: [Note]
  text: String!
}
"""

_OK = {"id": "1", "text": "t"}
ROOT: dict[str, Any] = {
    "note": {"id": "1", "text": None},
    "notes": [_OK, None, _OK, None],
    "strict": [_OK, None],
    "nested": [[_OK], [None, _OK, None], None, [_OK, None]],
    "nestedStrict": [[_OK], None, [None]],
    "required": None,
    "plain": [None, _OK, {"id": None, "text": "x"}],
    "text": None,
}

QUERIES = [
    "{ note { id text } }",
    "{ notes { id } }",
    "{ strict { id } note { id } }",
    "{ nested { id text } }",
    "{ nestedStrict { id } }",
    "{ required { id } note { id } }",
    "{ plain { id text } }",
    "{ text }",
    "{ n: note { t: text } notes { id } plain { id } }",
]


def _run(query: str, guarded: bool) -> Any:
    middleware = MiddlewareManager(NonNullGuard()) if guarded else None
    return graphql_sync(build_schema(SDL), query, root_value=ROOT, middleware=middleware)


def _shape(error: GraphQLError) -> tuple[str, Any, Any]:
    return (error.message, error.path, error.locations)


@pytest.mark.parametrize("query", QUERIES)
def test_the_guard_reports_what_graphql_reports(query: str) -> None:
    plain, guarded = _run(query, guarded=False), _run(query, guarded=True)
    assert plain.errors, "each query has at least one null in a non-null position"
    assert guarded.data == plain.data
    assert [_shape(e) for e in guarded.errors or []] == [_shape(e) for e in plain.errors]
    assert all(isinstance(e.original_error, NonNullViolation) for e in guarded.errors or [])


def test_a_violation_is_shown_in_appsyncs_shape_not_masked() -> None:
    (error,) = _run("{ note { id text } }", guarded=True).errors or []
    assert format_error(error) == {
        "path": ["note", "text"],
        "data": None,
        "errorType": None,
        "errorInfo": None,
        "locations": [{"line": 1, "column": 13, "sourceName": None}],
        "message": "Cannot return null for non-nullable field Note.text.",
    }


def test_shared_values_are_not_changed() -> None:
    before = [list(v) if isinstance(v, list) else v for v in ROOT["nested"]]
    _run("{ nested { id } notes { id } }", guarded=True)
    assert ROOT["nested"] == before
    assert ROOT["notes"] == [_OK, None, _OK, None]
