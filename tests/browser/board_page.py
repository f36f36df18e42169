"""What a person does on the client, in the client's own words (labels, buttons, columns).

Locators go through roles and labels where the client exposes them, so these helpers also
check that the controls are labelled for assistive technology.
"""

import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

# A bound on waiting for something that should happen "live", not a timed assertion: the
# client polls nothing, so only a frame (or a reconnect's catch-up) can show it. `make test`
# runs two workers, each with its server and browser, on CI's 2 cores: a frame has been seen
# to take just over 2 s there, so the bound is 5 s (Playwright's own default).
LIVE_MS = 5000
COLUMN_CLASS = {"GOOD": "column--good", "BAD": "column--bad", "ACTION": "column--action"}


def create_board(page: Any, title: str, votes: int | None = None) -> str:
    """Creates a board from the start page and returns its URL once it is shown."""
    page.get_by_label("Board title").fill(title)
    if votes is not None:
        page.get_by_label("Votes per person").fill(str(votes))
    page.get_by_role("button", name="Create board").click()
    expect(page.locator("h1.board-title")).to_have_text(title)
    wait_until_live(page)
    url: str = page.url
    assert "#/board/" in url
    return url


def open_board(new_page: Any, url: str, **kwargs: Any) -> Any:
    """Opens a board link in a new browser context (another person) and waits until live."""
    path = url[url.index("/#/") :]
    page = new_page(path, **kwargs)
    expect(page.locator("h1.board-title")).not_to_be_empty()
    wait_until_live(page)
    return page


def wait_until_live(page: Any) -> None:
    """Subscribed and synced: from here on, others' changes arrive without reload."""
    expect(page.locator('[data-retro="connection"]')).to_have_attribute("data-state", "live")


def wait_until(
    page: Any, condition: Callable[[], bool], what: str, timeout_ms: int = LIVE_MS
) -> None:
    """Until `condition()` holds, or fails naming `what`. For what only the test's own
    listeners see (requests sent, routes answered): no wait inside the page can observe it."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what} after {timeout_ms} ms"
        # A poll tick, not a wait for something to happen: Playwright delivers the page's
        # events to the test's listeners only while the test is inside one of its calls.
        page.wait_for_timeout(20)


def column(page: Any, name: str) -> Any:
    return page.locator(f".{COLUMN_CLASS[name]}")


def note(page: Any, name: str, text: str) -> Any:
    return column(page, name).locator(".note", has_text=text)


def show_column(page: Any, name: str) -> None:
    """On a phone the columns are tabs: taps the column's tab (nothing to do on a desktop)."""
    tab = page.locator(f'[data-retro="tab-{name}"]')
    if tab.is_visible():
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")


def add_note(page: Any, name: str, text: str) -> Any:
    """Types a note into a column's composer and presses Enter; returns its card."""
    show_column(page, name)
    composer = page.locator(f'[data-retro="composer-{name}"]')
    composer.fill(text)
    composer.press("Enter")
    card = note(page, name, text)
    expect(card).to_have_count(1)
    expect(composer).to_have_value("")
    return card


def votes_left(page: Any) -> Any:
    return page.locator('[data-retro="votes-left"]')


def vote_count(card: Any) -> Any:
    return card.locator(".vote-count")


TOKEN_KEY_JS = "'retro.token:' + new URL(config.graphqlUrl, location.href).href"


def token_key(page: Any) -> str:
    """The localStorage key under which the client keeps the person's token."""
    key: str = page.evaluate(
        f"async () => {{ const config = await (await fetch('/config.json')).json();"
        f" return {TOKEN_KEY_JS}; }}"
    )
    return key


def graphql_as(page: Any, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Sends a GraphQL request from the page with the person's own token, as a script could."""
    answer: dict[str, Any] = page.evaluate(
        f"""async ([query, variables]) => {{
            const config = await (await fetch('/config.json')).json();
            const response = await fetch(config.graphqlUrl, {{
                method: 'POST',
                headers: {{'content-type': 'application/json',
                          Authorization: localStorage.getItem({TOKEN_KEY_JS})}},
                body: JSON.stringify({{query, variables}}),
            }});
            return response.json();
        }}""",
        [query, variables],
    )
    return answer
