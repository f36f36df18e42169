"""A tab left open while `retro serve` restarts (issue 15: "the client tells the person what
happened when the server no longer knows them").

- On the default, persistent data directory the server keeps its users and boards: the open
  tab reconnects on its own and live updates arrive again, without a reload.
- With `--in-memory` the restarted server knows neither this browser's user nor the board: the
  tab stops retrying the refused token (after the tries a token that worked is owed), becomes a
  new participant and says plainly that the server no longer knows this board, with the way
  forward (a new board from the start page) — instead of "Reconnecting…" for ever.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from resolvers.authorizer import ANONYMOUS_TOKEN
from tests.browser.board_page import create_board, note

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# What the client's own addNote selects: subscribers get the mutation's selection (AppSync).
NOTE_FIELDS = " ".join(
    re.search(r"const NOTE_FIELDS = `([^`]*)`", (ROOT / "client/js/operations.js").read_text())
    .group(1)
    .split()  # type: ignore[union-attr]
)
# A bound on the reconnect: the client's backoff (1, 2, 4, 8 s ...) while the server restarts,
# plus ~10 s of tries for a refused token that worked. Not a timing assertion.
RECOVERY_MS = 90_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _serve(port: int, *args: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`retro serve` on this port, ready; stopped (SIGTERM) at the end."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("RETRO_DYNAMODB_ENDPOINT", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "retro_tools.cli", "serve", "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    url, lines, deadline = "", [], time.monotonic() + 60
    while time.monotonic() < deadline and not url:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Retro is ready at "):
            url = line.split()[-1]
    try:
        assert url, "no ready line:\n" + "".join(lines)
        _warm_up(url)
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _warm_up(url: str) -> None:
    """A fresh process pays its one-time costs on its first requests (a first createUser took
    0.5-2.3 s at load 12, when the next took 0.02 s): paid here, under _serve's own bound, they
    do not eat into the 5 s the client's first board gets (two xdist workers at load ~20: a
    fresh server's first board was still loading after 5 s). Someone else's user and board:
    the tests' browser knows neither."""
    someone = _call(url, 'mutation { createUser(name: "W") { token } }', {}, ANONYMOUS_TOKEN)
    token = someone["createUser"]["token"]
    create = "mutation($i: CreateBoardInput!) { createBoard(input: $i) { id } }"
    board = _call(url, create, {"i": {"title": "Warm-up"}}, token)["createBoard"]["id"]
    page = (
        "query($id: ID!) { board(id: $id) { id title currentVersion { id stage notes { id } }"
        " versions(limit: 5) { items { id } } } participation(boardId: $id) { votesLeft } }"
    )
    _call(url, page, {"id": board}, token)


def _call(url: str, query: str, variables: dict[str, Any], token: str) -> Any:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=json.dumps({"query": query, "variables": variables}).encode(),
        headers={"content-type": "application/json", "authorization": token},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        body = json.loads(answer.read())
    assert not body.get("errors"), body
    return body["data"]


def _connection(page: Any) -> Any:
    return page.locator('[data-retro="connection"]')


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_a_restart_on_the_data_directory_is_survived_without_a_reload(
    tab: Any, tmp_path: Path
) -> None:
    port, data = _free_port(), str(tmp_path / "data")
    with _serve(port, "--data-dir", data) as (url, first):
        tab.goto(f"{url}/#/")
        board_url = create_board(tab, "Before the restart")
        board = board_url.split("#/board/")[1]
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=30) == 0
        expect(_connection(tab)).not_to_have_attribute("data-state", "live")

    with _serve(port, "--data-dir", data) as (url, _second):
        expect(_connection(tab)).to_have_attribute("data-state", "live", timeout=RECOVERY_MS)
        # Someone else writes on the board: it arrives in the tab live, with no reload.
        other = _call(url, 'mutation { createUser(name: "O") { token } }', {}, ANONYMOUS_TOKEN)
        _call(
            url,
            f"mutation($i: AddNoteInput!) {{ addNote(input: $i) {{ {NOTE_FIELDS} }} }}",
            {"i": {"boardId": board, "column": "GOOD", "text": "after the restart"}},
            other["createUser"]["token"],
        )
        expect(note(tab, "GOOD", "after the restart")).to_have_count(1, timeout=RECOVERY_MS)
        assert tab.url == board_url  # the same page: never reloaded
        expect(
            tab.get_by_role("heading", name="The server no longer knows this board")
        ).to_have_count(0)


def test_a_server_that_forgot_everything_says_so_and_offers_a_new_board(tab: Any) -> None:
    port = _free_port()
    with _serve(port, "--in-memory") as (url, first):
        tab.goto(f"{url}/#/")
        create_board(tab, "Forgotten retro")
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=30) == 0

    with _serve(port, "--in-memory") as (url, _second):
        heading = tab.get_by_role("heading", name="The server no longer knows this board")
        expect(heading).to_be_visible(timeout=RECOVERY_MS)
        expect(tab.get_by_text("no longer knows this browser", exact=False).first).to_be_visible()
        # The way forward: a new board, as the new participant this browser now is.
        tab.get_by_role("link", name="Start a new board").click()
        create_board(tab, "A fresh start")
        expect(_connection(tab)).to_have_attribute("data-state", "live")
