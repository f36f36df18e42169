"""A guided meeting in two browsers: the facilitator moves the stages and runs the timer, the
participants see face-down notes turn over on the reveal, the same time left whatever their
clock says, secret counts until Discuss, and the facilitator's moderation."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.board_page import (
    LIVE_MS,
    add_note,
    column,
    create_board,
    graphql_as,
    note,
    open_board,
    vote_count,
    votes_left,
    wait_until_live,
)
from tests.browser.meeting_page import (
    go_to_stage,
    meeting,
    said,
    seconds_left,
    set_meeting_settings,
    stage_name,
    timer,
)

pytestmark = pytest.mark.browser

# The participant's clock is 5 minutes ahead: every way of reading the wall clock says so.
SHIFTED_CLOCK = """(() => {
    const shift = 5 * 60 * 1000;
    const RealDate = Date;
    class ShiftedDate extends RealDate {
        constructor(...args) {
            if (args.length === 0) super(RealDate.now() + shift);
            else super(...args);
        }
        static now() {
            return RealDate.now() + shift;
        }
    }
    globalThis.Date = ShiftedDate;
})();"""

# Records each card that turns over, once, with the animation it runs ("none": no motion).
RECORD_TURNS = """() => {
    const turned = new Map();
    window.turns = () => [...turned.values()];
    new MutationObserver((records) => {
        for (const {target: card} of records) {
            if (card.classList.contains('note--revealed') && !turned.has(card.dataset.noteId)) {
                turned.set(card.dataset.noteId, getComputedStyle(card).animationName);
            }
        }
    }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['class']});
}"""

# The client's own document: subscribers get what the mutation selects (AppSync's rule).
START_TIMER = "async () => (await import('/js/operations.js')).START_TIMER"


def _shift_clock(page: Any) -> None:
    page.add_init_script(SHIFTED_CLOCK)


def _face_down(page: Any, name: str) -> Any:
    return column(page, name).locator(".note--face-down")


def test_the_facilitator_moves_the_stages_and_face_down_notes_turn_over_on_the_reveal(
    new_page: Any,
) -> None:
    # GIVEN a board, its owner and a participant
    owner = new_page()
    url = create_board(owner, "Guided retro")
    member = open_board(new_page, url)
    # In free mode the participant's board looks as it always did; the owner has the stage bar
    expect(meeting(member)).to_be_hidden()
    expect(owner.get_by_role("button", name="Next: Write →")).to_be_visible()
    # ... and the owner hides notes while writing
    set_meeting_settings(owner, hide_while_writing=True, secret_ballot=False)

    # WHEN the facilitator starts the Write step
    owner.get_by_role("button", name="Next: Write →").click()
    # THEN both see it, and screen readers hear it
    expect(stage_name(member)).to_have_text("Write", timeout=LIVE_MS)
    expect(meeting(member)).to_contain_text("Step 1 of 3")
    expect(said(member)).to_contain_text("Now step 1, Write.")
    expect(member.get_by_role("listitem").filter(has_text="Write")).to_have_attribute(
        "aria-current", "step"
    )

    # WHEN each writes a note, THEN its author reads it and the other sees a face-down card
    add_note(member, "GOOD", "Pairing on the parser was fun")
    add_note(owner, "BAD", "The release slipped twice")
    expect(_face_down(owner, "GOOD")).to_have_count(1, timeout=LIVE_MS)
    expect(_face_down(member, "BAD")).to_have_count(1, timeout=LIVE_MS)
    hidden_count = column(owner, "GOOD").locator('[data-retro="hidden-count"]')
    expect(hidden_count).to_have_text("1 note being written")
    expect(owner.locator("main")).not_to_contain_text("Pairing on the parser")
    expect(member.locator("main")).not_to_contain_text("The release slipped")
    mine = note(member, "GOOD", "Pairing on the parser was fun")
    expect(mine.get_by_text("You wrote this")).to_be_visible()
    # ... nobody votes while writing
    expect(mine.get_by_role("button", name="Vote for this note")).to_be_hidden()
    # ... the author edits it, still hidden from the other, and reads it after a reload
    mine.get_by_role("button", name="Edit").click()
    editor = mine.get_by_role("textbox", name="Edit note")
    editor.fill("Pairing on the parser was great")
    editor.press("Enter")
    expect(note(member, "GOOD", "Pairing on the parser was great")).to_be_visible()
    member.reload()
    wait_until_live(member)
    expect(note(member, "GOOD", "Pairing on the parser was great")).to_be_visible()
    expect(_face_down(member, "BAD")).to_have_count(1)
    expect(owner.locator("main")).not_to_contain_text("Pairing on the parser")

    # WHEN the facilitator moves on to Vote (the owner's page asks for no motion)
    owner.emulate_media(reduced_motion="reduce")
    member.evaluate(RECORD_TURNS)
    owner.evaluate(RECORD_TURNS)
    owner.get_by_role("button", name="Next: Vote →").click()
    # THEN every note is readable for both, turned over, and the reveal is announced
    expect(note(owner, "GOOD", "Pairing on the parser was great")).to_be_visible(timeout=LIVE_MS)
    expect(note(member, "BAD", "The release slipped twice")).to_be_visible(timeout=LIVE_MS)
    for page in (owner, member):
        expect(page.locator(".note--face-down")).to_have_count(0)
        expect(page.locator('[data-retro="hidden-count"]:visible')).to_have_count(0)
    expect(said(member)).to_contain_text("Now step 2, Vote.")
    expect(said(member)).to_contain_text("Everyone's notes are revealed.")
    assert member.evaluate("turns()") == ["note-turn"]
    assert owner.evaluate("turns()") == ["none"]  # prefers-reduced-motion: no motion
    # ... new good and bad notes are closed, actions stay open, votes open
    expect(member.locator('[data-retro="composer-GOOD"]')).to_be_hidden()
    expect(column(member, "GOOD")).to_contain_text("Writing here is closed in the Vote step.")
    expect(member.locator('[data-retro="composer-ACTION"]')).to_be_visible()
    theirs = note(member, "BAD", "The release slipped twice")
    theirs.get_by_role("button", name="Vote for this note").click()
    expect(vote_count(theirs)).to_have_text("1")

    # WHEN the facilitator moves on to Discuss, THEN votes close and the counts stay
    go_to_stage(owner, "Discuss")
    expect(stage_name(member)).to_have_text("Discuss", timeout=LIVE_MS)
    expect(theirs.get_by_role("button", name="Vote for this note")).to_be_hidden()
    expect(vote_count(theirs)).to_have_text("1")
    add_note(member, "ACTION", "Cut the release branch on Monday")
    # ... and back, if the facilitator steps back
    owner.get_by_role("button", name="← Back to Vote").click()
    expect(stage_name(member)).to_have_text("Vote", timeout=LIVE_MS)
    expect(theirs.get_by_role("button", name="Vote for this note")).to_be_visible()


def _same_time_left(*pages: Any) -> int:
    """Every page shows the same time left (±1 s: two reads can straddle a second)."""
    shown = [seconds_left(page) for page in pages]
    assert max(shown) - min(shown) <= 1, shown
    return min(shown)


def test_everyone_sees_the_same_time_left_whatever_their_clock_says(new_page: Any) -> None:
    # GIVEN the owner and a participant whose clock is 5 minutes ahead
    owner = new_page()
    url = create_board(owner, "Timed retro")
    member = open_board(new_page, url, before=_shift_clock)
    skew = member.evaluate("Date.now()") - owner.evaluate("Date.now()")
    assert 295_000 < skew < 305_000
    expect(timer(member)).to_be_hidden()

    # WHEN the facilitator starts a 5-minute timer
    owner.get_by_role("button", name="5 min", exact=True).click()
    # THEN both show the same time left (a clock read from endsAt would say it is over)
    expect(timer(owner)).to_be_visible()
    expect(timer(member)).to_be_visible(timeout=LIVE_MS)
    left = _same_time_left(owner, member)
    assert 290 <= left <= 300
    expect(said(member)).to_contain_text("Timer:")

    # ... after a reload, and for a late joiner whose clock is 5 minutes behind
    member.reload()
    wait_until_live(member)
    behind = SHIFTED_CLOCK.replace("const shift = 5", "const shift = -5")
    late = open_board(new_page, url, before=lambda page: page.add_init_script(behind))
    expect(timer(member)).to_be_visible()
    expect(timer(late)).to_be_visible()
    _same_time_left(owner, member, late)

    # WHEN the facilitator adds a minute, THEN everyone has it
    owner.get_by_role("button", name="+1 min").click()
    for page in (owner, member, late):
        time = timer(page).locator('[data-retro="timer-time"]')
        expect(time).to_have_text(re.compile(r"^(5:[0-5]\d|6:00)$"), timeout=LIVE_MS)
    assert _same_time_left(owner, member, late) > 300

    # WHEN the facilitator stops it, THEN it goes away for everyone, said out loud
    owner.get_by_role("button", name="Stop timer").click()
    for page in (owner, member, late):
        expect(timer(page)).to_be_hidden(timeout=LIVE_MS)
    expect(said(member)).to_contain_text("The timer was stopped.")


def test_when_time_is_up_everyone_sees_it_and_a_timer_that_moves_on_moves_the_stage(
    new_page: Any,
) -> None:
    owner = new_page()
    url = create_board(owner, "Short timers")
    board_id = url.rsplit("/", 1)[1]
    member = open_board(new_page, url, before=_shift_clock)
    go_to_stage(owner, "Write")
    expect(stage_name(member)).to_have_text("Write", timeout=LIVE_MS)

    # WHEN a 10-second timer runs out (the shortest the API allows; the buttons start minutes)
    start_timer = owner.evaluate(START_TIMER)
    started = graphql_as(owner, start_timer, {"input": {"boardId": board_id, "seconds": 10}})
    assert "errors" not in started, started
    expect(timer(member)).to_be_visible(timeout=LIVE_MS)
    # THEN both see that time is up, screen readers hear it, and the stage stays
    for page in (owner, member):
        expect(timer(page)).to_contain_text("Time's up", timeout=15_000)
    expect(said(member)).to_contain_text("Time is up.")
    expect(stage_name(member)).to_have_text("Write")
    # ... still after a reload
    member.reload()
    wait_until_live(member)
    expect(timer(member)).to_contain_text("Time's up")

    # WHEN a timer that moves on runs out, THEN everyone is in the next stage
    advancing = {"boardId": board_id, "seconds": 10, "advance": True}
    assert "errors" not in graphql_as(owner, start_timer, {"input": advancing})
    expect(timer(member)).to_contain_text("left", timeout=LIVE_MS)
    for page in (owner, member):
        expect(stage_name(page)).to_have_text("Vote", timeout=15_000)
        # the end belonged to Write: Vote starts without a stale "Time's up"
        expect(timer(page)).to_be_hidden()
    expect(said(member)).to_contain_text("Now step 2, Vote.")


def test_who_opens_the_board_after_the_timer_ran_out_sees_times_up_and_after_a_stop_does_not(
    new_page: Any,
) -> None:
    owner = new_page()
    url = create_board(owner, "Late arrivals")
    board_id = url.rsplit("/", 1)[1]
    go_to_stage(owner, "Write")

    # WHEN the facilitator starts a timer and stops it before it runs out
    owner.get_by_role("button", name="3 min").click()
    expect(timer(owner)).to_contain_text("left", timeout=LIVE_MS)
    owner.get_by_role("button", name="Stop timer").click()
    expect(timer(owner)).to_be_hidden(timeout=LIVE_MS)
    # THEN a participant who opens the board afterwards sees the stage and no timer
    stopped = open_board(new_page, url)
    expect(stage_name(stopped)).to_have_text("Write")
    expect(timer(stopped)).to_be_hidden()

    # WHEN a 10-second timer runs out (the shortest the API allows) with nobody else there
    start_timer = owner.evaluate(START_TIMER)
    started = graphql_as(owner, start_timer, {"input": {"boardId": board_id, "seconds": 10}})
    assert "errors" not in started, started
    expect(timer(owner)).to_contain_text("Time's up", timeout=15_000)
    # THEN one who opens the board only now (a new browser, which saw nothing) sees it too
    late = open_board(new_page, url)
    expect(timer(late)).to_contain_text("Time's up")
    expect(stage_name(late)).to_have_text("Write")


def test_the_owner_deletes_a_participants_note_and_it_disappears_for_both(new_page: Any) -> None:
    # GIVEN a participant's note with the participant's vote on it, in the Vote step
    owner = new_page()
    url = create_board(owner, "Moderated retro")
    member = open_board(new_page, url)
    add_note(member, "GOOD", "Something off-topic")
    add_note(owner, "BAD", "The owner's own note")
    go_to_stage(owner, "Vote")
    expect(stage_name(member)).to_have_text("Vote", timeout=LIVE_MS)
    theirs = note(member, "GOOD", "Something off-topic")
    theirs.get_by_role("button", name="Vote for this note").click()
    expect(votes_left(member)).to_contain_text("4 of 5 votes left")
    # The participant may delete only their own notes; the owner any, and edit only their own
    owners_note = note(member, "BAD", "The owner's own note")
    expect(owners_note.get_by_role("button", name="Delete")).to_be_hidden()
    card = note(owner, "GOOD", "Something off-topic")
    expect(card.get_by_role("button", name="Edit")).to_be_hidden()
    expect(card.get_by_text("You wrote this")).to_be_hidden()

    # WHEN the owner deletes it (two steps)
    card.get_by_role("button", name="Delete").click()
    card.get_by_role("button", name="Really delete?").click()
    # THEN it disappears for both, and the vote on it goes back to its voter
    expect(column(owner, "GOOD").locator(".note")).to_have_count(0)
    expect(column(member, "GOOD").locator(".note")).to_have_count(0, timeout=LIVE_MS)
    expect(votes_left(member)).to_contain_text("5 of 5 votes left", timeout=LIVE_MS)


def test_a_secret_ballot_shows_only_my_own_votes_until_discuss(new_page: Any) -> None:
    owner = new_page()
    url = create_board(owner, "Secret ballot")
    set_meeting_settings(owner, hide_while_writing=False, secret_ballot=True)
    member = open_board(new_page, url)
    add_note(owner, "GOOD", "Fast code reviews")
    go_to_stage(owner, "Vote")
    expect(stage_name(member)).to_have_text("Vote", timeout=LIVE_MS)
    expect(meeting(member)).to_contain_text("Vote counts stay secret until Discuss.")

    # WHEN the participant votes twice, THEN they see their own votes, nobody sees the count
    card = note(member, "GOOD", "Fast code reviews")
    card.get_by_role("button", name="Vote for this note").click()
    expect(votes_left(member)).to_contain_text("4 of 5 votes left")
    card.get_by_role("button", name="Vote for this note").click()
    expect(card.locator(".my-votes")).to_contain_text("●● yours")
    expect(votes_left(member)).to_contain_text("3 of 5 votes left")
    expect(vote_count(card)).to_have_text("?")
    expect(vote_count(note(owner, "GOOD", "Fast code reviews"))).to_have_text("?")

    # WHEN the facilitator moves on to Discuss, THEN everyone sees the count
    go_to_stage(owner, "Discuss")
    expect(vote_count(card)).to_have_text("2", timeout=LIVE_MS)
    expect(vote_count(note(owner, "GOOD", "Fast code reviews"))).to_have_text("2")
    expect(said(member)).to_contain_text("Vote counts are revealed.")


def test_a_group_under_a_secret_ballot_says_its_sum_shows_in_discuss(new_page: Any) -> None:
    # GIVEN a secret ballot and two notes grouped before the meeting
    owner = new_page()
    url = create_board(owner, "Secret group sums")
    set_meeting_settings(owner, hide_while_writing=False, secret_ballot=True)
    member = open_board(new_page, url)
    first = add_note(owner, "GOOD", "Reviews got faster")
    second = add_note(owner, "GOOD", "Smaller pull requests")
    second.drag_to(first.locator(".note-text"))
    group = column(member, "GOOD").locator(".group")
    expect(group.locator(".note")).to_have_count(2, timeout=LIVE_MS)

    # WHEN the participant votes in the Vote step, THEN the group's sum says when it shows
    # (it read "? votes in all", a sum a first-timer could not place)
    go_to_stage(owner, "Vote")
    expect(stage_name(member)).to_have_text("Vote", timeout=LIVE_MS)
    note(member, "GOOD", "Smaller pull requests").get_by_role(
        "button", name="Vote for this note"
    ).click()
    expect(votes_left(member)).to_contain_text("4 of 5 votes left")
    sums = (
        group.locator('[data-retro="group-votes"]'),
        owner.locator('[data-retro="group-votes"]'),
    )
    for sum_ in sums:
        expect(sum_).to_have_text("Votes secret until Discuss")

    # WHEN the facilitator moves on to Discuss, THEN it is a sum for everyone
    go_to_stage(owner, "Discuss")
    for sum_ in sums:
        expect(sum_).to_have_text("1 vote in all", timeout=LIVE_MS)


def test_a_note_being_written_when_writing_closes_is_shown_and_kept(new_page: Any) -> None:
    # GIVEN a participant halfway through a note in Good, in the Write step
    owner = new_page()
    url = create_board(owner, "Unsent words")
    go_to_stage(owner, "Write")
    member = open_board(new_page, url)
    expect(stage_name(member)).to_have_text("Write")
    composer = member.locator('[data-retro="composer-GOOD"]')
    composer.fill("Deploys on Friday were calmer because")
    composer.focus()

    # WHEN the facilitator moves on to Vote, which closes writing in Good
    go_to_stage(owner, "Vote")

    # THEN the words are shown where the composer was (they used to vanish with it), and the
    # focus is there too, not dropped to the top of the page
    closed = column(member, "GOOD").locator(".composer-closed")
    expect(closed).to_contain_text("Writing here is closed in the Vote step.", timeout=LIVE_MS)
    expect(closed.locator('[data-retro="draft"]')).to_have_text(
        " Your unsent note, kept for when writing opens again:"
        " “Deploys on Friday were calmer because”"
    )
    expect(closed).to_be_focused()
    expect(composer).to_be_hidden()
    # ... and when writing opens again, the composer has them back, ready to finish
    go_to_stage(owner, "Write")
    expect(composer).to_be_visible(timeout=LIVE_MS)
    expect(composer).to_have_value("Deploys on Friday were calmer because")
    expect(closed).to_be_hidden()


def test_an_edit_cut_short_when_writing_closes_is_kept_for_the_next_edit(new_page: Any) -> None:
    # GIVEN a participant changing their note in Good, in the Write step
    owner = new_page()
    url = create_board(owner, "Unsaved edit")
    go_to_stage(owner, "Write")
    member = open_board(new_page, url)
    mine = add_note(member, "GOOD", "Reviews were quick")
    mine.get_by_role("button", name="Edit").click()
    member.get_by_role("textbox", name="Edit note").fill("Reviews were quick and kind")

    # WHEN the facilitator moves on to Vote, which closes writing (and editing) in Good
    go_to_stage(owner, "Vote")

    # THEN the note shows its saved text, and the edit is shown on the card, not dropped
    expect(member.get_by_role("textbox", name="Edit note")).to_have_count(0, timeout=LIVE_MS)
    expect(mine.locator('[data-retro="text"]')).to_have_text("Reviews were quick")
    expect(mine.locator('[data-retro="unsaved"]')).to_have_text(
        "Your edit was not saved before writing closed; your next Edit starts from it:"
        " “Reviews were quick and kind”"
    )
    # ... and when writing opens again, Edit starts from it; saved, it is the note's text
    go_to_stage(owner, "Write")
    mine.get_by_role("button", name="Edit").click(timeout=LIVE_MS)
    editor = member.get_by_role("textbox", name="Edit note")
    expect(editor).to_have_value("Reviews were quick and kind")
    expect(mine.locator('[data-retro="unsaved"]')).to_be_hidden()
    editor.press("Enter")
    expect(note(owner, "GOOD", "Reviews were quick and kind")).to_be_visible(timeout=LIVE_MS)
    expect(mine.locator('[data-retro="unsaved"]')).to_be_hidden()
