"""Dragging a note with a finger on a touch phone (390 x 844, touch events, a mobile viewport):
a press held on a card picks it up, dropped on another card it groups them, dropped on a
column's tab it moves there; a swipe that starts on a card still scrolls the page.

The finger is Chromium's own touch input (DevTools' Input.dispatchTouchEvent), which goes
through the browser's gesture handling (scrolling included) as a screen's touches do:
Playwright's touchscreen only taps."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.board_page import LIVE_MS, add_note, column, create_board, note, open_board

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
CARRIED = re.compile(r"\bnote--dragging\b")
# True once the page has not scrolled for five animation frames
SETTLED = """() => new Promise((resolve) => {
    let last = scrollY, still = 0;
    const frame = () => {
        still = scrollY === last ? still + 1 : 0;
        last = scrollY;
        if (still >= 5) resolve(true); else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
})"""


class Finger:
    """One finger on a page's touch screen."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.at = (0.0, 0.0)

    def _touch(self, kind: str, points: list[dict[str, float]]) -> None:
        self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    def down(self, locator: Any) -> None:
        locator.scroll_into_view_if_needed()  # a finger touches what is on screen
        self.at = _center(locator)
        self._touch("touchStart", [{"x": self.at[0], "y": self.at[1]}])

    def slide_to(self, locator: Any, steps: int = 8) -> None:
        self.slide_to_point(*_center(locator), steps=steps)

    def slide_to_point(self, x1: float, y1: float, steps: int = 8) -> None:
        x0, y0 = self.at
        for step in range(1, steps + 1):
            x, y = x0 + (x1 - x0) * step / steps, y0 + (y1 - y0) * step / steps
            self._touch("touchMove", [{"x": x, "y": y}])
        self.at = (x1, y1)

    def up(self) -> None:
        self._touch("touchEnd", [])

    def swipe_up(self, locator: Any, distance: int, steps: int = 10) -> None:
        """A swipe starting on `locator`: the finger moves at once (it holds nowhere)."""
        x, y = _center(locator)
        self._touch("touchStart", [{"x": x, "y": y}])
        for step in range(1, steps + 1):
            self._touch("touchMove", [{"x": x, "y": y - distance * step / steps}])
        self.up()
        # The swipe may fling on: wait until the page stands still, as a reader would
        self.page.wait_for_function(SETTLED, polling=100)


def _center(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_on_a_touch_phone_a_held_note_is_grouped_and_moved_by_dragging_and_a_swipe_scrolls(
    new_page: Any,
) -> None:
    # GIVEN a facilitator on a laptop, and a participant on a touch phone who wrote in Bad
    owner = new_page(viewport=LAPTOP)
    url = create_board(owner, "Touch retro")
    phone = open_board(new_page, url, viewport=PHONE, touch=True)
    first = add_note(phone, "BAD", "Standups ran long")
    second = add_note(phone, "BAD", "Standups started late")
    for number in range(1, 6):
        add_note(phone, "BAD", f"Another bad thing {number}")
    finger = Finger(phone)

    # WHEN they swipe up starting on a card, THEN the page scrolls and nothing is picked up
    phone.evaluate("scrollTo(0, 0)")
    finger.swipe_up(first.locator(".note-text"), 300)
    assert phone.evaluate("scrollY") > 100
    expect(phone.locator(".note--dragging")).to_have_count(0)
    expect(phone.locator(".drag-chip")).to_have_count(0)
    phone.evaluate("scrollTo(0, 0)")

    # WHEN they hold "Standups started late" still, THEN it is picked up: its text follows
    # the finger, and the card under it that takes it is outlined
    finger.down(second.locator(".note-text"))
    expect(second).to_have_class(CARRIED)
    chip = phone.locator(".drag-chip")
    expect(chip).to_have_text("Standups started late")
    finger.slide_to(first.locator(".note-text"))
    expect(first).to_have_class(re.compile(r"\bdrop-target\b"))
    assert_accessible(phone, "a phone while a note is carried by a finger")
    # ... and dropped there, THEN the two are a group, for the facilitator too
    finger.up()
    group = column(phone, "BAD").locator(".group")
    expect(group.locator(".note")).to_have_count(2, timeout=LIVE_MS)
    expect(group.locator(".group-title")).to_have_text("Standups ran long")
    expect(column(owner, "BAD").locator(".group .note")).to_have_count(2, timeout=LIVE_MS)
    expect(chip).to_have_count(0)
    expect(phone.locator(".drop-target")).to_have_count(0)

    # WHEN they carry "Another bad thing 1" onto the Actions tab and let go
    moving = note(phone, "BAD", "Another bad thing 1")
    finger.down(moving.locator(".note-text"))
    expect(moving).to_have_class(CARRIED)
    actions_tab = phone.get_by_role("tab", name=re.compile("^Actions"))
    finger.slide_to(actions_tab)
    expect(actions_tab).to_have_class(re.compile(r"\bdrop-target\b"))
    finger.up()

    # THEN the note is an action for both, and the phone shows the Actions column with it
    expect(actions_tab).to_have_attribute("aria-selected", "true", timeout=LIVE_MS)
    moved = note(phone, "ACTION", "Another bad thing 1")
    expect(moved).to_be_in_viewport()
    expect(note(owner, "ACTION", "Another bad thing 1")).to_have_count(1, timeout=LIVE_MS)
    expect(note(owner, "BAD", "Another bad thing 1")).to_have_count(0)

    # A finger let go where nothing takes the note (its own column's tab) leaves it there
    finger.down(moved.locator(".note-text"))
    expect(moved).to_have_class(CARRIED)
    finger.slide_to(actions_tab)
    expect(phone.locator(".drop-target")).to_have_count(0)
    finger.up()
    expect(moved).not_to_have_class(CARRIED)
    # (a note written after the drop reaches the facilitator: a move would have come first)
    add_note(phone, "GOOD", "Written after letting go")
    expect(note(owner, "GOOD", "Written after letting go")).to_have_count(1, timeout=LIVE_MS)
    expect(note(owner, "ACTION", "Another bad thing 1")).to_have_count(1)


def test_on_a_touch_tablet_a_held_note_is_dropped_on_another_column(new_page: Any) -> None:
    # GIVEN a touch screen wide enough for the columns side by side (no tabs)
    tablet = new_page(viewport={"width": 1024, "height": 768}, touch=True)
    create_board(tablet, "Tablet retro")
    card = add_note(tablet, "GOOD", "Pairing helped")
    expect(tablet.locator('[data-retro="tab-BAD"]')).to_be_hidden()
    finger = Finger(tablet)

    # WHEN the author holds the card and lets go over the Bad column
    finger.down(card.locator(".note-text"))
    expect(card).to_have_class(CARRIED)
    finger.slide_to(column(tablet, "BAD").locator(".col-head"))
    expect(column(tablet, "BAD")).to_have_class(re.compile(r"\bdrop-target\b"))
    finger.up()

    # THEN it is in Bad, and its "Move to…" has the focus, as after a move by the menu
    moved = note(tablet, "BAD", "Pairing helped")
    expect(moved).to_have_count(1, timeout=LIVE_MS)
    expect(note(tablet, "GOOD", "Pairing helped")).to_have_count(0)
    expect(moved.get_by_role("button", name="Move to…")).to_be_focused()


def test_a_note_carried_to_the_bottom_of_a_phone_scrolls_the_page_to_a_card_out_of_sight(
    new_page: Any,
) -> None:
    # GIVEN a participant on a touch phone with a column longer than the screen
    owner = new_page(viewport=LAPTOP)
    url = create_board(owner, "Long column")
    phone = open_board(new_page, url, viewport=PHONE, touch=True)
    top = add_note(phone, "GOOD", "The first thing")
    for number in range(1, 7):
        add_note(phone, "GOOD", f"Something else {number}")
    last = note(phone, "GOOD", "Something else 6")
    phone.evaluate("scrollTo(0, 0)")
    expect(last).not_to_be_in_viewport()
    finger = Finger(phone)

    # WHEN they pick the first note up and hold it at the bottom edge of the screen
    finger.down(top.locator(".note-text"))
    expect(top).to_have_class(CARRIED)
    finger.slide_to_point(PHONE["width"] / 2, PHONE["height"] - 8)

    # THEN the page scrolls down under it until the last card is there to drop on
    expect(last).to_be_in_viewport()
    # (the finger leaves the edge, the page stands still, and the finger finds the card)
    finger.slide_to_point(PHONE["width"] / 2, PHONE["height"] / 2)
    phone.wait_for_function(SETTLED, polling=100)
    finger.slide_to(last.locator(".note-text"))
    expect(last).to_have_class(re.compile(r"\bdrop-target\b"))
    finger.up()
    group = column(phone, "GOOD").locator(".group")
    expect(group.locator(".note")).to_have_count(2, timeout=LIVE_MS)
    expect(group.locator(".group-title")).to_have_text("Something else 6")
