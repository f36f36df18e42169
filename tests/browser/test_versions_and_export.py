"""Owner controls, versions (live and frozen), and export as a downloaded file."""

import json
from pathlib import Path
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
)

pytestmark = pytest.mark.browser


def test_a_participant_sees_no_owner_controls_and_the_server_refuses_them(
    new_page: Any,
) -> None:
    owner = new_page()
    url = create_board(owner, "Owner only")
    member = open_board(new_page, url)

    expect(owner.get_by_role("button", name="Board settings")).to_be_visible()
    expect(owner.get_by_role("button", name="Start new version")).to_be_visible()
    expect(member.get_by_role("button", name="Board settings")).to_have_count(0)
    expect(member.get_by_role("button", name="Start new version")).to_have_count(0)

    # Hidden is not enough: the same request from the participant's identity is refused.
    board_id = url.rsplit("/", 1)[1]
    answer = graphql_as(
        member,
        "mutation($i: UpdateBoardInput!) { updateBoard(input: $i) { id title } }",
        {"i": {"id": board_id, "title": "Taken over"}},
    )
    assert answer["errors"], json.dumps(answer)
    assert answer["errors"][0]["errorType"] not in {"UnauthorizedException", "UnauthorizedError"}
    owner.reload()
    expect(owner.locator("h1.board-title")).to_have_text("Owner only")


def test_the_board_link_is_copied_with_one_click(new_page: Any) -> None:
    owner = new_page()
    url = create_board(owner, "Share me")
    owner.get_by_role("button", name="Copy link").click()
    expect(owner.get_by_role("button", name="Link copied")).to_be_visible()
    assert owner.evaluate("navigator.clipboard.readText()") == url
    # ... and the link is the way in, for someone else
    member = open_board(new_page, url)
    expect(member.locator("h1.board-title")).to_have_text("Share me")


def test_the_owner_renames_the_board_and_everyone_sees_it(new_page: Any) -> None:
    owner = new_page()
    url = create_board(owner, "Working title")
    member = open_board(new_page, url)
    owner.get_by_role("button", name="Board settings").click()
    dialog = owner.get_by_role("dialog", name="Board settings")
    dialog.get_by_label("Board title").fill("Team Falcon retro")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    expect(owner.locator("h1.board-title")).to_have_text("Team Falcon retro")
    expect(member.locator("h1.board-title")).to_have_text("Team Falcon retro", timeout=LIVE_MS)


def test_a_blank_title_in_the_settings_is_refused_at_the_field(new_page: Any) -> None:
    owner = new_page()
    create_board(owner, "Keep my name")
    sent: list[str] = []
    owner.on(
        "request",
        lambda request: sent.append(request.post_data or "") if request.method == "POST" else None,
    )
    owner.get_by_role("button", name="Board settings").click()
    dialog = owner.get_by_role("dialog", name="Board settings")
    title = dialog.get_by_label("Board title")
    # WHEN the owner saves a title of spaces (which `required` lets through)
    title.fill("   ")
    dialog.get_by_role("button", name="Save").click()
    # THEN the field says what is missing, the dialog stays open, and nothing was sent (it used
    # to show the server's "title: must not be empty" under the delete button)
    expect(title).to_be_focused()
    assert title.evaluate("(input) => input.validationMessage") == "Give the board a title."
    expect(dialog.locator(".dialog-error")).to_be_empty()
    assert not [body for body in sent if "updateBoard" in body]
    # WHEN they type a title, THEN it saves
    title.fill("A better name")
    assert title.evaluate("(input) => input.validationMessage") == ""
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    expect(owner.locator("h1.board-title")).to_have_text("A better name")


def test_a_new_version_carries_actions_over_and_the_participant_follows(new_page: Any) -> None:
    # GIVEN a board with a good note and an open action, seen by a participant
    owner = new_page()
    url = create_board(owner, "Sprint board")
    add_note(owner, "GOOD", "Demo went smoothly")
    add_note(owner, "ACTION", "Write the deploy runbook")
    member = open_board(new_page, url)
    expect(note(member, "ACTION", "Write the deploy runbook")).to_be_visible()

    # WHEN the owner starts version 2
    owner.get_by_role("button", name="Start new version").click()
    dialog = owner.get_by_role("dialog", name="Start a new version")
    dialog.get_by_label("Name (optional)").fill("Sprint 15")
    dialog.get_by_role("button", name="Start version 2").click()

    # THEN both are on version 2: good notes stay behind, the action is carried over
    for page in (owner, member):
        select = page.get_by_label("Version", exact=True)
        expect(select.locator("option:checked")).to_have_text(
            "Version 2 — Sprint 15 (live)", timeout=LIVE_MS
        )
        expect(column(page, "GOOD").locator(".note")).to_have_count(0, timeout=LIVE_MS)
        expect(note(page, "ACTION", "Write the deploy runbook")).to_be_visible()
    # The participant still can add to the live version
    add_note(member, "GOOD", "New sprint, new notes")
    expect(note(owner, "GOOD", "New sprint, new notes")).to_be_visible(timeout=LIVE_MS)

    # WHEN the participant looks at version 1, THEN it is there, frozen and read-only
    member.get_by_label("Version", exact=True).select_option("1")
    expect(member.get_by_role("note")).to_contain_text("Version 1 is frozen")
    expect(note(member, "GOOD", "Demo went smoothly")).to_be_visible()
    expect(member.locator('[data-retro="composer-GOOD"]')).to_be_hidden()
    expect(member.get_by_role("button", name="Vote for this note")).to_have_count(0)
    expect(member.get_by_role("button", name="Edit")).to_have_count(0)
    assert member.url.endswith("/v/1")

    # ... and the way back leads to the live version
    member.get_by_role("link", name="Back to live version 2").click()
    expect(note(member, "GOOD", "New sprint, new notes")).to_be_visible()
    expect(member.locator('[data-retro="composer-GOOD"]')).to_be_visible()


def _download(page: Any, button: str, into: Path) -> str:
    with page.expect_download() as info:
        page.get_by_role("group", name="Export this version").get_by_role(
            "button", name=button
        ).click()
    target = into / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_text(encoding="utf-8")


def test_export_downloads_the_version_as_markdown_and_csv(new_page: Any, tmp_path: Path) -> None:
    owner = new_page()
    create_board(owner, "Export me")
    add_note(owner, "GOOD", "Clear sprint goal")
    add_note(owner, "BAD", "Flaky CI, again")
    add_note(owner, "ACTION", "Quarantine flaky tests")

    markdown = _download(owner, "Markdown", tmp_path)
    for text in ("Export me", "Clear sprint goal", "Flaky CI, again", "Quarantine flaky tests"):
        assert text in markdown
    assert (tmp_path / "export-me-v1.md").exists()

    csv = _download(owner, "CSV", tmp_path)
    assert "Clear sprint goal" in csv
    assert '"Flaky CI, again"' in csv  # a comma inside the text is quoted
    assert (tmp_path / "export-me-v1.csv").exists()

    # An older version exports too, from its read-only view
    owner.get_by_role("button", name="Start new version").click()
    owner.get_by_role("dialog").get_by_role("button", name="Start version 2").click()
    expect(column(owner, "GOOD").locator(".note")).to_have_count(0)
    owner.get_by_label("Version", exact=True).select_option("1")
    expect(note(owner, "GOOD", "Clear sprint goal")).to_be_visible()
    older = _download(owner, "Markdown", tmp_path)
    assert "Clear sprint goal" in older
    assert (tmp_path / "export-me-v1.md").exists()


def test_deleting_the_board_tells_everyone_and_a_dead_link_says_so(new_page: Any) -> None:
    owner = new_page()
    url = create_board(owner, "Short-lived")
    member = open_board(new_page, url)
    owner.get_by_role("button", name="Board settings").click()
    dialog = owner.get_by_role("dialog", name="Board settings")
    dialog.get_by_role("button", name="Delete board…").click()
    dialog.get_by_role("button", name="Delete for everyone").click()
    # The owner lands on the start page, the participant is told, live
    expect(owner.get_by_role("heading", name="Start a retro")).to_be_visible()
    expect(member.get_by_role("heading", name="This board was deleted")).to_be_visible(
        timeout=LIVE_MS
    )
    # Opening the link afterwards explains instead of spinning
    later = new_page(url[url.index("/#/") :])
    expect(later.get_by_role("heading", name="This board doesn't exist")).to_be_visible()


def test_a_deleted_board_does_not_say_live(new_page: Any) -> None:
    owner = new_page()
    url = create_board(owner, "Gone soon")
    member = open_board(new_page, url)
    status = member.get_by_role("status").filter(has_text="Live")
    expect(status).to_be_visible()
    owner.get_by_role("button", name="Board settings").click()
    dialog = owner.get_by_role("dialog", name="Board settings")
    dialog.get_by_role("button", name="Delete board…").click()
    dialog.get_by_role("button", name="Delete for everyone").click()
    # The page that says the board was deleted no longer says "Live" beside it
    expect(member.get_by_role("heading", name="This board was deleted")).to_be_visible(
        timeout=LIVE_MS
    )
    expect(member.locator('[data-retro="connection"]')).to_be_hidden()
    # ... nor does a dead link, opened later
    later = new_page(url[url.index("/#/") :])
    expect(later.get_by_role("heading", name="This board doesn't exist")).to_be_visible()
    expect(later.locator('[data-retro="connection"]')).to_be_hidden()
    # ... and a live board shows it again, in the same tab
    member.goto(create_board(owner, "Still here"))
    expect(member.locator('[data-retro="connection"]')).to_have_attribute("data-state", "live")
    expect(member.locator('[data-retro="connection"]')).to_be_visible()


def test_the_owner_of_an_empty_board_is_shown_how_the_team_gets_in(new_page: Any) -> None:
    # GIVEN a facilitator's new board: nobody else is there until they share its link
    owner = new_page()
    url = create_board(owner, "First retro")
    invite = owner.locator('[data-retro="invite"]')
    expect(invite).to_contain_text("Your team joins with this board's link")
    # WHEN they copy it from there, THEN the clipboard holds the board's link
    invite.get_by_role("button", name="Copy the link").click()
    expect(invite.get_by_role("button", name="Link copied")).to_be_visible()
    assert owner.evaluate("navigator.clipboard.readText()") == url
    # A participant is not asked to invite anyone
    member = open_board(new_page, url)
    expect(member.locator('[data-retro="invite"]')).to_be_hidden()
    # ... and once the board has notes, the owner is not asked either
    add_note(member, "GOOD", "Glad we do this")
    expect(invite).to_be_hidden(timeout=LIVE_MS)
