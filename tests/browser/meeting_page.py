"""What a facilitator and the participants do and see in a guided meeting, in the client's own
words: the stage bar, the timer, the settings' switches, the meeting's live region."""

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.board_page import LIVE_MS

STAGE_NAMES = {"FREE": "Free mode", "WRITE": "Write", "VOTE": "Vote", "DISCUSS": "Discuss"}


def stage_name(page: Any) -> Any:
    """The stage everyone sees in the board's header ("Write", "Vote"...)."""
    return page.locator('[data-retro="stage"]')


def meeting(page: Any) -> Any:
    return page.locator('[data-retro="meeting"]')


def timer(page: Any) -> Any:
    return page.get_by_role("timer")


def said(page: Any) -> Any:
    """The meeting's polite live region: what screen readers were told."""
    return page.locator('[data-retro="meeting-live"]')


def go_to_stage(owner: Any, name: str) -> None:
    """The facilitator picks a stage on the stage bar ("Free mode", "Write", "Vote", "Discuss")."""
    owner.get_by_role("button", name=name, exact=True).click()
    expect(stage_name(owner)).to_have_text(name, timeout=LIVE_MS)
    expect(owner.get_by_role("button", name=name, exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def set_meeting_settings(owner: Any, *, hide_while_writing: bool, secret_ballot: bool) -> None:
    """The facilitator sets the two switches in the board settings dialog and saves."""
    owner.get_by_role("button", name="Board settings").click()
    dialog = owner.get_by_role("dialog", name="Board settings")
    dialog.get_by_role("switch", name="Hide notes while writing").set_checked(hide_while_writing)
    dialog.get_by_role("switch", name="Secret ballot").set_checked(secret_ballot)
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()


def seconds_left(page: Any) -> int:
    """The timer's display ("4:58") in seconds."""
    text = timer(page).locator('[data-retro="timer-time"]').text_content() or ""
    match = re.fullmatch(r"(\d+):(\d\d)", text.strip())
    assert match, f"the timer shows {text!r}"
    return int(match[1]) * 60 + int(match[2])
