"""The meeting `retro smoke` runs, with gql: two people, one board, live notes and votes.

HTTP goes through gql's aiohttp transport; the realtime protocol through
`AppSyncWebsocketsTransport` with the user token in the `Authorization` header
(`AppSyncJWTAuthentication`), exactly as examples/follow_board.py connects. Every step checks
what the API answered against what the meeting did, and says so in one line.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from gql import Client, GraphQLRequest
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.appsync_auth import AppSyncJWTAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport

from retro_tools.smoke import (
    ADD_NOTE,
    BOARD,
    CREATE_BOARD,
    CREATE_USER,
    DELETE,
    NOTES,
    START,
    SUBSCRIPTIONS,
    VOTE,
    Endpoints,
    Steps,
)

__all__ = ["Meeting"]

Event = tuple[str, Any]  # (subscription field, its data), or ("error", the exception)


class AcknowledgedTransport(AppSyncWebsocketsTransport):
    """AppSync's realtime transport, counting `start_ack`s (as examples/follow_board.py does):
    AppSync delivers events only to subscriptions it has acknowledged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acknowledged: asyncio.Queue[None] = asyncio.Queue()

    def _parse_answer(self, answer: str) -> Any:
        parsed = super()._parse_answer(answer)
        if parsed[0] == "start_ack":
            self.acknowledged.put_nowait(None)
        return parsed


class Meeting:
    def __init__(self, endpoints: Endpoints, timeout: float) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        self.tokens: dict[str, str] = {}
        self.board_id = ""
        self.notes: list[dict[str, Any]] = []
        self.events: asyncio.Queue[Event] = asyncio.Queue()

    async def run(self, steps: Steps, *, keep_board: bool) -> None:
        """The steps of MEETING_STEPS, in that order."""
        await steps.step("create users", self.create_users)
        await steps.step("create board", self.create_board)
        async with self.live() as transport:
            await steps.step("subscribe", lambda: self.subscribed(transport))
            await steps.step("add notes", self.add_notes)
            await steps.step("live notes", self.live_notes)
            await steps.step("vote", self.vote)
            await steps.step("new version", self.new_version)
        await steps.step("export", self.export)
        # Clean up even after a failure: a smoke test must not litter a production table.
        if not keep_board:
            await steps.step("delete board", self.delete_board, always=bool(self.board_id))

    # -- the API ------------------------------------------------------------------------------
    async def call(
        self, document: str, variables: dict[str, Any], who: str | None = None
    ) -> dict[str, Any]:
        """One operation over HTTP, anonymously (who=None) or with that person's token."""
        token = self.tokens[who] if who else self.endpoints.anonymous_token
        headers = {"Authorization": token}
        transport = AIOHTTPTransport(url=self.endpoints.graphql_url, headers=headers, timeout=30)
        async with Client(transport=transport, fetch_schema_from_transport=False) as session:
            result: dict[str, Any] = await session.execute(
                GraphQLRequest(document, variable_values=variables)
            )
        return result

    @contextlib.asynccontextmanager
    async def live(self) -> AsyncIterator[AcknowledgedTransport | None]:
        """The participant's realtime connection and subscriptions (None if there is no board)."""
        if not self.board_id:
            yield None
            return
        auth = AppSyncJWTAuthentication(
            host=urlsplit(self.endpoints.graphql_url).netloc, jwt=self.tokens["participant"]
        )
        transport = AcknowledgedTransport(url=self.endpoints.realtime_url, auth=auth)
        client = Client(transport=transport)
        try:
            async with asyncio.timeout(self.timeout):
                session = await client.connect_async()  # type: ignore[no-untyped-call]
        except Exception as error:  # the subscribe step reports it
            await self.events.put(("error", error))
            yield transport
            return
        tasks = [asyncio.create_task(self.listen(session, f)) for f in SUBSCRIPTIONS]
        try:
            yield transport
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await client.close_async()  # type: ignore[no-untyped-call]

    async def listen(self, session: Any, field: str) -> None:
        request = GraphQLRequest(SUBSCRIPTIONS[field], variable_values={"b": self.board_id})
        try:
            async for data in session.subscribe(request):
                await self.events.put((field, data[field]))
        except Exception as error:  # refused, or the connection failed: the waiting step says so
            await self.events.put(("error", error))

    async def next_event(self, field: str) -> Any:
        """The next event of `field` within the timeout; other fields' events are skipped."""
        async with asyncio.timeout(self.timeout):
            while True:
                got, value = await self.events.get()
                if got == "error":
                    raise value
                if got == field:
                    return value

    # -- the steps ----------------------------------------------------------------------------
    async def create_users(self) -> str:
        for who in ("facilitator", "participant"):
            data = await self.call(CREATE_USER, {"n": f"Smoke test {who}"})
            token = data["createUser"]["token"]
            if not isinstance(token, str) or not token:
                raise AssertionError(f"createUser gave the {who} no token")
            self.tokens[who] = token
        return "a facilitator and a participant, each with a token (anonymous credential)"

    async def create_board(self) -> str:
        data = await self.call(CREATE_BOARD, {"t": "Retro smoke test"}, "facilitator")
        self.board_id = data["createBoard"]["id"]
        return f"board {self.board_id} (facilitator's token)"

    async def subscribed(self, transport: AcknowledgedTransport | None) -> str:
        if transport is None:
            raise AssertionError("no board to subscribe to")
        async with asyncio.timeout(self.timeout):
            for _ in SUBSCRIPTIONS:
                acknowledged = asyncio.ensure_future(transport.acknowledged.get())
                failed = asyncio.ensure_future(self.events.get())
                done, _pending = await asyncio.wait(
                    {acknowledged, failed}, return_when=asyncio.FIRST_COMPLETED
                )
                if failed in done:  # nothing but an error can arrive before the first note
                    acknowledged.cancel()
                    got, value = failed.result()
                    raise value if got == "error" else AssertionError(f"{got} before any note")
                failed.cancel()
        return f"participant's WebSocket: {', '.join(SUBSCRIPTIONS)} acknowledged"

    async def add_notes(self) -> str:
        for column, text in NOTES:
            variables = {"i": {"boardId": self.board_id, "column": column, "text": text}}
            data = await self.call(ADD_NOTE, variables, "facilitator")
            self.notes.append(data["addNote"])
        return f"{len(self.notes)} notes over HTTP (facilitator)"

    async def live_notes(self) -> str:
        expected = {note["id"]: note for note in self.notes}
        seen: set[str] = set()
        while seen != set(expected):
            note = await self.next_event("onNoteAdded")
            if note["id"] not in expected or note["text"] != expected[note["id"]]["text"]:
                raise AssertionError(f"onNoteAdded delivered a note nobody added: {note}")
            seen.add(note["id"])
        return f"{len(seen)} of {len(expected)} notes arrived on the participant's onNoteAdded"

    async def vote(self) -> str:
        target = self.notes[0]["id"]
        data = await self.call(VOTE, {"b": self.board_id, "n": target}, "participant")
        if data["vote"]["votes"] != 1:
            raise AssertionError(f"the note has {data['vote']['votes']} votes after one vote")
        live = await self.next_event("onNoteUpdated")
        if live["id"] != target or live["votes"] != 1:
            raise AssertionError(f"onNoteUpdated delivered {live}, not the vote")
        return "the participant's vote counted (1) and arrived on onNoteUpdated"

    async def new_version(self) -> str:
        data = await self.call(START, {"b": self.board_id}, "facilitator")
        number = data["startNewVersion"]["number"]
        live = await self.next_event("onVersionStarted")
        if number != 2 or live["number"] != 2:
            raise AssertionError(f"started version {number}, onVersionStarted said {live}")
        return "version 2 is live and arrived on onVersionStarted"

    async def export(self) -> str:
        board = (await self.call(BOARD, {"b": self.board_id}, "facilitator"))["board"]
        frozen = board["version"]
        if board["currentVersion"]["number"] != 2 or board["currentVersion"]["notes"]:
            raise AssertionError(f"the live version is {board['currentVersion']}, not an empty 2")
        if not frozen["frozenAt"] or len(frozen["notes"]) != len(NOTES):
            raise AssertionError(f"version 1 is not frozen with its {len(NOTES)} notes: {frozen}")
        missing = [text for _column, text in NOTES if text not in frozen["export"]]
        if missing:
            raise AssertionError(f"the MARKDOWN export of version 1 lacks {missing}")
        return f"version 1 frozen; its MARKDOWN export holds its {len(NOTES)} notes"

    async def delete_board(self) -> str:
        data = await self.call(DELETE, {"b": self.board_id}, "facilitator")
        if (data["deleteBoard"] or {}).get("id") != self.board_id:
            raise AssertionError(f"deleteBoard answered {data['deleteBoard']}")
        return "the smoke test's board is gone (its two users remain, as users do)"
