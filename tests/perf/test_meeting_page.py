"""The board page of a guided meeting costs what the free one costs (issue 13), as counts.

The page with the stage, the timer and what is hidden on it, through the real read handler on
moto, at the benchmark's sizes: the board item mirrors its live version's stage and timer
(`cv_*`), so neither costs a read. Counts only — never time.
"""

import pytest

from bench.board_page import MAX_INVOCATIONS, MAX_SEQUENTIAL
from bench.common import (
    appsync_event,
    appsync_invocations,
    fresh_context,
    moto_store,
    seed_board,
)
from retro import services
from retro.store import record_requests

SELECTION = """{
  id title settings { voteBudget hideWhileWriting secretBallot }
  currentVersion {
    number stage textsHidden votesHidden
    timer { endsAt remainingMs durationSeconds advances running }
    notes { id column text votes }
  }
  versions { items { number stage frozenAt } }
}"""
QUERY = "query Page($id: ID!) {\n  board(id: $id) " + SELECTION + "\n}"


MEETING_SIZES = [(10, 1), (100, 10)]


@pytest.mark.parametrize(("notes", "versions"), MEETING_SIZES, ids=["10x1", "100x10"])
def test_a_guided_board_page_costs_one_invocation_and_two_round_trips(notes, versions):
    from resolvers import read

    with moto_store() as store:
        seeded = seed_board(store, notes, versions)
        owner = seeded.user_id
        services.update_board(store, owner, seeded.board_id, hide_while_writing=True)
        services.set_stage(store, owner, seeded.board_id, "WRITE")
        services.start_timer(store, owner, seeded.board_id, 300, advance=True)
        event = appsync_event(
            "Query.board",
            {"id": seeded.board_id},
            user=owner,
            selection=SELECTION,
            variables={"id": seeded.board_id},
        )
        with record_requests() as log:
            page = fresh_context(read.handler, event)
    current = page["currentVersion"]
    assert (current["stage"], current["textsHidden"], current["timer"]["running"]) == (
        "WRITE",
        True,
        True,
    )
    assert len(current["notes"]) == notes
    assert {n["text"] for n in current["notes"]} == {None}
    invocations = appsync_invocations(QUERY, {"board": page})
    assert invocations == {"Query.board": 1}
    assert sum(invocations.values()) <= MAX_INVOCATIONS
    assert log.sequential <= MAX_SEQUENTIAL
    # (index ∥ newest version ∥ versions) → (board ∥ notes): the same as a free board's page
    assert sorted(log.operations) == ["GetItem", "Query", "Query", "Query", "Query"]
