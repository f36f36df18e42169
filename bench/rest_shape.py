"""Benchmark 2: the board page the original REST way, side by side with the one GraphQL request.

The design Retro descends from (a serverless retro board in Ruby: REST on API Gateway, Lambdas,
single-table DynamoDB) served one resource per route, each route a Lambda behind API Gateway.
Its board page is therefore a client fetching resource by resource:

    wave 1:  GET /boards/{id}                  GET /boards/{id}/versions   (side by side)
    wave 2:  GET /versions/{live}/notes        (it needs the live version's id from the board)

and, to show every version's notes (the history view), one `GET /versions/{v}/notes` per version.
Each emulated request runs the same services and store a route would run, and answers with the
whole resource as JSON (REST has no field selection). The GraphQL side is one request through the
real read handler; its response is shaped to the selection as AppSync shapes it (graphql-core
executes the query over the handler's result), so bytes are what a client would receive.

Latency here is local: moto in-process, no network, and moto's CPU time dominates it (a Query
costs moto about 0.85 ms per item it returns). REST is timed two ways: its requests one after
another, and "ideal" — each wave's requests side by side on separate machines, as separate
Lambdas would be. The GraphQL handler's parallel reads are threads of one process here, so on
moto (CPU-bound, one interpreter lock) they cannot beat the sum. The cloud's round trips are
counted instead of timed: HTTP waves and sequential DynamoDB requests.

`python -m bench.rest_shape` prints the figures.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from bench.common import (
    PAGE_QUERY,
    Row,
    appsync_event,
    clock,
    fresh_context,
    moto_store,
    print_table,
    seed_board,
)
from resolvers import views
from resolvers.selection import Selection
from retro import services
from retro.services.pages import BoardSpec, VersionSpec
from retro.store import Store, record_requests

__all__ = ["HISTORY_QUERY", "measure", "run"]

# The history view: every version with its notes, in one GraphQL request.
HISTORY_QUERY = """query History($id: ID!) {
  board(id: $id) {
    id
    title
    versions {
      items {
        number
        notes {
          id
          column
          text
          votes
        }
      }
    }
  }
}"""

# 1,000 notes x 10 versions is left out here: on moto its history view alone takes ~25 s a side,
# and the ratios are those of 100 x 10 (benchmark 1 covers the page's counts at that size).
CASES = ((10, 1), (100, 1), (100, 10))
WHOLE = Selection()  # no selection set: a view renders whole, as a REST resource is sent


@dataclass
class Tally:
    """What one way of loading a page cost."""

    http_requests: int = 0
    http_waves: int = 0  # HTTP round trips the client waits for one after another
    dynamodb: int = 0
    dynamodb_sequential: int = 0
    request_bytes: int = 0
    response_bytes: int = 0
    seconds: float = 0.0  # REST: one request after another; GraphQL: the one request
    critical_seconds: float = 0.0  # REST: each wave's requests side by side (the ideal client)


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _rest(store: Store, tally: Tally, route: Callable[[], Any]) -> tuple[Any, float, int]:
    """One REST request: the route's work, its JSON response; returns (body, seconds, seq.)."""
    with record_requests() as log:
        start = clock()
        body = json.loads(_json(fresh_context(route)))
        seconds = clock() - start
    tally.http_requests += 1
    tally.dynamodb += len(log.calls)
    tally.response_bytes += len(_json(body))
    return body, seconds, log.sequential


def rest_page(store: Store, board_id: str, history: bool) -> Tally:
    """The page as the original REST API's client would load it (see the module docstring)."""
    tally = Tally()

    def get_board() -> Any:
        board = services.require_board(store, board_id, "id")
        return views.board(services.load_boards(store, [board], BoardSpec())[0], WHOLE)

    def get_versions() -> Any:
        found, token = services.versions_of(store, board_id)
        pages = services.load_versions(store, found, VersionSpec())
        return {"items": [views.version(p, WHOLE) for p in pages], "nextToken": token}

    def get_notes(version_id: str) -> Callable[[], Any]:
        return lambda: [views.note(n, WHOLE) for n in services.notes_of(store, version_id)]

    # wave 1: the board and its versions, side by side (both need only the board id)
    board, t_board, s_board = _rest(store, tally, get_board)
    versions, t_versions, s_versions = _rest(store, tally, get_versions)
    # wave 2: notes, once the live version's id (or the versions' ids) is known
    wanted = [v["id"] for v in versions["items"]] if history else [board["currentVersion"]["id"]]
    notes = [_rest(store, tally, get_notes(v)) for v in wanted]
    tally.http_waves = 2
    tally.seconds = t_board + t_versions + sum(t for _, t, _ in notes)
    tally.critical_seconds = max(t_board, t_versions) + max(t for _, t, _ in notes)
    tally.dynamodb_sequential = max(s_board, s_versions) + max(s for _, _, s in notes)
    return tally


@cache
def _schema() -> Any:
    from bench.common import _api  # noqa: PLC0415

    return _api()[0]


def shaped(query: str, data: dict[str, Any]) -> dict[str, Any]:
    """The response AppSync sends: the handler's result cut to the query's selection."""
    from graphql import execute_sync, parse  # noqa: PLC0415

    result = execute_sync(_schema(), parse(query), root_value=data, variable_values={"id": "x"})
    if result.errors:
        raise RuntimeError(f"the page does not fit the schema: {result.errors}")
    return {"data": result.data}


def graphql_page(board_id: str, user_id: str, query: str) -> Tally:
    """The page as one GraphQL request, through the real read handler."""
    from resolvers import read  # noqa: PLC0415

    selection = query[query.index("board(id: $id) ") + len("board(id: $id) ") : query.rindex("}")]
    event = appsync_event(
        "Query.board",
        {"id": board_id},
        user=user_id,
        selection=selection.strip(),
        variables={"id": board_id},
    )
    tally = Tally(http_requests=1, http_waves=1)
    request = {"query": query, "variables": {"id": board_id}}
    with record_requests() as log:
        start = clock()
        page = json.loads(_json(fresh_context(read.handler, json.loads(_json(event)))))
        tally.seconds = clock() - start
    tally.dynamodb, tally.dynamodb_sequential = len(log.calls), log.sequential
    tally.request_bytes = len(_json(request))
    tally.response_bytes = len(_json(shaped(query, {"board": page})))
    return tally


def measure(notes: int, versions: int) -> dict[str, Tally]:
    with moto_store() as store:
        seeded = seed_board(store, notes, versions)
        graphql_page(seeded.board_id, seeded.user_id, PAGE_QUERY)  # warm: imports, first client
        return {
            "REST page": rest_page(store, seeded.board_id, history=False),
            "GraphQL page": graphql_page(seeded.board_id, seeded.user_id, PAGE_QUERY),
            "REST history": rest_page(store, seeded.board_id, history=True),
            "GraphQL history": graphql_page(seeded.board_id, seeded.user_id, HISTORY_QUERY),
        }


def run() -> list[Row]:
    rows: list[Row] = []
    for notes, versions in CASES:
        found = measure(notes, versions)
        for view in ("page", "history"):
            if view == "history" and versions == 1:
                continue  # one version: the history view is the page
            rest, gql = found[f"REST {view}"], found[f"GraphQL {view}"]
            case = f"{view}: {notes} notes x {versions} v."
            rows += [
                Row(
                    "2 REST vs GraphQL",
                    case,
                    "HTTP requests = invocations (waves)",
                    f"{rest.http_requests} ({rest.http_waves}) vs {gql.http_requests} (1)",
                ),
                Row(
                    "2 REST vs GraphQL",
                    case,
                    "DynamoDB requests: seq. / total",
                    f"{rest.dynamodb_sequential} / {rest.dynamodb} vs "
                    f"{gql.dynamodb_sequential} / {gql.dynamodb}",
                ),
                Row(
                    "2 REST vs GraphQL",
                    case,
                    "JSON bytes (req. + resp.)",
                    f"{rest.request_bytes + rest.response_bytes:,} vs "
                    f"{gql.request_bytes + gql.response_bytes:,}",
                ),
                Row(
                    "2 REST vs GraphQL",
                    case,
                    "local latency, moto (REST: serial | ideal)",
                    f"{rest.seconds * 1000:.0f} | {rest.critical_seconds * 1000:.0f} ms"
                    f" vs {gql.seconds * 1000:.0f} ms",
                ),
            ]
    return rows


if __name__ == "__main__":
    print_table(run(), "Benchmark 2: the board page, REST shape vs one GraphQL request (moto)")
