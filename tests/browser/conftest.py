"""Fixtures for the browser tests: a running `retro serve`, Debian's chromium, and pages.

The tests drive the real client in a real browser against the real local server over real
sockets. Chromium is Debian's (`/usr/bin/chromium`), launched by Playwright's bundled driver
without `playwright install`. Without chromium the tests skip, unless RETRO_REQUIRE_ALL=1
(CI), where a missing browser is a failure.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import launched_chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Server:
    """A running local server: where the client is."""

    base_url: str


@pytest.fixture(scope="session")
def server(live_server: Any) -> Server:
    """The shared `live_server` (tests/conftest.py): `retro serve` with the client at `/`."""
    return Server(base_url=live_server.url.rstrip("/"))


# Package scope, not session: while Playwright's sync API is started it keeps an event loop
# running in the main thread, and every later test calling asyncio.run() would fail.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    with launched_chromium() as launched:
        yield launched


@dataclass
class Watch:
    """What a page did that it must not: requests leaving the server, uncaught errors."""

    base_url: str
    foreign_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def on_request(self, request: Any) -> None:
        url: str = request.url
        if not url.startswith((self.base_url, "ws://127.0.0.1", "data:", "blob:")):
            self.foreign_requests.append(url)


@pytest.fixture
def watch(server: Server) -> Watch:
    return Watch(base_url=server.base_url)


@pytest.fixture
def new_page(browser: Any, server: Server, watch: Watch) -> Iterator[Callable[..., Any]]:
    """Opens the client in a new browser context (a new person: own storage, own token).

    Every page is watched: at the end of the test, none may have requested anything outside
    the local server or thrown an uncaught error.
    """
    contexts: list[Any] = []

    def open_page(
        path: str = "/#/",
        viewport: dict[str, int] | None = None,
        before: Callable[[Any], None] | None = None,
        touch: bool = False,
    ) -> Any:
        # touch: a phone as people hold it (touch events, a mobile viewport), for tap()
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            accept_downloads=True,
            has_touch=touch,
            is_mobile=touch,
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)
        contexts.append(context)
        page = context.new_page()
        if before is not None:
            before(page)  # e.g. routes that must exist before the first request
        page.on("request", watch.on_request)
        page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
        page.goto(server.base_url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert watch.foreign_requests == []
    assert watch.page_errors == []


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
