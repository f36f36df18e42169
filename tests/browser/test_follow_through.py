"""Follow-through (issue 14) in two browsers: a note moved between columns by its author (by
keyboard and by drag), action items marked done live and carried with their count, groups with
the sum of their votes, and the trend across versions as a chart and a table; and the store
applying group frames on its own."""

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
)
from tests.browser.meeting_page import go_to_stage, set_meeting_settings

pytestmark = pytest.mark.browser

TIMES = "\u00d7"  # the multiplication sign of "carried 3 times"


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
    # (arrows walk the choices, as in a menu)
    owner.keyboard.press("ArrowDown")
    expect(mine.get_by_role("button", name="Move to Actions")).to_be_focused()
    owner.keyboard.press("ArrowUp")
    expect(menu).to_be_focused()
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

    # The participant cannot move someone else's note: dropped on another column, it stays
    theirs = note(member, "ACTION", "Standups ran long")
    theirs.drag_to(column(member, "GOOD").locator(".col-head"))
    # (a note written after the drop reaches the owner: had the drop moved anything, so would it)
    add_note(member, "GOOD", "Written after the drop")
    expect(note(owner, "GOOD", "Written after the drop")).to_have_count(1, timeout=LIVE_MS)
    expect(column(owner, "GOOD").locator(".note")).to_have_count(1)
    expect(note(owner, "ACTION", "Standups ran long")).to_have_count(1)
    expect(theirs).to_have_count(1)

    # The menu, open, has no accessibility violation
    mine.get_by_role("button", name="Move to…").click()
    assert_accessible(owner, "the board with a note's move menu open")


def _group(page: Any, name: str) -> Any:
    """The group boxes of a column."""
    return column(page, name).locator(".group")


def _vote(card: Any, times: int) -> None:
    button = card.get_by_role("button", name="Vote for this note")
    for count in range(1, times + 1):
        button.click()
        expect(card.locator(".vote-count")).to_have_text(str(count))


def test_notes_are_grouped_by_drag_and_by_keyboard_and_the_group_shows_their_vote_sum(
    new_page: Any,
) -> None:
    # GIVEN four notes in Good, the first written with the most votes of any single note
    owner = new_page()
    url = create_board(owner, "Grouping notes")
    member = open_board(new_page, url)
    lone = add_note(member, "GOOD", "Lunch together on Fridays")
    first = add_note(owner, "GOOD", "CI got faster")
    second = add_note(owner, "GOOD", "Builds are green again")
    third = add_note(member, "GOOD", "Flaky tests fixed")
    _vote(lone, 3)  # the member's: 3 on the lone note
    _vote(first, 1)  # the owner's: 1 + 2
    _vote(second, 2)
    _vote(note(member, "GOOD", "Flaky tests fixed"), 1)  # the member's 4th
    expect(third.locator(".vote-count")).to_have_text("1")
    expect(note(owner, "GOOD", "Flaky tests fixed").locator(".vote-count")).to_have_text(
        "1", timeout=LIVE_MS
    )

    # WHEN the owner drags "Builds are green again" onto "CI got faster"
    second.drag_to(first.locator(".note-text"))

    # THEN both see one group, named after the note it was dropped on, with 3 votes in all
    for page in (owner, member):
        group = _group(page, "GOOD")
        expect(group).to_have_count(1, timeout=LIVE_MS)
        expect(group.locator(".group-title")).to_have_text("CI got faster")
        expect(group.locator(".note")).to_have_count(2)
        expect(group.locator('[data-retro="group-votes"]')).to_have_text("3 votes in all")

    # WHEN the member adds "Flaky tests fixed" to it with the keyboard alone
    card = note(member, "GOOD", "Flaky tests fixed")
    toggle = card.get_by_role("button", name="Group with…")
    toggle.focus()
    member.keyboard.press("Enter")
    choice = card.get_by_role("button", name="Add to group “CI got faster”")
    expect(choice).to_be_focused()
    member.keyboard.press("Enter")

    # THEN the group holds three notes and 4 votes, for both; the member's focus stayed on
    # the card, now in the group
    for page in (member, owner):
        group = _group(page, "GOOD")
        expect(group.locator(".note")).to_have_count(3, timeout=LIVE_MS)
        expect(group.locator('[data-retro="group-votes"]')).to_have_text("4 votes in all")
    expect(card.get_by_role("button", name="Take out of group")).to_be_focused()

    # WHEN the member renames the group by keyboard
    _group(member, "GOOD").get_by_role("button", name="Rename").click()
    title = member.get_by_role("textbox", name="Group title")
    expect(title).to_be_focused()
    title.fill("Build health")
    title.press("Enter")
    expect(_group(owner, "GOOD").locator(".group-title")).to_have_text(
        "Build health", timeout=LIVE_MS
    )

    # "Most votes first" ranks the group by its sum (4) above the lone note (3), though the
    # lone note was written first and has more votes than any note of the group
    items = column(owner, "GOOD").locator(".notes").first.locator(":scope > li")
    expect(items.first).to_contain_text("Lunch together on Fridays")
    owner.get_by_role("button", name="Most votes first").click()
    expect(items.first).to_have_class("group")
    expect(items.nth(1)).to_contain_text("Lunch together on Fridays")
    assert_accessible(owner, "a column with a group")

    # WHEN the owner takes a note back out (keyboard: the button on its card)
    out = note(owner, "GOOD", "Builds are green again")
    out.get_by_role("button", name="Take out of group").click()

    # THEN the group keeps 2 notes and 2 votes for both; the note stands on its own
    for page in (owner, member):
        group = _group(page, "GOOD")
        expect(group.locator(".note")).to_have_count(2, timeout=LIVE_MS)
        expect(group.locator('[data-retro="group-votes"]')).to_have_text("2 votes in all")
    expect(out.get_by_role("button", name="Group with…")).to_be_focused()

    # WHEN the member groups two loose notes with the keyboard alone: "Group with…" on one,
    # past the existing group to the other note (Tab), Enter
    builds = note(member, "GOOD", "Builds are green again")
    builds.get_by_role("button", name="Group with…").focus()
    member.keyboard.press("Enter")
    expect(builds.get_by_role("button", name="Add to group “Build health”")).to_be_focused()
    member.keyboard.press("Tab")
    expect(
        builds.get_by_role("button", name="Group with “Lunch together on Fridays”")
    ).to_be_focused()
    member.keyboard.press("Enter")

    # THEN a second group, named after the other note, holds 3 + 2 votes; with most votes
    # first it now leads, the first group (2) after it
    for page in (member, owner):
        expect(_group(page, "GOOD")).to_have_count(2, timeout=LIVE_MS)
        lunch = _group(page, "GOOD").filter(has_text="Lunch together on Fridays")
        expect(lunch.locator(".group-title")).to_have_text("Lunch together on Fridays")
        expect(lunch.locator('[data-retro="group-votes"]')).to_have_text("5 votes in all")
    expect(items.first).to_contain_text("Lunch together on Fridays")
    expect(items.nth(1).locator(".group-title")).to_have_text("Build health")
    expect(column(owner, "GOOD").locator(".notes").first.locator(":scope > li")).to_have_count(2)

    # Groups are of their version: a new version starts without them, the frozen one keeps
    # them with their sums, read-only
    _start_version(owner, 2)
    expect(column(member, "GOOD").locator(".note")).to_have_count(0, timeout=LIVE_MS)
    expect(_group(member, "GOOD")).to_have_count(0)
    owner.locator("#version-select").select_option("1")
    frozen = _group(owner, "GOOD")
    expect(frozen).to_have_count(2)
    expect(frozen.locator('[data-retro="group-votes"]')).to_have_text(
        ["5 votes in all", "2 votes in all"]
    )
    expect(frozen.get_by_role("button", name="Rename")).to_have_count(0)
    expect(column(owner, "GOOD").get_by_role("button", name="Group with…")).to_have_count(0)
    expect(column(owner, "GOOD").get_by_role("button", name="Take out of group")).to_have_count(0)


def _action(page: Any, text: str) -> Any:
    return note(page, "ACTION", text)


def _start_version(page: Any, number: int) -> None:
    page.get_by_role("button", name="Start new version").click()
    dialog = page.get_by_role("dialog", name="Start a new version")
    dialog.get_by_label("Name (optional)").fill(f"Sprint {number}")
    dialog.get_by_role("button", name=f"Start version {number}").click()
    # The dialog closes once the owner's page has the new version (the event may come first):
    # until then it is modal, and typing would go into it
    expect(dialog).to_be_hidden()
    expect(page.locator("#version-select")).to_contain_text(f"Version {number} — Sprint {number}")


def test_actions_are_done_live_and_only_open_ones_are_carried_with_their_count_and_trend(
    new_page: Any,
) -> None:
    # GIVEN three action items on a board, seen by its owner and a participant
    owner = new_page()
    url = create_board(owner, "Follow-through")
    member = open_board(new_page, url)
    for text in ("Fix the deploy script", "Book the offsite", "Write the runbook"):
        add_note(owner, "ACTION", text)
        expect(_action(member, text)).to_be_visible(timeout=LIVE_MS)

    # WHEN the participant (not the author) ticks one off
    _action(member, "Fix the deploy script").get_by_role("checkbox", name="Done").check()

    # THEN the owner sees it done, live
    expect(
        _action(owner, "Fix the deploy script").get_by_role("checkbox", name="Done")
    ).to_be_checked(timeout=LIVE_MS)
    expect(_action(owner, "Fix the deploy script")).to_have_class(re.compile(r"\bnote--done\b"))

    # ... and undone and done again, live both ways
    box = _action(owner, "Write the runbook").get_by_role("checkbox", name="Done")
    box.check()
    theirs = _action(member, "Write the runbook").get_by_role("checkbox", name="Done")
    expect(theirs).to_be_checked(timeout=LIVE_MS)
    theirs.uncheck()
    expect(box).not_to_be_checked(timeout=LIVE_MS)

    # WHEN the participant names who takes "Book the offsite" on
    offsite = _action(member, "Book the offsite")
    offsite.get_by_role("button", name="Who takes it?").click()
    who = offsite.get_by_role("textbox", name="Who takes it on")
    who.fill("Sam")
    who.press("Enter")
    expect(_action(owner, "Book the offsite").locator('[data-retro="who"]')).to_have_text(
        "Taken by Sam", timeout=LIVE_MS
    )

    # WHEN the owner starts version 2
    _start_version(owner, 2)

    # THEN both see only the two open actions, each carried once; "who" came along
    for page in (owner, member):
        actions = column(page, "ACTION").locator(".note")
        expect(actions).to_have_count(2, timeout=LIVE_MS)
        expect(_action(page, "Fix the deploy script")).to_have_count(0)
        for text in ("Book the offsite", "Write the runbook"):
            expect(_action(page, text).locator('[data-retro="carried"]')).to_contain_text(
                f"carried 1{TIMES}"
            )
        expect(_action(page, "Book the offsite").locator('[data-retro="who"]')).to_have_text(
            "Taken by Sam"
        )

    assert_accessible(member, "action items: done, who, carried")

    # WHEN the runbook gets done in version 2 and version 3 starts
    _action(member, "Write the runbook").get_by_role("checkbox", name="Done").check()
    expect(_action(owner, "Write the runbook").get_by_role("checkbox", name="Done")).to_be_checked(
        timeout=LIVE_MS
    )
    _start_version(owner, 3)

    # THEN only the offsite comes along, carried twice
    for page in (owner, member):
        expect(column(page, "ACTION").locator(".note")).to_have_count(1, timeout=LIVE_MS)
        expect(_action(page, "Book the offsite").locator('[data-retro="carried"]')).to_contain_text(
            f"carried 2{TIMES}"
        )

    # A frozen version keeps its done action, ticked and read-only
    owner.locator("#version-select").select_option("1")
    frozen = _action(owner, "Fix the deploy script").get_by_role("checkbox", name="Done")
    expect(frozen).to_be_checked()
    expect(frozen).to_be_disabled()
    assert_accessible(owner, "a frozen version's action items")
    owner.locator("#version-select").select_option("3")
    expect(column(owner, "ACTION").locator(".note")).to_have_count(1)

    # WHEN the participant opens the trend view
    member.get_by_role("button", name="Trend").click()

    # THEN a chart and a table show every version, oldest first
    panel = member.get_by_role("region", name="Trend across retros")
    expect(panel.get_by_role("img")).to_have_count(1)
    table = panel.get_by_role("table", name="Counts per version")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    cells = {
        "Version": 0,
        "Actions": 3,
        "Carried in": 6,
        "Done": 7,
        "Still open": 8,
        "Oldest open action": 9,
    }

    def row(index: int) -> list[str]:
        texts: list[str] = rows.nth(index).locator("th, td").all_inner_texts()
        return [texts[i] for i in cells.values()]

    assert row(0)[0].startswith("1")
    assert row(0)[1:] == ["3", "0", "1", "2", "new"]
    assert row(1)[1:] == ["2", "2", "1", "1", "1 retro"]
    assert row(2)[1:] == ["1", "1", "0", "1", "2 retros"]
    assert "(live)" in row(2)[0]
    assert_accessible(member, "the trend view")

    # WHEN the owner ticks the last open action off, THEN the open trend view follows
    _action(owner, "Book the offsite").get_by_role("checkbox", name="Done").check()
    live_row = rows.nth(2).locator("td")
    expect(live_row.nth(cells["Done"] - 1)).to_have_text("1")
    expect(live_row.nth(cells["Still open"] - 1)).to_have_text("0")
    expect(live_row.nth(cells["Oldest open action"] - 1)).to_have_text("none open")


def test_the_stage_decides_what_may_be_moved_and_grouped_and_hides_group_titles(
    new_page: Any,
) -> None:
    # GIVEN a board that hides notes while writing, with a group of two notes and a loose one
    owner = new_page()
    url = create_board(owner, "Stages and groups")
    member = open_board(new_page, url)
    set_meeting_settings(owner, hide_while_writing=True, secret_ballot=False)
    first = add_note(owner, "GOOD", "Retro notes were useful")
    second = add_note(owner, "GOOD", "Useful notes again")
    add_note(owner, "GOOD", "A loose one")
    second.drag_to(first.locator(".note-text"))
    expect(_group(member, "GOOD").locator(".group-title")).to_have_text(
        "Retro notes were useful", timeout=LIVE_MS
    )

    # WHEN the facilitator moves to Write: the texts are hidden from the others
    go_to_stage(owner, "Write")

    # THEN the participant sees the group, its title hidden too, its cards face down
    expect(_group(member, "GOOD").locator(".group-title")).to_have_text(
        "Group (title hidden)", timeout=LIVE_MS
    )
    expect(_group(member, "GOOD").locator(".note--face-down")).to_have_count(2)
    # ... and nobody is offered grouping (the server refuses it while texts are hidden), while
    # the author may still move a note (every column is open for writing)
    # (a group's title is text like any other: hidden from its maker too, whose notes show)
    expect(_group(owner, "GOOD").locator(".group-title")).to_have_text("Group (title hidden)")
    expect(note(owner, "GOOD", "Useful notes again")).to_be_visible()
    loose = note(owner, "GOOD", "A loose one")
    expect(column(owner, "GOOD").get_by_role("button", name="Group with…")).to_have_count(0)
    expect(column(owner, "GOOD").get_by_role("button", name="Take out of group")).to_have_count(0)
    expect(loose.get_by_role("button", name="Move to…")).to_be_visible()

    # WHEN the facilitator moves to Vote: the texts are revealed, Good is closed for writing
    go_to_stage(owner, "Vote")

    # THEN the title is back for everyone, grouping is open again, moving out of Good is not
    expect(_group(member, "GOOD").locator(".group-title")).to_have_text(
        "Retro notes were useful", timeout=LIVE_MS
    )
    expect(
        note(member, "GOOD", "A loose one").get_by_role("button", name="Group with…")
    ).to_be_visible()
    expect(loose.get_by_role("button", name="Group with…")).to_be_visible()
    expect(loose.get_by_role("button", name="Move to…")).to_be_hidden()
    assert_accessible(member, "a group in the Vote stage")


def test_the_follow_through_views_are_accessible_in_dark_mode_too(new_page: Any) -> None:
    # GIVEN a board with a group, a done action, a carried one with who takes it, the trend open
    owner = new_page()
    create_board(owner, "Dark follow-through")
    first = add_note(owner, "BAD", "Deploys are slow")
    second = add_note(owner, "BAD", "Deploys fail on Fridays")
    second.drag_to(first.locator(".note-text"))
    expect(_group(owner, "BAD")).to_have_count(1)
    add_note(owner, "ACTION", "Cache the dependencies")
    add_note(owner, "ACTION", "No deploys on Fridays")
    _action(owner, "No deploys on Fridays").get_by_role("checkbox", name="Done").check()
    expect(_action(owner, "No deploys on Fridays")).to_have_class(re.compile(r"\bnote--done\b"))
    cache = _action(owner, "Cache the dependencies")
    cache.get_by_role("button", name="Who takes it?").click()
    cache.get_by_role("textbox", name="Who takes it on").fill("Kim")
    cache.get_by_role("textbox", name="Who takes it on").press("Enter")
    expect(cache.locator('[data-retro="who"]')).to_have_text("Taken by Kim")
    _start_version(owner, 2)
    expect(cache.locator('[data-retro="carried"]')).to_contain_text(f"carried 1{TIMES}")
    add_note(owner, "ACTION", "Done in this one")
    _action(owner, "Done in this one").get_by_role("checkbox", name="Done").check()
    owner.get_by_role("button", name="Trend").click()
    expect(owner.get_by_role("table", name="Counts per version").locator("tbody tr")).to_have_count(
        2
    )

    # WHEN the device prefers dark colours, THEN axe finds nothing, as in light
    assert_accessible(owner, "the follow-through views in light mode")
    owner.emulate_media(color_scheme="dark")
    assert_accessible(owner, "the follow-through views in dark mode")

    # Who is cleared with an empty name
    cache.get_by_role("button", name="Change who").click()
    cache.get_by_role("textbox", name="Who takes it on").fill("")
    cache.get_by_role("textbox", name="Who takes it on").press("Enter")
    expect(cache.locator('[data-retro="who"]')).to_be_hidden()
    expect(cache.get_by_role("button", name="Who takes it?")).to_be_focused()


def test_the_trend_table_on_a_phone_says_it_scrolls_and_scrolls_by_keyboard(
    new_page: Any, artifacts: Path
) -> None:
    # GIVEN a board with two versions, its trend open on a phone (the table is wider than it)
    owner = new_page(viewport={"width": 1280, "height": 800})
    url = create_board(owner, "Wide trend")
    add_note(owner, "ACTION", "Cache the dependencies")
    _start_version(owner, 2)
    phone = open_board(new_page, url, viewport={"width": 390, "height": 844}, touch=True)
    phone.get_by_role("button", name="Versions, export, link").tap()
    phone.get_by_role("button", name="Trend").tap()
    table = phone.get_by_role("table", name="Counts per version")
    expect(table.locator("tbody tr")).to_have_count(2, timeout=LIVE_MS)

    # THEN a line says the table scrolls sideways, and the region that scrolls is named by the
    # caption, described by that line, and takes the keyboard's focus
    region = phone.get_by_role("region", name="Counts per version")
    hint = phone.locator('[data-retro="trend-scroll-hint"]')
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Scroll sideways to see every count →")
    expect(region).to_have_accessible_description("Scroll sideways to see every count")
    frame = region.locator("xpath=..")
    expect(frame).to_have_attribute("data-more", "right")  # its right edge fades out
    region.scroll_into_view_if_needed()
    phone.screenshot(path=artifacts / "trend-phone-table.png")
    assert_accessible(phone, "the trend's table on a phone")
    region.focus()
    expect(region).to_be_focused()

    # WHEN a keyboard scrolls it to its end (arrows: End would scroll the page on, below it)
    for _ in range(30):
        phone.keyboard.press("ArrowRight")

    # THEN the last column is in sight, nothing fades on the right, the versions stay in sight
    # (their headings stand still while the counts scroll) and the left edge shows more
    # (keyboard scrolling is animated: wait for its end, where only the left has more)
    expect(frame).to_have_attribute("data-more", "left", timeout=LIVE_MS)
    assert region.evaluate("(el) => el.scrollLeft") > 0
    expect(table.get_by_role("columnheader", name="Oldest open action")).to_be_in_viewport()
    first = table.locator("tbody th").first
    region_box, heading_box = region.bounding_box(), first.bounding_box()
    assert region_box is not None and heading_box is not None
    assert abs(heading_box["x"] - region_box["x"]) < 1, (region_box, heading_box)
    phone.screenshot(path=artifacts / "trend-phone-table-scrolled.png")
    assert_accessible(phone, "the trend's table on a phone, scrolled")

    # WHEN the board changes meanwhile (the open trend is drawn again), THEN the reader keeps
    # their place: the region keeps the focus and stays scrolled to its end
    add_note(owner, "GOOD", "Written while the trend is read")
    live_good = table.locator("tbody tr").nth(1).locator("td").first
    expect(live_good).to_have_text("1", timeout=LIVE_MS * 2)
    expect(region).to_be_focused()
    expect(frame).to_have_attribute("data-more", "left")

    # On a laptop the table fits: no line, nothing fades
    owner.get_by_role("button", name="Trend").click()
    expect(owner.get_by_role("table", name="Counts per version").locator("tbody tr")).to_have_count(
        2
    )
    expect(owner.locator('[data-retro="trend-scroll-hint"]')).to_be_hidden()
    expect(owner.locator(".table-frame")).to_have_attribute("data-more", "")


def test_a_note_moved_to_another_column_leaves_its_group_for_everyone(new_page: Any) -> None:
    # GIVEN a group of three Good notes, seen by a participant
    owner = new_page()
    url = create_board(owner, "Moving out of a group")
    member = open_board(new_page, url)
    first = add_note(owner, "GOOD", "Pairing helped")
    second = add_note(owner, "GOOD", "Pairing on bugs")
    third = add_note(owner, "GOOD", "Actually a problem")
    second.drag_to(first.locator(".note-text"))
    expect(_group(owner, "GOOD").locator(".note")).to_have_count(2)
    third.drag_to(first.locator(".note-text"))  # onto a grouped card: into its group
    expect(_group(member, "GOOD").locator(".note")).to_have_count(3, timeout=LIVE_MS)

    # WHEN its author moves one of them to Bad
    note(owner, "GOOD", "Actually a problem").get_by_role("button", name="Move to…").click()
    owner.get_by_role("button", name="Move to Bad").click()

    # THEN for both the group keeps two notes and the moved one stands alone in Bad
    for page in (owner, member):
        expect(_group(page, "GOOD").locator(".note")).to_have_count(2, timeout=LIVE_MS)
        moved = note(page, "BAD", "Actually a problem")
        expect(moved).to_have_count(1)
        expect(_group(page, "BAD")).to_have_count(0)
        expect(moved.get_by_role("button", name="Take out of group")).to_be_hidden()


# The client's store on its own, with a fake API answering one board page of three Good notes.
GROUP_STORE = """async () => {
    const { BoardStore } = await import('/js/store.js');
    const note = (id) => ({
        id, boardId: 'b1', versionId: 'v1', column: 'GOOD', text: id, votes: 0,
        createdAt: 't0', updatedAt: 't0', done: false, who: null, carriedFrom: null,
        carriedCount: 0, groupId: null,
    });
    const page = {
        board: {
            id: 'b1', title: 'Fake', createdAt: 't0', updatedAt: 't0',
            settings: {voteBudget: 5, hideWhileWriting: false, secretBallot: false},
            currentVersion: {
                id: 'v1', boardId: 'b1', number: 1, title: null, createdAt: 't0',
                frozenAt: null, stage: 'FREE', textsHidden: false, votesHidden: false,
                timer: null, notes: [note('n1'), note('n2'), note('n3')], groups: [],
            },
            versions: {items: [{id: 'v1', boardId: 'b1', number: 1, title: null,
                                createdAt: 't0', frozenAt: null}], nextToken: null},
        },
        participation: {
            boardId: 'b1', versionId: 'v1', isOwner: false, voteBudget: 5, votesUsed: 0,
            votesLeft: 5, myVotes: [], myNoteIds: [], myNotes: [],
        },
    };
    const api = {requests: 0, request: async () => { api.requests += 1; return page; }};
    const store = new BoardStore(api, 'b1');
    await store.load();
    const group = (noteIds, more = {}) => ({
        id: 'g1', boardId: 'b1', versionId: 'v1', column: 'GOOD', title: 'T', votes: 0,
        noteIds, ...more,
    });
    const state = () => ({
        members: [...store.notes.values()].map((n) => n.groupId),
        groups: [...store.groups.keys()],
        requests: api.requests,
    });
    return {store, group, state};
}"""


def test_the_store_applies_group_frames_as_the_contract_says(new_page: Any) -> None:
    page = new_page()
    steps = page.evaluate(
        f"""async () => {{
            const {{store, group, state}} = await ({GROUP_STORE})();
            const seen = [];
            store.applyGroup(group(['n1', 'n2']));  // made
            seen.push(state());
            store.applyGroup(group(['n2', 'n3'], {{title: 'Renamed'}}));  // n1 left, n3 came
            seen.push([state(), store.groups.get('g1').title]);
            store.applyGroup(group(['n1'], {{boardId: 'b2'}}));  // another board's: ignored
            seen.push(state());
            store.applyGroup(group([]));  // its last note left: gone
            seen.push(state());
            return seen;
        }}"""
    )
    assert steps[0] == {"members": ["g1", "g1", None], "groups": ["g1"], "requests": 1}
    assert steps[1] == [{"members": [None, "g1", "g1"], "groups": ["g1"], "requests": 1}, "Renamed"]
    assert steps[2] == steps[1][0]
    assert steps[3] == {"members": [None, None, None], "groups": [], "requests": 1}
