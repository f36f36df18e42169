"""A/B of the cold start as Lambda runs it: two trees' zips, interleaved round by round.

    python -m bench.ab_cold_start BEFORE_ROOT AFTER_ROOT [ROUNDS]

Each root is a tree with its zips built (`python -m retro_tools.packaging` in it; e.g. a
`git archive` of each commit). Every round runs each target of one tree, then of the other, so
that a shared machine's drift hits both alike (docs/PERFORMANCE.md, *Notes on method*); the
figures are the children's CPU time, medians, as `bench.cold_start` measures them.
"""

import os
import sys
from contextlib import ExitStack
from pathlib import Path

from bench import cold_start
from bench.cold_start import (
    BASELINE,
    HANDLERS,
    Layout,
    a_seeded_table,
    first_call_times,
    one_time,
)
from bench.common import median
from bench.lambda_runtime import find_lambda_python, task_folder

Samples = dict[str, list[list[list[float]]]]


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    roots = {"before": Path(argv[0]), "after": Path(argv[1])}
    rounds = int(argv[2]) if len(argv) == 3 else 4
    runtime = find_lambda_python(roots["after"] / "dist")
    if isinstance(runtime, str):
        print(runtime, file=sys.stderr)
        return 1
    cold_start.ROUNDS = cold_start.FIRST_CALL_ROUNDS = 1  # this loop makes the rounds
    with ExitStack() as stack:
        layouts = {}
        for name, root in roots.items():
            tasks = {
                m: stack.enter_context(task_folder(root / "dist" / f"{m[10:]}.zip", bytecode=True))
                for m in HANDLERS  # "resolvers.read" -> read.zip
            }
            env = {m: runtime.env(task) for m, task in tasks.items()}
            layouts[name] = Layout(name, runtime.command, env, tasks, budget=True)
        table_env, events = stack.enter_context(a_seeded_table())
        imports: dict[str, Samples] = {n: {m: [] for m in (BASELINE, *HANDLERS)} for n in roots}
        firsts: dict[str, Samples] = {n: {m: [] for m in (BASELINE, *HANDLERS)} for n in roots}
        loads = [os.getloadavg()[0]]
        for _ in range(rounds):
            for name, layout in layouts.items():
                for module, samples in cold_start.import_times(layout).items():
                    imports[name][module] += samples
                for module, samples in first_call_times(layout, events, table_env).items():
                    firsts[name][module] += samples
            loads.append(os.getloadavg()[0])
    print(f"CPython {runtime.version}, {rounds} rounds, load {min(loads):.1f}-{max(loads):.1f}")
    for name, root in roots.items():
        base = median([s[1][0] for s in imports[name][BASELINE]])
        once = one_time(firsts[name][BASELINE], 1)[3]
        print(
            f"{name} ({root}): import boto3 {base * 1000:.0f} ms CPU;"
            f" boto3 + client + GetItem once {once * 1000:.0f} ms CPU"
        )
        for module in HANDLERS:
            imported = median([s[1][0] for s in imports[name][module]])
            first = one_time(firsts[name][module], 1)[3]
            print(
                f"  {module:22s} import {imported * 1000:4.0f} ms = {imported / base:.2f}x"
                f"   import + 1st call once {first * 1000:4.0f} ms = {first / once:.2f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
