"""Follow-through (issue 14) in two browsers: a note moved between columns by its author (by
keyboard and by drag), action items marked done live and carried with their count, groups with
the sum of their votes, and the trend across versions as a chart and a table."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.board_page import (
    LIVE_MS,
    add_note,
    column,
    create_board,
    note,
    open_board,
)

pytestmark = pytest.mark.browser


def test_the_author_moves_a_note_to_another_column_by_keyboard_and_by_drag(new_page: Any) -> None:
    # GIVEN a board, its owner's note in Good and a participant watching
    owner = new_page()
    url = create_board(owner, "Moving notes")
    member = open_board(new_page, url)
    card = add_note(owner, "GOOD", "Standups ran long")
    note_id = card.get_attribute("data-note-id")
    mine = owner.locator(f'[data-note-id="{note_id}"]')

    # Only the author is offered the move: the participant's copy of the card has no menu
    expect(note(member, "GOOD", "Standups ran long")).to_be_visible(timeout=LIVE_MS)
    expect(
        note(member, "GOOD", "Standups ran long").get_by_role("button", name="Move to…")
    ).to_be_hidden()

    # WHEN the author opens "Move to…" with the keyboard and picks Bad
    toggle = mine.get_by_role("button", name="Move to…")
    toggle.focus()
    owner.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    menu = mine.get_by_role("button", name="Move to Bad")
    expect(menu).to_be_focused()
    expect(mine.get_by_role("button", name="Move to Good")).to_have_count(0)  # not where it is
    # (Escape closes the menu and gives the focus back; nothing moves)
    owner.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    owner.keyboard.press("Enter")
    expect(menu).to_be_focused()
    owner.keyboard.press("Enter")

    # THEN the note is in Bad for both, the author's focus stays on its "Move to…"
    expect(note(owner, "BAD", "Standups ran long")).to_have_count(1)
    expect(note(owner, "GOOD", "Standups ran long")).to_have_count(0)
    expect(mine.get_by_role("button", name="Move to…")).to_be_focused()
    expect(note(member, "BAD", "Standups ran long")).to_have_count(1, timeout=LIVE_MS)
    expect(note(member, "GOOD", "Standups ran long")).to_have_count(0)
    expect(owner.locator('[data-retro="announcer"]')).to_have_text("Moved to Bad.")

    # WHEN the author drags the card onto the Actions column
    mine.drag_to(column(owner, "ACTION").locator(".col-head"))

    # THEN it is an action for both
    expect(note(owner, "ACTION", "Standups ran long")).to_have_count(1)
    expect(note(member, "ACTION", "Standups ran long")).to_have_count(1, timeout=LIVE_MS)
    expect(note(member, "BAD", "Standups ran long")).to_have_count(0)

    # The participant cannot drag someone else's note: the card is not draggable for them
    expect(note(member, "ACTION", "Standups ran long")).not_to_have_attribute("draggable", "true")

    # The menu, open, has no accessibility violation
    mine.get_by_role("button", name="Move to…").click()
    assert_accessible(owner, "the board with a note's move menu open")
