"""Benchmark 1: what the board page costs — invocations and DynamoDB requests, at every size.

Through the real read handler with an AppSync-shaped event, on moto, for boards of 10, 100 and
1,000 notes per version over 1 and 10 versions. Each invocation runs in a fresh contextvars
context (a new Lambda invocation), and `retro.store.record_requests()` sees every DynamoDB call:
`sequential` is the longest chain of round trips the invocation waited for, one after another.
Invocations are AppSync's: `appsync_invocations` walks the query and the result with
`schema/resolvers.json` (a field without a resolver costs nothing; a batched one costs one call
per batch). Budget: ≤ 2 invocations (issue 3) and 2 sequential rounds of requests (issue 16)
at every size, up to a version of `MAX_NOTES_PER_VERSION` notes of the longest text.

`python -m bench.board_page` prints the figures.
"""

from collections import Counter
from typing import Any

from bench.common import (
    PAGE_QUERY,
    SIZES,
    Row,
    appsync_invocations,
    fresh_context,
    moto_store,
    page_event,
    print_table,
    seed_board,
)
from retro.models import MAX_NOTE_TEXT
from retro.store import record_requests
from retro.store.pagereads import MAX_NOTES_PER_VERSION

__all__ = ["measure", "run"]

MAX_INVOCATIONS = 2
MAX_SEQUENTIAL = 2  # issue 16: the least these keys allow (the board's key, then the board)
_REPEATS = 2  # the counts must not change from one call to the next


def measure(
    notes: int, versions: int, text_length: int = 0, char: str = ".", *, counted: bool = True
) -> dict[str, Any]:
    """The page's costs for one board size (a fresh moto table each time); `counted`: the
    versions keep note counts, as every version written since they exist does."""
    from resolvers import read  # noqa: PLC0415 — imported once moto is in place

    with moto_store() as store:
        seeded = seed_board(store, notes, versions, text_length, char, counted=counted)
        event = page_event(seeded)
        seen: list[tuple[int, int, tuple[str, ...]]] = []
        page: Any = None
        for _ in range(_REPEATS):
            with record_requests() as log:
                page = fresh_context(read.handler, event)
            seen.append((len(log.calls), log.sequential, tuple(sorted(log.operations))))
        if len(set(seen)) != 1:
            raise RuntimeError(f"the page's request counts changed between calls: {seen}")
        total, sequential, operations = seen[0]
        if len(page["currentVersion"]["notes"]) != notes or len(page["versions"]["items"]) != min(
            versions, 100
        ):
            raise RuntimeError("the page did not come back whole")
        invocations = appsync_invocations(PAGE_QUERY, {"board": page})
    return {
        "invocations": sum(invocations.values()),
        "by_field": invocations,
        "total": total,
        "sequential": sequential,
        "operations": dict(Counter(operations)),
    }


# Beyond the sizes: a full version (MAX_NOTES_PER_VERSION notes) of the longest text
# allowed, in four-byte characters (~1.9 MB, two Queries' answers), and 600 such notes in ASCII
# (~1.4 MB) in a version stored before the limit (no note counts): it takes a round more.
FULL = (MAX_NOTES_PER_VERSION, 1, MAX_NOTE_TEXT, "\U0001f600")
OVER = (600, 1, MAX_NOTE_TEXT, ".")


def run() -> list[Row]:
    rows: list[Row] = []
    cases = [(n, v, 0, ".") for n, v in SIZES] + [FULL, OVER]
    for notes, versions, text_length, char in cases:
        case = f"{notes} notes x {versions} version{'s' if versions > 1 else ''}"
        if text_length:
            case = f"{notes} notes of {text_length:,} {'4-byte ' if char != '.' else ''}chars"
        over = (notes, versions, text_length, char) == OVER
        found = measure(notes, versions, text_length, char, counted=not over)
        ops = ", ".join(f"{n} {op}" for op, n in sorted(found["operations"].items()))
        rows += [
            Row(
                "1 board page (handler)",
                case,
                "Lambda invocations",
                str(found["invocations"]),
                f"<= {MAX_INVOCATIONS}",
                found["invocations"] <= MAX_INVOCATIONS,
            ),
            Row(
                "1 board page (handler)",
                case,
                "DynamoDB requests: sequential / total",
                f"{found['sequential']} / {found['total']} ({ops})",
                f"<= {MAX_SEQUENTIAL} seq.",
                found["sequential"] <= MAX_SEQUENTIAL,
            ),
        ]
    return rows


if __name__ == "__main__":
    print_table(run(), "Benchmark 1: the board page, through the read handler on moto")
