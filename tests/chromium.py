"""Debian's chromium for the browser tests, launched by Playwright without `playwright install`.

Where chromium is missing the tests skip with a message — unless RETRO_REQUIRE_ALL=1 (CI),
where it is a failure: there the browser tests must run.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

__all__ = ["CHROMIUM_ARGS", "launched_chromium", "missing"]

CHROMIUM = os.environ.get("RETRO_CHROMIUM", "/usr/bin/chromium")
# Headless, and nothing that phones home: this machine's network refuses those connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing(what: str) -> None:
    """Skip (or, in CI, fail) because `what` is missing."""
    if os.environ.get("RETRO_REQUIRE_ALL") == "1":
        pytest.fail(f"{what} (RETRO_REQUIRE_ALL=1: browser tests must run)")
    pytest.skip(f"{what}; install Debian's chromium to run the browser tests")


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """A Playwright Browser on Debian's chromium, closed (with Playwright) on exit.

    Playwright's sync API keeps an event loop running in this thread while it is started:
    keep the `with` block no wider than the tests that need it, or later `asyncio.run` fails.
    """
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        missing(f"chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
