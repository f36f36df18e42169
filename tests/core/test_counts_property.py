"""A property: a version's counts, kept write by write, equal a full recount of its notes.

Hypothesis draws 200 operations — notes added, deleted, moved between columns, votes spent and
taken back, actions ticked off and opened again, new versions started — and runs them through
the services on a fresh moto table. Refusals the rules make (no vote to take back, a budget
spent, a GOOD note ticked off) are part of the game; anything else fails the test. Afterwards
every version's counts (what the trend reads, never recomputed) must equal a recount from its
notes.
"""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retro import services
from retro.errors import ConflictError
from retro.models import Column
from retro.settings import Settings
from retro.store import Store
from retro.store.table import Table
from tests.moto_dynamodb import atomic_mock_aws

COLUMNS = ["GOOD", "BAD", "ACTION"]
USERS = 3

_index = st.integers(min_value=0, max_value=10_000)
_user = st.integers(min_value=0, max_value=USERS - 1)
OPERATIONS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(COLUMNS), _user),
    st.tuples(st.just("delete"), _index),
    st.tuples(st.just("move"), _index, st.sampled_from(COLUMNS)),
    st.tuples(st.just("vote"), _index, _user),
    st.tuples(st.just("unvote"), _index, _user),
    st.tuples(st.just("done"), _index, st.booleans()),
    st.tuples(st.just("version")),
)


def _recount(store: Store, version_id: str) -> dict[str, object]:
    notes = store.notes(version_id, consistent=True)
    actions = [n for n in notes if n.column is Column.ACTION]
    return {
        "good": sum(n.column is Column.GOOD for n in notes),
        "bad": sum(n.column is Column.BAD for n in notes),
        "action": len(actions),
        "votes": sum(n.votes for n in notes),
        "carried": sum(n.carried_count > 0 for n in actions),
        "done": sum(n.done for n in actions),
        "open_by_age": dict(Counter(n.carried_count for n in actions if not n.done)),
    }


def _run(store: Store, users: list[str], board_id: str, live: list, operation: tuple) -> None:
    """Run one operation on the live version (`live`: [its number, its id], kept up to date)."""
    kind = operation[0]
    if kind == "add":
        services.add_note(store, users[operation[2]], board_id, operation[1], "a note")
        return
    if kind == "version":
        started = services.start_new_version(store, users[0], board_id, from_version=live[0])
        live[:] = [started.number, started.id]
        return
    notes = store.notes(live[1], consistent=True)
    if not notes:
        return
    note = notes[operation[1] % len(notes)]
    try:
        if kind == "delete":
            services.delete_note(store, note.author_id, board_id, note.id)
        elif kind == "move":
            services.update_note(store, note.author_id, board_id, note.id, column=operation[2])
        elif kind == "vote":
            services.vote(store, users[operation[2]], board_id, note.id)
        elif kind == "unvote":
            services.unvote(store, users[operation[2]], board_id, note.id)
        elif kind == "done":
            services.update_action(store, users[1], board_id, note.id, done=operation[2])
    except ConflictError:
        pass  # a refusal the rules make: nothing was written, nothing was counted


@settings(
    max_examples=3,  # 600 operations on moto: the core tier's slowest test, kept to ~1 minute
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(OPERATIONS, min_size=200, max_size=200))
def test_counts_equal_a_full_recount_after_200_random_operations(operations):
    with atomic_mock_aws():
        table = Table(Settings(table_name="retro-property"))
        table.create()
        store = Store(table)
        users = [services.create_user(store, f"u{i}")[0].id for i in range(USERS)]
        board = services.create_board(store, users[0], "Property", vote_budget=3)
        live = [1, board.current_version.id]
        for operation in operations:
            _run(store, users, board.id, live, operation)

        trend = services.trend(store, board.id)
        assert trend is not None
        for tally in trend.versions:
            kept = {
                "good": tally.good,
                "bad": tally.bad,
                "action": tally.action,
                "votes": tally.votes,
                "carried": tally.carried,
                "done": tally.done,
                "open_by_age": tally.open_by_age,
            }
            assert kept == _recount(store, tally.version_id), tally.number
