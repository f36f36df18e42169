"""Benchmark 3: cold start — each Lambda handler started as Lambda starts it, against boto3.

Budget (issues 3 and 16): for every handler, measured as Lambda runs it (from its built zip),
at most 1.3 times what the least Python function on DynamoDB pays:

- **import**: `import resolvers.read` against `import boto3` (median of 10);
- **import + first call**: the import plus what the first invocation does that the second does
  not (the DynamoDB client's service model, the first checks, the thread pool), against
  `import boto3` + a client + one GetItem measured the same way (median of 5). DynamoDB's own
  time (moto's, in this process) is the second invocation's and is left out of both.

Each figure is the child process's CPU time (a shared machine disturbs it less than wall time;
wall time is printed beside it), every target interleaved round by round so that drift hits
them alike. Each `dist/<function>.zip` is at most 5 MB.

Three layouts (`bench/lambda_runtime.py`):

1. **as on Lambda** — the budget: the runtime's CPython (the version the zips were built for,
   3.12), the zip's contents with the bytecode the build shipped, boto3 compiled beside them
   as the runtime has it;
2. **zip without bytecode**: the same without the zip's `__pycache__` — what a build machine
   without that CPython ships, compiling every module on every cold start (figures only);
3. **source tree**: this interpreter on the working tree, bytecode cached as on a developer's
   machine (in a temporary `PYTHONPYCACHEPREFIX`; figures only).

`python -m bench.cold_start` prints the figures.
"""

import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    ROOT,
    Row,
    appsync_event,
    environment,
    median,
    page_event,
    print_table,
    seed_board,
)
from bench.lambda_runtime import LambdaPython, find_lambda_python, run_child, task_folder
from retro.store import default_store

__all__ = ["HANDLERS", "MAX_RATIO", "MAX_ZIP_BYTES", "one_time", "run"]

HANDLERS = ("resolvers.read", "resolvers.write", "resolvers.authorizer")
BASELINE = "boto3"
MAX_RATIO = 1.3
MAX_ZIP_BYTES = 5 * 1024 * 1024
ROUNDS = 10  # the budget's "median of 10"
FIRST_CALL_ROUNDS = 5
BENCH = "3 cold start"

# Each child prints [[wall...], [cpu...]] of its steps.
_IMPORT = """
import json, time
start = time.perf_counter(), time.process_time()
import {module}
print(json.dumps([[time.perf_counter() - start[0]], [time.process_time() - start[1]]]))
"""

_FIRST_CALL = """
import json, sys, time
event = json.loads(sys.argv[1])
def now():
    return time.perf_counter(), time.process_time()
start = now()
import {module} as handler_module
imported = now()
handler_module.handler(event)
first = now()
handler_module.handler(event)
second = now()
print(json.dumps([[b[i] - a[i] for a, b in ((start, imported), (imported, first), (first, second))]
                  for i in (0, 1)]))
"""

# The least any Python function on DynamoDB pays: boto3, a client, one GetItem.
_BASELINE_CALL = """
import json, os, sys, time
def now():
    return time.perf_counter(), time.process_time()
start = now()
import boto3
imported = now()
client = boto3.session.Session().client(
    "dynamodb", endpoint_url=os.environ["RETRO_DYNAMODB_ENDPOINT"], region_name="us-east-1"
)
key = {"pid": {"S": "U#nobody"}, "cid": {"S": "U#nobody"}}
client.get_item(TableName=os.environ["RETRO_TABLE"], Key=key)
first = now()
client.get_item(TableName=os.environ["RETRO_TABLE"], Key=key)
second = now()
print(json.dumps([[b[i] - a[i] for a, b in ((start, imported), (imported, first), (first, second))]
                  for i in (0, 1)]))
"""


@dataclass(frozen=True)
class Layout:
    """Where and how a child runs: its name in the table, a command maker, env and folder per
    handler (the baseline runs in the first handler's)."""

    name: str
    command: Callable[..., list[str]]
    env: Mapping[str, Mapping[str, str]]
    cwd: Mapping[str, Path]
    budget: bool  # whether the 1.3x budget is checked on this layout


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# -- the zips ------------------------------------------------------------------------------------
def build_zips() -> dict[str, int] | None:
    """Run the packaging command (if it exists) and return each zip's size in bytes."""
    if not (ROOT / "retro_tools" / "packaging.py").exists():
        return None
    subprocess.run(
        [sys.executable, "-m", "retro_tools.packaging"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {path.stem: path.stat().st_size for path in sorted((ROOT / "dist").glob("*.zip"))}


def _zip_of(module: str) -> Path:
    return ROOT / "dist" / f"{module.rsplit('.', 1)[-1]}.zip"


# -- the layouts ---------------------------------------------------------------------------------
@contextmanager
def layouts(runtime: LambdaPython | str) -> Iterator[list[Layout]]:
    """The layouts this machine can run, their folders alive while the context is."""
    with ExitStack() as stack:
        found: list[Layout] = []
        if isinstance(runtime, LambdaPython):
            for bytecode in (True, False):
                tasks = {
                    m: stack.enter_context(task_folder(_zip_of(m), bytecode=bytecode))
                    for m in HANDLERS
                }
                found.append(
                    Layout(
                        name=f"as on Lambda: CPython {runtime.version}, the zip"
                        + (" with its bytecode" if bytecode else " WITHOUT bytecode"),
                        command=runtime.command,
                        env={m: runtime.env(task) for m, task in tasks.items()},
                        cwd=tasks,
                        budget=bytecode,
                    )
                )
        cache = stack.enter_context(tempfile.TemporaryDirectory(prefix="retro-pyc-"))
        tree = {"PYTHONPYCACHEPREFIX": cache, "PYTHONDONTWRITEBYTECODE": ""}
        found.append(
            Layout(
                name=f"source tree, this Python {sys.version.split()[0]}, bytecode cached",
                command=lambda code, *args: [sys.executable, "-c", code, *args],
                env=dict.fromkeys(HANDLERS, tree),
                cwd=dict.fromkeys(HANDLERS, ROOT),
                budget=False,
            )
        )
        for module in (BASELINE, *HANDLERS):  # write the tree's bytecode once
            subprocess.run(
                [sys.executable, "-c", f"import {module}"],
                env={**os.environ, **tree},
                cwd=ROOT,
                check=True,
                timeout=60,
            )
        yield found


def _child(
    layout: Layout, module: str, code: str, extra_env: Mapping[str, str], *args: str
) -> list[list[float]]:
    where = module if module in layout.cwd else HANDLERS[0]
    env = {**layout.env[where], **extra_env}
    figures: list[list[float]] = json.loads(
        run_child(layout.command(code, *args), env, layout.cwd[where])
    )
    return figures


def import_times(layout: Layout) -> dict[str, list[list[list[float]]]]:
    """Per module, ROUNDS samples of [[wall], [cpu]] of the import alone."""
    found: dict[str, list[list[list[float]]]] = {m: [] for m in (BASELINE, *HANDLERS)}
    for _ in range(ROUNDS):
        for module, samples in found.items():
            samples.append(_child(layout, module, _IMPORT.format(module=module), {}))
    return found


def first_call_times(
    layout: Layout, events: Mapping[str, Any], env: Mapping[str, str]
) -> dict[str, list[list[list[float]]]]:
    """Per module, FIRST_CALL_ROUNDS samples of [[wall x3], [cpu x3]]: import, 1st, 2nd call."""
    found: dict[str, list[list[list[float]]]] = {m: [] for m in (BASELINE, *HANDLERS)}
    for _ in range(FIRST_CALL_ROUNDS):
        for module, samples in found.items():
            code = _BASELINE_CALL if module == BASELINE else _FIRST_CALL.format(module=module)
            samples.append(_child(layout, module, code, env, json.dumps(events.get(module))))
    return found


@contextmanager
def a_seeded_table() -> Iterator[tuple[dict[str, str], dict[str, Any]]]:
    """moto's server on a free port with one small board, the children's environment and the
    event each handler is called with."""
    from moto.server import ThreadedMotoServer  # noqa: PLC0415

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request on stderr
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "RETRO_DYNAMODB_ENDPOINT": f"http://{host}:{port}",
        "RETRO_TABLE": "retro-bench-cold",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "RETRO_LOG_LEVEL": "ERROR",
        # moto loads its DynamoDB on the first request: on a loaded machine that took longer
        # than the handlers' 5 s, and CreateTable's retry then found the table it had made
        "RETRO_DYNAMODB_READ_TIMEOUT": "60",
    }
    try:
        with environment(env):
            store = default_store()
            store.table.create()
            seeded = seed_board(store, 10, 1)  # small: moto's time is not what is measured
            events = {
                "resolvers.read": page_event(seeded),
                "resolvers.write": appsync_event(
                    "Mutation.addNote",
                    {"input": {"boardId": seeded.board_id, "column": "GOOD", "text": "cold"}},
                    user=seeded.user_id,
                    selection="{\n  id\n  text\n  votes\n}",
                ),
                "resolvers.authorizer": {
                    "authorizationToken": seeded.token,
                    "requestContext": {"apiId": "local", "accountId": "000000000000"},
                    "requestHeaders": {"authorization": seeded.token},
                },
            }
            yield env, events
    finally:
        server.stop()


# -- the table -----------------------------------------------------------------------------------
def _import_rows(layout: Layout, times: dict[str, list[list[list[float]]]]) -> list[Row]:
    def med(module: str, kind: int) -> float:
        return median([sample[kind][0] for sample in times[module]])

    base_wall, base_cpu = med(BASELINE, 0), med(BASELINE, 1)
    rows = [
        Row(
            BENCH,
            f"import {BASELINE}",
            f"{layout.name}: import | CPU, median of {ROUNDS}",
            f"{_ms(base_wall)} | {_ms(base_cpu)}",
        )
    ]
    for module in HANDLERS:
        wall, cpu = med(module, 0), med(module, 1)
        rows.append(
            Row(
                BENCH,
                f"import {module}",
                f"{layout.name}: import | CPU, median of {ROUNDS}",
                f"{_ms(wall)} = {wall / base_wall:.2f}x | {_ms(cpu)} = {cpu / base_cpu:.2f}x",
                f"<= {MAX_RATIO}x (CPU)" if layout.budget else "",
                cpu / base_cpu <= MAX_RATIO if layout.budget else None,
            )
        )
    return rows


def one_time(samples: list[list[list[float]]], kind: int) -> tuple[float, float, float, float]:
    """Medians of [import, 1st, 2nd] in wall (kind 0) or CPU (1) time, and the one-time cost:
    import + what the first invocation does that the second does not."""
    imported, first, second = (median([s[kind][i] for s in samples]) for i in range(3))
    return imported, first, second, imported + max(first - second, 0.0)


def _first_call_rows(layout: Layout, times: dict[str, list[list[list[float]]]]) -> list[Row]:
    figure = f"{layout.name}: import + 1st call (2nd) -> once | CPU once, median of "
    figure += str(FIRST_CALL_ROUNDS)
    base, base_cpu = one_time(times[BASELINE], 0), one_time(times[BASELINE], 1)
    rows = [
        Row(
            BENCH,
            "boto3 + client + GetItem",
            figure,
            f"{_ms(base[0])} + {_ms(base[1])} ({_ms(base[2])}) -> {_ms(base[3])}"
            f" | {_ms(base_cpu[3])}",
        )
    ]
    for module in HANDLERS:
        imported, first, second, total = one_time(times[module], 0)
        cpu = one_time(times[module], 1)[3]
        rows.append(
            Row(
                BENCH,
                f"import {module} + 1st call",
                figure,
                f"{_ms(imported)} + {_ms(first)} ({_ms(second)}) -> {_ms(total)}"
                f" = {total / base[3]:.2f}x | {_ms(cpu)} = {cpu / base_cpu[3]:.2f}x",
                f"<= {MAX_RATIO}x (CPU)" if layout.budget else "",
                cpu / base_cpu[3] <= MAX_RATIO if layout.budget else None,
            )
        )
    return rows


def run() -> list[Row]:
    rows: list[Row] = []
    sizes = build_zips()
    if sizes is None:
        rows.append(Row(BENCH, "zips", "size", "not measured yet (no packaging command)"))
        runtime: LambdaPython | str = "no zips"
    else:
        rows += [
            Row(
                BENCH,
                f"dist/{name}.zip",
                "size",
                f"{size / 1024 / 1024:.2f} MB",
                "<= 5 MB",
                size <= MAX_ZIP_BYTES,
            )
            for name, size in sizes.items()
        ]
        runtime = find_lambda_python()
    if isinstance(runtime, str):
        rows.append(Row(BENCH, "as on Lambda", "not measured", runtime, f"<= {MAX_RATIO}x", False))
    with layouts(runtime) as found, a_seeded_table() as (env, events):
        for layout in found:
            rows += _import_rows(layout, import_times(layout))
        for layout in found:
            rows += _first_call_rows(layout, first_call_times(layout, events, env))
    return rows


if __name__ == "__main__":
    print_table(run(), "Benchmark 3: cold start (fresh interpreters, as Lambda runs them) and zips")
