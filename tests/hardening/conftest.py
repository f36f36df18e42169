"""Shared pieces of the hardening suite: a server with production limits, leak checks, worlds.

Every test here talks to a started local AppSync over real sockets: `live_server` (the session's
server, defaults as `retro serve`) or `limited_server` below (the limits AppSync is deployed
with). What a response must never contain is defined once, in `leaks()`.
"""

import hashlib
import http.client
import json
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from appsync_local.engine import Limits
from tests.conftest import ROOT, LiveServer, retro_test_options, start_server, stop_server

# AppSync's limits as infra/ deploys them, read from the Terraform defaults so the two agree.
_VARIABLES = (ROOT / "infra" / "variables.tf").read_text(encoding="utf-8")


def infra_default(name: str) -> int:
    match = re.search(rf'variable "{name}" \{{.*?default\s*=\s*(\d+)', _VARIABLES, flags=re.DOTALL)
    assert match, f"infra/variables.tf has no numeric default for {name}"
    return int(match.group(1))


RESOLVER_COUNT_LIMIT = infra_default("resolver_count_limit")
# The deepest operation this schema allows has 8 levels (createUser → user → boards → items →
# versions → items → notes → id), so infra's depth limit cannot be exceeded by a valid document;
# the limited server uses a lower one to prove the limit refuses what is over it.
QUERY_DEPTH_LIMIT = 5


@pytest.fixture(scope="module")
def limited_server() -> Iterator[LiveServer]:
    """Retro's API with production limits: infra's resolver count, introspection off.

    Module-scoped on purpose: the handlers run in this process and follow the environment,
    which a started server points at its own DynamoDB; stopping it points them back at the
    session's `live_server` before any other module runs.
    """
    server, saved = start_server(
        retro_test_options(
            limits=Limits(
                query_depth=QUERY_DEPTH_LIMIT,
                resolver_count=RESOLVER_COUNT_LIMIT,
                introspection=False,
            ),
        )
    )
    try:
        yield LiveServer(server)
    finally:
        stop_server(server, saved)


# -- what must never reach a client -----------------------------------------------------------

# A stack trace, a Python exception's class name, or words of the AWS SDK, its mock or the
# machine's paths. Matched case-insensitively, as whole words where they are words.
LEAK_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"Traceback",
        r'File "',
        r"\b\w*(?:Key|Type|Attribute|Value|Index|Runtime|Assertion|Recursion|Name)Error\b",
        r"\bUnicode\w*Error\b",
        r"\bJSONDecodeError\b",
        r"\bZeroDivisionError\b",
        r"\bNoneType\b",
        r"\bbotocore\b",
        r"\bboto3\b",
        r"arn:aws",
        r"\bClientError\b",
        r"ConditionalCheckFailed",
        r"TransactionCanceled",
        r"\bValidationException\b",
        r"ProvisionedThroughput",
        r"\bmoto\b",
        r"\bpydantic\b",
        r"\bdynamodb\b",
        r"\bstrawberry\b",
        r"/work/",
        r"site-packages",
        r"\.py\b",
    )
)


def leaks(text: str, sent: str = "") -> list[str]:
    """The leak patterns found in a response's text that the request itself did not contain.

    (A client's own input may come back in an error message: that is not a leak.)
    """
    return [
        p.pattern for p in LEAK_PATTERNS if p.search(text) is not None and p.search(sent) is None
    ]


@dataclass(frozen=True)
class Raw:
    """An HTTP answer as the client got it: status, headers (lower-cased) and the body text."""

    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


def raw_request(
    server: LiveServer,
    body: bytes | None,
    headers: dict[str, str],
    method: str = "POST",
    path: str = "/graphql",
) -> Raw:
    """One HTTP request with exactly these bytes and headers (no client-side fixing up)."""
    address = urllib.parse.urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        text = answer.read().decode("utf-8", errors="replace")
        return Raw(answer.status, {k.lower(): v for k, v in answer.getheaders()}, text)
    finally:
        connection.close()


# -- users and boards -----------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    token: str
    id: str

    @property
    def secrets(self) -> tuple[str, ...]:
        """Everything that would identify this user: id, token, its secret and their hashes."""
        secret = self.token.partition(".")[2]
        return (
            self.id,
            self.token,
            secret,
            hashlib.sha256(secret.encode()).hexdigest(),
            hashlib.sha256(self.token.encode()).hexdigest(),
        )


def new_user(server: LiveServer, name: str) -> User:
    token, user_id = server.create_user(name)
    return User(token, user_id)


# 20 versions with their notes, plus the live notes: 22 reads, within the prefetch limit of 25
# (retro.services.pages.MAX_READS). No test board has more versions.
BOARD_STATE = """query($b: ID!) { board(id: $b) {
  id title settings { voteBudget hideWhileWriting secretBallot }
  currentVersion { id number stage textsHidden votesHidden
    timer { endsAt durationSeconds advances running ended }
    notes { id column text votes done who carriedCount groupId } groups { id title votes noteIds } }
  versions(limit: 20) { items { id number notes { id text votes } } }
} }"""


def board_state(server: LiveServer, token: str, board_id: str) -> Any:
    """Everything stored about a board that a reader can see (to compare before/after)."""
    return server.data(BOARD_STATE, {"b": board_id}, token=token)["board"]


def create_board(server: LiveServer, token: str, title: str = "Retro", budget: int = 5) -> str:
    data = server.data(
        "mutation($i: CreateBoardInput!) { createBoard(input: $i) { id } }",
        {"i": {"title": title, "settings": {"voteBudget": budget}}},
        token=token,
    )
    return str(data["createBoard"]["id"])


def add_note(server: LiveServer, token: str, board_id: str, text: str, column: str = "GOOD") -> str:
    data = server.data(
        "mutation($i: AddNoteInput!) { addNote(input: $i) { id boardId } }",
        {"i": {"boardId": board_id, "column": column, "text": text}},
        token=token,
    )
    return str(data["addNote"]["id"])


def vote(server: LiveServer, token: str, board_id: str, note_id: str) -> int:
    data = server.data(
        "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { id boardId votes } }",
        {"b": board_id, "n": note_id},
        token=token,
    )
    return int(data["vote"]["votes"])


@dataclass
class World:
    """A board with an owner, a participant who wrote and voted on a note, and a stranger who
    holds the link but has done nothing on the board."""

    owner: User
    participant: User
    stranger: User
    board: str
    note: str  # written by the participant, who put one vote on it
    extra: dict[str, str] = field(default_factory=dict)


def new_world(server: LiveServer, owner: User, participant: User, stranger: User) -> World:
    board = create_board(server, owner.token, "Matrix")
    note = add_note(server, participant.token, board, "written by the participant")
    vote(server, participant.token, board, note)
    return World(owner, participant, stranger, board, note)


def all_strings(value: Any) -> Iterable[str]:
    """Every string inside a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_strings(item)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
