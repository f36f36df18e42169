"""The board page's budgets as counts (issue 8): what `python -m bench` measures, asserted.

Counts only — never time: invocations AppSync would make and DynamoDB round trips, through the
real read handler on moto, at every board size the benchmark uses.
"""

import pytest

from bench.board_page import MAX_INVOCATIONS, MAX_SEQUENTIAL, measure
from bench.common import SIZES, appsync_invocations
from retro.store.pagereads import ONE_ANSWER


@pytest.mark.parametrize(("notes", "versions"), SIZES, ids=[f"{n}x{v}" for n, v in SIZES])
def test_board_page_costs_one_invocation_and_two_round_trips_at_every_size(notes, versions):
    found = measure(notes, versions)  # raises if the page comes back incomplete
    assert found["invocations"] <= MAX_INVOCATIONS
    assert found["by_field"] == {"Query.board": 1}
    assert found["sequential"] == MAX_SEQUENTIAL == 2
    # (index ∥ newest version ∥ versions) → (board ∥ notes, from both ends past 100 notes)
    ends = 1 if notes <= ONE_ANSWER else 2
    assert found["total"] == 4 + ends
    assert found["operations"] == {"Query": 3 + ends, "GetItem": 1}


def test_invocation_count_follows_resolvers_json_batching():
    """The counter the benchmark trusts: per parent object, or per batch of maxBatchSize."""
    boards = [{"id": str(i), "version": {"number": 1}} for i in range(30)]
    query = "{ me { id boards { items { id version(number: 1) { number } } } } }"
    data = {"me": {"id": "u", "boards": {"items": boards}}}
    # Query.me: 1; User.boards (batched): 1; Board.version (maxBatchSize 25): 30 parents → 2
    assert appsync_invocations(query, data) == {
        "Query.me": 1,
        "User.boards": 1,
        "Board.version": 2,
    }
    # nested fields without a resolver cost nothing
    page = {"board": {"id": "b", "currentVersion": {"notes": []}, "versions": {"items": []}}}
    assert appsync_invocations(
        "{ board(id: 1) { id currentVersion { notes { id } } versions { items { id } } } }",
        page,
    ) == {"Query.board": 1}


def test_lambda_handlers_import_neither_graphql_core_nor_the_local_server():
    """The handlers' cold start: graphql-core alone cost ~55 ms (~200 ms without .pyc)."""
    import subprocess
    import sys

    code = (
        "import sys, resolvers.read, resolvers.write, resolvers.authorizer; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'graphql', 'strawberry', 'moto'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
