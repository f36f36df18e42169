"""`retro serve --demo`: a board to look at, made through the API itself.

The only Retro-specific module of the local server. It seeds by running GraphQL mutations
through the engine — the same path a client takes (API key for `createUser`, then the user's
token through the authorizer) — so the demo exercises the real handlers and writes nothing
directly to the table. With a data directory the board is made once and found again at the
next start (`exists`), so restarts do not pile up demo boards.
"""

import json
from typing import Any
from urllib.parse import quote

from appsync_local.engine import Engine
from appsync_local.errors import RequestError
from resolvers.authorizer import ANONYMOUS_TOKEN

__all__ = ["DemoError", "exists", "explain", "seed"]

_NOTES = (
    ("GOOD", "Pairing on the release checklist saved us a day"),
    ("GOOD", "Standups stayed under ten minutes"),
    ("BAD", "The staging deploy broke twice"),
    ("BAD", "Too many meetings on Thursday"),
    ("ACTION", "Automate the staging smoke test"),
    ("ACTION", "Move the planning meeting to Monday"),
)


class DemoError(RuntimeError):
    """Seeding failed: the API answered with errors (shown)."""


async def _run(
    engine: Engine, headers: dict[str, str], query: str, variables: dict[str, Any]
) -> Any:
    caller = await engine.authenticator.authenticate(headers, query=query, variables=variables)
    result = await engine.execute(query, variables, None, caller, headers)
    if result.get("errors"):
        messages = "; ".join(str(e.get("message")) for e in result["errors"])
        raise DemoError(f"seeding the demo board failed: {messages}")
    return result["data"]


async def seed(engine: Engine) -> tuple[str, str]:
    """Create a user, a board with notes in each column and a few votes; (board id, token)."""
    data = await _run(
        engine,
        {"authorization": ANONYMOUS_TOKEN},
        "mutation($name: String) { createUser(name: $name) { token user { id } } }",
        {"name": "Demo facilitator"},
    )
    token = data["createUser"]["token"]
    user = {"authorization": token}
    data = await _run(
        engine,
        user,
        "mutation($input: CreateBoardInput!) { createBoard(input: $input) { id } }",
        {"input": {"title": "Demo retro", "settings": {"voteBudget": 5}}},
    )
    board = data["createBoard"]["id"]
    notes: list[str] = []
    for column, text in _NOTES:
        data = await _run(
            engine,
            user,
            "mutation($input: AddNoteInput!) { addNote(input: $input) { id boardId } }",
            {"input": {"boardId": board, "column": column, "text": text}},
        )
        notes.append(data["addNote"]["id"])
    for note in (notes[0], notes[0], notes[2], notes[4]):
        await _run(
            engine,
            user,
            "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { id boardId votes } }",
            {"b": board, "n": note},
        )
    return board, token


async def exists(engine: Engine, board: str, token: str) -> bool:
    """Whether the board is still there and the token still its user's (kept data)."""
    try:
        data = await _run(
            engine,
            {"authorization": token},
            "query($id: ID!) { board(id: $id) { id } }",
            {"id": board},
        )
    except (DemoError, RequestError):  # the token is unknown, or the data was cleared
        return False
    return bool(data.get("board"))


def explain(url: str, board: str, token: str) -> list[str]:
    """The banner's demo lines: the link to share, the link to open as the board's owner, and
    what the token is and how to use it."""
    # The browser client keeps its user's token in localStorage under this key
    # (client/js/api.js); a test holds the two equal.
    storage_key = f"retro.token:{url}/graphql"
    # A URL fragment never reaches a server: the client takes the token from it once, on this
    # machine only, and removes it from the address bar (client/js/handover.js).
    owner_link = f"{url}/#/board/{board}?owner={quote(token, safe='')}"
    return [
        f"  demo board {url}/#/board/{board}",
        "             share this link: whoever opens it joins as a participant (a new user).",
        f"  as owner   {owner_link}",
        "             opens the board in your browser as its owner, the demo facilitator:",
        "             settings, stages, timer, new versions. It works on this machine only,",
        "             and the token leaves the address bar at once. Keep this link to yourself.",
        f"  demo token {token}",
        "             the demo facilitator's token: the user who owns the demo board.",
        f'             In GraphiQL ({url}/graphiql), add the header {{"Authorization": "{token}"}}',
        "             Or, in a browser tab's console on this page, then reload:",
        f"             localStorage.setItem({json.dumps(storage_key)}, {json.dumps(token)})",
    ]
