"""Whole after a crash (issue 18): startNewVersion and deleteBoard at every crash point.

Every DynamoDB request of a start (30 actions: three staging batches) and of a delete (50
notes, 25 votes) is, in turn, the last one the process makes (`tests/crash_points.py`: applied,
then the process dies); `retro doctor --repair` then leaves 0 problems and the board whole-old
or whole-new. Then each request in turn commits and loses its answer (10 actions; 20 notes, 10
votes), and the client retries with the same key: one version, one delete. And one click
makes one version, however many requests it sends. (The acceptance's sizes — 120 actions, 200
notes and 100 votes — are killed for real through the local server in
`tests/hardening/test_chaos.py`; here moto runs in-process, where its serialization of large
answers costs seconds per round.)
"""

import io
import threading
from collections import Counter
from datetime import timedelta

import pytest

from retro import services
from retro.errors import ConflictError, NotFoundError, RetroError, UnavailableError
from retro.services import versions
from retro.store import Store, keys
from retro.times import now
from retro_tools.doctor.diagnose import diagnose
from tests.crash_points import Crash, count_requests, crash_after, timeout_after
from tests.wholeness import seed_actions, seed_votes, whole_delete, whole_start

NOW = timedelta(0)


def actions(store: Store, count: int = 30):
    return seed_actions(store, actions=count)


def votes(store: Store, notes: int = 50):
    return seed_votes(store, notes=notes, voters=5, each=notes // 10)


def small_actions(store: Store):
    return actions(store, 10)  # one staging batch: every kind of request, fewer of each


def small_votes(store: Store):
    return votes(store, 20)


def clear(store: Store, seeded) -> None:
    """Delete a round's board once checked: in-process moto copies the whole table before each
    transaction, so boards left from earlier rounds would make every later one slower."""
    if services.get_board(store, seeded.board.id) is not None:
        services.delete_board(store, seeded.owner, seeded.board.id)


def doctor(store: Store, board_id: str, repair: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    remaining = diagnose(store, board_id, repair=repair, grace=NOW, out=out)
    return remaining, out.getvalue()


def start_stage(store: Store, board_id: str, old_id: str) -> str:
    """Where a start stopped, as the table shows it."""
    if store.staged(board_id):
        return "staged"
    board = store.locate_board(board_id, consistent=True)
    assert board is not None
    if board.board.current_version.id == old_id:
        return "before"
    started = store.started_version(board_id, board.board.current_version.id)
    return "carry pending" if started and started.pending else "done"


def test_a_start_crashing_at_any_request_is_repaired_to_whole_old_or_whole_new(store):
    probe = actions(store)
    with count_requests(store.table) as counted:
        services.start_new_version(store, probe.owner, probe.board.id, client_request_id="p")
    total = len(counted.calls)
    clear(store, probe)
    stages: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    for at in range(1, total + 1):
        seeded = actions(store)
        old = seeded.board.current_version.id
        with crash_after(store.table, at), pytest.raises(Crash):
            services.start_new_version(store, seeded.owner, seeded.board.id, client_request_id="k")
        stages[start_stage(store, seeded.board.id, old)] += 1
        remaining, report = doctor(store, seeded.board.id, repair=True)
        assert remaining == 0, report
        assert doctor(store, seeded.board.id) == (0, "checked 1 board(s): 0 problem(s) found\n")
        ends[whole_start(store, seeded, old)] += 1
        clear(store, seeded)
    print(f"start: {total} crash points, stopped at {dict(stages)}, repaired to {dict(ends)}")
    assert total >= 12  # reads, a marker, 3 batches, the commit, the carry's end...
    assert stages["staged"] >= 4 and stages["carry pending"] >= 2 and stages["before"] >= 3
    assert ends["old"] >= 7 and ends["new"] >= 3


def test_a_late_action_survives_a_crash_right_after_the_commit(store):
    seeded = seed_actions(store, actions=3)
    old = seeded.board.current_version.id
    stage = store.start_version

    def a_late_note_then_stage(*args, **kwargs):
        services.add_note(store, seeded.owner, seeded.board.id, "ACTION", "late")
        return stage(*args, **kwargs)

    store.start_version = a_late_note_then_stage
    with count_requests(store.table) as counted:
        services.start_new_version(store, seeded.owner, seeded.board.id)
    del store.start_version
    # the start's commit: the second transaction (the late addNote's is the first)
    commit = [i for i, call in enumerate(counted.calls) if call == "transact_write_items"][1]
    seeded = seed_actions(store, actions=3)
    old = seeded.board.current_version.id
    store.start_version = a_late_note_then_stage
    with crash_after(store.table, commit + 1), pytest.raises(Crash):
        services.start_new_version(store, seeded.owner, seeded.board.id)
    del store.start_version
    assert start_stage(store, seeded.board.id, old) == "carry pending"
    live = store.locate_board(seeded.board.id).board.current_version.id
    assert "late" not in {n.text for n in store.notes(live)}  # not carried yet
    remaining, report = doctor(store, seeded.board.id, repair=True)
    assert remaining == 0 and "the carry into version 2 is unfinished" in report, report
    assert sorted(n.text for n in store.notes(live) if n.text == "late") == ["late"]


def test_a_delete_crashing_at_any_request_is_repaired_to_whole_old_or_whole_new(store):
    probe = votes(store)
    with count_requests(store.table) as counted:
        services.delete_board(store, probe.owner, probe.board.id, client_request_id="p")
    total = len(counted.calls)
    stages: Counter[str] = Counter()
    for at in range(1, total + 1):
        seeded = votes(store)
        with crash_after(store.table, at), pytest.raises(Crash):
            services.delete_board(store, seeded.owner, seeded.board.id, client_request_id="k")
        found = store.locate_board(seeded.board.id, consistent=True)
        stage = "before" if found and not found.deleting else "tombstoned" if found else "gone"
        stages[stage] += 1
        if found and found.deleting:  # invisible and closed from the tombstone on
            assert services.get_board(store, seeded.board.id) is None
            assert seeded.board.id not in {
                b.id for b in store.boards_of(seeded.owner, 100, None)[0]
            }
        remaining, report = doctor(store, seeded.board.id, repair=True)
        assert remaining == 0, report
        assert doctor(store, seeded.board.id)[0] == 0
        assert whole_delete(store, seeded) == ("old" if stage == "before" else "new")
        clear(store, seeded)
    print(f"delete: {total} crash points, stopped at {dict(stages)}")
    assert total >= 10 and stages["before"] >= 2 and stages["tombstoned"] >= 6


@pytest.mark.parametrize("operation", ["start", "delete"])
def test_a_retry_with_the_same_key_after_a_lost_answer_never_applies_twice(store, operation):
    """Each request in turn commits and its answer is lost; the client retries with its key."""
    seed = small_actions if operation == "start" else small_votes
    probe = seed(store)
    with count_requests(store.table) as counted:
        run(store, operation, probe)
    clear(store, probe)
    answers: Counter[str] = Counter()
    for at in range(1, len(counted.calls) + 1):
        seeded = seed(store)
        old = seeded.board.current_version.id
        with timeout_after(store.table, at):
            try:
                first = run(store, operation, seeded)
            except UnavailableError:
                first = None
        again = run(store, operation, seeded)  # the retry, same key
        answers["lost" if first is None else "answered"] += 1
        assert first is None or first == again
        if operation == "start":
            assert again == (2, whole_start(store, seeded, old) == "new")
            assert [v.number for v in store.versions(seeded.board.id)[0]] == [1, 2]
        else:
            assert again == seeded.board.id and whole_delete(store, seeded) == "new"
        assert doctor(store, seeded.board.id)[0] == 0
        clear(store, seeded)
    print(f"{operation}: {dict(answers)} after a lost answer, each retried once with its key")
    assert answers["lost"] >= 8


def run(store: Store, operation: str, seeded) -> object:
    if operation == "start":
        version = services.start_new_version(
            store, seeded.owner, seeded.board.id, client_request_id="k", from_version=1
        )
        return version.number, True
    return services.delete_board(
        store, seeded.owner, seeded.board.id, client_request_id="k"
    ).board.id


# -- one click, one version --------------------------------------------------------------------
def at_once(calls):
    results: list[object] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def go(i):
        barrier.wait()
        try:
            results[i] = calls[i]()
        except RetroError as error:
            results[i] = error

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("keys_", ["none", "different"])
def test_ten_concurrent_starts_naming_no_version_start_one(store, owner, keys_, monkeypatch):
    board = services.create_board(store, owner, "Clicky")
    # At once, as the service's clock sees it: a start naming no version is refused only within
    # REPEAT_WINDOW of the one that won, and on a loaded machine the last of ten threads can
    # read the board more than that after the winner's start (ten threads took 6 s at load 22).
    moment = now()
    monkeypatch.setattr(versions, "now", lambda: moment)
    results = at_once(
        [
            lambda i=i: services.start_new_version(
                store, owner, board.id, client_request_id=None if keys_ == "none" else f"k{i}"
            )
            for i in range(10)
        ]
    )
    started = [r for r in results if not isinstance(r, RetroError)]
    assert [v.number for v in store.versions(board.id)[0]] == [1, 2]
    assert len(started) == 1 and started[0].number == 2
    assert all(isinstance(r, ConflictError) for r in results if r is not started[0])


def test_ten_concurrent_starts_naming_the_live_version_start_one_and_all_answer_it(store, owner):
    board = services.create_board(store, owner, "Clicky")
    services.add_note(store, owner, board.id, "ACTION", "carry me")
    results = at_once(
        [
            lambda i=i: services.start_new_version(
                store, owner, board.id, client_request_id=f"click-{i}", from_version=1
            )
            for i in range(10)
        ]
    )
    assert [v.number for v in store.versions(board.id)[0]] == [1, 2]
    assert {r.id for r in results} == {store.versions(board.id)[0][1].id}, results
    assert [n.text for n in store.notes(results[0].id)] == ["carry me"]


@pytest.mark.parametrize("from_version", [None, 1])
def test_a_start_whose_staging_the_winner_swept_lost_the_race_and_is_answered_so(
    store, owner, from_version
):
    """The interleaving ten starts at once can take: one start is staged when another commits
    and sweeps the stagings it made stale, so the first start's commit finds its marker gone as
    well as the version frozen. It lost to another start, as any loser: a conflict, or the
    winner's version for a start naming the same version — not "please retry"."""
    board = services.create_board(store, owner, "Raced")
    services.add_note(store, owner, board.id, "ACTION", "carry me")
    commit = store.write_once
    won = []

    def the_other_start_commits_first(*args, **kwargs):
        store.write_once = commit  # the other start's own commit goes straight through
        won.append(services.start_new_version(store, owner, board.id, from_version=from_version))
        assert store.staged(board.id) == []  # its sweep took this start's marker
        return commit(*args, **kwargs)

    store.write_once = the_other_start_commits_first
    if from_version is None:
        with pytest.raises(ConflictError, match="no longer the live version"):
            services.start_new_version(store, owner, board.id)
    else:
        assert services.start_new_version(store, owner, board.id, from_version=1) == won[0]
    del store.write_once
    assert [v.number for v in store.versions(board.id)[0]] == [1, 2]
    assert [n.text for n in store.notes(won[0].id)] == ["carry me"]
    assert store.staged(board.id) == [] and doctor(store, board.id)[0] == 0


def test_a_start_naming_no_version_right_after_a_start_is_refused_as_a_repeat(store, owner):
    board = services.create_board(store, owner, "Quick")
    second = services.start_new_version(store, owner, board.id)  # version 1: no window
    with pytest.raises(ConflictError, match="send fromVersion: 2"):
        services.start_new_version(store, owner, board.id)
    assert services.start_new_version(store, owner, board.id, from_version=1).id == second.id
    with pytest.raises(ConflictError, match="version 2 is live, not 5"):
        services.start_new_version(store, owner, board.id, from_version=5)
    third = services.start_new_version(store, owner, board.id, from_version=2)
    assert [v.number for v in store.versions(board.id)[0]] == [1, 2, 3] and third.number == 3
    with pytest.raises(RetroError, match="fromVersion: must be a whole number from 1"):
        services.start_new_version(store, owner, board.id, from_version=0)


# -- a tombstone hides and closes at once --------------------------------------------------------
def test_a_tombstoned_board_is_invisible_and_closed_until_a_retry_finishes_it(store, owner, member):
    board = services.create_board(store, owner, "Half gone")
    note = services.add_note(store, member, board.id, "GOOD", "still here")
    store.tombstone_board(board, owner, board.created_at)  # the delete crashed right after
    assert services.get_board(store, board.id) is None
    assert services.boards_of(store, owner) == ([], None)
    for write in (
        lambda: services.add_note(store, member, board.id, "GOOD", "late"),
        lambda: services.vote(store, member, board.id, note.id),
        lambda: services.update_board(store, owner, board.id, title="Renamed"),
        lambda: services.start_new_version(store, owner, board.id),
        lambda: services.participation(store, member, board.id),
    ):
        with pytest.raises(NotFoundError):
            write()
    with pytest.raises(ConflictError, match="frozen"):  # a write that read the board before
        store.vote(note, member, 5)
    assert doctor(store, board.id)[0] == 1
    page = services.delete_board(store, owner, board.id)  # the owner's retry finishes it
    assert page.board.id == board.id
    assert store.table.children(keys.version_pid(board.current_version.id), "").items == []
    with pytest.raises(NotFoundError):
        services.delete_board(store, owner, board.id)
    assert doctor(store, board.id) == (0, "checked 1 board(s): 0 problem(s) found\n")


def test_a_deleted_board_retried_with_its_key_is_answered_as_it_was(store, owner, member):
    board = services.create_board(store, owner, "Gone")
    services.add_note(store, member, board.id, "ACTION", "note")
    first = services.delete_board(store, owner, board.id, client_request_id="bye")
    again = services.delete_board(store, owner, board.id, client_request_id="bye")
    assert (
        (again.board.id, again.board.title)
        == (first.board.id, first.board.title)
        == (
            board.id,
            "Gone",
        )
    )
    with pytest.raises(NotFoundError):
        services.delete_board(store, owner, board.id, client_request_id="other")


def test_a_stale_start_staging_is_dropped_by_the_next_start(store, owner):
    seeded = seed_actions(store, actions=30)
    with crash_after(store.table, 7), pytest.raises(Crash):  # inside the staging
        services.start_new_version(store, seeded.owner, seeded.board.id)
    assert len(store.staged(seeded.board.id)) == 1
    services.start_new_version(store, seeded.owner, seeded.board.id, from_version=1)
    assert store.staged(seeded.board.id) == []
    assert whole_start(store, seeded, seeded.board.current_version.id) == "new"
