"""The client under ambiguous answers: a write sent again is done once, and a token that worked
is not given up at the first 401.

The network between the browser and the real local server is cut or rewritten with Playwright
routes: a write reaches the server and its answer is lost, or replaced by the error a busy
backend gives. The client sends it again with the same clientRequestId, and the server, which
did it once, answers it as done.
"""

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.board_page import (
    add_note,
    create_board,
    note,
    open_board,
    token_key,
    vote_count,
    votes_left,
    wait_until,
)

pytestmark = pytest.mark.browser

UNAVAILABLE = {"data": None, "errors": [{"errorType": "UnavailableError", "message": "busy"}]}
REFUSED = {
    "errors": [
        {
            "errorType": "UnauthorizedException",
            "message": "You are not authorized to make this call.",
        }
    ]
}
# Waiting for the client's pauses between tries (0.8 s, then 2 s; 1 s, then 3 s after a 401).
RETRY_MS = 8000


class Writes:
    """Requests of one operation (by name) seen on the page, and what the route did to each."""

    def __init__(self, operation: str, spoil: int, answer: str) -> None:
        self.operation = operation
        self.spoil = spoil  # how many of them get a spoiled answer
        self.answer = answer  # "lost" (the connection drops) or "unavailable"
        self.sent: list[dict[str, Any]] = []

    def wait_for(self, count: int, page: Any) -> None:
        """Until `count` of them were sent and answered (the client pauses between tries)."""
        wait_until(page, lambda: len(self.sent) >= count, f"{count} {self.operation}", RETRY_MS)
        page.wait_for_load_state("networkidle")

    def route(self, route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        if f" {self.operation}(" not in body.get("query", "")[:60]:
            route.continue_()
            return
        self.sent.append(body["variables"])
        if len(self.sent) > self.spoil:
            route.continue_()
            return
        route.fetch()  # the server does it...
        if self.answer == "lost":  # ...and the answer never comes back
            route.abort("connectionreset")
        else:  # ...and the answer says the backend was busy
            route.fulfill(status=200, content_type="application/json", body=json.dumps(UNAVAILABLE))


def test_a_vote_whose_answer_was_lost_counts_once(new_page: Any) -> None:
    owner = new_page()
    url = create_board(owner, "Lost answers", votes=3)
    add_note(owner, "GOOD", "Vote once")
    writes = Writes("Vote", spoil=2, answer="lost")
    member = open_board(new_page, url, before=lambda page: page.route("**/graphql", writes.route))
    card = note(member, "GOOD", "Vote once")
    card.get_by_role("button", name="Vote for this note").click()
    writes.wait_for(3, member)  # the third try is sent ~2.8 s after the first
    expect(votes_left(member)).to_contain_text("2 of 3 votes left")
    expect(vote_count(card)).to_have_text("1")
    expect(vote_count(note(owner, "GOOD", "Vote once"))).to_have_text("1")
    # three tries, one key: the server spent one vote
    assert len(writes.sent) == 3
    assert len({sent["clientRequestId"] for sent in writes.sent}) == 1
    member.reload()
    expect(votes_left(member)).to_contain_text("2 of 3 votes left")


def test_a_note_answered_unavailable_after_it_was_added_is_added_once(new_page: Any) -> None:
    writes = Writes("AddNote", spoil=1, answer="unavailable")
    page = new_page(before=lambda p: p.route("**/graphql", writes.route))
    create_board(page, "Busy backend")
    add_note(page, "ACTION", "Only once")  # shown at once: the server's event
    writes.wait_for(2, page)
    expect(page.locator(".note")).to_have_count(1)
    keys = [sent["input"]["clientRequestId"] for sent in writes.sent]
    assert len(keys) == 2 and keys[0] == keys[1]
    page.reload()
    expect(note(page, "ACTION", "Only once")).to_have_count(1)
    expect(page.locator(".note")).to_have_count(1)
    # a new write gets a new key
    add_note(page, "ACTION", "Another")
    assert writes.sent[-1]["input"]["clientRequestId"] not in keys


def test_a_401_for_a_token_that_worked_keeps_the_identity(new_page: Any) -> None:
    """The authorizer could not check the token (the database was busy): 401 twice. The client
    keeps the token, tries again, and the person is still the author of their notes."""
    page = new_page()
    create_board(page, "Keep me")
    add_note(page, "GOOD", "Written before")
    key = token_key(page)
    token = page.evaluate("key => localStorage.getItem(key)", key)
    refused: list[str] = []

    def refuse_twice(route: Any) -> None:
        if len(refused) < 2:
            refused.append(route.request.headers.get("authorization", ""))
            route.fulfill(status=401, content_type="application/json", body=json.dumps(REFUSED))
        else:
            route.continue_()

    page.route("**/graphql", refuse_twice)
    composer = page.locator('[data-retro="composer-GOOD"]')
    composer.fill("Written through the 401s")
    composer.press("Enter")
    expect(note(page, "GOOD", "Written through")).to_have_count(1, timeout=RETRY_MS)
    assert refused == [token, token]
    assert page.evaluate("key => localStorage.getItem(key)", key) == token
    page.unroute("**/graphql")
    page.reload()
    for text in ("Written before", "Written through the 401s"):
        expect(note(page, "GOOD", text).get_by_role("button", name="Edit")).to_be_visible()
