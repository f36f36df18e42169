"""`retro smoke URL`: a real meeting against a stack, one PASS/FAIL line per step.

What DEPLOY.md has people run right after `terraform apply` (`make smoke URL=...`), and what
the tests run against `retro serve`. It speaks to the API as the browser client does, over the
network only: GraphQL over HTTP(S) and AppSync's realtime WebSocket protocol, with `gql` and
the transports examples/ uses. Two people meet: both get a user with the anonymous credential
(`Authorization: anonymous`, the API's only way to `createUser`), the
facilitator creates a board, the participant subscribes to it, notes and a vote arrive live,
the facilitator starts the next version and exports the frozen one, and the board is deleted
(unless --keep-board; also after a failure, so a failed run leaves no board behind).

Where the API is ("endpoints", the first step): URL is a stack's client URL or `retro serve`'s
address, whose `config.json` holds the GraphQL and realtime URLs; or URL is the GraphQL
endpoint itself (a stack without hosting). Flags win over config.json. After a failed step
the later ones are reported as SKIP.

Exit status: 0 if every step passed, 1 if one failed, 2 for a usage error. `gql` is a dev
dependency; from a plain install, `pip install 'gql[aiohttp,websockets]>=4'` first. This module
needs only the standard library; smoke_meeting.py holds the gql part.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import urllib.request
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TextIO
from urllib.parse import urljoin, urlsplit, urlunsplit

__all__ = ["Endpoints", "add_arguments", "realtime_url_for", "resolve_endpoints", "run"]

WAIT_SECONDS = 30.0  # default wait for one live event or acknowledgement
# The public credential that may only call createUser: resolvers/authorizer.py's (the tests
# hold them equal; this module imports nothing of the runtime).
ANONYMOUS_TOKEN = "anonymous"  # noqa: S105 — public by design, not a secret
#: The meeting's steps after "endpoints", in order (retro_tools/smoke_meeting.py runs them).
MEETING_STEPS = (
    "create users",
    "create board",
    "subscribe",
    "add notes",
    "live notes",
    "vote",
    "new version",
    "export",
    "delete board",
)
CREATE_USER = "mutation($n: String) { createUser(name: $n) { token user { id } } }"
CREATE_BOARD = "mutation($t: String!) { createBoard(input: {title: $t}) { id title } }"
# Subscribers get the fields the mutation selected; boardId is the subscriptions' filter.
NOTE = "id boardId versionId column text votes"
ADD_NOTE = f"mutation($i: AddNoteInput!) {{ addNote(input: $i) {{ {NOTE} }} }}"
VOTE = f"mutation($b: ID!, $n: ID!) {{ vote(boardId: $b, noteId: $n) {{ {NOTE} }} }}"
START = """mutation($b: ID!) {
  startNewVersion(input: {boardId: $b, title: "Smoke test, round 2"}) { id boardId number title }
}"""
BOARD = """query($b: ID!) {
  board(id: $b) {
    currentVersion { number notes { id } }
    version(number: 1) { frozenAt notes { id votes } export(format: MARKDOWN) }
  }
}"""
DELETE = "mutation($b: ID!) { deleteBoard(id: $b) { id } }"
SUBSCRIPTIONS = {
    "onNoteAdded": f"subscription($b: ID!) {{ onNoteAdded(boardId: $b) {{ {NOTE} }} }}",
    "onNoteUpdated": f"subscription($b: ID!) {{ onNoteUpdated(boardId: $b) {{ {NOTE} }} }}",
    "onVersionStarted": """subscription($b: ID!) {
      onVersionStarted(boardId: $b) { id boardId number title } }""",
}
NOTES = [("GOOD", "The smoke test reached the API"), ("BAD", "Nothing yet")]


class SmokeError(Exception):
    """Where the API is cannot be found out; the message says why."""


@dataclass(frozen=True)
class Endpoints:
    graphql_url: str
    realtime_url: str
    anonymous_token: str
    source: str  # where they came from: "flags", or config.json's URL


def realtime_url_for(graphql_url: str) -> str:
    """AppSync's realtime endpoint for a GraphQL endpoint (as examples/retro_api.py derives it)."""
    parts = urlsplit(graphql_url)
    scheme = {"https": "wss", "http": "ws"}.get(parts.scheme, parts.scheme)
    host = parts.netloc.replace(".appsync-api.", ".appsync-realtime-api.")
    return urlunsplit((scheme, host, parts.path, "", ""))


def resolve_endpoints(args: argparse.Namespace) -> Endpoints:
    """The API's URLs from config.json at URL and/or the flags (flags win)."""
    config: dict[str, Any] = {}
    source = "flags"
    url: str | None = args.url
    graphql_url: str | None = args.graphql_url
    if url and urlsplit(url).path.rstrip("/").endswith("/graphql"):
        graphql_url = graphql_url or url  # the endpoint itself: there is no config.json
    elif url:
        source = urljoin(url if url.endswith("/") else url + "/", "config.json")
        config = _read_config(source)
    graphql_url = graphql_url or _absolute(config.get("graphqlUrl"), source)
    if not graphql_url:
        raise SmokeError(f"{source} names no graphqlUrl: give --graphql-url")
    realtime = args.realtime_url or _absolute(config.get("realtimeUrl"), source)
    realtime = realtime or realtime_url_for(graphql_url)
    realtime = realtime.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    return Endpoints(graphql_url, realtime, args.anonymous_token or ANONYMOUS_TOKEN, source)


def _read_config(url: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 — the user's URL
            config = json.loads(response.read())
    except (OSError, ValueError) as error:
        raise SmokeError(f"could not read {url}: {error}") from error
    if not isinstance(config, dict):
        raise SmokeError(f"{url} is not a JSON object")
    return config


def _absolute(value: Any, base: str) -> str | None:
    """A URL of config.json, resolved against config.json's own URL as the client does."""
    if not isinstance(value, str) or not value:
        return None
    return urljoin(base, value) if base != "flags" else value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "url",
        nargs="?",
        metavar="URL",
        help="the client's URL or `retro serve`'s (config.json is read there), "
        "or the GraphQL endpoint itself",
    )
    parser.add_argument(
        "--graphql-url",
        default=os.environ.get("RETRO_API_URL"),
        help="GraphQL endpoint (env RETRO_API_URL); overrides config.json",
    )
    parser.add_argument(
        "--realtime-url",
        default=os.environ.get("RETRO_REALTIME_URL"),
        help="realtime endpoint (env RETRO_REALTIME_URL); default: config.json's, or derived",
    )
    parser.add_argument(
        "--anonymous-token",
        default=ANONYMOUS_TOKEN,
        help="the credential that creates the users (default: %(default)s, the API's own)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=WAIT_SECONDS,
        help="seconds to wait for each live event (default: %(default)s)",
    )
    parser.add_argument(
        "--keep-board", action="store_true", help="leave the smoke test's board (do not delete it)"
    )


def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """The `retro smoke` command: 0 if every step passed, 1 if one failed."""
    if not (args.url or args.graphql_url):
        print("error: give URL (a client or `retro serve` address) or --graphql-url", file=out)
        return 2
    try:
        from retro_tools.smoke_meeting import Meeting  # noqa: PLC0415 — imports gql
    except ImportError as error:
        print(
            f"error: retro smoke needs gql ({error}): pip install 'gql[aiohttp,websockets]>=4'",
            file=out,
        )
        return 2

    steps = Steps(out)
    print(f"retro smoke: {args.url or args.graphql_url}", file=out, flush=True)
    found: list[Endpoints] = []

    async def endpoints() -> str:
        found.append(await asyncio.to_thread(resolve_endpoints, args))
        return (
            f"GraphQL {found[0].graphql_url}, realtime {found[0].realtime_url} ({found[0].source})"
        )

    async def smoke() -> None:
        if await steps.step("endpoints", endpoints):
            await Meeting(found[0], timeout=args.timeout).run(steps, keep_board=args.keep_board)
        else:
            for name in MEETING_STEPS:
                steps.skip(name)

    asyncio.run(smoke())
    passed = steps.outcomes.count("PASS")
    verdict = "all passed" if not steps.failed else "FAILED"
    print(f"{passed} of {len(steps.outcomes)} steps passed: {verdict}", file=out, flush=True)
    return 1 if steps.failed else 0


@dataclass
class Steps:
    """Runs named steps in order; after a failure the rest are reported as skipped."""

    out: TextIO
    outcomes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return "FAIL" in self.outcomes

    async def step(
        self, name: str, action: Callable[[], Awaitable[str]], *, always: bool = False
    ) -> bool:
        """Run `action` and report it; after a failure, only `always` steps (clean-up) run."""
        if self.failed and not always:
            self.skip(name)
            return False
        try:
            detail = await action()
        except Exception as error:  # any failure of a step is that step's FAIL line
            self._report("FAIL", name, describe_error(error))
            return False
        self._report("PASS", name, detail)
        return True

    def skip(self, name: str) -> None:
        self._report("SKIP", name, "an earlier step failed")

    def _report(self, outcome: str, name: str, detail: str) -> None:
        self.outcomes.append(outcome)
        print(f"{outcome}  {name:<14} {detail}", file=self.out, flush=True)


def describe_error(error: BaseException) -> str:
    """One line: the API's errorType and message, the HTTP status, or the exception."""
    errors = getattr(error, "errors", None)
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        if isinstance(first.get("errors"), list) and first["errors"]:  # realtime: the payload
            first = first["errors"][0]
        return f"{first.get('errorType') or 'Error'}: {first.get('message') or error}"
    code = getattr(error, "code", None)
    if isinstance(code, int):
        return f"HTTP {code}: {error}"
    if isinstance(error, TimeoutError):
        return "timed out waiting for the API"
    return f"{type(error).__name__}: {error}"
