"""A meeting as a first-time participant on a phone lives it (touch, 390 x 844): what is on
the first screen while the facilitator runs the stages, and the panels a tap opens."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.board_page import LIVE_MS, add_note, column, create_board, open_board
from tests.browser.meeting_page import go_to_stage, set_meeting_settings

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def _box(locator: Any) -> dict[str, float]:
    box: dict[str, float] = locator.bounding_box()
    assert box is not None
    return box


def test_a_phone_participant_sees_the_meeting_and_the_notes_being_written_on_one_screen(
    new_page: Any, artifacts: Path
) -> None:
    # GIVEN a facilitator on a laptop running a guided meeting, hidden writing, a timer on
    owner = new_page(viewport=LAPTOP)
    url = create_board(owner, "Sprint 42 retro", votes=3)
    set_meeting_settings(owner, hide_while_writing=True, secret_ballot=True)
    go_to_stage(owner, "Write")
    owner.get_by_role("button", name="5 min", exact=True).click()
    add_note(owner, "GOOD", "Deploys got faster")
    add_note(owner, "GOOD", "Pairing on the cache bug")

    # A phone's start page does not open the on-screen keyboard before anything is read
    start = new_page(viewport=PHONE, touch=True)
    expect(start.get_by_label("Board title")).to_be_visible()
    expect(start.get_by_label("Board title")).not_to_be_focused()

    # WHEN a participant opens the link on a phone
    phone = open_board(new_page, url, viewport=PHONE, touch=True)
    expect(phone.get_by_role("timer")).to_be_visible()
    face_down = column(phone, "GOOD").locator(".note--face-down")
    expect(face_down).to_have_count(2)

    # THEN the votes left and the folded toolbar share one row ...
    budget = _box(phone.locator('[data-retro="votes-left"]'))
    tools = _box(phone.get_by_role("button", name="Versions, export, link"))
    assert abs((budget["y"] + budget["height"] / 2) - (tools["y"] + tools["height"] / 2)) < 8
    # ... and the stage, the timer, the composer and both notes being written are on the
    # first screen (the column's heading is left to its tab, for screen readers only)
    for target in (
        phone.get_by_role("timer"),
        phone.locator('[data-retro="composer-GOOD"]'),
        face_down.nth(0),
        face_down.nth(1),
    ):
        expect(target).to_be_in_viewport(ratio=1)
    assert phone.evaluate("window.scrollY") == 0
    phone.screenshot(path=artifacts / "board-phone-writing.png")
    panel = phone.get_by_role("tabpanel", name=re.compile("^Good"))
    expect(panel).to_be_visible()

    # WHEN they move their own note to another column, THEN that column's tab is shown with
    # the note, and the focus stays on its "Move to…" (not dropped to the page's top)
    mine = add_note(phone, "BAD", "Standups ran long")
    mine.get_by_role("button", name="Move to…").tap()
    mine.get_by_role("button", name="Move to Actions").tap()
    actions_tab = phone.get_by_role("tab", name=re.compile("^Actions"))
    expect(actions_tab).to_have_attribute("aria-selected", "true", timeout=LIVE_MS)
    moved = column(phone, "ACTION").locator(".note", has_text="Standups ran long")
    expect(moved).to_be_in_viewport()
    expect(moved.get_by_role("button", name="Move to…")).to_be_focused()

    # WHEN they open the trend from the folded toolbar, THEN it opens on screen, not below it
    phone.get_by_role("button", name="Versions, export, link").tap()
    # (the export, which the server refuses while texts are hidden, says when it opens)
    export = phone.get_by_role("group", name="Export this version")
    expect(export.get_by_role("button")).to_have_count(0)
    expect(export).to_contain_text("opens after the reveal")
    phone.get_by_role("button", name="Trend").tap()
    trend = phone.get_by_role("region", name="Trend across retros")
    expect(trend).to_contain_text("One version so far", timeout=LIVE_MS)
    expect(trend).to_be_in_viewport(ratio=0.95)  # all of it, but for a rounded pixel
    assert_accessible(phone, "a guided meeting on a phone, the trend open")

    # WHEN the facilitator opens the vote on a long column and the participant scrolls down it
    for number in range(1, 5):
        add_note(owner, "GOOD", f"More good news {number}")
    go_to_stage(owner, "Vote")
    phone.get_by_role("tab", name=re.compile("^Good")).tap()
    bar = phone.locator('[data-retro="bar-budget"]')
    phone.evaluate("scrollTo(0, 0)")
    expect(bar).to_be_hidden()  # the header's count is on screen
    phone.evaluate("scrollTo(0, document.documentElement.scrollHeight)")
    # THEN the votes left stay in sight under the column tabs, and follow their votes
    expect(phone.locator('[data-retro="votes-left"]')).not_to_be_in_viewport()
    expect(bar).to_be_in_viewport()
    expect(bar).to_have_text("Votes left: 3 of 3")
    expect(export).to_contain_text("opens when the counts are revealed")
    last = column(phone, "GOOD").locator(".note").last
    last.get_by_role("button", name="Vote for this note").tap()
    expect(bar).to_have_text("Votes left: 2 of 3", timeout=LIVE_MS)
    expect(bar).to_be_in_viewport()
    phone.screenshot(path=artifacts / "board-phone-voting-scrolled.png")
    assert_accessible(phone, "a phone participant voting down a long column")

    # WHEN the facilitator moves on to Discuss, THEN the export is there again
    go_to_stage(owner, "Discuss")
    expect(export.get_by_role("button", name="Markdown")).to_be_attached(timeout=LIVE_MS)
    expect(owner.locator('[data-retro="export-closed"]')).to_be_hidden()


def test_carried_actions_stay_face_up_in_a_new_versions_writing(
    new_page: Any,
) -> None:
    # GIVEN a guided board with hidden writing and a participant's open action
    owner = new_page(viewport=LAPTOP)
    url = create_board(owner, "Sprint 43 retro")
    set_meeting_settings(owner, hide_while_writing=True, secret_ballot=False)
    member = open_board(new_page, url, viewport=LAPTOP)
    add_note(member, "ACTION", "Write the deploy runbook")

    # WHEN the facilitator starts the next retro, in Write, and someone writes a new action
    owner.get_by_role("button", name="Start new version").click()
    dialog = owner.get_by_role("dialog", name="Start a new version")
    dialog.get_by_role("button", name="Start version 2").click()
    expect(dialog).to_be_hidden()
    go_to_stage(owner, "Write")
    add_note(member, "ACTION", "Pair on the flaky tests")

    # THEN the carried action is face up (version 1 shows it to everyone: it is not new
    # writing) and only the new one is face down, being written
    actions = column(owner, "ACTION")
    expect(actions.locator('[data-retro="hidden-count"]')).to_have_text(
        "1 note being written", timeout=LIVE_MS
    )
    expect(actions).to_contain_text("Write the deploy runbook")
    expect(actions).not_to_contain_text("Pair on the flaky tests")
