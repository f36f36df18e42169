"""The handlers answer only what the query selects (issue 16, item 4), compared in bytes.

The board page of 10 notes through the real read handler on moto: what it returns for the
page's selection is exactly what AppSync would hand the client (graphql-core executing the
page's query over the whole view, with the schema), and far fewer bytes than the whole view.
Counts only — never time.
"""

import json

from graphql import graphql_sync

from bench.common import PAGE_QUERY, _api, appsync_event, fresh_context, moto_store, seed_board


def _bytes(value: object) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def test_a_pages_answer_is_what_the_query_selects_and_no_byte_more(monkeypatch):
    from resolvers import project, read, views
    from resolvers.selection import Selection

    with moto_store() as store:
        seeded = seed_board(store, 10, 1)
        event = appsync_event(
            "Query.board",
            {"id": seeded.board_id},
            user=seeded.user_id,
            selection=PAGE_QUERY.split("board(id: $id) ", 1)[1].rsplit("}", 1)[0],
            variables={"id": seeded.board_id},
        )
        selected = fresh_context(read.handler, event)

        def whole_view(shape, model, _selection):  # every field of the same page
            return project.project(shape, model, Selection())

        monkeypatch.setattr(views, "project", whole_view)
        whole = fresh_context(read.handler, event)
    schema, _ = _api()
    as_appsync = graphql_sync(
        schema, PAGE_QUERY, root_value={"board": whole}, variable_values={"id": seeded.board_id}
    )
    assert as_appsync.errors is None
    assert as_appsync.data is not None
    assert selected == as_appsync.data["board"]
    assert _bytes(selected) == _bytes(as_appsync.data["board"])
    assert _bytes(selected) < _bytes(whole) / 2  # 10 notes: ~1.5 KB of ~3.9 KB
