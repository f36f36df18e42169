"""Keyboard-only use, user text never parsed as HTML, identity and connection recovery, and
screenshots of the board at desktop and phone width (written to tests/artifacts/)."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.board_page import (
    LIVE_MS,
    add_note,
    column,
    create_board,
    note,
    open_board,
    token_key,
    vote_count,
    votes_left,
    wait_until_live,
)
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def _tab_to(page: Any, selector: str, limit: int = 40) -> None:
    """Presses Tab until the element matching `selector` has focus: reachable by keyboard."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_the_board_is_usable_with_the_keyboard_alone(new_page: Any) -> None:
    page = new_page()
    # Create a board: the title field has focus on the start page; Enter submits.
    expect(page.get_by_label("Board title")).to_be_focused()
    page.keyboard.type("Keyboard retro")
    page.keyboard.press("Enter")
    expect(page.locator("h1.board-title")).to_have_text("Keyboard retro")
    wait_until_live(page)

    _tab_to(page, '[data-retro="composer-BAD"]')
    page.keyboard.type("Line one")
    page.keyboard.press("Shift+Enter")  # a new line, not a submit
    page.keyboard.type("line two")
    page.keyboard.press("Enter")
    card = note(page, "BAD", "Line one")
    expect(card.locator(".note-text")).to_have_text("Line one\nline two")

    _tab_to(page, '.column--bad .note [data-retro="vote"]')
    page.keyboard.press("Enter")
    expect(vote_count(card)).to_have_text("1")

    _tab_to(page, '.column--bad .note [data-retro="edit"]')
    page.keyboard.press("Enter")
    expect(card.get_by_role("textbox", name="Edit note")).to_be_focused()
    page.keyboard.press("Escape")  # cancel: nothing changes, focus returns to Edit
    expect(card.get_by_role("button", name="Edit")).to_be_focused()
    expect(card.locator(".note-text")).to_have_text("Line one\nline two")
    page.keyboard.press("Enter")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Edited by keyboard")
    page.keyboard.press("Enter")
    expect(note(page, "BAD", "Edited by keyboard")).to_be_visible()


def test_user_text_is_shown_as_text_never_as_html(new_page: Any) -> None:
    owner = new_page()
    url = create_board(owner, "<b>Bold</b> title")
    member = open_board(new_page, url)
    payload = '<img src="x" onerror="window.__pwned = 1"><script>window.__pwned = 2</script>'
    add_note(owner, "GOOD", payload)
    card = note(member, "GOOD", "window.__pwned")
    expect(card.locator(".note-text")).to_have_text(payload, timeout=LIVE_MS)
    expect(member.locator("h1.board-title")).to_have_text("<b>Bold</b> title")
    assert card.locator("img, script").count() == 0
    assert member.locator("h1.board-title b").count() == 0
    assert member.evaluate("window.__pwned") is None
    assert owner.evaluate("window.__pwned") is None


def test_an_unknown_token_is_replaced_by_a_new_user(new_page: Any) -> None:
    # GIVEN a browser holding a token the server does not know (e.g. it restarted afresh)
    page = new_page()
    key = token_key(page)
    page.evaluate("key => localStorage.setItem(key, 'stale-token-from-a-previous-server')", key)
    page.reload()
    # WHEN the person creates a board, THEN it works, under a fresh identity
    create_board(page, "After a restart")
    add_note(page, "GOOD", "Still works")
    token = page.evaluate("key => localStorage.getItem(key)", key)
    assert token
    assert token != "stale-token-from-a-previous-server"
    expect(note(page, "GOOD", "Still works").get_by_role("button", name="Edit")).to_be_visible()


def test_after_a_lost_connection_the_board_catches_up(new_page: Any) -> None:
    owner = new_page()
    url = create_board(owner, "Flaky wifi")
    member = open_board(new_page, url)
    status = member.locator('[data-retro="connection"]')

    # WHEN the participant goes offline, THEN the status says so
    member.context.set_offline(True)
    expect(status).to_have_attribute("data-state", "offline")
    expect(status).to_contain_text("Offline")
    # ... and what happens meanwhile is not lost
    add_note(owner, "ACTION", "Added while you were away")
    member.context.set_offline(False)
    wait_until_live(member)
    expect(note(member, "ACTION", "Added while you were away")).to_be_visible(timeout=LIVE_MS)
    # and live updates flow again
    add_note(owner, "ACTION", "Added after you came back")
    expect(note(member, "ACTION", "Added after you came back")).to_be_visible(timeout=LIVE_MS)


def test_when_the_server_drops_the_connection_the_client_reconnects_and_catches_up(
    new_page: Any,
) -> None:
    owner = new_page()
    url = create_board(owner, "Dropped sockets")
    sockets: list[Any] = []

    def pass_through(route: Any) -> None:
        route.connect_to_server()  # the real server; the test keeps a handle to cut it
        sockets.append(route)

    def intercept(page: Any) -> None:
        page.route_web_socket(re.compile(r"/graphql(/realtime)?$"), pass_through)

    member = open_board(new_page, url, before=intercept)
    status = member.locator('[data-retro="connection"]')
    assert len(sockets) == 1

    # WHEN the server side closes the socket (a deploy, a load balancer, a restart)
    sockets[0].close(code=1012, reason="service restart")
    # THEN the client says so, backs off, reconnects, and loads what it missed
    expect(status).not_to_have_attribute("data-state", "live", timeout=LIVE_MS)
    add_note(owner, "GOOD", "Written while the socket was down")
    wait_until_live(member)
    expect(note(member, "GOOD", "Written while the socket was down")).to_be_visible(timeout=LIVE_MS)
    assert len(sockets) == 2
    add_note(owner, "GOOD", "Written after the reconnect")
    expect(note(member, "GOOD", "Written after the reconnect")).to_be_visible(timeout=LIVE_MS)


def _assert_no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide at {page.viewport_size}"


def test_screenshots_of_the_board_at_desktop_and_phone_width(
    new_page: Any, artifacts: Path
) -> None:
    # GIVEN a board in the middle of a retro: notes from two people, some votes
    owner = new_page()
    url = create_board(owner, "Team Falcon — Sprint 14", votes=5)
    for column_name, text in [
        ("GOOD", "Pairing on the payment bug shortened the fix from days to hours"),
        ("GOOD", "Demo went smoothly"),
        ("BAD", "Flaky end-to-end tests blocked two releases"),
        ("ACTION", "Quarantine flaky tests and fix one per day"),
    ]:
        add_note(owner, column_name, text)
    member = open_board(new_page, url)
    for column_name, text in [
        ("GOOD", "New on-call rota is fair"),
        ("BAD", "Too many meetings on Wednesday"),
        ("ACTION", "Make Wednesday a no-meeting afternoon"),
    ]:
        add_note(member, column_name, text)
    for text in ("Flaky end-to-end tests", "Flaky end-to-end tests", "Pairing on the payment"):
        column_name = "BAD" if text.startswith("Flaky") else "GOOD"
        note(member, column_name, text).get_by_role("button", name="Vote for this note").click()
    expect(votes_left(member)).to_contain_text("2 of 5 votes left")
    expect(vote_count(note(owner, "BAD", "Flaky end-to-end"))).to_have_text("2", timeout=LIVE_MS)
    member.locator("h1").click()  # no focus ring in the picture

    # THEN it reads well at desktop width, as the participant sees it
    member.screenshot(path=artifacts / "board-desktop.png", full_page=True)
    _assert_no_horizontal_scroll(member)
    # ... and at phone width, for a third person, without sideways scrolling
    phone = open_board(new_page, url, viewport=PHONE)
    expect(column(phone, "ACTION").locator(".note")).to_have_count(2)
    phone.screenshot(path=artifacts / "board-phone.png", full_page=True)
    _assert_no_horizontal_scroll(phone)
    owner.set_viewport_size(PHONE)
    owner.locator("h1").click()
    owner.screenshot(path=artifacts / "board-phone-owner.png", full_page=True)
    _assert_no_horizontal_scroll(owner)
    start = new_page(viewport=PHONE)
    expect(start.get_by_text("Boards you create appear here.")).to_be_visible()
    start.screenshot(path=artifacts / "start-phone.png", full_page=True)
    _assert_no_horizontal_scroll(start)
    for name in ("board-desktop.png", "board-phone.png", "start-phone.png"):
        assert (artifacts / name).stat().st_size > 10_000
