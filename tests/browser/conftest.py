"""Fixtures for the browser tests: a running `retro serve`, Debian's chromium, and pages.

The tests drive the real client in a real browser against the real local server over real
sockets. Chromium is Debian's (`/usr/bin/chromium`), launched by Playwright's bundled driver
without `playwright install`. Without chromium the tests skip, unless RETRO_REQUIRE_ALL=1
(CI), where a missing browser is a failure.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("RETRO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _missing(what: str) -> None:
    if os.environ.get("RETRO_REQUIRE_ALL") == "1":
        pytest.fail(f"{what} (RETRO_REQUIRE_ALL=1: browser tests must run)")
    pytest.skip(f"{what}; install Debian's chromium to run the browser tests")


@dataclass(frozen=True)
class Server:
    """A running local server: where the client is, and the public API key."""

    base_url: str
    api_key: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _config(base_url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"{base_url}/config.json", timeout=1) as response:
            config: dict[str, Any] = json.load(response)
            return config
    except OSError:
        return None


@pytest.fixture(scope="session")
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """The local server, started once for the session as `retro serve` on a free port."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "retro.cli", "serve", "--port", str(port)]
    log = ARTIFACTS / "browser-server.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        config = None
        while config is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            config = _config(base_url)
        if config is None:
            pytest.fail(f"`retro serve` did not start; see {log}:\n{log.read_text()[-2000:]}")
        yield Server(base_url=base_url, api_key=config["apiKey"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        _missing(f"chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


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

    def open_page(path: str = "/#/", viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(viewport=viewport or DESKTOP, accept_downloads=True)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)
        contexts.append(context)
        page = context.new_page()
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
