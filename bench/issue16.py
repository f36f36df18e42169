"""Issue 16, before → now: each row of the issue's table, its recorded "before" beside the
figure this run measured, against the issue's budget.

`python -m bench` ends with this table. Nothing here measures: "before" is `BEFORE` (the issue
as filed, or docs/PERFORMANCE.md's A/B where the issue gave no figure), and "now" is read from
the rows the benchmarks of this run returned. A benchmark that did not run reads "not run".
Ratios are CPU time (the issue's figures are CPU medians); where the issue set no budget ("-")
there is no verdict, though a benchmark's own rows may check one.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.board_page import MAX_SEQUENTIAL, OVER
from bench.cold_start import BENCH as COLD_START
from bench.cold_start import MAX_RATIO
from bench.common import FAILED_FIGURE, LOAD_FIGURE, Row, print_columns
from bench.handler_output import BENCH as HANDLER_OUTPUT

__all__ = ["BEFORE", "NOW", "SOURCES", "Line", "Recorded", "print_summary", "summary"]

SOURCES = {
    "issue": "issue 16 as filed, 2026-12-02, on the tree before its first commit (14c6a88, "
    "19:40 UTC); this machine (2 CPUs), load average 1.4-2.5, CPU medians",
    "fan-out A/B": "docs/PERFORMANCE.md, Issue 16: `retro serve` of 719e608^ (before fan-out once "
    "per event), 2 runs, 2026-12-02 20:43 UTC, load average 1.7-3.2",
}


@dataclass(frozen=True)
class Recorded:
    """One row of the issue's table: what is measured, its budget, the figure before the work
    and where that figure was recorded (a key of SOURCES)."""

    measure: str
    budget: str
    before: str
    source: str


BEFORE: dict[str, Recorded] = {
    "import": Recorded(
        "handler import vs `import boto3`",
        "<= 1.3x",
        "read 1.97x, write 1.99x, authorizer 1.84x",
        "issue",
    ),
    "zip": Recorded("same from the zip without .pyc (as on Lambda)", "-", "3.3x", "issue"),
    "first call": Recorded(
        "import + first call vs boto3 + client + one GetItem", "<= 1.3x", "1.66x", "issue"
    ),
    "rounds": Recorded(
        "board page, sequential DynamoDB rounds",
        "2",
        "3 (4 above ~2,400 notes, 7 at 10,000)",
        "issue",
    ),
    "output": Recorded(
        "handler output for a 10-note page",
        "only what the query selects",
        "3.9 KB rendered, 1.45 KB selected",
        "issue",
    ),
    "fan-out 100": Recorded(
        "local fan-out to 100 subscribers, p99", "<= 100 ms", "190-368 ms (p50 35-43 ms)", "issue"
    ),
    "fan-out 300": Recorded(
        "local fan-out to 300 subscribers, p99",
        "<= 100 ms at load <= 2",
        "419-426 ms (p50 123-124 ms)",
        "fan-out A/B",
    ),
    "under load": Recorded(
        "`make bench` under load",
        "runs to the end",
        "local_server died (UnavailableError) at load 5-8",
        "issue",
    ),
}


@dataclass(frozen=True)
class Now:
    """What this run measured for one row of the issue, and whether it keeps the budget."""

    text: str
    ok: bool | None = None


NOT_RUN = Now("not run")

# The benchmarks' labels this summary reads (tests/perf/test_bench_summary.py holds them to the
# rows the benchmarks really produce).
BOARD_PAGE = "1 board page (handler)"
ROUNDS_FIGURE = "DynamoDB requests: sequential / total"
LOCAL_SERVER = "5 local server"
FAN_OUT_FIGURE = "response -> last delivery p50 / p99 (max)"
FAN_OUT_LOAD = 2.0  # issue 16: p99 <= 100 ms to 300 subscribers at load <= 2
HANDLERS = ("read", "write", "authorizer")
FIRST_CALL = " + 1st call"  # the case of a cold-start row of import + first call

_CPU_RATIO = re.compile(r"\| [\d,]+ ms = (\d+(?:\.\d+)?)x")  # "<wall> = 1.52x | <CPU> = 1.48x"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _cpu_ratio(row: Row) -> float | None:
    """The CPU ratio of a cold-start row (the one after the wall-time ratio)."""
    found = _CPU_RATIO.search(row.value)
    return float(found.group(1)) if found else None


def _layout(figure: str) -> str:
    """A short name for the cold-start layout a figure names (bench.cold_start.layouts)."""
    if "WITHOUT bytecode" in figure:
        return "zip without bytecode"
    if "as on Lambda" in figure:
        return "as on Lambda"
    return "source tree"


def _ratios(rows: Sequence[Row], kind: Callable[[Row], bool], budget: bool) -> Now:
    """CPU ratios of the three handlers' cold-start rows of one `kind`, per layout."""
    found = [r for r in rows if r.bench == COLD_START and kind(r)]
    if not found:
        return NOT_RUN
    layouts: dict[str, list[str]] = {}
    checked: list[bool] = []
    for handler in HANDLERS:
        for row in found:
            if not row.case.startswith(f"import resolvers.{handler}"):
                continue
            ratio = _cpu_ratio(row)
            shown = f"{ratio:.2f}x" if ratio is not None else f"unreadable ({row.value})"
            layouts.setdefault(_layout(row.figure), []).append(f"{handler} {shown}")
            if budget and row.ok is not None:
                checked.append(ratio is not None and ratio <= MAX_RATIO)
    text = "; ".join(f"{name}: {', '.join(each)}" for name, each in layouts.items())
    return Now(text, all(checked) if checked else None)


def _import(rows: Sequence[Row]) -> Now:
    def kind(row: Row) -> bool:
        return not row.case.endswith(FIRST_CALL) and _layout(row.figure) != "zip without bytecode"

    now = _ratios(rows, kind, budget=True)
    for row in rows:  # a layout the machine cannot run (no CPython of the runtime's version)
        if row.bench == COLD_START and row.figure == "not measured" and now is not NOT_RUN:
            now = Now(f"{now.text}; {row.case}: not measured ({row.value})", False)
    return now


def _zip(rows: Sequence[Row]) -> Now:
    def kind(row: Row) -> bool:
        return not row.case.endswith(FIRST_CALL) and _layout(row.figure) == "zip without bytecode"

    return _ratios(rows, kind, budget=False)


def _first_call(rows: Sequence[Row]) -> Now:
    return _ratios(rows, lambda row: row.case.endswith(FIRST_CALL), budget=True)


def _rounds(rows: Sequence[Row]) -> Now:
    # the version stored before the 200-note limit and before note counts: a round more
    legacy = f"{OVER[0]} notes of {OVER[2]:,} chars"
    found = {r.case: r for r in rows if r.bench == BOARD_PAGE and r.figure == ROUNDS_FIGURE}
    if not found:
        return NOT_RUN
    rounds = {case: int(row.value.split(" / ", 1)[0]) for case, row in found.items()}
    sizes = {case: n for case, n in rounds.items() if case != legacy}
    counts: dict[int, int] = {}
    for n in sizes.values():
        counts[n] = counts.get(n, 0) + 1
    if len(counts) == 1:
        text = f"{next(iter(counts))} at all {len(sizes)} sizes"
    else:
        text = ", ".join(f"{n} at {k} of {len(sizes)} sizes" for n, k in sorted(counts.items()))
    if legacy in rounds:
        text += f"; {rounds[legacy]} at {legacy} (over the limit, stored before note counts)"
    return Now(text, all(n <= MAX_SEQUENTIAL for n in sizes.values()))


def _output(rows: Sequence[Row]) -> Now:
    found = [r for r in rows if r.bench == HANDLER_OUTPUT]
    if not found:
        return NOT_RUN
    returned, _, selected = found[0].value.partition(" / ")
    return Now(f"{returned} returned, {selected} selected", found[0].ok)


def _subscribers(row: Row) -> int | None:
    found = re.match(r"fan-out, (\d+) subscribers", row.case)
    return int(found.group(1)) if found else None


def _fan_out(subscribers: int) -> Callable[[Sequence[Row]], Now]:
    def read(rows: Sequence[Row]) -> Now:
        server = [r for r in rows if r.bench == LOCAL_SERVER]
        if not server:
            return NOT_RUN
        fan_outs = [r for r in server if r.figure == FAN_OUT_FIGURE]
        row = next((r for r in fan_outs if _subscribers(r) == subscribers), None)
        if row is None:
            others = ", ".join(str(_subscribers(r)) for r in fan_outs) or "no"
            return Now(f"not measured (the bench fans out to {others} subscribers)")
        figures = re.fullmatch(r"([\d.]+) / ([\d.]+) ms \(([\d.]+) ms\)", row.value)
        text = row.value
        if figures:
            p50, p99, most = figures.groups()
            text = f"{p99} ms (p50 {p50} ms, max {most} ms)"
        machine = next(
            (r for r in server if r.figure == "machine" and _subscribers(r) == subscribers), None
        )
        if machine:
            loads = [m.group() for m in _NUMBER.finditer(machine.value)]
            if len(loads) >= 4:
                text += f" at load {loads[0]} -> {loads[3]}"
                if max(float(loads[0]), float(loads[3])) > FAN_OUT_LOAD:
                    text += f" (the budget holds at load <= {FAN_OUT_LOAD:g})"
        return Now(text, row.ok)

    return read


def _one_minute_loads(rows: Sequence[Row]) -> list[float]:
    """The 1-minute load averages the run printed: each benchmark's before and after, and the
    local server's around its fan-out."""
    loads = []
    for row in rows:
        if row.figure == LOAD_FIGURE or (row.bench == LOCAL_SERVER and row.figure == "machine"):
            triples = [_NUMBER.findall(part) for part in re.split(r" / |before,", row.value)]
            loads += [float(triple[0]) for triple in triples if triple]
    return loads


def _under_load(rows: Sequence[Row]) -> Now:
    ran = [r.bench for r in rows if r.figure == LOAD_FIGURE]
    if "local_server" not in ran:
        return NOT_RUN
    loads = _one_minute_loads(rows)
    at = f"load {min(loads):.1f}-{max(loads):.1f}" if loads else "load not recorded"
    died = [r for r in rows if r.figure == FAILED_FIGURE]
    if died:
        names = "; ".join(f"{r.bench}: {r.value}" for r in died)
        return Now(f"did not finish at {at}: {names}", False)
    failed = sum(
        int(n)
        for r in rows
        if r.bench == LOCAL_SERVER
        for n in re.findall(r"(\d+) failed", r.value)
    )
    return Now(f"ran to the end at {at}, {failed} failed requests", failed == 0)


NOW: dict[str, Callable[[Sequence[Row]], Now]] = {
    "import": _import,
    "zip": _zip,
    "first call": _first_call,
    "rounds": _rounds,
    "output": _output,
    "fan-out 100": _fan_out(100),
    "fan-out 300": _fan_out(300),
    "under load": _under_load,
}


@dataclass(frozen=True)
class Line:
    """One row of the summary."""

    recorded: Recorded
    now: Now

    @property
    def verdict(self) -> str:
        return "" if self.now.ok is None else ("ok" if self.now.ok else "MISSED")


def summary(rows: Sequence[Row]) -> list[Line]:
    """The issue's rows, each with what `rows` (one run's figures) say of it now."""
    return [Line(recorded, NOW[key](rows)) for key, recorded in BEFORE.items()]


def print_summary(rows: Sequence[Row]) -> None:
    marks = {name: f"[{i}]" for i, name in enumerate(SOURCES, 1)}
    lines = [
        (
            line.recorded.measure,
            line.recorded.budget,
            f"{line.recorded.before} {marks[line.recorded.source]}",
            line.now.text,
            line.verdict,
        )
        for line in summary(rows)
    ]
    header = ("issue 16", "budget", "before", "now (this run)", "")
    print_columns(header, lines, "Issue 16: before -> now")
    for name, mark in marks.items():
        print(f"{mark} {SOURCES[name]}")
