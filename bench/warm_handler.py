"""Benchmark 4: one warm invocation of the board page (100 notes), Retro's own code only.

DynamoDB is taken out of the measurement: the page is loaded once on moto through a recording
client, and then served from those very responses by a replaying client (same wire-format
dicts botocore would hand back, returned as they are). What is timed is everything Retro does in
an invocation — routing, argument checks, parsing the selection, the store calls with their
deserialisation and model validation, the parallel branches on the thread pool, rendering —
plus a dict lookup per call in the replayer. Budget (issue 8): ≤ 5 ms per invocation.

The profile (cProfile) runs the parallel branches inline, because cProfile only sees the thread
that enabled it; the timing runs them on the real pool.

`python -m bench.warm_handler` prints the figures and the profile.
"""

import cProfile
import io
import json
import pstats
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any
from unittest import mock

from bench.common import (
    Row,
    clock,
    median,
    moto_store,
    page_event,
    percentile,
    print_table,
    seed_board,
)
from retro.settings import Settings, settings
from retro.store import Store, Table
from retro.store import parallel as parallel_module

__all__ = ["BUDGET_MS", "profile", "run", "timings"]

BUDGET_MS = 5.0
NOTES = 100  # the budget's page
LARGE = 1000
WARMUP, SAMPLES, PROFILED = 50, 1000, 300


def _key(operation: str, arguments: Mapping[str, Any]) -> str:
    return operation + json.dumps(arguments, sort_keys=True)


class _Recording:
    """A DynamoDB client that passes calls through and keeps each response by its request."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.meta = client.meta
        self.responses: dict[str, Any] = {}

    def __getattr__(self, operation: str) -> Callable[..., Any]:
        real = getattr(self.client, operation)

        def call(**arguments: Any) -> Any:
            response = real(**arguments)
            self.responses[_key(operation, arguments)] = response
            return response

        return call


class _Events:
    def register(self, *_: Any, **__: Any) -> None:
        """Retro registers its request counter here; the replayer makes no real calls."""


class _Meta:
    events = _Events()


class _Replaying:
    """A DynamoDB client answering each request with the response recorded for it."""

    meta = _Meta()

    def __init__(self, responses: Mapping[str, Any]) -> None:
        self.responses = responses
        self.calls = 0

    def __getattr__(self, operation: str) -> Callable[..., Any]:
        def call(**arguments: Any) -> Any:
            self.calls += 1
            return self.responses[_key(operation, arguments)]

        return call


class _Inline:
    """An executor that runs a submitted call at once, in the caller's thread (for cProfile)."""

    def submit(self, function: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(function(*args))
        return future


def _returning(store: Store) -> Callable[[], Store]:
    """A stand-in for `default_store` (a plain function: a Mock would add its own cost)."""

    def default_store() -> Store:
        return store

    return default_store


@contextmanager
def replayed_page(notes: int = NOTES) -> Iterator[tuple[Callable[[], Any], _Replaying]]:
    """A zero-argument board-page invocation whose store replays recorded responses."""
    from resolvers import queries, read  # noqa: PLC0415

    with moto_store() as store:
        seeded = seed_board(store, notes, 1)
        config: Settings = settings()
        recording = _Recording(store.table.client)
        recorded = Store(Table(config, recording))
        event = page_event(seeded)
        with mock.patch.object(queries, "default_store", _returning(recorded)):
            expected = read.handler(event)
    replaying = _Replaying(recording.responses)
    replayed = Store(Table(config, replaying))
    # The handlers take their store from `default_store()`; the page's resolver is in `queries`.
    with mock.patch.object(queries, "default_store", _returning(replayed)):
        if read.handler(event) != expected:
            raise RuntimeError("the replayed page differs from the page on moto")
        yield (lambda: read.handler(event)), replaying


def timings(notes: int = NOTES, samples: int = SAMPLES) -> tuple[list[float], int]:
    """Seconds per invocation (`samples` of them, after WARMUP) and DynamoDB calls each."""
    with replayed_page(notes) as (invoke, client):
        for _ in range(WARMUP):
            invoke()
        before = client.calls
        invoke()
        calls = client.calls - before
        spent = []
        for _ in range(samples):
            start = clock()
            invoke()
            spent.append(clock() - start)
    return spent, calls


# Where an invocation's time goes: inclusive time of these functions (none calls another).
_PARTS = (
    ("deserialise items (store.codec.load)", "retro/store/codec.py", ("load",)),
    (
        "validate items into models (store.reading.to_*)",
        "retro/store/reading.py",
        ("to_board", "to_version", "to_note", "to_user"),
    ),
    ("render views (resolvers/project.py)", "resolvers/project.py", ("project",)),
    ("parse selection (resolvers/selection.py)", "resolvers/selection.py", ("parse_selection",)),
    ("check arguments (resolvers/arguments.py)", "resolvers/arguments.py", ("parse",)),
)
_WITHIN = ("  of which text checks (models.clean_text)", "retro/models.py", ("clean_text",))


def profile() -> tuple[str, dict[str, float]]:
    """cProfile of PROFILED invocations: the top functions, and % of the time per part."""
    with replayed_page() as (invoke, _), mock.patch.object(parallel_module, "_pool", _Inline()):
        for _ in range(WARMUP):
            invoke()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(PROFILED):
            invoke()
        profiler.disable()
    stats = pstats.Stats(profiler).stats  # {(file, line, function): (cc, nc, tt, ct, callers)}

    def inclusive(path: str, functions: tuple[str, ...]) -> float:
        return sum(
            row[3]
            for (filename, _, function), row in stats.items()
            if filename.endswith(path) and function in functions
        )

    total = inclusive("resolvers/router.py", ("handle",))
    parts = {name: inclusive(path, functions) for name, path, functions in _PARTS}
    parts["routing, thread pool, plumbing (the rest)"] = total - sum(parts.values())
    parts[_WITHIN[0]] = inclusive(_WITHIN[1], _WITHIN[2])
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(12)
    return text.getvalue(), {k: 100 * v / total for k, v in parts.items()}


def run(show_profile: bool = False) -> list[Row]:
    samples, calls = timings()
    text, areas = profile()
    if show_profile:
        print(text)
    typical, tail = median(samples) * 1000, percentile(samples, 99) * 1000
    rows = [
        Row(
            "4 warm handler",
            f"page, {NOTES} notes",
            "time per invocation: median (p99)",
            f"{typical:.2f} ms ({tail:.2f} ms)",
            f"<= {BUDGET_MS:g} ms",
            typical <= BUDGET_MS,
        ),
        Row("4 warm handler", f"page, {NOTES} notes", "DynamoDB calls replayed", str(calls)),
    ]
    # Beyond the budget's size: how the cost grows with the page (no budget; for the record).
    large, _ = timings(LARGE, SAMPLES // 10)
    rows.append(
        Row(
            "4 warm handler",
            f"page, {LARGE} notes",
            "time per invocation: median (p99)",
            f"{median(large) * 1000:.2f} ms ({percentile(large, 99) * 1000:.2f} ms)",
        )
    )
    rows += [
        Row("4 warm handler", "profile: % of time", area, f"{share:.0f} %")
        for area, share in areas.items()
    ]
    return rows


if __name__ == "__main__":
    rows = run(show_profile=True)
    print_table(rows, f"Benchmark 4: warm board page ({NOTES} notes), DynamoDB replayed")
