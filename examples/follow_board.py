"""Follow a board live: print its notes, then every change as it happens.

    python examples/follow_board.py BOARD_ID
    python examples/follow_board.py BOARD_ID --max-events 10 --duration 600

Speaks AppSync's realtime WebSocket protocol with gql's `AppSyncWebsocketsTransport`, the user
token going in the `Authorization` header (`AppSyncJWTAuthentication` sends any token there).
The realtime endpoint is derived from the GraphQL URL; give `--realtime-url` (env
RETRO_REALTIME_URL) for a custom domain, or use `terraform output realtime_url`.

Order matters for not missing a note: after checking the token and the board over HTTP, this
script subscribes, waits until the API has acknowledged every subscription, and only then
reads the board's notes — so a note added meanwhile shows up in the read, in an event, or in
both (printed once).
"""

import argparse
import asyncio
import os
import sys
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from gql import Client, GraphQLRequest
from gql.transport.appsync_auth import AppSyncJWTAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport
from gql.transport.exceptions import TransportQueryError
from retro_api import (
    ApiError,
    Connection,
    add_connection_arguments,
    call,
    main_wrapper,
    realtime_url,
)

BOARD = """
query Board($id: ID!) {
  board(id: $id) {
    title
    currentVersion { number notes { id column text votes } }
  }
}
"""

# Subscribers receive the fields the *mutation* selected; a field it did not select is null.
# The browser client and the examples select all of these, other clients may not.
SUBSCRIPTIONS: dict[str, str] = {
    "onNoteAdded": """subscription ($id: ID!) {
      onNoteAdded(boardId: $id) { id column text votes } }""",
    "onNoteUpdated": """subscription ($id: ID!) {
      onNoteUpdated(boardId: $id) { id column text votes } }""",
    "onNoteDeleted": """subscription ($id: ID!) {
      onNoteDeleted(boardId: $id) { id column text } }""",
    "onVersionStarted": """subscription ($id: ID!) {
      onVersionStarted(boardId: $id) { number title } }""",
    "onBoardUpdated": """subscription ($id: ID!) {
      onBoardUpdated(id: $id) { title settings { voteBudget } } }""",
    "onBoardDeleted": """subscription ($id: ID!) {
      onBoardDeleted(id: $id) { id } }""",
}

# AppSync promises a keep-alive ("ka") within the connectionTimeoutMs of its connection_ack
# (5 minutes); a silent connection for longer than that is a dead one.
KEEP_ALIVE_SECONDS = 300
ACK_SECONDS = 10


class AcknowledgedTransport(AppSyncWebsocketsTransport):
    """gql's AppSync transport, counting the `start_ack` of each subscription.

    AppSync delivers events only to subscriptions it has acknowledged; gql reads the ack but
    does not expose it, so this is the one place it is noticed.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acknowledged = asyncio.Queue[None]()

    def _parse_answer(self, answer: str) -> Any:
        parsed = super()._parse_answer(answer)
        if parsed[0] == "start_ack":
            self.acknowledged.put_nowait(None)
        return parsed


def note_line(note: Mapping[str, Any]) -> str:
    """`GOOD   text  (2 votes)`; a field the mutation did not select arrives as null."""
    votes = note.get("votes")
    tally = f"  ({votes} vote{'' if votes == 1 else 's'})" if votes else ""
    text = note.get("text") or "note " + str(note.get("id"))
    return f"{note.get('column') or '?':<6} {text}{tally}"


def describe(field: str, value: Mapping[str, Any]) -> str:
    if field == "onNoteAdded":
        return f"added   {note_line(value)}"
    if field == "onNoteUpdated":
        return f"updated {note_line(value)}"
    if field == "onNoteDeleted":
        return f"deleted {note_line(value)}"
    if field == "onVersionStarted":
        title = f" {value['title']!r}" if value.get("title") else ""
        return f"version {value.get('number')}{title} started: the previous one is frozen"
    if field == "onBoardUpdated":
        budget = (value.get("settings") or {}).get("voteBudget")
        return f"board   now {value.get('title')!r}, {budget} votes each"
    return "board   deleted"


async def listen(
    session: Any, field: str, board_id: str, events: "asyncio.Queue[tuple[str, Any]]"
) -> None:
    """Put each event of one subscription on `events`; an error goes there too, as `error`."""
    request = GraphQLRequest(SUBSCRIPTIONS[field], variable_values={"id": board_id})
    try:
        async for data in session.subscribe(request):
            await events.put((field, data[field]))
    except TransportQueryError as error:  # refused: no such board, not authorized
        await events.put(("error", ApiError.from_query_error(error)))
    except Exception as error:  # the connection failed: report it, then stop
        await events.put(("error", error))


def read_board(api: Connection, board_id: str) -> Any:
    with api.user_client() as client:
        board = call(client, BOARD, {"id": board_id})["board"]
    if board is None:
        raise ApiError("NotFoundError", f"board {board_id} not found")
    return board


async def follow(api: Connection, args: argparse.Namespace) -> int:
    token = api.user_token()
    # Fail early, in plain words: over HTTP a refused token or a missing board is one clear
    # error, where the realtime endpoint would only drop the connection or refuse each start.
    await asyncio.to_thread(read_board, api, args.board_id)
    auth = AppSyncJWTAuthentication(host=urlsplit(api.url).netloc, jwt=token)
    transport = AcknowledgedTransport(
        url=args.realtime_url or realtime_url(api.url),
        auth=auth,
        keep_alive_timeout=KEEP_ALIVE_SECONDS,
    )
    events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    async with Client(transport=transport) as session:
        tasks = [
            asyncio.create_task(listen(session, field, args.board_id, events))
            for field in SUBSCRIPTIONS
        ]
        try:
            return await follow_events(api, args, transport, events)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def subscribed(
    transport: AcknowledgedTransport, events: "asyncio.Queue[tuple[str, Any]]"
) -> list[tuple[str, Any]]:
    """Wait until every subscription is acknowledged; return events that came meanwhile.

    Raises the first error instead (e.g. NotFoundError: the board does not exist).
    """
    early: list[tuple[str, Any]] = []
    acknowledged = 0
    async with asyncio.timeout(ACK_SECONDS):
        while acknowledged < len(SUBSCRIPTIONS):
            ack = asyncio.ensure_future(transport.acknowledged.get())
            event = asyncio.ensure_future(events.get())
            done, _ = await asyncio.wait({ack, event}, return_when=asyncio.FIRST_COMPLETED)
            if ack in done:
                acknowledged += 1
            else:
                ack.cancel()
            if event not in done:
                event.cancel()
            elif event.result()[0] == "error":
                raise event.result()[1]
            else:
                early.append(event.result())
    return early


async def follow_events(
    api: Connection,
    args: argparse.Namespace,
    transport: AcknowledgedTransport,
    events: "asyncio.Queue[tuple[str, Any]]",
) -> int:
    for early in await subscribed(transport, events):
        events.put_nowait(early)

    board = await asyncio.to_thread(read_board, api, args.board_id)
    version = board["currentVersion"]
    print(
        f"following {board['title']!r}, version {version['number']}: "
        f"{len(version['notes'])} notes (Ctrl-C to stop)",
        flush=True,
    )
    seen = {note["id"] for note in version["notes"]}
    for note in version["notes"]:
        print(f"        {note_line(note)}", flush=True)

    loop = asyncio.get_running_loop()
    deadline = loop.time() + args.duration if args.duration else None
    shown = 0
    while args.max_events is None or shown < args.max_events:
        remaining = None if deadline is None else deadline - loop.time()
        if remaining is not None and remaining <= 0:
            break
        try:
            field, value = await asyncio.wait_for(events.get(), remaining)
        except TimeoutError:
            break
        if field == "error":
            raise value
        if field == "onNoteAdded" and value.get("id") in seen:
            continue  # already printed from the read
        seen.add(value.get("id"))
        print(describe(field, value), flush=True)
        shown += 1
        if field == "onBoardDeleted":
            break
    return 0


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Follow a Retro board live.")
    add_connection_arguments(parser)
    parser.add_argument("board_id", metavar="BOARD_ID", help="the board's id")
    parser.add_argument(
        "--realtime-url",
        default=os.environ.get("RETRO_REALTIME_URL"),
        help="the realtime endpoint (env RETRO_REALTIME_URL); default: derived from --url",
    )
    parser.add_argument("--max-events", type=int, help="stop after this many changes")
    parser.add_argument("--duration", type=float, help="stop after this many seconds")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    return asyncio.run(follow(Connection.from_arguments(args), args))


if __name__ == "__main__":
    sys.exit(main_wrapper(main))
