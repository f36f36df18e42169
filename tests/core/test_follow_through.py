"""Action items that get done, carried while open, and the board's trend across versions.

Service tests on moto: done/undone/who, the carry rules across versions (done stays, open
carries with its count, a copy done in v3 does not come back in v4), the counts every write
keeps on its version, and what a trend of 20 versions costs (counted, never timed).
"""

import pytest

from retro import services
from retro.errors import ConflictError, NotFoundError, ValidationError
from retro.models import Column
from retro.store import record_requests


@pytest.fixture
def board(store, owner):
    return services.create_board(store, owner, "Team")


def _start(store, owner, board, number):
    return services.start_new_version(store, owner, board.id, f"v{number}", from_version=number - 1)


def _by_text(store, version_id):
    return {n.text: n for n in services.notes_of(store, version_id)}


def test_anyone_ticks_an_action_off_and_names_who_takes_it(store, owner, member, board):
    action = services.add_note(store, owner, board.id, "ACTION", "fix CI")
    # a participant who did not write it (a team agreement, not an author privilege)
    done = services.update_action(store, member, board.id, action.id, done=True, who=" Ana ")
    assert (done.done, done.who) == (True, "Ana")
    reopened = services.update_action(store, member, board.id, action.id, done=False)
    assert (reopened.done, reopened.who) == (False, "Ana")
    cleared = services.update_action(store, owner, board.id, action.id, who="")
    assert cleared.who is None


def test_bad_action_input_names_the_field_and_writes_nothing(store, owner, board):
    action = services.add_note(store, owner, board.id, "ACTION", "fix CI")
    good = services.add_note(store, owner, board.id, "GOOD", "pairing")
    for kwargs, field in (
        ({}, "input"),
        ({"who": "x" * 81}, "who"),
        ({"who": "a\u202eb"}, "who"),
        ({"done": True, "client_request_id": "a#b"}, "clientRequestId"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.update_action(store, owner, board.id, action.id, **kwargs)
        assert refused.value.field == field
    with pytest.raises(ConflictError, match="not an action"):
        services.update_action(store, owner, board.id, good.id, done=True)
    with pytest.raises(NotFoundError):
        services.update_action(store, owner, board.id, "0" * 36, done=True)
    note = _by_text(store, board.current_version.id)["fix CI"]
    assert (note.done, note.who) == (False, None)


def test_done_stays_open_carries_with_its_count_and_a_copy_done_later_stays_too(
    store, owner, member, board
):
    # v1: two actions; one is done in v1
    services.add_note(store, member, board.id, "ACTION", "done in v1")
    services.add_note(store, member, board.id, "ACTION", "open all along")
    services.add_note(store, member, board.id, "GOOD", "good stays")
    first = board.current_version.id
    v1 = _by_text(store, first)
    services.update_action(store, member, board.id, v1["done in v1"].id, done=True, who="Ana")
    services.update_action(store, owner, board.id, v1["open all along"].id, who="Ben")

    # v2: only the open action is carried, once, knowing where from
    v2 = _start(store, owner, board, 2)
    carried = _by_text(store, v2.id)
    assert list(carried) == ["open all along"]
    copy = carried["open all along"]
    assert (copy.carried_from, copy.carried_count, copy.done, copy.who) == (
        v1["open all along"].id,
        1,
        False,
        "Ben",
    )
    # the done action stays, done, in v1
    assert _by_text(store, first)["done in v1"].done
    services.add_note(store, member, board.id, "ACTION", "new in v2")

    # v3: both open actions carry; the old one carried twice now
    v3 = _start(store, owner, board, 3)
    third = _by_text(store, v3.id)
    assert {t: n.carried_count for t, n in third.items()} == {
        "open all along": 2,
        "new in v2": 1,
    }
    assert third["open all along"].carried_from == copy.id
    # a carried copy is done in v3: it does not come back in v4
    services.update_action(store, member, board.id, third["open all along"].id, done=True)

    v4 = _start(store, owner, board, 4)
    fourth = _by_text(store, v4.id)
    assert {t: n.carried_count for t, n in fourth.items()} == {"new in v2": 2}
    assert _by_text(store, v3.id)["open all along"].done


def test_a_note_that_leaves_action_loses_done_and_who(store, owner, board):
    action = services.add_note(store, owner, board.id, "ACTION", "tidy up")
    services.update_action(store, owner, board.id, action.id, done=True, who="Ana")
    moved = services.update_note(store, owner, board.id, action.id, column="BAD")
    assert (moved.column, moved.done, moved.who) == (Column.BAD, False, None)
    back = services.update_note(store, owner, board.id, action.id, column="ACTION")
    assert (back.done, back.who) == (False, None)


def test_the_trend_counts_every_version(store, owner, member, board):
    a = services.add_note(store, member, board.id, "ACTION", "a")
    services.add_note(store, member, board.id, "ACTION", "b")
    good = services.add_note(store, member, board.id, "GOOD", "g")
    services.add_note(store, member, board.id, "BAD", "x")
    services.vote(store, member, board.id, good.id)
    services.vote(store, owner, board.id, good.id)
    services.update_action(store, member, board.id, a.id, done=True)
    _start(store, owner, board, 2)
    services.add_note(store, member, board.id, "ACTION", "c")
    _start(store, owner, board, 3)

    trend = services.trend(store, board.id)
    assert trend is not None
    rows = [
        (t.number, t.good, t.bad, t.action, t.votes, t.opened, t.carried, t.done, t.open)
        for t in trend.versions
    ]
    assert rows == [
        (1, 1, 1, 2, 2, 2, 0, 1, 1),
        (2, 0, 0, 2, 0, 1, 1, 0, 2),
        (3, 0, 0, 2, 0, 0, 2, 0, 2),
    ]
    assert [t.oldest_open_age for t in trend.versions] == [0, 1, 2]


def test_no_open_action_has_no_age(store, owner, board):
    assert services.trend(store, board.id).versions[0].oldest_open_age is None


def test_a_secret_ballot_hides_the_vote_total_while_voting(store, owner, member):
    board = services.create_board(store, owner, "Secret", secret_ballot=True)
    note = services.add_note(store, member, board.id, "GOOD", "g")
    services.set_stage(store, owner, board.id, "VOTE")
    services.vote(store, member, board.id, note.id)
    assert services.trend(store, board.id).versions[0].votes is None
    services.set_stage(store, owner, board.id, "DISCUSS")
    assert services.trend(store, board.id).versions[0].votes == 1


def test_no_trend_for_a_board_that_does_not_exist_or_is_being_deleted(store, owner, board):
    assert services.trend(store, "0" * 36) is None
    services.delete_board(store, owner, board.id)
    assert services.trend(store, board.id) is None
    with pytest.raises(ValidationError) as refused:
        services.trend(store, "not an id")
    assert refused.value.field == "boardId"


def test_a_trend_of_20_versions_costs_two_rounds_of_requests(store, owner, member, board):
    for number in range(2, 21):
        services.add_note(store, member, board.id, "ACTION", f"action {number}")
        _start(store, owner, board, number)
    with record_requests() as log:
        trend = services.trend(store, board.id)
    assert len(trend.versions) == 20
    assert [t.oldest_open_age for t in trend.versions][-1] == 19  # written in v1
    assert log.sequential <= 2, log.calls
    assert sorted(log.operations) == ["GetItem", "Query", "Query"]


def test_frozen_versions_stored_before_counts_are_recounted_once(store, owner, member, board):
    from retro.services.trends import recount_frozen
    from retro.store import keys
    from retro.store.tallies import COUNTS

    good = services.add_note(store, member, board.id, "GOOD", "g")
    services.add_note(store, member, board.id, "ACTION", "a")
    services.vote(store, member, board.id, good.id)
    _start(store, owner, board, 2)
    services.add_note(store, member, board.id, "BAD", "live")
    kept = [(t.good, t.votes, t.open_by_age) for t in services.trend(store, board.id).versions]
    # GIVEN version 1 as stored before counts existed (none on its item)
    first = board.current_version.id
    gone = dict.fromkeys([*COUNTS, "t_open_0"])
    store.table.update(keys.version(board.id, first), set_=gone)
    assert services.trend(store, board.id).versions[0].good == 0
    # WHEN recounted: version 1 is corrected, the live version 2 is left to its writes
    assert recount_frozen(store, board.id) == [1]
    recounted = [(t.good, t.votes, t.open_by_age) for t in services.trend(store, board.id).versions]
    assert recounted == kept == [(1, 1, {0: 1}), (0, 0, {1: 1})]
    assert recount_frozen(store, board.id) == []  # nothing left to correct


def test_counts_hold_when_people_tick_move_and_vote_the_same_notes_at_once(
    store, owner, member, board
):
    """Writes racing on the same notes: each counts what it changed, or is refused whole."""
    from concurrent.futures import ThreadPoolExecutor

    from retro.errors import RetroError

    action = services.add_note(store, owner, board.id, "ACTION", "contested")
    other = services.add_note(store, owner, board.id, "GOOD", "moving")
    operations = [
        lambda: services.update_action(store, member, board.id, action.id, done=True),
        lambda: services.update_action(store, owner, board.id, action.id, done=False),
        lambda: services.update_note(store, owner, board.id, action.id, column="BAD"),
        lambda: services.update_note(store, owner, board.id, action.id, column="ACTION"),
        lambda: services.update_note(store, owner, board.id, other.id, column="ACTION"),
        lambda: services.vote(store, member, board.id, action.id),
        lambda: services.vote(store, owner, board.id, other.id),
        lambda: services.delete_note(store, owner, board.id, other.id),
    ] * 3

    def attempt(operation) -> bool:
        try:
            operation()
        except RetroError:
            return False  # refused (a conflict, a note gone): nothing written
        return True

    with ThreadPoolExecutor(12) as pool:
        done = sum(pool.map(attempt, operations))
    assert done > 0
    notes = services.notes_of(store, board.current_version.id)
    (tally,) = services.trend(store, board.id).versions
    actions = [n for n in notes if n.column is Column.ACTION]
    assert (tally.good, tally.bad, tally.action) == tuple(
        sum(n.column is c for n in notes) for c in (Column.GOOD, Column.BAD, Column.ACTION)
    )
    assert tally.votes == sum(n.votes for n in notes)
    assert tally.done == sum(n.done for n in actions)
    assert tally.open == sum(not n.done for n in actions)
