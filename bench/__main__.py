"""`python -m bench [name ...]`: run the benchmarks (all, or those named) and print one table.

Progress goes to stderr as each benchmark starts and ends; the table goes to stdout at the end,
followed by the machine it ran on and issue 16's table, before and now (bench/issue16.py).
A benchmark that raises is reported (a row, its traceback on stderr, exit status 1) and the
others still run. `make bench` runs this.
"""

import argparse
import datetime
import importlib
import os
import platform
import sys
import time
import traceback
from collections.abc import Sequence

from bench.common import FAILED_FIGURE, LOAD_FIGURE, Row, print_table
from bench.issue16 import print_summary

__all__ = ["BENCHMARKS", "main", "run_benchmarks"]

BENCHMARKS = (
    "board_page",
    "handler_output",
    "rest_shape",
    "cold_start",
    "warm_handler",
    "local_server",
)


def machine() -> str:
    """One line about where the figures come from (docs/PERFORMANCE.md repeats it)."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}, "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load average {load}"
    )


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def run_benchmarks(names: Sequence[str]) -> list[Row]:
    """Each named benchmark's rows, then a row of the load average around it; a benchmark that
    raises leaves a row saying what it raised (and its traceback on stderr)."""
    rows: list[Row] = []
    for name in names:
        before = _load()
        print(f"[bench] {name} ... (load {before})", file=sys.stderr, flush=True)
        begun = time.monotonic()
        try:
            rows += importlib.import_module(f"bench.{name}").run()
        except Exception as error:  # a benchmark that dies is a figure of the run
            traceback.print_exc()
            failure = f"{type(error).__name__}: {error}".splitlines()[0][:200]
            rows.append(Row(name, "-", FAILED_FIGURE, failure, "runs to the end", False))
        after = _load()
        spent = time.monotonic() - begun
        print(f"[bench] {name}: {spent:.0f} s (load {after})", file=sys.stderr, flush=True)
        # the machine may be shared: each benchmark's figures say how busy it was
        rows.append(Row(name, "-", LOAD_FIGURE, f"{before} / {after}"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    names = parser.parse_args(argv).names or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    started = time.monotonic()
    rows = run_benchmarks(names)
    print_table(rows)
    missed = [r for r in rows if r.ok is False]
    print(
        f"\n{len(rows)} figures, {len(missed)} budgets missed, {time.monotonic() - started:.0f} s"
    )
    print(machine())
    print()
    print_summary(rows)
    return 1 if any(r.figure == FAILED_FIGURE for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
