"""Facilitated meetings in the core: stages, what each lets in and hides, the timer, moderation.

Services on moto, as the handlers call them. Time is never waited for: a timer that has ended
is written through the store with an end in the past, as a participant would find it later.
"""

import threading
from dataclasses import asdict, replace
from datetime import timedelta

import pytest

from retro import services
from retro.errors import ConflictError, ForbiddenError, ValidationError
from retro.models import BoardSettings, Column, PublicNote, Stage, Timer, VersionRef
from retro.services.pages import BoardSpec, NotesSpec, VersionSpec, VersionsSpec
from retro.services.stages import effective_stage, meeting_of
from retro.store import BoardChanges, NoteChanges, VersionClosed
from retro.times import now

ALL = BoardSpec(VersionSpec(NotesSpec()), VersionsSpec(items=VersionSpec(NotesSpec())))


@pytest.fixture
def voter(store):
    return services.create_user(store, "Vic")[0].id


@pytest.fixture
def board(store, owner):
    return services.create_board(store, owner, "Guided", vote_budget=3)


@pytest.fixture
def hidden(store, owner):
    """A board that hides texts while writing and counts while voting."""
    return services.create_board(
        store, owner, "Hidden", vote_budget=3, hide_while_writing=True, secret_ballot=True
    )


def page(store, board_id):
    board = services.require_board(store, board_id)
    return services.load_boards(store, [board], ALL)[0]


def stage_of(store, board_id):
    return page(store, board_id).current.meeting.stage


def end_timer(store, board, advances=True):
    """The live version's timer as if it had ended a second ago (the clock is never waited on)."""
    board = services.require_board(store, board.id)
    seen = store.meeting(board.id, board.current_version.id)
    ended = Timer(ends_at=now() - timedelta(seconds=1), seconds=60, advances=advances)
    store.change_meeting(board, seen, seen.version.stage, ended)


# -- stages ---------------------------------------------------------------------------------------
def test_a_new_board_is_free_and_hides_nothing(store, owner, member, board):
    assert board.current_version.stage is Stage.FREE
    assert board.settings.hide_while_writing is False and board.settings.secret_ballot is False
    note = services.add_note(store, member, board.id, "GOOD", "open")
    assert services.vote(store, owner, board.id, note.id).votes == 1
    current = page(store, board.id).current
    assert current.meeting.stage is Stage.FREE and current.meeting.timer is None
    assert [(n.text, n.votes) for n in current.notes] == [("open", 1)]


def test_only_the_owner_sets_the_stage_and_the_board_mirrors_it(store, owner, member, board):
    with pytest.raises(ForbiddenError, match=f"only the owner of board {board.id}"):
        services.set_stage(store, member, board.id, "WRITE")
    assert stage_of(store, board.id) is Stage.FREE
    version = services.set_stage(store, owner, board.id, "WRITE")
    assert version.stage is Stage.WRITE
    # the version item and the board item's mirror agree (the board page reads the mirror)
    assert store.get_version(board.id, version.id).stage is Stage.WRITE
    assert services.require_board(store, board.id).current_version.stage is Stage.WRITE
    with pytest.raises(ValidationError, match=r"input\.stage: must be one of FREE, WRITE"):
        services.set_stage(store, owner, board.id, "PURPLE")
    assert stage_of(store, board.id) is Stage.WRITE


def test_write_takes_notes_and_refuses_votes_naming_the_stage(store, owner, member, board):
    services.set_stage(store, owner, board.id, "WRITE")
    note = services.add_note(store, member, board.id, "GOOD", "written")
    services.update_note(store, member, board.id, note.id, text="rewritten", column="BAD")
    with pytest.raises(
        ConflictError,
        match="voting opens in the VOTE stage; the board is in WRITE",
    ):
        services.vote(store, member, board.id, note.id)
    with pytest.raises(ConflictError, match="the board is in WRITE"):
        services.unvote(store, member, board.id, note.id)
    assert services.participation(store, member, board.id).votes_used == 0


def test_vote_fixes_good_and_bad_notes_and_keeps_actions_open(store, owner, member, board):
    good = services.add_note(store, member, board.id, "GOOD", "fixed")
    action = services.add_note(store, member, board.id, "ACTION", "open")
    services.set_stage(store, owner, board.id, "VOTE")
    for refused, message in [
        (lambda: services.add_note(store, member, board.id, "BAD", "late"), "new BAD notes"),
        (lambda: services.update_note(store, member, board.id, good.id, text="x"), "GOOD notes"),
        (lambda: services.update_note(store, member, board.id, good.id, column="ACTION"), "GOOD"),
        (lambda: services.update_note(store, member, board.id, action.id, column="BAD"), "BAD"),
    ]:
        with pytest.raises(ConflictError, match=f"{message}.*the board is in VOTE"):
            refused()
    services.add_note(store, member, board.id, "ACTION", "another action")
    services.update_note(store, member, board.id, action.id, text="still open")
    assert services.vote(store, member, board.id, good.id).votes == 1
    assert services.unvote(store, member, board.id, good.id).votes == 0
    texts = sorted(n.text for n in page(store, board.id).current.notes)
    assert texts == ["another action", "fixed", "still open"]


def test_discuss_closes_votes_and_keeps_actions_open(store, owner, member, board):
    good = services.add_note(store, member, board.id, "GOOD", "g")
    services.vote(store, member, board.id, good.id)
    services.set_stage(store, owner, board.id, "DISCUSS")
    with pytest.raises(ConflictError, match=r"voting has closed.*the board is in DISCUSS"):
        services.vote(store, member, board.id, good.id)
    with pytest.raises(ConflictError, match="the board is in DISCUSS"):
        services.unvote(store, member, board.id, good.id)
    with pytest.raises(ConflictError, match=r"new GOOD notes.*the board is in DISCUSS"):
        services.add_note(store, member, board.id, "GOOD", "late")
    services.add_note(store, member, board.id, "ACTION", "follow up")
    # any stage back to any other: the owner runs the meeting
    services.set_stage(store, owner, board.id, "FREE")
    services.add_note(store, member, board.id, "GOOD", "free again")


# -- hidden writing, secret ballot ---------------------------------------------------------------
def test_hidden_texts_are_in_no_answer_but_the_authors_own_participation(
    store, owner, member, voter, hidden
):
    services.set_stage(store, owner, hidden.id, "WRITE")
    added = services.add_note(store, member, hidden.id, "GOOD", "secret thought")
    assert isinstance(added, PublicNote) and added.text is None  # the author's answer too
    edited = services.update_note(store, member, hidden.id, added.id, text="second thought")
    assert edited.text is None
    current = page(store, hidden.id).current
    assert current.meeting.texts_hidden and not current.meeting.votes_hidden
    assert [(n.column, n.text) for n in current.notes] == [(Column.GOOD, None)]
    mine = services.participation(store, member, hidden.id).my_notes
    assert [(n.id, n.text) for n in mine] == [(added.id, "second thought")]
    assert services.participation(store, voter, hidden.id).my_notes == []
    with pytest.raises(ConflictError, match="while its texts are hidden; the board is in WRITE"):
        services.export_version_of(store, hidden.id, hidden.current_version.id, 1, "MARKDOWN")
    # the reveal: the next answer has every text
    revealed = services.set_stage(store, owner, hidden.id, "VOTE")
    assert revealed.stage is Stage.VOTE
    assert [n.text for n in page(store, hidden.id).current.notes] == ["second thought"]


def test_secret_ballot_hides_counts_while_voting_and_each_sees_their_own(
    store, owner, member, voter, hidden
):
    note = services.add_note(store, member, hidden.id, "GOOD", "popular")
    services.set_stage(store, owner, hidden.id, "VOTE")
    # the answer goes to every onNoteUpdated subscriber: in a secret ballot it is nothing,
    # not even the note (which note got a vote is the secret); a retry answers the same
    assert services.vote(store, voter, hidden.id, note.id, "v1") is None
    assert services.vote(store, voter, hidden.id, note.id, "v1") is None
    assert services.vote(store, voter, hidden.id, note.id) is None
    assert services.vote(store, member, hidden.id, note.id) is None
    assert services.unvote(store, voter, hidden.id, note.id) is None
    current = page(store, hidden.id).current
    assert current.meeting.votes_hidden and not current.meeting.texts_hidden
    assert [(n.text, n.votes) for n in current.notes] == [("popular", None)]
    assert services.participation(store, voter, hidden.id).my_votes == {note.id: 1}
    assert services.participation(store, member, hidden.id).my_votes == {note.id: 1}
    with pytest.raises(ConflictError, match="vote counts are hidden; the board is in VOTE"):
        services.export_version_of(store, hidden.id, hidden.current_version.id, 1, "CSV")
    services.set_stage(store, owner, hidden.id, "DISCUSS")
    assert [n.votes for n in page(store, hidden.id).current.notes] == [2]
    assert "popular,2," in services.export_version_of(
        store, hidden.id, hidden.current_version.id, 1, "CSV"
    )


def test_settings_change_what_is_hidden_at_once(store, owner, member, board):
    services.set_stage(store, owner, board.id, "WRITE")
    services.add_note(store, member, board.id, "BAD", "visible")
    assert [n.text for n in page(store, board.id).current.notes] == ["visible"]
    with pytest.raises(ForbiddenError):
        services.update_board(store, member, board.id, hide_while_writing=True)
    with pytest.raises(ValidationError, match=r"settings\.hideWhileWriting: must be true or"):
        services.update_board(store, owner, board.id, hide_while_writing="yes")  # type: ignore[arg-type]
    changed = services.update_board(store, owner, board.id, hide_while_writing=True)
    assert changed.settings.hide_while_writing and not changed.settings.secret_ballot
    assert changed.settings.vote_budget == 3
    assert [n.text for n in page(store, board.id).current.notes] == [None]


def test_a_frozen_version_hides_nothing_and_the_next_starts_in_write(store, owner, member, hidden):
    services.set_stage(store, owner, hidden.id, "WRITE")
    services.add_note(store, member, hidden.id, "GOOD", "frozen in WRITE")
    services.add_note(store, member, hidden.id, "ACTION", "carried")
    second = services.start_new_version(store, owner, hidden.id)
    assert second.stage is Stage.WRITE  # a guided meeting goes on guided
    loaded = page(store, hidden.id)
    first = loaded.versions.items[0]
    assert first.meeting.stage is Stage.WRITE and not first.meeting.texts_hidden
    assert sorted(n.text for n in first.notes) == ["carried", "frozen in WRITE"]
    # the carried action is not new writing (version 1 shows it to everyone): face up ...
    [copy] = loaded.current.notes
    assert copy.text == "carried" and copy.carried_from is not None
    # ... until it is touched: then it is writing, hidden as any note
    services.update_action(store, member, hidden.id, copy.id, who="Max")
    assert [(n.text, n.who) for n in page(store, hidden.id).current.notes] == [(None, None)]
    free = services.create_board(store, owner, "Free")
    assert services.start_new_version(store, owner, free.id).stage is Stage.FREE


# -- the timer ----------------------------------------------------------------------------------
def test_the_timer_counts_by_the_servers_clock(store, owner, member, board):
    with pytest.raises(ForbiddenError):
        services.start_timer(store, member, board.id, 300)
    for seconds, field in [(5, "input.seconds"), (3601, "input.seconds"), (True, "input.seconds")]:
        with pytest.raises(ValidationError, match=rf"{field}: must be a whole number from 10"):
            services.start_timer(store, owner, board.id, seconds)
    with pytest.raises(ConflictError, match="no timer was started on version 1"):
        services.stop_timer(store, owner, board.id)
    with pytest.raises(ConflictError, match="no timer is running on version 1"):
        services.extend_timer(store, owner, board.id, 60)
    before = now()
    started = services.start_timer(store, owner, board.id, 300)
    assert started.timer.seconds == 300 and not started.timer.advances  # nothing to move to
    assert timedelta(seconds=299) <= started.timer.ends_at - before <= timedelta(seconds=301)
    timer = page(store, board.id).current.meeting.timer
    assert timer.running and 295_000 < timer.remaining_ms <= 300_000
    assert timer.duration_seconds == 300
    extended = services.extend_timer(store, owner, board.id, 60)
    assert extended.timer.ends_at - started.timer.ends_at == timedelta(seconds=60)
    assert extended.timer.seconds == 360
    with pytest.raises(ValidationError, match="seconds: the timer would run more than 3600 s"):
        services.extend_timer(store, owner, board.id, 3500)
    with pytest.raises(ValidationError, match="seconds: must be a whole number from 1 to 3600"):
        services.extend_timer(store, owner, board.id, 0)
    stopped = services.stop_timer(store, owner, board.id)
    assert stopped.timer.stopped
    timer = page(store, board.id).current.meeting.timer
    assert (timer.running, timer.remaining_ms, timer.advances) == (False, 0, False)
    with pytest.raises(ConflictError, match="no timer is running"):
        services.extend_timer(store, owner, board.id, 60)


def test_a_stage_change_stops_the_timer_and_the_same_stage_changes_nothing(store, owner, board):
    services.set_stage(store, owner, board.id, "WRITE")
    services.start_timer(store, owner, board.id, 120, advance=True)
    same = services.set_stage(store, owner, board.id, "WRITE")
    assert same.timer.advances and not same.timer.stopped
    moved = services.set_stage(store, owner, board.id, "VOTE")
    assert moved.timer.stopped and not moved.timer.advances


def test_an_ended_timer_moves_the_stage_on_at_read_time_and_the_next_write_stores_it(
    store, owner, member, hidden
):
    services.set_stage(store, owner, hidden.id, "WRITE")
    note = services.add_note(store, member, hidden.id, "GOOD", "before the bell")
    services.start_timer(store, owner, hidden.id, 60, advance=True)
    assert stage_of(store, hidden.id) is Stage.WRITE
    end_timer(store, hidden)
    # read time: VOTE already, texts revealed — nothing stored yet
    current = page(store, hidden.id).current
    assert current.meeting.stage is Stage.VOTE
    assert [n.text for n in current.notes] == ["before the bell"]
    assert store.get_version(hidden.id, current.version.id).stage is Stage.WRITE
    with pytest.raises(ConflictError, match=r"new GOOD notes.*the board is in VOTE"):
        services.add_note(store, member, hidden.id, "GOOD", "too late")
    # a write that depends on the stage stored the advance, once (the timer advances no more)
    stored = store.get_version(hidden.id, current.version.id)
    assert stored.stage is Stage.VOTE and not stored.timer.advances
    assert services.require_board(store, hidden.id).current_version.stage is Stage.VOTE
    assert services.vote(store, member, hidden.id, note.id) is None  # secret ballot: no answer
    assert stage_of(store, hidden.id) is Stage.VOTE  # not on to DISCUSS


def test_every_reader_is_told_whether_the_timer_ran_out_or_was_stopped(store, owner, member, board):
    def served():
        timer = page(store, board.id).current.meeting.timer
        return timer.running, timer.ended, timer.advances

    services.set_stage(store, owner, board.id, "WRITE")
    services.start_timer(store, owner, board.id, 60)
    assert served() == (True, False, False)
    # it ran out: ended, for a reader who opens the board any time later
    end_timer(store, board, advances=False)
    assert served() == (False, True, False)
    assert served() == (False, True, False)
    # stopped before it ran out: not ended
    services.start_timer(store, owner, board.id, 60)
    services.stop_timer(store, owner, board.id)
    assert served() == (False, False, False)
    # ran out, then the owner moved the stage on (which stops it): not ended any more
    end_timer(store, board, advances=False)
    services.set_stage(store, owner, board.id, "VOTE")
    assert served() == (False, False, False)


def test_a_timer_that_moved_the_stage_on_ended_and_says_so_before_and_after_it_is_stored(
    store, owner, member, board
):
    services.set_stage(store, owner, board.id, "WRITE")
    services.start_timer(store, owner, board.id, 60, advance=True)
    end_timer(store, board)
    before = page(store, board.id).current.meeting
    assert before.stage is Stage.VOTE
    assert (before.timer.running, before.timer.ended, before.timer.advances) == (False, True, True)
    # a write that depends on the stage stores the advance; the answer stays the same
    with pytest.raises(ConflictError, match="the board is in VOTE"):
        services.add_note(store, member, board.id, "GOOD", "too late")
    stored = store.get_version(board.id, page(store, board.id).current.version.id)
    assert (stored.stage, stored.timer.advances, stored.timer.moved_on) == (Stage.VOTE, False, True)
    after = page(store, board.id).current.meeting
    assert after.stage is Stage.VOTE and after.timer == before.timer
    # the board item's mirror carries it too (the board page reads nothing more)
    assert services.require_board(store, board.id).current_version.timer.moved_on


def test_effective_stage_is_a_function_of_the_moment():
    at = now()

    def version(stage, **timer):
        made = Timer(ends_at=at, seconds=60, **timer)
        return VersionRef(id="v", number=1, created_at=at, stage=stage, timer=made)

    assert effective_stage(version(Stage.WRITE, advances=True), at) is Stage.VOTE
    assert effective_stage(version(Stage.VOTE, advances=True), at) is Stage.DISCUSS
    assert effective_stage(version(Stage.DISCUSS, advances=True), at) is Stage.DISCUSS
    assert effective_stage(version(Stage.WRITE, advances=True), at - timedelta(seconds=1)) is (
        Stage.WRITE
    )
    assert effective_stage(version(Stage.WRITE, advances=True, stopped=True), at) is Stage.WRITE
    assert effective_stage(version(Stage.WRITE), at) is Stage.WRITE
    state = meeting_of(BoardSettings(hide_while_writing=True), version(Stage.WRITE), at)
    assert state.texts_hidden and state.timer.remaining_ms == 0 and not state.timer.running


# -- the gate is in the transaction ------------------------------------------------------------
def test_a_stage_change_racing_a_write_cannot_let_it_in(store, owner, member, voter, board):
    """The services read the stage, then write: the write's own transaction checks the stage it
    was read in, so a change landing in between refuses the write instead of letting it in."""
    written = services.add_note(store, member, board.id, "GOOD", "n")
    services.set_stage(store, owner, board.id, "VOTE")
    note = store.get_note(board.current_version.id, written.id, consistent=True)
    services.set_stage(store, owner, board.id, "DISCUSS")  # lands after the read
    with pytest.raises(VersionClosed) as refused:
        store.vote(note, voter, 3, None, [Stage.VOTE])
    assert refused.value.error_type == "ConflictError"
    assert services.participation(store, voter, board.id).votes_used == 0
    late = replace(note, id=written.id[:-1] + "Z", column=Column.GOOD)
    with pytest.raises(VersionClosed):
        store.add_note(late, None, [Stage.WRITE])
    assert [n.id for n in services.notes_of(store, board.current_version.id)] == [written.id]


def test_a_pending_advance_closes_the_old_stage_in_the_transaction(store, owner, member, board):
    services.set_stage(store, owner, board.id, "WRITE")
    written = services.add_note(store, member, board.id, "GOOD", "n")
    end_timer(store, board)
    note = store.get_note(board.current_version.id, written.id, consistent=True)
    late = replace(note, id=written.id[:-1] + "Z")
    with pytest.raises(VersionClosed):  # stored WRITE, but its timer ended: not WRITE any more
        store.add_note(late, None, [Stage.WRITE])


def test_meeting_changes_once_per_key(store, owner, board):
    first = services.start_timer(store, owner, board.id, 60, client_request_id="t-1")
    again = services.start_timer(store, owner, board.id, 60, client_request_id="t-1")
    assert again.timer.ends_at == first.timer.ends_at  # not restarted
    services.extend_timer(store, owner, board.id, 30, client_request_id="e-1")
    services.extend_timer(store, owner, board.id, 30, client_request_id="e-1")
    assert stage_timer(store, board).seconds == 90
    services.set_stage(store, owner, board.id, "WRITE", client_request_id="s-1")
    services.set_stage(store, owner, board.id, "VOTE")
    replayed = services.set_stage(store, owner, board.id, "WRITE", client_request_id="s-1")
    assert replayed.stage is Stage.VOTE  # answered as the earlier success, not done again
    other = services.create_board(store, owner, "Other")
    with pytest.raises(ValidationError, match="clientRequestId: was already used"):
        services.set_stage(store, owner, other.id, "WRITE", client_request_id="s-1")


def stage_timer(store, board):
    return services.require_board(store, board.id).current_version.timer


# -- moderation -----------------------------------------------------------------------------------
def test_the_owner_deletes_any_note_and_its_votes_go_back(store, owner, member, voter, board):
    note = services.add_note(store, member, board.id, "BAD", "off topic")
    services.vote(store, voter, board.id, note.id)
    services.vote(store, voter, board.id, note.id)
    services.set_stage(store, owner, board.id, "DISCUSS")  # any stage
    with pytest.raises(
        ForbiddenError, match=f"only the author of note {note.id} or the board's owner may delete"
    ):
        services.delete_note(store, voter, board.id, note.id)
    deleted = services.delete_note(store, owner, board.id, note.id)
    assert isinstance(deleted, PublicNote) and not hasattr(deleted, "author_id")
    assert (deleted.id, deleted.text, deleted.votes) == (note.id, "off topic", 2)
    assert services.notes_of(store, board.current_version.id) == []
    assert services.participation(store, voter, board.id).votes_used == 0
    assert services.participation(store, member, board.id).my_note_ids == []


def test_a_moderated_delete_answers_like_the_authors_own(store, owner, member, hidden):
    """Whoever deletes, the answer is the same public note: it cannot tell who wrote it."""
    services.set_stage(store, owner, hidden.id, "WRITE")
    mine = services.add_note(store, member, hidden.id, "GOOD", "mine")
    theirs = services.add_note(store, owner, hidden.id, "GOOD", "the owner's")
    by_owner = services.delete_note(store, owner, hidden.id, mine.id)
    by_author = services.delete_note(store, owner, hidden.id, theirs.id)
    assert asdict(by_owner).keys() == asdict(by_author).keys()
    assert by_owner.text is None and by_author.text is None  # hidden while writing


# -- a stage racing the page ----------------------------------------------------------------------
def race_after_the_board_read(monkeypatch, store, meanwhile):
    """The board page's second round reads the board (its stage) and the notes side by side:
    here the board is read, then `meanwhile()` writes, then the notes are read — the stage the
    page holds is older than a note it reads, every time."""
    board_read = threading.Event()
    real_board, real_end = store.visible_board, store.notes_end

    def board_then_writes(*args):
        found = real_board(*args)
        if not board_read.is_set():
            meanwhile()
            board_read.set()
        return found

    def notes_after(*args):
        assert board_read.wait(30)
        return real_end(*args)

    monkeypatch.setattr(store, "visible_board", board_then_writes)
    monkeypatch.setattr(store, "notes_end", notes_after)


LIVE_NOTES = BoardSpec(VersionSpec(NotesSpec()))


def test_a_text_written_after_the_stage_went_to_hiding_is_not_on_a_page_that_read_the_stage_before(
    monkeypatch, store, owner, member, voter, hidden
):
    before = services.add_note(store, voter, hidden.id, "GOOD", "said before")
    secret = "written a moment after hiding began"

    def hiding_then_writing():
        services.set_stage(store, owner, hidden.id, "WRITE")
        services.add_note(store, member, hidden.id, "BAD", secret)

    race_after_the_board_read(monkeypatch, store, hiding_then_writing)
    shown = services.load_board_page(store, hidden.id, LIVE_NOTES).current
    assert secret not in repr(shown)
    # the board read again: the page is the stage the note was written in, whole
    assert shown.meeting.stage is Stage.WRITE and shown.meeting.texts_hidden
    assert [n.text for n in shown.notes] == [None, None]
    assert shown.notes[0].id == before.id


def test_a_secret_vote_cast_after_the_ballot_opened_is_not_on_a_page_that_read_the_stage_before(
    monkeypatch, store, owner, member, voter, hidden
):
    note = services.add_note(store, member, hidden.id, "GOOD", "popular")

    def ballot_then_vote():
        services.set_stage(store, owner, hidden.id, "VOTE")
        services.vote(store, voter, hidden.id, note.id)

    race_after_the_board_read(monkeypatch, store, ballot_then_vote)
    shown = services.load_board_page(store, hidden.id, LIVE_NOTES).current
    assert shown.meeting.stage is Stage.VOTE
    assert [(n.text, n.votes) for n in shown.notes] == [("popular", None)]


def test_a_page_whose_board_was_read_before_the_notes_shows_a_later_hidden_write_hidden(
    store, owner, member, hidden
):
    """Other pages read the board first, then the notes (a user's boards, a version): a note
    written hidden after the board read is shown hidden, whatever stage the board read shows."""
    board = services.require_board(store, hidden.id)  # FREE: texts shown
    services.set_stage(store, owner, hidden.id, "WRITE")
    written = services.add_note(store, member, hidden.id, "GOOD", "after the read")
    services.update_note(store, member, hidden.id, written.id, "rewritten after the read")
    [loaded] = services.load_boards(store, [board], LIVE_NOTES)
    assert loaded.current.meeting.stage is Stage.FREE  # the read it was given
    assert [(n.text, n.votes) for n in loaded.current.notes] == [(None, 0)]
    # once the stage is read after the write, the reveal shows it
    services.set_stage(store, owner, hidden.id, "VOTE")
    assert [n.text for n in page(store, hidden.id).current.notes] == ["rewritten after the read"]


def test_writes_the_stage_hides_are_stamped_with_the_meeting_revision_and_made_only_at_it(
    store, owner, member, voter, hidden
):
    shown = services.add_note(store, member, hidden.id, "GOOD", "in FREE")
    services.start_timer(store, owner, hidden.id, 60)  # revision 1
    services.set_stage(store, owner, hidden.id, "WRITE")  # revision 2
    written = services.add_note(store, member, hidden.id, "GOOD", "in WRITE")
    version_id = hidden.current_version.id
    stamps = {n.id: (n.text_rev, n.votes_rev) for n in store.notes(version_id)}
    assert stamps == {shown.id: (0, 0), written.id: (2, 0)}
    # a write made on a board read before a meeting change pins the revision it read: refused
    # in the store, it is looked at again and made at the revision there is now
    stale = services.require_board(store, hidden.id)
    services.start_timer(store, owner, hidden.id, 30)  # revision 3
    note = store.get_note(version_id, written.id, consistent=True)
    with pytest.raises(VersionClosed):
        store.update_note(
            note, NoteChanges(updated_at=now(), text="x"), member, None, [Stage.WRITE], 2
        )
    assert stale.current_version.meeting_rev == 2
    services.update_note(store, member, hidden.id, written.id, "again in WRITE")
    assert store.get_note(version_id, written.id, consistent=True).text_rev == 3
    services.set_stage(store, owner, hidden.id, "VOTE")  # revision 4
    services.vote(store, voter, hidden.id, written.id)
    assert store.get_note(version_id, written.id, consistent=True).votes_rev == 4
    services.set_stage(store, owner, hidden.id, "FREE")  # revision 5: nothing hidden, no stamp
    services.vote(store, voter, hidden.id, shown.id)
    assert (
        store.get_note(version_id, shown.id).text_rev,
        store.get_note(version_id, shown.id).votes_rev,
    ) == (0, 0)


def test_a_carried_action_in_a_group_keeps_the_groups_title_hidden_while_texts_are(
    store, owner, member, hidden
):
    services.add_note(store, member, hidden.id, "ACTION", "carried")
    services.set_stage(store, owner, hidden.id, "WRITE")
    services.start_new_version(store, owner, hidden.id)
    services.set_stage(store, owner, hidden.id, "DISCUSS")
    [copy] = page(store, hidden.id).current.notes
    services.group_notes(store, member, hidden.id, [copy.id], title="a title written in DISCUSS")
    services.set_stage(store, owner, hidden.id, "WRITE")
    grouped = services.load_board_page(
        store, hidden.id, BoardSpec(VersionSpec(NotesSpec(), groups=True))
    ).current
    assert [(n.text, n.group_title) for n in grouped.notes] == [("carried", None)]
    assert [g.title for g in grouped.groups] == [None]


def test_a_text_written_after_hiding_was_turned_on_is_not_on_a_page_that_read_the_setting_before(
    monkeypatch, store, owner, member, board
):
    services.set_stage(store, owner, board.id, "WRITE")  # texts shown: the board hides nothing
    secret = "written a moment after hiding was turned on"

    def hiding_then_writing():
        services.update_board(store, owner, board.id, hide_while_writing=True)
        services.add_note(store, member, board.id, "GOOD", secret)

    race_after_the_board_read(monkeypatch, store, hiding_then_writing)
    shown = services.load_board_page(store, board.id, LIVE_NOTES).current
    assert secret not in repr(shown)
    assert shown.meeting.texts_hidden and [n.text for n in shown.notes] == [None]


def test_turning_hiding_on_moves_the_meeting_on_on_the_version_its_board_names(store, owner, board):
    before = store.meeting(board.id, board.current_version.id).revision
    services.update_board(store, owner, board.id, title="renamed")  # hides nothing more
    assert store.meeting(board.id, board.current_version.id).revision == before
    changed = services.update_board(store, owner, board.id, secret_ballot=True)
    assert store.meeting(board.id, board.current_version.id).revision == before + 1
    assert changed.current_version.meeting_rev == before + 1  # the board's mirror with it
    # read before a start, the change is refused in the store (the service reads it again)
    stale = services.require_board(store, board.id)
    second = services.start_new_version(store, owner, board.id)
    on = BoardChanges(updated_at=now(), hide_while_writing=True)
    with pytest.raises(ConflictError, match="a version started meanwhile"):
        store.update_board(stale, on, owner)
    assert not services.require_board(store, board.id).settings.hide_while_writing
    services.update_board(store, owner, board.id, hide_while_writing=True)
    assert store.meeting(board.id, second.id).revision == 1


def just_before(monkeypatch, store, method, meanwhile):
    """`meanwhile()` runs once, between the service's reads and the store's write `method`:
    the write's transaction then meets what it changed."""
    real = getattr(store, method)
    done = []

    def late(*args, **kwargs):
        if not done:
            done.append(meanwhile())
        return real(*args, **kwargs)

    monkeypatch.setattr(store, method, late)


def test_a_write_that_read_the_settings_before_hiding_was_turned_on_answers_hidden(
    monkeypatch, store, owner, member, voter, board
):
    """The answer of a write is every subscriber's message: a write let in on settings read
    before the owner turned hiding on is made again under them, and answers without the text
    or count (or, for a vote, nothing)."""
    services.set_stage(store, owner, board.id, "WRITE")
    hide = lambda: services.update_board(store, owner, board.id, hide_while_writing=True)  # noqa: E731
    just_before(monkeypatch, store, "add_note", hide)
    added = services.add_note(store, member, board.id, "ACTION", "written as hiding began")
    assert added.text is None
    monkeypatch.undo()
    services.set_stage(store, owner, board.id, "VOTE")
    ballot = lambda: services.update_board(store, owner, board.id, secret_ballot=True)  # noqa: E731
    just_before(monkeypatch, store, "vote", ballot)
    assert services.vote(store, voter, board.id, added.id) is None
    monkeypatch.undo()
    assert services.delete_note(store, member, board.id, added.id).votes is None


def test_a_group_write_that_read_the_settings_before_hiding_was_turned_on_is_refused(
    monkeypatch, store, owner, member, board
):
    note = services.add_note(store, member, board.id, "GOOD", "grouped")
    group = services.group_notes(store, member, board.id, [note.id], title="before")
    services.set_stage(store, owner, board.id, "WRITE")  # groups open: texts are shown
    hide = lambda: services.update_board(store, owner, board.id, hide_while_writing=True)  # noqa: E731
    just_before(monkeypatch, store, "rename_group", hide)
    with pytest.raises(ConflictError, match="while their texts are hidden; the board is in WRITE"):
        services.rename_group(store, member, board.id, group.id, "written as hiding began")
    assert store.get_group(board.current_version.id, group.id).title == "before"
