"""`python -m bench [name ...]`: run the benchmarks (all, or those named) and print one table.

Progress goes to stderr as each benchmark starts and ends; the table goes to stdout at the end,
followed by the machine it ran on. `make bench` runs this.
"""

import argparse
import datetime
import importlib
import os
import platform
import sys
import time

from bench.common import Row, print_table

__all__ = ["BENCHMARKS", "main"]

BENCHMARKS = ("board_page", "rest_shape", "cold_start", "warm_handler", "local_server")


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS))
    names = parser.parse_args(argv).names or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    rows: list[Row] = []
    started = time.monotonic()
    for name in names:
        before = _load()
        print(f"[bench] {name} ... (load {before})", file=sys.stderr, flush=True)
        begun = time.monotonic()
        module = importlib.import_module(f"bench.{name}")
        rows += module.run()
        after = _load()
        spent = time.monotonic() - begun
        print(f"[bench] {name}: {spent:.0f} s (load {after})", file=sys.stderr, flush=True)
        # the machine may be shared: each benchmark's figures say how busy it was
        rows.append(
            Row(name, "-", "load average (1, 5, 15 min) before / after", f"{before} / {after}")
        )
    print_table(rows)
    missed = [r for r in rows if r.ok is False]
    print(
        f"\n{len(rows)} figures, {len(missed)} budgets missed, {time.monotonic() - started:.0f} s"
    )
    print(machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
