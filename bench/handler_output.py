"""Benchmark 6: what the read handler hands AppSync for the board page (issue 16, item 4).

AppSync takes a Lambda's whole answer and keeps what the query selects; every byte more is
rendered, serialised and sent by the handler and parsed by AppSync for nothing (before issue 16
the page of 10 notes came back whole: 3.9 KB, of which the query selected 1.45 KB). Through the
real read handler on moto, the page of `NOTES` notes: the bytes it returns, and the bytes the
query selects of that answer (graphql-core executing the page's query over it with the schema,
as AppSync shapes it). Budget: the handler returns exactly what the query selects.

Compact JSON bytes (no spaces), the size the answer has on the wire.
`python -m bench.handler_output` prints the figures.
"""

import json
from dataclasses import dataclass
from typing import Any

from bench.common import (
    PAGE_QUERY,
    Row,
    _api,
    fresh_context,
    moto_store,
    page_event,
    print_table,
    seed_board,
)

__all__ = ["BENCH", "NOTES", "Output", "measure", "run"]

BENCH = "6 handler output"
NOTES = 10  # issue 16's page


@dataclass(frozen=True)
class Output:
    """JSON bytes of the handler's answer and of what the query selects of it."""

    returned: int
    selected: int
    exact: bool  # the answer is what the query selects, value for value


def _bytes(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def measure(notes: int = NOTES) -> Output:
    from graphql import graphql_sync  # noqa: PLC0415 — AppSync's side, not the handler's

    from resolvers import read  # noqa: PLC0415 — imported once moto is in place

    with moto_store() as store:
        seeded = seed_board(store, notes, 1)
        returned = fresh_context(read.handler, page_event(seeded))
    shaped = graphql_sync(
        _api()[0],
        PAGE_QUERY,
        root_value={"board": returned},
        variable_values={"id": seeded.board_id},
    )
    if shaped.errors or shaped.data is None:
        raise RuntimeError(f"the page does not fit the schema: {shaped.errors}")
    selected = shaped.data["board"]
    if len(selected["currentVersion"]["notes"]) != notes:
        raise RuntimeError("the page did not come back whole")
    return Output(_bytes(returned), _bytes(selected), returned == selected)


def run() -> list[Row]:
    found = measure()
    return [
        Row(
            BENCH,
            f"page, {NOTES} notes",
            "JSON bytes returned / selected by the query",
            f"{found.returned:,} B / {found.selected:,} B",
            "= selected",
            found.exact,
        )
    ]


if __name__ == "__main__":
    print_table(run(), "Benchmark 6: the read handler's answer for the board page")
