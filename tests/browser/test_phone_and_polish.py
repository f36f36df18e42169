"""The client on a phone and in a real meeting (issue 19): columns as tabs on a phone, thumb-sized
targets (measured), focus after the last vote, carried actions in their order, a bad version
link corrected in the address bar, the JSON export, a lowered vote budget explained, stale
connection errors dropped once live and toasts clear of the title, the "new note" moment, the
demo owner's link; screenshots for a reviewer (tests/artifacts/, git-ignored); axe-core at
both sizes."""

import json
import re
from pathlib import Path
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
    show_column,
    token_key,
    votes_left,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
THUMB = 44  # px: the smallest target a thumb hits reliably (WCAG 2.5.5, Apple, Material)

# Every control a person can tap: links, buttons, fields, tabs. A checkbox inside its label is
# tapped through the label, so the label is what is measured. Only what is rendered and not
# inert (behind a modal dialog) counts; `scope` limits it to an element (e.g. a dialog).
SMALL_TARGETS = """([scope, minimum]) => {
    const root = scope ? document.querySelector(scope) : document;
    const controls = root.querySelectorAll(
        'a[href], button, input, select, textarea, summary, [role="tab"],'
        + ' [tabindex]:not([tabindex="-1"])');
    const measured = [...controls]
        .filter((el) => el.checkVisibility() && !el.closest('[inert]'))
        .map((el) => {
            const label = el.matches('input[type=checkbox], input[type=radio]')
                && el.closest('label');
            const box = (label || el).getBoundingClientRect();
            const name = el.getAttribute('aria-label') || el.textContent.trim() || el.id
                || el.tagName;
            return {name: name.slice(0, 40), width: box.width, height: box.height};
        });
    return {
        count: measured.length,
        small: measured.filter((m) => m.width < minimum || m.height < minimum),
        smallest: Math.min(...measured.map((m) => Math.min(m.width, m.height))),
    };
}"""


def _targets(page: Any, scope: str | None = None) -> dict[str, Any]:
    measured: dict[str, Any] = page.evaluate(SMALL_TARGETS, [scope, THUMB])
    return measured


def _assert_thumb_sized(page: Any, where: str, scope: str | None = None) -> int:
    measured = _targets(page, scope)
    assert measured["count"] > 0
    assert measured["small"] == [], f"targets under {THUMB} px on {where}: {measured['small']}"
    assert measured["smallest"] >= THUMB
    return int(measured["count"])


def _box(locator: Any) -> dict[str, float]:
    box: dict[str, float] = locator.bounding_box()
    assert box is not None
    return box


def _in_first_screen(page: Any, locator: Any) -> None:
    box = _box(locator)
    height = page.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"{box} not within {height} px"


def _scrolled(page: Any) -> float:
    value: float = page.evaluate("window.scrollY")
    return value


def test_a_phone_participant_writes_in_actions_and_votes_without_scrolling(
    new_page: Any, artifacts: Path
) -> None:
    # GIVEN a board full of Good and Bad notes, one action, and a participant on a phone
    owner = new_page(viewport=LAPTOP)
    url = create_board(owner, "Phone retro", votes=3)
    for index in range(6):
        add_note(owner, "GOOD", f"Good thing number {index}: the longer the note, the taller")
        add_note(owner, "BAD", f"Bad thing number {index}: it takes room on a narrow screen")
    add_note(owner, "ACTION", "Book the room for the next retro")
    phone = open_board(new_page, url, viewport=PHONE)

    # THEN the columns are tabs, one column shown, each tab with its count
    tabs = phone.get_by_role("tablist", name="Columns")
    expect(tabs).to_be_visible()
    expect(tabs.get_by_role("tab")).to_have_count(3)
    actions_tab = tabs.get_by_role("tab", name=re.compile(r"^Actions"))
    expect(actions_tab).to_contain_text("1")
    expect(column(phone, "BAD")).to_be_hidden()

    # WHEN they tap Actions: the Actions column is on the first screen, the others hidden
    actions_tab.click()
    expect(actions_tab).to_have_attribute("aria-selected", "true")
    expect(column(phone, "GOOD")).to_be_hidden()
    expect(column(phone, "BAD")).to_be_hidden()
    composer = phone.locator('[data-retro="composer-ACTION"]')
    _in_first_screen(phone, composer)
    # ... they write an action and vote for the owner's, and never scroll
    composer.fill("Try a silent brainstorm first")
    composer.press("Enter")
    expect(note(phone, "ACTION", "Try a silent brainstorm first")).to_be_visible()
    vote = note(phone, "ACTION", "Book the room").get_by_role("button", name="Vote for this note")
    _in_first_screen(phone, vote)
    vote.click()
    expect(votes_left(phone)).to_contain_text("2 of 3 votes left")
    expect(note(owner, "ACTION", "Book the room").locator(".vote-count")).to_have_text(
        "1", timeout=LIVE_MS
    )
    assert _scrolled(phone) == 0
    # The vote buttons and every other target are thumb-sized (measured)
    assert _box(vote)["width"] >= THUMB and _box(vote)["height"] >= THUMB
    _assert_thumb_sized(phone, "the board on a phone")
    phone.locator("h1").click()
    phone.screenshot(path=artifacts / "board-phone-actions.png", full_page=True)
    assert_accessible(phone, "the board on a phone, Actions tab")

    # Someone else's note in a column not on screen: its tab wears a dot until chosen
    good_tab = tabs.get_by_role("tab", name=re.compile(r"^Good"))
    add_note(owner, "GOOD", "Arrived while you were in Actions")
    expect(good_tab).to_have_attribute("data-fresh", "yes", timeout=LIVE_MS)
    expect(good_tab).to_contain_text("7")
    # The tabs follow the arrow keys (ARIA tabs pattern)
    actions_tab.focus()
    phone.keyboard.press("ArrowRight")
    expect(good_tab).to_be_focused()
    expect(good_tab).to_have_attribute("aria-selected", "true")
    expect(good_tab).not_to_have_attribute("data-fresh", "yes")
    expect(column(phone, "GOOD")).to_be_visible()

    # The rest is one tap away: versions, export and the link, folded on a phone
    tools = phone.get_by_role("button", name="Versions, export, link")
    expect(phone.get_by_role("button", name="Copy link")).to_be_hidden()
    tools.click()
    expect(tools).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_role("button", name="Copy link")).to_be_visible()
    expect(phone.get_by_label("Version", exact=True)).to_be_visible()
    _assert_thumb_sized(phone, "the board on a phone, tools open")
    assert_accessible(phone, "the board on a phone, tools open")

    # On a laptop the same board shows its three columns side by side, no tabs
    expect(owner.get_by_role("tablist")).to_have_count(0)
    for name in ("GOOD", "BAD", "ACTION"):
        expect(column(owner, name)).to_be_visible()
    owner.locator("h1").click()
    owner.screenshot(path=artifacts / "board-laptop.png", full_page=True)
    assert_accessible(owner, "the board on a laptop")


def test_every_target_of_the_owner_on_a_phone_is_thumb_sized(
    new_page: Any, artifacts: Path
) -> None:
    # GIVEN the owner on a phone, with a note of their own (edit, delete, move) and a timer
    owner = new_page(viewport=PHONE)
    expect(owner.get_by_label("Board title")).to_be_visible()
    _assert_thumb_sized(owner, "the start page on a phone")
    url = create_board(owner, "Owner on a phone")
    add_note(owner, "GOOD", "Mine to edit")
    owner.get_by_role("button", name="Write", exact=True).click()
    owner.get_by_role("button", name="5 min", exact=True).click()
    expect(owner.get_by_role("timer")).to_be_visible()
    owner.get_by_role("button", name="Versions, export, link").click()
    counted = _assert_thumb_sized(owner, "the owner's board on a phone")
    assert counted >= 20  # stage bar, timer, tabs, tools, the card's own controls
    owner.locator("h1").click()
    owner.screenshot(path=artifacts / "board-phone-owner-meeting.png", full_page=True)

    # The dialogs too
    owner.get_by_role("button", name="Board settings").click()
    dialog = owner.get_by_role("dialog", name="Board settings")
    expect(dialog).to_be_visible()
    _assert_thumb_sized(owner, "the settings dialog on a phone", "dialog")
    owner.screenshot(path=artifacts / "dialog-settings-phone.png")
    assert_accessible(owner, "the settings dialog on a phone")
    dialog.get_by_role("button", name="Cancel").click()
    owner.get_by_role("button", name="Start new version").click()
    dialog = owner.get_by_role("dialog", name="Start a new version")
    _assert_thumb_sized(owner, "the new version dialog on a phone", "dialog")
    owner.screenshot(path=artifacts / "dialog-new-version-phone.png")
    dialog.get_by_role("button", name="Cancel").click()
    assert url


def test_focus_stays_in_the_card_after_the_last_vote(new_page: Any) -> None:
    owner = new_page(viewport=LAPTOP)
    create_board(owner, "One vote", votes=1)
    card = add_note(owner, "GOOD", "The only note")
    vote = card.get_by_role("button", name="Vote for this note")
    unvote = card.get_by_role("button", name="Take back a vote")
    # WHEN the last vote is spent with the keyboard
    vote.focus()
    owner.keyboard.press("Space")
    expect(votes_left(owner)).to_contain_text("0 of 1 votes left")
    expect(vote).to_be_disabled()
    # THEN the focus is on the same card's "take back", not thrown to the top of the page
    expect(unvote).to_be_focused()
    expect(owner.locator('[data-retro="announcer"]')).to_have_text("No votes left.")
    expect(owner.locator('[data-retro="budget-note"]')).to_be_hidden()  # all spent: no puzzle
    # ... and taking it back, the other way round
    owner.keyboard.press("Space")
    expect(votes_left(owner)).to_contain_text("1 of 1 votes left")
    expect(unvote).to_be_disabled()
    expect(vote).to_be_focused()


def test_a_lowered_vote_budget_is_explained(new_page: Any, artifacts: Path) -> None:
    owner = new_page(viewport=LAPTOP)
    url = create_board(owner, "Budget cut", votes=3)
    add_note(owner, "GOOD", "Worth three votes")
    member = open_board(new_page, url, viewport=LAPTOP)
    for _ in range(3):
        note(member, "GOOD", "Worth three").get_by_role("button", name="Vote for this note").click()
    expect(votes_left(member)).to_contain_text("0 of 3 votes left")
    owner.get_by_role("button", name="Board settings").click()
    dialog = owner.get_by_role("dialog", name="Board settings")
    dialog.get_by_label("Votes per person").fill("1")
    owner.screenshot(path=artifacts / "dialog-settings-laptop.png")
    dialog.get_by_role("button", name="Save").click()
    expect(votes_left(member)).to_contain_text("0 of 1 votes left", timeout=LIVE_MS)
    explained = member.locator('[data-retro="budget-note"]')
    expect(explained).to_have_text(
        "You gave 3 votes before the owner set 1 per person. They still count. "
        "To vote again, take back 3."
    )
    assert_accessible(member, "a lowered budget, explained")


def test_carried_actions_keep_their_order(new_page: Any, artifacts: Path) -> None:
    owner = new_page(viewport=LAPTOP)
    create_board(owner, "In order")
    texts = [f"Action {letter}" for letter in "ABCDEFGH"]
    for text in texts:
        add_note(owner, "ACTION", text)
    owner.get_by_role("button", name="Start new version").click()
    dialog = owner.get_by_role("dialog", name="Start a new version")
    owner.screenshot(path=artifacts / "dialog-new-version-laptop.png")
    assert_accessible(owner, "the new version dialog")
    dialog.get_by_role("button", name="Start version 2").click()
    select = owner.get_by_label("Version", exact=True)
    expect(select.locator("option:checked")).to_have_text("Version 2 (live)", timeout=LIVE_MS)
    cards = column(owner, "ACTION").locator(".note-text")
    expect(cards).to_have_text(texts)
    owner.reload()
    expect(column(owner, "ACTION").locator(".note-text")).to_have_text(texts)


def test_a_link_to_a_missing_version_is_corrected_in_the_address_bar(
    new_page: Any, artifacts: Path
) -> None:
    owner = new_page(viewport=LAPTOP)
    url = create_board(owner, "Versions, linked")
    add_note(owner, "GOOD", "Version one's note")
    owner.get_by_role("button", name="Start new version").click()
    owner.get_by_role("dialog").get_by_role("button", name="Start version 2").click()
    expect(column(owner, "GOOD").locator(".note")).to_have_count(0, timeout=LIVE_MS)

    member = new_page(url[url.index("/#/") :] + "/v/9", viewport=LAPTOP)
    expect(member.locator("h1.board-title")).to_have_text("Versions, linked")
    expect(member.get_by_role("alert")).to_contain_text("no version 9")
    expect(member).to_have_url(url)  # replaced: the address bar shows what is shown
    expect(member.get_by_label("Version", exact=True).locator("option:checked")).to_have_text(
        "Version 2 (live)"
    )
    # A frozen version's link works, and is what a reviewer sees of a frozen version
    member.goto(url + "/v/1")
    expect(member.get_by_role("note")).to_contain_text("Version 1 is frozen")
    expect(note(member, "GOOD", "Version one's note")).to_be_visible()
    member.locator("h1").click()
    member.screenshot(path=artifacts / "frozen-version.png", full_page=True)
    assert_accessible(member, "a frozen version")
    # From a frozen version, a link to a missing one shows the live version, as the address
    # bar then says (it used to keep version 1 on screen under the live version's address)
    member.goto(url + "/v/9")
    expect(member.get_by_role("alert")).to_contain_text("no version 9")
    expect(member).to_have_url(url)
    expect(member.get_by_role("note")).to_be_hidden()
    expect(member.get_by_label("Version", exact=True).locator("option:checked")).to_have_text(
        "Version 2 (live)"
    )


def test_the_json_export_downloads_and_the_markdown_dates_read_well(
    new_page: Any, tmp_path: Path
) -> None:
    owner = new_page(viewport=LAPTOP)
    create_board(owner, "Exported")
    add_note(owner, "GOOD", "Worth keeping")
    add_note(owner, "ACTION", "Do it")
    group = owner.get_by_role("group", name="Export this version")
    with owner.expect_download() as info:
        group.get_by_role("button", name="JSON").click()
    assert info.value.suggested_filename == "exported-v1.json"
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["board"]["title"] == "Exported"
    assert [n["text"] for n in document["notes"]] == ["Worth keeping", "Do it"]
    with owner.expect_download() as info:
        group.get_by_role("button", name="Markdown").click()
    info.value.save_as(tmp_path / "exported.md")
    header = (tmp_path / "exported.md").read_text(encoding="utf-8").splitlines()[2]
    assert re.fullmatch(r"Version 1 · started \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC", header)


def test_unreachable_errors_go_once_live_and_toasts_leave_the_title_clear(
    new_page: Any, artifacts: Path
) -> None:
    for viewport in (LAPTOP, PHONE):
        page = new_page(viewport=viewport)
        create_board(page, "Flaky connection")
        card = add_note(page, "GOOD", "Vote for me offline")
        status = page.locator('[data-retro="connection"]')
        page.context.set_offline(True)
        expect(status).to_have_attribute("data-state", "offline")
        card.get_by_role("button", name="Vote for this note").click()
        alert = page.locator(".toast--error", has_text="Can't reach the server")
        expect(alert).to_be_visible(timeout=10_000)  # after the api's own retries
        # The toast stands clear of the board's title
        title, toast = _box(page.locator("h1.board-title")), _box(alert)
        assert toast["y"] >= title["y"] + title["height"], (title, toast)
        name = "laptop" if viewport is LAPTOP else "phone"
        page.screenshot(path=artifacts / f"toast-offline-{name}.png")
        # WHEN the connection is live again, THEN the stale error goes with it
        page.context.set_offline(False)
        expect(status).to_have_attribute("data-state", "live", timeout=LIVE_MS * 3)
        expect(alert).to_have_count(0, timeout=LIVE_MS)


# What a tap at the middle of an element would reach: the element (or something in it)
HIT_BY_TAP = """(el) => {
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return hit !== null && el.contains(hit);
}"""


def test_a_toast_on_a_phone_never_covers_the_note_being_written(
    new_page: Any, artifacts: Path
) -> None:
    # GIVEN the facilitator on a touch phone, the Good column's composer at the bottom of the
    # screen (where toasts stand), a note typed in it
    phone = new_page(viewport=PHONE, touch=True)
    create_board(phone, "Toasts and thumbs")
    field = phone.locator('[data-retro="composer-GOOD"]')
    add = phone.get_by_role("button", name="Add note to Good")
    add.evaluate("(el) => el.scrollIntoView({block: 'end'})")
    field.fill("Lost in the tunnel")
    # WHEN the connection drops and they tap Add
    phone.context.set_offline(True)
    add.tap()
    alert = phone.locator(".toast--error", has_text="Can't reach the server")
    expect(alert).to_be_visible(timeout=10_000)  # after the api's own retries
    expect(field).to_have_value("Lost in the tunnel")  # the refused note is given back
    # THEN the error is on screen, and a tap on the field or on Add still reaches them
    expect(alert).to_be_in_viewport(ratio=1)
    assert add.evaluate(HIT_BY_TAP), "the toast covers the Add button"
    assert field.evaluate(HIT_BY_TAP), "the toast covers the note's field"
    field_box, toast_box = _box(field.locator("xpath=ancestor::form")), _box(alert)
    assert (
        toast_box["y"] + toast_box["height"] <= field_box["y"]
        or toast_box["y"] >= field_box["y"] + field_box["height"]
    ), (field_box, toast_box)
    phone.screenshot(path=artifacts / "toast-phone-writing.png")
    # A second tap fails for the same cause: the error is said once, not stacked
    add.tap()
    expect(field).to_have_value("Lost in the tunnel", timeout=10_000)
    expect(alert).to_have_count(1)
    assert add.evaluate(HIT_BY_TAP)
    # WHEN they scroll the composer up to the middle, THEN the toast is back at the bottom
    add.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    phone.wait_for_function(
        "() => Math.abs(innerHeight - 12"
        " - document.querySelector('[data-retro=toast-area]').getBoundingClientRect().bottom) < 1"
    )
    assert add.evaluate(HIT_BY_TAP)
    # ... and, back online, the note goes in with a tap
    phone.context.set_offline(False)
    add.tap()
    expect(note(phone, "GOOD", "Lost in the tunnel")).to_have_count(1, timeout=LIVE_MS * 3)
    assert_accessible(phone, "a phone with an error toast beside the composer")


def test_someone_elses_new_note_has_a_calm_moment(new_page: Any) -> None:
    owner = new_page(viewport=LAPTOP)
    url = create_board(owner, "New notes")
    member = open_board(new_page, url, viewport=LAPTOP)
    still = open_board(new_page, url, viewport=LAPTOP)
    still.emulate_media(reduced_motion="reduce")
    add_note(member, "GOOD", "Arrives at the others")
    arrived = note(owner, "GOOD", "Arrives at the others")
    expect(arrived).to_have_class(re.compile(r"\bnote--arrived\b"), timeout=LIVE_MS)
    assert arrived.evaluate("(el) => getComputedStyle(el).animationName") == "note-arrive"
    quiet = note(still, "GOOD", "Arrives at the others")
    expect(quiet).to_have_class(re.compile(r"\bnote--arrived\b"), timeout=LIVE_MS)
    assert quiet.evaluate("(el) => getComputedStyle(el).animationName") == "none"
    assert quiet.evaluate("(el) => getComputedStyle(el).boxShadow") != "none"
    # ... the moment passes, and one's own note has none
    expect(arrived).not_to_have_class(re.compile(r"\bnote--arrived\b"), timeout=6000)
    mine = note(member, "GOOD", "Arrives at the others")
    assert "note--arrived" not in (mine.get_attribute("class") or "")
    assert_accessible(owner, "the board with a new note")


# A slow server, on one page: once armed, every read that says which notes are mine (the
# participation field: its own query, and the board page a load reads) waits until the test
# lets it go. `__reads` counts those reads sent and answered, to arm it between two of them.
HOLD_PARTICIPATION = """(() => {
    const send = window.fetch;
    window.__hold = false;
    window.__held = [];
    window.__reads = {sent: 0, answered: 0};
    window.fetch = async (input, init) => {
        const body = typeof init?.body === 'string' ? init.body : '';
        const reads = body.includes('participation(');
        if (reads) window.__reads.sent += 1;
        if (reads && window.__hold) await new Promise((go) => window.__held.push(go));
        try {
            return await send(input, init);
        } finally {
            if (reads) window.__reads.answered += 1;
        }
    };
})()"""
# The board's first load and the one after the subscriptions' sync, both answered: a load in
# flight would hold back the note (the store replays writes after a load).
LOADS_ANSWERED = (
    "() => window.__reads.answered >= 2 && window.__reads.answered === window.__reads.sent"
)


def test_my_own_note_loses_the_new_mark_once_the_server_says_it_is_mine(new_page: Any) -> None:
    # GIVEN a page whose reads of "my notes" are slow (held)
    page = new_page(viewport=LAPTOP, before=lambda p: p.add_init_script(HOLD_PARTICIPATION))
    create_board(page, "Slow to say mine")
    page.wait_for_function(LOADS_ANSWERED)
    page.evaluate("window.__hold = true")
    # WHEN the person writes a note: until a read comes back it looks like someone else's
    card = add_note(page, "GOOD", "Written here, confirmed late")
    expect(card).to_have_class(re.compile(r"\bnote--arrived\b"))
    # THEN once it comes back the note is theirs and no longer "New" (it stayed "New" for
    # seconds on their own screen under a loaded server)
    page.evaluate("window.__hold = false; window.__held.forEach((go) => go())")
    expect(card.get_by_text("You wrote this")).to_be_visible()
    assert "note--arrived" not in (card.get_attribute("class") or "")


def test_the_demo_owner_link_opens_the_board_as_its_owner_once(
    new_page: Any, artifacts: Path
) -> None:
    # GIVEN a board and its owner's token (what `retro serve --demo` prints for its board)
    owner = new_page(viewport=LAPTOP)
    url = create_board(owner, "Demo retro")
    key = token_key(owner)
    token = owner.evaluate("(key) => localStorage.getItem(key)", key)
    board_path = url[url.index("/#/") :]
    # WHEN someone opens the owner link in another browser on this machine
    guest = new_page(f"{board_path}?owner={token}", viewport=LAPTOP)
    # THEN they are the owner, and the token has left the address bar (not in history either)
    expect(guest.get_by_role("button", name="Board settings")).to_be_visible()
    expect(guest).to_have_url(url)
    assert guest.evaluate("location.href") == url
    assert guest.evaluate("(key) => localStorage.getItem(key)", key) == token
    expect(guest.locator(".toast")).to_contain_text("You are the demo board's owner")
    show_column(guest, "GOOD")
    guest.screenshot(path=artifacts / "demo-owner.png")
    # ... and the plain link is a participant's, as before
    stranger = open_board(new_page, url, viewport=LAPTOP)
    expect(stranger.get_by_role("button", name="Board settings")).to_have_count(0)


def test_screenshots_of_the_start_page_at_both_sizes(new_page: Any, artifacts: Path) -> None:
    for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page = new_page(viewport=viewport)
        expect(page.get_by_label("Board title")).to_be_visible()
        page.screenshot(path=artifacts / f"start-{name}.png", full_page=True)
        assert_accessible(page, f"the start page ({name})")
        assert (artifacts / f"start-{name}.png").stat().st_size > 10_000


# Each tab's name, count and box: the name is one line when it is as tall as Good's (a name
# that wrapped is twice as tall), and nothing sticks out of its tab.
TAB_BOXES = """() => [...document.querySelectorAll('.col-tab')].map((tab) => {
    const box = (el) => el.getBoundingClientRect();
    const [t, name, count] = [tab, tab.querySelector('.col-tab-name'),
                              tab.querySelector('.col-tab-count')].map(box);
    return {column: tab.dataset.column, nameHeight: name.height, overflow: tab.scrollWidth
            - tab.clientWidth, countInside: count.left >= t.left && count.right <= t.right};
})"""


def test_the_column_tabs_fit_a_small_phone_with_the_new_note_dot(new_page: Any) -> None:
    # GIVEN a participant on a small phone (320 px), on the Good tab
    owner = new_page(viewport=LAPTOP)
    url = create_board(owner, "Small phone tabs")
    phone = open_board(new_page, url, viewport={"width": 320, "height": 568}, touch=True)
    actions_tab = phone.locator('[data-retro="tab-ACTION"]')
    # WHEN an action arrives from someone else: its tab wears the dot
    add_note(owner, "ACTION", "Timebox the standup")
    expect(actions_tab).to_have_attribute("data-fresh", "yes", timeout=LIVE_MS)
    expect(actions_tab.locator('[data-retro="tab-count"]')).to_have_text("1")
    # THEN every tab keeps its name on one line and its count inside it (the dot used to
    # wrap "Actions" onto two lines, and its count was clipped at the edge)
    tabs = phone.evaluate(TAB_BOXES)
    good = next(tab for tab in tabs if tab["column"] == "GOOD")
    for tab in tabs:
        assert tab["nameHeight"] == good["nameHeight"], tab
        assert tab["overflow"] <= 0, tab
        assert tab["countInside"], tab
    # ... and the dot stays a dot, clear of the name
    dot = actions_tab.evaluate("(tab) => getComputedStyle(tab, '::after').width")
    assert dot == "8px"
    _assert_thumb_sized(phone, "the tabs of a small phone", ".col-tabs")
