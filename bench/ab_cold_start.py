"""A/B of the cold start as Lambda runs it: two trees' zips (or more), interleaved round by round.

    python -m bench.ab_cold_start BEFORE_ROOT AFTER_ROOT [MORE_ROOTS ...] [ROUNDS]

Each root is a tree with its zips built (`python -m retro_tools.packaging` in it; e.g. a
`git archive` of each commit), named in the output by its folder's name. Every round runs each
target of one tree, then of the next, so that a shared machine's drift hits all alike
(docs/PERFORMANCE.md, *Notes on method*); the figures are the children's CPU time, medians, as
`bench.cold_start` measures them.

"Retro's own" is each handler's import timed in a child that has imported boto3 first: what the
handler adds to boto3, measured in one process. The budget's ratios divide two figures from
different processes, each ~200 ms and each moving by several per cent on a shared machine, so
a change of a few milliseconds shows in this figure long before it shows in the ratios.
"""

import json
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
from bench.lambda_runtime import find_lambda_python, run_child, task_folder

Samples = dict[str, list[list[list[float]]]]

_OWN_IMPORT = """
import json, time
import boto3
start = time.process_time()
import {module}
print(json.dumps(time.process_time() - start))
"""


def own_import(layout: Layout, module: str) -> float:
    """CPU seconds of importing `module` in a child where boto3 is imported already."""
    command = layout.command(_OWN_IMPORT.format(module=module))
    return float(json.loads(run_child(command, layout.env[module], layout.cwd[module])))


def main(argv: list[str]) -> int:
    rounds = int(argv.pop()) if argv and argv[-1].isdigit() else 4
    roots = {Path(arg).name: Path(arg) for arg in argv}
    if len(argv) < 2 or len(roots) < len(argv):
        print(__doc__, "(the roots' folders need names of their own)", file=sys.stderr)
        return 2
    runtime = find_lambda_python(Path(argv[-1]) / "dist")
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
        owns: dict[str, dict[str, list[float]]] = {n: {m: [] for m in HANDLERS} for n in roots}
        loads = [os.getloadavg()[0]]
        for _ in range(rounds):
            for name, layout in layouts.items():
                for module, samples in cold_start.import_times(layout).items():
                    imports[name][module] += samples
                for module, samples in first_call_times(layout, events, table_env).items():
                    firsts[name][module] += samples
                for module in HANDLERS:
                    owns[name][module].append(own_import(layout, module))
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
            own = median(owns[name][module])
            print(
                f"  {module:22s} import {imported * 1000:4.0f} ms = {imported / base:.2f}x"
                f"   import + 1st call once {first * 1000:4.0f} ms = {first / once:.2f}x"
                f"   Retro's own import {own * 1000:5.1f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
