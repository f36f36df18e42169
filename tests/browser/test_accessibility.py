"""axe-core finds no accessibility violation on the client's pages: the start page, the board
in every stage of a guided meeting (as the facilitator and as a participant, face-down notes,
secret counts and the timer included), the board settings dialog, at desktop and phone width."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible, require_axe
from tests.browser.board_page import (
    LIVE_MS,
    add_note,
    column,
    create_board,
    open_board,
    show_column,
)
from tests.browser.conftest import PHONE
from tests.browser.meeting_page import (
    go_to_stage,
    set_meeting_settings,
    stage_name,
    timer,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _axe_installed() -> None:
    require_axe()


def test_the_check_has_teeth(new_page: Any) -> None:
    """An image without a text alternative, added to the start page, is reported by name."""
    page = new_page()
    expect(page.get_by_label("Board title")).to_be_visible()
    page.evaluate(
        """() => {
            const image = document.createElement('img');
            image.src = 'favicon.svg';
            document.querySelector('main').append(image);
        }"""
    )
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "a page with an image that has no alt text")


def test_the_start_page_has_no_violations(new_page: Any) -> None:
    page = new_page()
    expect(page.get_by_label("Board title")).to_be_visible()
    assert_accessible(page, "the start page")
    phone = new_page(viewport=PHONE)
    expect(phone.get_by_label("Board title")).to_be_visible()
    assert_accessible(phone, "the start page at phone width")


def test_the_settings_dialog_has_no_violations(new_page: Any) -> None:
    page = new_page()
    create_board(page, "Settings, checked")
    page.get_by_role("button", name="Board settings").click()
    dialog = page.get_by_role("dialog", name="Board settings")
    expect(dialog.get_by_role("switch", name="Hide notes while writing")).to_be_visible()
    assert_accessible(page, "the board settings dialog")
    assert_accessible(page, "the board settings dialog itself", "dialog")


def _fits_the_width(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide at {page.viewport_size}"


def test_the_board_has_no_violations_in_any_stage(new_page: Any, artifacts: Path) -> None:
    # GIVEN a guided meeting with hidden writing and a secret ballot, a participant on a phone
    owner = new_page()
    url = create_board(owner, "Every stage, checked")
    set_meeting_settings(owner, hide_while_writing=True, secret_ballot=True)
    member = open_board(new_page, url, viewport=PHONE)
    add_note(owner, "GOOD", "Written in free mode")
    add_note(member, "ACTION", "An action from free mode")
    # Free mode: the board as it always was
    assert_accessible(owner, "the board in free mode (owner)")
    assert_accessible(member, "the board in free mode (participant)")

    # Write, with face-down notes and a running timer
    go_to_stage(owner, "Write")
    expect(stage_name(member)).to_have_text("Write", timeout=LIVE_MS)
    add_note(member, "BAD", "Hidden from the others for now")
    expect(column(owner, "BAD").locator(".note--face-down")).to_have_count(1, timeout=LIVE_MS)
    owner.get_by_role("button", name="5 min", exact=True).click()
    expect(timer(member)).to_be_visible(timeout=LIVE_MS)
    assert_accessible(owner, "the board in Write (owner)")
    assert_accessible(member, "the board in Write (participant)")
    owner.screenshot(path=artifacts / "meeting-write-owner.png", full_page=True)
    member.screenshot(path=artifacts / "meeting-write-phone.png", full_page=True)
    _fits_the_width(member)

    # Vote, with secret counts (the change of stage stopped the timer: a new one runs)
    go_to_stage(owner, "Vote")
    expect(stage_name(member)).to_have_text("Vote", timeout=LIVE_MS)
    expect(timer(member)).to_be_hidden()
    owner.get_by_role("button", name="3 min", exact=True).click()
    expect(timer(member)).to_be_visible(timeout=LIVE_MS)
    show_column(member, "GOOD")  # on the phone, the Good tab
    member.locator(".column--good .note").get_by_role("button", name="Vote for this note").click()
    expect(member.locator(".column--good .my-votes")).to_be_visible()
    assert_accessible(owner, "the board in Vote (owner)")
    assert_accessible(member, "the board in Vote (participant)")

    # Discuss, counts shown, after the facilitator stopped the timer
    owner.get_by_role("button", name="Stop timer").click()
    expect(timer(member)).to_be_hidden(timeout=LIVE_MS)
    go_to_stage(owner, "Discuss")
    expect(stage_name(member)).to_have_text("Discuss", timeout=LIVE_MS)
    assert_accessible(owner, "the board in Discuss (owner)")
    assert_accessible(member, "the board in Discuss (participant)")
    member.screenshot(path=artifacts / "meeting-discuss-phone.png", full_page=True)
    _fits_the_width(member)


def test_a_columns_count_reads_as_one_note_or_many(new_page: Any) -> None:
    # A column's heading shows a bare number; screen readers hear it with its noun
    owner = new_page()
    create_board(owner, "Counting notes")
    add_note(owner, "ACTION", "Rotate the facilitator")
    totals = owner.locator(".col-total")
    expect(column(owner, "ACTION").locator(".col-total")).to_have_text("1 note")
    expect(totals).to_have_text(["0 notes", "0 notes", "1 note"])
    add_note(owner, "ACTION", "Share the notes in chat")
    expect(column(owner, "ACTION").locator(".col-total")).to_have_text("2 notes")
