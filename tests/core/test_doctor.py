"""`retro doctor` on damage no crash of today's code makes: counts that disagree, votes left on
a deleted note, partitions nobody owns — found, said, repaired, and found no more.

(Crashes of a start or a delete, and their repair, are in test_crash_consistency.py.)
"""

import io
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from retro import services
from retro.ids import new_id
from retro.models import Timer
from retro.services.pages import BoardSpec, NotesSpec, VersionSpec
from retro.settings import Settings
from retro.store import Store, keys, record_requests
from retro.store.table import Table
from retro.times import now
from retro_tools.doctor.board import check_board
from retro_tools.doctor.diagnose import diagnose
from retro_tools.doctor.mirror import check_mirror
from tests.moto_dynamodb import atomic_mock_aws


def doctor(store: Store, board_id: str | None, repair: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    return diagnose(store, board_id, repair=repair, grace=timedelta(0), out=out), out.getvalue()


def test_counts_that_disagree_and_votes_on_a_deleted_note_are_found_and_repaired(
    store, owner, member
):
    board = services.create_board(store, owner, "Damaged")
    kept = services.add_note(store, member, board.id, "GOOD", "kept")
    gone = services.add_note(store, member, board.id, "BAD", "gone")
    for note in (kept, kept, gone):
        services.vote(store, owner, board.id, note.id)
    version = board.current_version.id
    # damage no transaction of Retro's makes: a count moved alone, a note deleted alone
    store.table.update(keys.note(version, kept.id), set_={"votes": 5})
    store.table.destroy(keys.note(version, gone.id))
    assert doctor(store, board.id)[0] == 2
    remaining, report = doctor(store, board.id, repair=True)
    assert remaining == 0, report
    assert f"note {kept.id} shows 5 votes, 2 recorded" in report and "set to 2" in report
    assert f"1 vote(s) on note {gone.id}, which is gone, still count against a ballot" in report
    assert "gave back 1 vote(s)" in report
    assert owner not in report and member not in report  # errors name things, never people
    assert doctor(store, board.id) == (0, "checked 1 board(s): 0 problem(s) found\n")
    standing = services.participation(store, owner, board.id)
    assert (standing.votes_used, standing.my_votes) == (2, {kept.id: 2})


def test_a_ballot_that_disagrees_with_its_votes_is_set_to_them(store, owner, member):
    board = services.create_board(store, owner, "Ballot")
    note = services.add_note(store, member, board.id, "GOOD", "n")
    services.vote(store, member, board.id, note.id)
    store.table.update(keys.ballot(board.current_version.id, member), add={"used": 3})
    remaining, report = doctor(store, board.id, repair=True)
    assert remaining == 0 and "a ballot shows 4 votes spent, its vote items hold 1" in report
    assert services.participation(store, member, board.id).votes_used == 1


@pytest.fixture
def scanned_store() -> Iterator[Store]:
    """A store whose requests are not spied on: the doctor's walk scans, as it says."""
    with atomic_mock_aws():
        table = Table(Settings(table_name="retro-doctor"))
        table.create()
        yield Store(table)


def test_without_a_board_the_doctor_walks_the_table_and_removes_what_nobody_owns(scanned_store):
    store = scanned_store
    owner = services.create_user(store, "Owner")[0].id
    board = services.create_board(store, owner, "Fine")
    services.add_note(store, owner, board.id, "GOOD", "fine")
    stray = new_id()  # a version partition with no version: notes nobody can reach
    store.table.put_many(
        [
            {"pid": keys.version_pid(stray), "cid": keys.NOTE + new_id(), "board_id": board.id},
            {"pid": keys.version_pid(stray), "cid": keys.BALLOT + owner, "used": 1},
        ]
    )
    lost = new_id()  # versions of a board that does not exist
    store.table.put_many([{"pid": keys.board_pid(lost), "cid": keys.VERSION + new_id()}])
    remaining, report = doctor(store, None)
    assert remaining == 2, report
    assert f"version {stray}: 2 items under a version no board has" in report
    assert f"board {lost}: 1 versions or stagings of a board that does not exist" in report
    remaining, report = doctor(store, None, repair=True)
    assert remaining == 0, report
    assert doctor(store, None) == (0, "checked 1 board(s): 0 problem(s) found\n")
    assert store.table.children(keys.version_pid(stray), "").items == []
    assert services.get_board(store, board.id) is not None


def test_done_actions_stay_behind_and_wrong_counts_of_a_frozen_version_are_recounted(
    store, owner, member
):
    board = services.create_board(store, owner, "Follow-through")
    done = services.add_note(store, member, board.id, "ACTION", "done already")
    services.add_note(store, member, board.id, "ACTION", "still open")
    services.update_action(store, member, board.id, done.id, done=True)
    first = board.current_version
    services.start_new_version(store, owner, board.id, None)
    # a done action is not carried: the doctor does not take it for a carry left unfinished
    assert doctor(store, board.id) == (0, "checked 1 board(s): 0 problem(s) found\n")

    # a frozen version's counts as a version stored before counts existed reads them: zero
    store.table.update(keys.version(board.id, first.id), set_={"t_action": 0, "t_done": 0})
    remaining, report = doctor(store, board.id)
    assert remaining == 1 and "the kept counts of version(s) 1 disagree with their notes" in report
    remaining, report = doctor(store, board.id, repair=True)
    assert remaining == 0 and "recounted version(s) [1]" in report, report
    frozen = services.trend(store, board.id).versions[0]
    assert (frozen.action, frozen.done) == (2, 1)


# -- backfills: items stored before a field existed ----------------------------------------------
CURRENT_NOTES = BoardSpec(VersionSpec(NotesSpec()))
LIVE = BoardSpec(VersionSpec())


def mirror_of(store: Store, board_id: str) -> int:
    return services.require_board(store, board_id).current_version.meeting_rev


def as_before_the_mirror(store: Store, owner: str, board_id: str) -> None:
    """The board item as written before `cv_meeting_rev` existed: without it."""
    store.table.update(keys.board(owner, board_id), set_={"cv_meeting_rev": None})


def test_a_board_written_before_its_mirror_of_the_meeting_revision_gets_the_versions(
    store, owner, member
):
    board = services.create_board(store, owner, "Before the mirror", hide_while_writing=True)
    services.set_stage(store, owner, board.id, "WRITE")  # revision 1
    as_before_the_mirror(store, owner, board.id)
    services.add_note(store, member, board.id, "GOOD", "written hidden")  # stamped 1
    services.update_board(store, owner, board.id, hide_while_writing=False)  # texts show now
    shown = services.load_boards(store, [services.require_board(store, board.id)], CURRENT_NOTES)
    # the board reads as revision 0, older than the stamp: its text is shown hidden
    assert [n.text for n in shown[0].current.notes] == [None]

    remaining, report = doctor(store, board.id)
    assert remaining == 1, report
    assert (
        f"board {board.id}: the board's mirror of its live version's meeting revision is absent "
        "(the board predates it), the version's is 1\n  repairable: run with --repair"
    ) in report
    remaining, report = doctor(store, board.id, repair=True)
    assert remaining == 0 and "  repaired: set to 1" in report, report
    assert doctor(store, board.id) == (0, "checked 1 board(s): 0 problem(s) found\n")
    assert mirror_of(store, board.id) == 1
    shown = services.load_boards(store, [services.require_board(store, board.id)], CURRENT_NOTES)
    assert [n.text for n in shown[0].current.notes] == ["written hidden"]


def test_a_mirror_a_setting_moved_on_from_nothing_is_set_to_the_versions(store, owner):
    board = services.create_board(store, owner, "Counted from nothing")
    services.set_stage(store, owner, board.id, "WRITE")
    services.set_stage(store, owner, board.id, "VOTE")  # revision 2
    as_before_the_mirror(store, owner, board.id)
    # turning a hiding on adds 1 to each: the board's absent mirror becomes 1, the version 3
    services.update_board(store, owner, board.id, secret_ballot=True)
    assert mirror_of(store, board.id) == 1
    remaining, report = doctor(store, board.id, repair=True)
    assert remaining == 0, report
    assert "meeting revision is 1, the version's is 3" in report and "set to 3" in report
    assert mirror_of(store, board.id) == 3
    assert doctor(store, board.id)[0] == 0


def test_a_meeting_change_after_the_doctor_looked_wins_over_its_repair(store, owner):
    board = services.create_board(store, owner, "Raced")
    services.set_stage(store, owner, board.id, "WRITE")
    services.set_stage(store, owner, board.id, "VOTE")  # revision 2
    as_before_the_mirror(store, owner, board.id)
    [stale] = check_board(store, board.id, timedelta(0))
    services.set_stage(store, owner, board.id, "DISCUSS")  # revision 3, on both
    assert stale.repair is not None
    assert stale.repair() == "not repaired: it changed meanwhile (run again)"
    assert mirror_of(store, board.id) == 3  # not set back to the 2 the doctor read
    assert doctor(store, board.id)[0] == 0


def test_of_two_doctors_repairing_at_once_the_second_finds_the_mirror_changed(store, owner):
    board = services.create_board(store, owner, "Two doctors")
    services.set_stage(store, owner, board.id, "WRITE")
    as_before_the_mirror(store, owner, board.id)
    [first] = check_board(store, board.id, timedelta(0))
    [second] = check_board(store, board.id, timedelta(0))
    assert first.repair is not None and second.repair is not None
    assert first.repair() == "set to 1"
    # the version's meeting is unchanged: only the mirror's own condition can refuse it
    assert second.repair() == "not repaired: it changed meanwhile (run again)"
    assert mirror_of(store, board.id) == 1


def test_a_meeting_change_between_the_doctors_reads_is_no_finding(
    store, owner, monkeypatch, requests
):
    """The board is read, then its versions: a stage set between the two shows the version
    ahead of the mirror read; read again, the board is not behind it."""
    board = services.create_board(store, owner, "Between the reads")
    services.set_stage(store, owner, board.id, "WRITE")
    children = store.table.children
    changed: list[bool] = []

    def stage_set_first(pid: str, prefix: str, **kwargs: Any) -> Any:
        if pid == keys.board_pid(board.id) and prefix == keys.VERSION and not changed:
            changed.append(True)
            services.set_stage(store, owner, board.id, "VOTE")
        return children(pid, prefix, **kwargs)

    monkeypatch.setattr(store.table, "children", stage_set_first)
    assert check_board(store, board.id, timedelta(0)) == []
    assert changed and mirror_of(store, board.id) == 2


def test_boards_whose_mirror_agrees_have_no_finding_and_cost_no_request_more(store, owner):
    untouched = services.create_board(store, owner, "Never changed")  # 0 on both: none stored
    run = services.create_board(store, owner, "Run", hide_while_writing=True)
    services.set_stage(store, owner, run.id, "WRITE")
    services.start_timer(store, owner, run.id, 60)
    services.update_board(store, owner, run.id, secret_ballot=True)
    services.start_new_version(store, owner, run.id, None)  # the new version's 0 mirrored
    services.set_stage(store, owner, run.id, "VOTE")
    for board in (untouched, run):
        assert doctor(store, board.id) == (0, "checked 1 board(s): 0 problem(s) found\n")
        found = services.require_board(store, board.id)
        live = store.table.get(keys.version(board.id, found.current_version.id), consistent=True)
        with record_requests() as log:
            assert check_mirror(store, f"board {board.id}", found, live) == []
        assert log.calls == []


def ended(store: Store, board_id: str, advances: bool) -> None:
    """The live version's timer as if it had ended a second ago (the clock is never waited on)."""
    board = services.require_board(store, board_id)
    seen = store.meeting(board.id, board.current_version.id)
    assert seen is not None
    timer = Timer(ends_at=now() - timedelta(seconds=1), seconds=60, advances=advances)
    store.change_meeting(board, seen, seen.version.stage, timer)


def test_a_timer_that_moved_the_stage_on_before_moved_on_existed_is_left_as_it_is(store, owner):
    """Before `timer_moved_on`, storing the stage a timer moved on only cleared its `advances`:
    it is stored as a timer started without it that ran out in that stage is. Nothing tells
    the two apart, so the doctor guesses neither (docs/RELIABILITY.md, "Known limits")."""
    moved = services.create_board(store, owner, "Moved on")
    services.set_stage(store, owner, moved.id, "WRITE")
    services.start_timer(store, owner, moved.id, 60, advance=True)
    ended(store, moved.id, advances=True)
    services.set_stage(store, owner, moved.id, "VOTE")  # no change: stores the advance
    ran_out = services.create_board(store, owner, "Ran out")
    services.set_stage(store, owner, ran_out.id, "VOTE")
    services.start_timer(store, owner, ran_out.id, 60)
    ended(store, ran_out.id, advances=False)
    stored = []
    for board in (moved, ran_out):
        live = services.require_board(store, board.id).current_version.id
        store.table.update(keys.version(board.id, live), set_={"timer_moved_on": None})
        store.table.update(keys.board(owner, board.id), set_={"cv_timer_moved_on": None})
        item = store.table.get(keys.version(board.id, live), consistent=True)
        stored.append({k: v for k, v in item.items() if k.startswith(("stage", "timer_"))})
    alike = [{k: v for k, v in s.items() if k != "timer_ends_at"} for s in stored]
    assert alike[0] == alike[1] and "timer_moved_on" not in alike[0]
    assert alike[0]["stage"] == "VOTE" and alike[0]["timer_advances"] is False
    for board in (moved, ran_out):  # both served as run out without moving on: "Time's up"
        [shown] = services.load_boards(store, [services.require_board(store, board.id)], LIVE)
        timer = shown.current.meeting.timer
        assert timer is not None and (timer.ended, timer.advances) == (True, False)
    for board, before in zip((moved, ran_out), stored, strict=True):
        assert doctor(store, board.id, repair=True) == (
            0,
            "checked 1 board(s): 0 problem(s) found, 0 remaining\n",
        )
        live = services.require_board(store, board.id).current_version.id
        item = store.table.get(keys.version(board.id, live), consistent=True)
        assert {k: v for k, v in item.items() if k.startswith(("stage", "timer_"))} == before
