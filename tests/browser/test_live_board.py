"""Two people on one board: what one does appears for the other without a reload."""

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
    vote_count,
    votes_left,
    wait_until,
    wait_until_live,
)

pytestmark = pytest.mark.browser


def test_notes_edits_deletes_and_votes_reach_the_other_person_live(new_page: Any) -> None:
    # GIVEN an owner and a participant on the same board, both live
    owner = new_page()
    url = create_board(owner, "Sprint 14 retro")
    member = open_board(new_page, url)

    # WHEN the owner adds a note, THEN it appears for the participant
    add_note(owner, "GOOD", "Pairing on the flaky tests helped")
    expect(note(member, "GOOD", "Pairing on the flaky tests helped")).to_be_visible(timeout=LIVE_MS)

    # ... and the other way round, in another column
    add_note(member, "BAD", "Deploys took all afternoon")
    expect(note(owner, "BAD", "Deploys took all afternoon")).to_be_visible(timeout=LIVE_MS)

    # The participant may not edit or delete the owner's note (author only), and vice versa
    theirs = note(member, "GOOD", "Pairing on the flaky tests helped")
    expect(theirs.get_by_role("button", name="Edit")).to_be_hidden()
    their_card = note(owner, "BAD", "Deploys took all afternoon")
    expect(their_card.get_by_role("button", name="Edit")).to_be_hidden()

    # WHEN the owner edits the note, THEN the participant sees the new text
    # (by id: while edited, the card's text is in a textbox, not in its text)
    note_id = note(owner, "GOOD", "Pairing on the flaky tests helped").get_attribute("data-note-id")
    mine = owner.locator(f'[data-note-id="{note_id}"]')
    mine.get_by_role("button", name="Edit").click()
    editor = mine.get_by_role("textbox", name="Edit note")
    editor.fill("Pairing on the flaky tests helped a lot")
    editor.press("Enter")
    expect(note(member, "GOOD", "helped a lot")).to_be_visible(timeout=LIVE_MS)
    expect(column(member, "GOOD").locator(".note")).to_have_count(1)

    # WHEN the participant votes for it, THEN the owner sees the vote
    member_card = note(member, "GOOD", "helped a lot")
    member_card.get_by_role("button", name="Vote for this note").click()
    expect(vote_count(member_card)).to_have_text("1")
    expect(vote_count(note(owner, "GOOD", "helped a lot"))).to_have_text("1", timeout=LIVE_MS)

    # WHEN the owner deletes it (two steps), THEN it disappears for the participant
    mine = note(owner, "GOOD", "helped a lot")
    mine.get_by_role("button", name="Delete").click()
    mine.get_by_role("button", name="Really delete?").click()
    expect(column(owner, "GOOD").locator(".note")).to_have_count(0)
    expect(column(member, "GOOD").locator(".note")).to_have_count(0, timeout=LIVE_MS)
    # ... and the participant's vote on it came back to them
    expect(votes_left(member)).to_contain_text("5 of 5 votes left")


def test_vote_budget_stops_at_its_limit(new_page: Any) -> None:
    owner = new_page()
    url = create_board(owner, "Budget check", votes=2)
    member = open_board(new_page, url)
    add_note(owner, "GOOD", "Short standups")
    card = note(member, "GOOD", "Short standups")
    expect(card).to_be_visible(timeout=LIVE_MS)
    vote = card.get_by_role("button", name="Vote for this note")
    unvote = card.get_by_role("button", name="Take back a vote")

    expect(votes_left(member)).to_contain_text("2 of 2 votes left")
    expect(unvote).to_be_disabled()  # nothing to take back yet
    vote.click()
    expect(votes_left(member)).to_contain_text("1 of 2 votes left")
    vote.click()  # dot voting: a second vote on the same note is allowed
    expect(votes_left(member)).to_contain_text("0 of 2 votes left")
    expect(vote_count(card)).to_have_text("2")
    expect(vote).to_be_disabled()
    expect(card.locator(".my-votes")).to_contain_text("●● yours")

    unvote.click()
    expect(votes_left(member)).to_contain_text("1 of 2 votes left")
    expect(vote).to_be_enabled()
    expect(vote_count(note(owner, "GOOD", "Short standups"))).to_have_text("1", timeout=LIVE_MS)


def test_a_vote_over_budget_is_refused_with_the_servers_message(new_page: Any) -> None:
    # GIVEN one person with one vote, on the board in two tabs (same browser, same identity)
    first = new_page()
    url = create_board(first, "Two tabs", votes=1)
    add_note(first, "BAD", "Too many meetings")
    second = first.context.new_page()
    loads: list[str] = []
    answered: list[str] = []

    def board_page(request: Any) -> bool:
        return "BoardPage" in (request.post_data or "")

    second.on("request", lambda r: loads.append(r.url) if board_page(r) else None)
    second.on("requestfinished", lambda r: answered.append(r.url) if board_page(r) else None)
    second.goto(url)
    card_in_second = note(second, "BAD", "Too many meetings")
    expect(card_in_second).to_be_visible()
    wait_until_live(second)
    # The second tab loads twice: on opening, and once subscribed (to close the gap between
    # the two). Both must have been answered (the server has read them) before the first tab
    # votes, or the second one already knows the vote is spent.
    wait_until(second, lambda: len(answered) >= 2, "the second tab's two loads to be answered")
    assert len(loads) == 2
    # WHEN the first tab spends the vote, the second tab still offers it (it has not
    # refetched its budget), and clicking it there is refused by the server
    note(first, "BAD", "Too many meetings").get_by_role("button", name="Vote for this note").click()
    expect(votes_left(first)).to_contain_text("0 of 1 votes left")
    with second.expect_response(lambda r: r.url.endswith("/graphql")) as answer:
        card_in_second.get_by_role("button", name="Vote for this note").click()
    body = answer.value.json()
    assert body["errors"], "the server must refuse a vote over budget"
    # THEN the server's own message is shown, and the count is unchanged
    expect(second.get_by_role("alert")).to_contain_text(body["errors"][0]["message"])
    expect(vote_count(card_in_second)).to_have_text("1")


def test_most_votes_first_reorders_each_column_and_remembers_it(new_page: Any) -> None:
    page = new_page()
    create_board(page, "Ordering")
    for text in ("First written", "Second written", "Third written"):
        add_note(page, "BAD", text)
    third = note(page, "BAD", "Third written")
    third.get_by_role("button", name="Vote for this note").click()
    expect(vote_count(third)).to_have_text("1")
    texts = column(page, "BAD").locator(".note-text")
    expect(texts).to_have_text(["First written", "Second written", "Third written"])

    toggle = page.get_by_role("button", name="Most votes first")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(texts).to_have_text(["Third written", "First written", "Second written"])
    page.reload()
    expect(texts).to_have_text(["Third written", "First written", "Second written"])
    page.get_by_role("button", name="Most votes first").click()
    expect(texts).to_have_text(["First written", "Second written", "Third written"])
