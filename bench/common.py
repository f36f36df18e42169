"""What every benchmark shares: the figures table, a moto table with seeded boards, the board page.

The board page is the query every participant runs when a board opens (issue 3):

    board(id) { title currentVersion { number notes { id column text votes } }
                versions { items { number } } }

Seeding writes straight to the table with BatchWriteItem (25 items a request): setup is not what
is measured, and 10,000 notes through the API would take minutes on moto.
"""

import contextvars
import json
import math
import os
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from boto3.dynamodb.types import TypeSerializer

from retro import services
from retro.ids import new_id
from retro.models import Column, Note
from retro.settings import settings
from retro.store import Store, default_store, keys
from retro.store.records import note_item
from retro.times import now

__all__ = [
    "FAILED_FIGURE",
    "LOAD_FIGURE",
    "PAGE_QUERY",
    "PAGE_SELECTION",
    "ROOT",
    "SIZES",
    "Row",
    "Seeded",
    "appsync_event",
    "appsync_invocations",
    "environment",
    "fresh_context",
    "median",
    "moto_store",
    "page_event",
    "percentile",
    "print_columns",
    "print_table",
    "seed_board",
]

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")

# (notes per version, versions) — issue 8: boards of 10, 100 and 1,000 notes over 1 and 10 versions.
SIZES: tuple[tuple[int, int], ...] = tuple((n, v) for v in (1, 10) for n in (10, 100, 1000))

PAGE_SELECTION = (
    "{\n  id\n  title\n  currentVersion {\n    number\n    notes {\n      id\n      column\n"
    "      text\n      votes\n    }\n  }\n  versions {\n    items {\n      number\n    }\n  }\n}"
)
PAGE_QUERY = (
    "query Page($id: ID!) {\n  board(id: $id) " + PAGE_SELECTION.replace("\n", "\n  ") + "\n}"
)


# -- the table of figures ------------------------------------------------------------------------
# The rows `python -m bench` adds after each benchmark: the load average around it, and, if it
# raised, what it raised (bench/issue16.py reads both).
LOAD_FIGURE = "load average (1, 5, 15 min) before / after"
FAILED_FIGURE = "did not finish"


@dataclass(frozen=True)
class Row:
    """One figure: which benchmark, which case, what was measured, its value and its budget."""

    bench: str
    case: str
    figure: str
    value: str
    budget: str = ""
    ok: bool | None = None  # None: no budget applies

    @property
    def verdict(self) -> str:
        return "" if self.ok is None else ("ok" if self.ok else "MISSED")


def print_table(rows: Sequence[Row], title: str = "") -> None:
    """Print rows as one aligned text table (the same text is pasted into PERFORMANCE.md)."""
    header = ("benchmark", "case", "figure", "value", "budget", "")
    print_columns(
        header, [(r.bench, r.case, r.figure, r.value, r.budget, r.verdict) for r in rows], title
    )


def print_columns(header: Sequence[str], lines: Sequence[Sequence[str]], title: str = "") -> None:
    """Print `lines` under `header` in aligned columns, a rule under the header."""
    cells = [header, *lines]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    if title:
        print(title)
    for i, row in enumerate(cells):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if i == 0:
            print("  ".join("-" * width for width in widths))


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank): the value that p % of the samples do not exceed."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def fresh_context(function: Callable[..., T], *args: Any) -> T:
    """Run `function` in a new contextvars context, as a new Lambda invocation would start.

    `retro.store.record_requests` counts round trips per flow of control in a ContextVar; a fresh
    context makes each invocation count its sequential requests from zero.
    """
    return contextvars.Context().run(function, *args)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


# -- a moto table with boards ------------------------------------------------------------------
@contextmanager
def moto_store(table: str = "retro-bench") -> Iterator[Store]:
    """`default_store()` (what the handlers use) on a fresh in-process moto table."""
    from moto import mock_aws  # noqa: PLC0415 — only the moto benchmarks need it

    wanted = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "RETRO_TABLE": table,
        "RETRO_DYNAMODB_ENDPOINT": None,
    }
    with environment(wanted), mock_aws():
        store = default_store()
        store.table.create()
        yield store


@contextmanager
def environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for None, remove) these environment variables, and put them back afterwards.

    `settings()` and `default_store()` are cached from the environment, so both are cleared on
    the way in (to read the new values) and on the way out (to forget them).
    """
    saved = {name: os.environ.get(name) for name in values}
    _apply(values)
    try:
        yield
    finally:
        _apply(saved)


def _apply(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    settings.cache_clear()
    default_store.cache_clear()


@dataclass(frozen=True)
class Seeded:
    """A seeded board: its id, its owner (id and token) and its versions' ids, oldest first."""

    board_id: str
    user_id: str
    token: str
    version_ids: tuple[str, ...]
    notes_per_version: int

    @property
    def live_version_id(self) -> str:
        return self.version_ids[-1]


_COLUMNS = (Column.GOOD, Column.BAD, Column.ACTION)
_TEXTS = (
    "Deploys were smooth all sprint",
    "The flaky integration test cost us two mornings",
    "Pair on the migration before Friday",
    "Great demo to the customer; questions answered on the spot",
)


def seed_board(
    store: Store,
    notes: int,
    versions: int,
    text_length: int = 0,
    char: str = ".",
    *,
    counted: bool = True,
) -> Seeded:
    """A board with `versions` versions (the last one live), each holding `notes` notes.

    Note texts are short sentences, or `text_length` characters each if given (padded with
    `char`: "😀" makes the largest items a text may make, 4 bytes a character).

    Versions go through the services (as an owner would start them); notes are written straight
    to the table in batches of 25, so 10,000 notes take seconds instead of minutes. As notes
    written through the API would, their ids are spread over their version's life (from its
    start to now) and the version item counts them per column (`retro.store.tallies`; not if
    `counted` is false: a version stored before the counts).
    """
    user, token = services.create_user(store, "bench")
    board = services.create_board(store, user.id, "Sprint retro")
    for number in range(1, versions):
        # each start names the version it closes: back-to-back starts are meant, not repeats
        services.start_new_version(store, user.id, board.id, from_version=number)
    found, _ = store.versions(board.id)
    version_ids = tuple(v.id for v in found)
    serializer = TypeSerializer()
    moment = now()
    requests: list[dict[str, Any]] = []
    until = time.time_ns() // 1_000_000
    for version in found:
        since = int(version.created_at.timestamp() * 1000)
        for i in range(notes):
            item = note_item(
                Note(
                    id=new_id(since + (until - since) * i // max(notes, 1)),
                    board_id=board.id,
                    version_id=version.id,
                    column=_COLUMNS[i % 3],
                    text=f"{_TEXTS[i % len(_TEXTS)]} (#{i})".ljust(text_length, char),
                    votes=i % 4,
                    author_id=user.id,
                    created_at=moment,
                    updated_at=moment,
                )
            )
            serialized = {k: serializer.serialize(v) for k, v in item.items() if v is not None}
            requests.append({"PutRequest": {"Item": serialized}})
        per_column = {c: len(range(i, notes, 3)) for i, c in enumerate(_COLUMNS)}
        if not counted or not notes:
            continue
        store.table.update(
            keys.version(board.id, version.id),
            add={f"t_{c.value.lower()}": n for c, n in per_column.items() if n},
        )
    client = store.table.client
    for start in range(0, len(requests), 25):
        pending: Mapping[str, Any] = {store.table.name: requests[start : start + 25]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    return Seeded(board.id, user.id, token, version_ids, notes)


# -- AppSync's side ------------------------------------------------------------------------------
def appsync_event(
    field: str,
    arguments: Mapping[str, Any],
    *,
    user: str | None,
    selection: str = "",
    variables: Mapping[str, Any] | None = None,
    source: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A direct Lambda resolver event as AppSync sends it for `Type.field` (`source`: the
    parent's resolved object, for a nested field).

    The shape is the one the AppSync Developer Guide gives ("Direct Lambda resolvers").
    """
    parent, name = field.split(".")
    return {
        "arguments": dict(arguments),
        "source": dict(source) if source is not None else None,
        "identity": {"resolverContext": {"userId": user}} if user else None,
        "request": {"headers": {"content-type": "application/json"}, "domainName": None},
        "info": {
            "fieldName": name,
            "parentTypeName": parent,
            "variables": dict(variables or {}),
            "selectionSetList": [],
            "selectionSetGraphQL": selection,
        },
        "prev": None,
        "stash": {},
    }


def page_event(seeded: Seeded) -> dict[str, Any]:
    """The board page's `Query.board` event for a seeded board, asked by its owner."""
    return appsync_event(
        "Query.board",
        {"id": seeded.board_id},
        user=seeded.user_id,
        selection=PAGE_SELECTION,
        variables={"id": seeded.board_id},
    )


@cache
def _api() -> tuple[Any, Mapping[str, Any]]:
    from graphql import build_schema  # noqa: PLC0415 — only invocation counting needs it

    from appsync_local.sdl import PRELUDE  # noqa: PLC0415

    sdl = (ROOT / "schema" / "schema.graphql").read_text()
    resolvers = json.loads((ROOT / "schema" / "resolvers.json").read_text())["resolvers"]
    return build_schema(PRELUDE + sdl), resolvers


def appsync_invocations(query: str, data: Mapping[str, Any]) -> dict[str, int]:
    """Lambda invocations AppSync makes to answer `query` with `data`, per `Type.field`.

    AppSync calls a field's resolver once per parent object — or, with `maxBatchSize`, once per
    batch of that many parents at the same level. Fields without an entry in resolvers.json are
    filled from the parent's property and cost nothing. The authorizer (cached per token) is apart.
    """
    from graphql import (  # noqa: PLC0415
        FieldNode,
        InlineFragmentNode,
        OperationDefinitionNode,
        get_named_type,
        parse,
    )

    schema, resolvers = _api()
    operation = next(d for d in parse(query).definitions if isinstance(d, OperationDefinitionNode))
    counts: dict[str, int] = {}

    def visit(selection_set: Any, parent_type: Any, parents: list[Mapping[str, Any]]) -> None:
        for node in selection_set.selections:
            if isinstance(node, InlineFragmentNode):
                visit(node.selection_set, parent_type, parents)
                continue
            if not isinstance(node, FieldNode) or node.name.value.startswith("__"):
                continue
            key = f"{parent_type.name}.{node.name.value}"
            resolver = resolvers.get(key)
            if resolver and parents:
                batch = resolver.get("maxBatchSize") or 0
                calls = math.ceil(len(parents) / batch) if batch else len(parents)
                counts[key] = counts.get(key, 0) + calls
            if node.selection_set is None:
                continue
            response_key = node.alias.value if node.alias else node.name.value
            children: list[Mapping[str, Any]] = []
            for parent in parents:
                value = parent.get(response_key)
                values = value if isinstance(value, list) else [value]
                children.extend(v for v in values if isinstance(v, Mapping))
            field_type = get_named_type(parent_type.fields[node.name.value].type)
            visit(node.selection_set, field_type, children)

    root = {
        "query": schema.query_type,
        "mutation": schema.mutation_type,
        "subscription": schema.subscription_type,
    }[operation.operation.value]
    visit(operation.selection_set, root, [data])
    return counts


def clock() -> float:
    return time.perf_counter()
