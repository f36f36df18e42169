"""Benchmark 3: cold start — importing each Lambda handler vs `import boto3`, and the zips.

Budgets (issue 3): importing a handler module in a fresh interpreter takes at most 1.3 times
the time of `import boto3` alone (median of 10, same machine, same run); each
`dist/<function>.zip` is at most 5 MB.

Four measurements, each in fresh interpreters (`python -c`), the targets interleaved round by
round so that drift on a shared machine hits them alike:

1. **import**: the import statement alone, timed inside the interpreter — the budgeted ratio;
   next to it the import's CPU time (steadier when other processes share the machine).
2. **process**: the whole `python -c "import X"` process (interpreter start included).
3. **zip layout**: the import from a copy of the zip's contents without `__pycache__`, with
   bytecode writing off — what Lambda does, since a zip carries no .pyc and /var/task is
   read-only, so every cold start compiles the bundled sources. boto3 stays compiled, as the
   runtime's own copy is. (The zip targets Python 3.12; this machine runs 3.11, so the
   compiled `pydantic_core` comes from the venv — same version — and the rest from the zip.)
4. **first invocation**: import, then the first and a second invocation against moto's server
   on 127.0.0.1, from the source tree and (once the zips are built) from each zip's layout
   without .pyc, as in 3. Each is reported in wall time and in the child's CPU time, which a
   shared machine disturbs less and which leaves out moto's own time (it runs in this
   process); the budget is checked on CPU time against boto3 + a client + one GetItem.
   The first pays what the import deferred: the DynamoDB client (service model load), the
   first validations, the thread pool. That sum is what a real cold start costs.

`python -m bench.cold_start` prints the figures.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from bench.common import (
    ROOT,
    Row,
    appsync_event,
    clock,
    environment,
    median,
    page_event,
    print_table,
    seed_board,
)
from retro.store import default_store

__all__ = ["HANDLERS", "MAX_RATIO", "MAX_ZIP_BYTES", "run"]

HANDLERS = ("resolvers.read", "resolvers.write", "resolvers.authorizer")
BASELINE = "boto3"
MAX_RATIO = 1.3
MAX_ZIP_BYTES = 5 * 1024 * 1024
ROUNDS = 10  # the budget's "median of 10"
ZIP_ROUNDS = FIRST_CALL_ROUNDS = 5

_TIMED_IMPORT = (
    "import time; start, cpu = time.perf_counter(), time.process_time(); import {module}; "
    "print(time.perf_counter() - start, time.process_time() - cpu)"
)


def _python(code: str, *, env: Mapping[str, str] | None = None, cwd: Path = ROOT) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{code!r} failed:\n{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def import_times(
    modules: tuple[str, ...], rounds: int, env: Mapping[str, str] | None = None, cwd: Path = ROOT
) -> dict[str, dict[str, list[float]]]:
    """Per module, `rounds` each: seconds of the import statement ("import"), its CPU time
    ("cpu": less sensitive to other processes on a shared machine) and the whole process."""
    found = {m: {"import": [], "cpu": [], "process": []} for m in modules}
    for _ in range(rounds):
        for module in modules:
            start = clock()
            inside, cpu = _python(_TIMED_IMPORT.format(module=module), env=env, cwd=cwd).split()
            found[module]["process"].append(clock() - start)
            found[module]["import"].append(float(inside))
            found[module]["cpu"].append(float(cpu))
    return found


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


@contextmanager
def zip_layout(zip_path: Path) -> Iterator[Path]:
    """The zip's contents in a temporary folder, with this interpreter's compiled extensions.

    Sources come from the zip as they are (no __pycache__). Packages with compiled extensions
    for another Python (the zip's pydantic_core) are swapped for the venv's copy of the same
    package, without its __pycache__.
    """
    site = Path(next(p for p in sys.path if p.endswith("site-packages")))
    with tempfile.TemporaryDirectory(prefix="retro-zip-") as folder:
        target = Path(folder)
        with zipfile.ZipFile(zip_path) as archive:
            archive.extractall(target)
        for package in [p for p in target.iterdir() if p.is_dir()]:
            if any(package.rglob("*.so")) and (site / package.name).is_dir():
                shutil.rmtree(package)
                shutil.copytree(
                    site / package.name, package, ignore=shutil.ignore_patterns("__pycache__")
                )
        for cache in list(target.rglob("__pycache__")):
            shutil.rmtree(cache)
        yield target


def _zip_of(module: str) -> Path:
    return ROOT / "dist" / f"{module.rsplit('.', 1)[-1]}.zip"


_NO_PYC = {"PYTHONDONTWRITEBYTECODE": "1"}


# -- the first invocation -------------------------------------------------------------------------
_FIRST_CALL = """
import json, sys, time
event = json.loads(sys.argv[1]) if len(sys.argv) > 1 else None
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
BASELINE_CLIENT = "boto3 + client + GetItem"


def _first_call(module: str, event: Any, env: Mapping[str, str], cwd: Path = ROOT) -> list[float]:
    code = _BASELINE_CALL if module == BASELINE_CLIENT else _FIRST_CALL.format(module=module)
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(event)],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module}: first invocation failed:\n{done.stderr[-2000:]}")
    values: list[list[float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return values


ZIP = " (zip)"  # a handler run from its zip's layout, without .pyc: as Lambda runs it


def first_invocations(zips: bool = False) -> dict[str, list[list[list[float]]]]:
    """Per handler (and the boto3 baseline), FIRST_CALL_ROUNDS of `_first_call`'s wall and CPU
    times; with `zips`, each handler from its zip's layout too."""
    from moto.server import ThreadedMotoServer  # noqa: PLC0415

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
            events[BASELINE_CLIENT] = None
            with ExitStack() as stack:
                folders = {
                    module: stack.enter_context(zip_layout(_zip_of(module)))
                    for module in (HANDLERS if zips else ())
                }
                found: dict[str, list[list[list[float]]]] = {m: [] for m in events}
                found |= {m + ZIP: [] for m in folders}
                for _ in range(FIRST_CALL_ROUNDS):
                    for module, event in events.items():
                        found[module].append(_first_call(module, event, env))
                        if module in folders:
                            found[module + ZIP].append(
                                _first_call(module, event, env | _NO_PYC, folders[module])
                            )
            return found
    finally:
        server.stop()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def run() -> list[Row]:
    rows: list[Row] = []
    bench = "3 cold start"
    sizes = build_zips()
    if sizes is None:
        rows.append(Row(bench, "zips", "size", "not measured yet (no packaging command)"))
    else:
        rows += [
            Row(
                bench,
                f"dist/{name}.zip",
                "size",
                f"{size / 1024 / 1024:.2f} MB",
                "<= 5 MB",
                size <= MAX_ZIP_BYTES,
            )
            for name, size in sizes.items()
        ]

    times = import_times((BASELINE, *HANDLERS), ROUNDS)
    base = {kind: median(values) for kind, values in times[BASELINE].items()}
    rows.append(
        Row(
            bench,
            f"import {BASELINE}",
            f"import | CPU | process, median of {ROUNDS}",
            f"{_ms(base['import'])} | {_ms(base['cpu'])} | {_ms(base['process'])}",
        )
    )
    for module in HANDLERS:
        found = {kind: median(values) for kind, values in times[module].items()}
        ratio = {kind: found[kind] / base[kind] for kind in found}
        rows.append(
            Row(
                bench,
                f"import {module}",
                f"import | CPU | process, median of {ROUNDS}",
                f"{_ms(found['import'])} = {ratio['import']:.2f}x | {ratio['cpu']:.2f}x"
                f" | {ratio['process']:.2f}x",
                f"<= {MAX_RATIO}x",
                ratio["import"] <= MAX_RATIO,
            )
        )

    if sizes:
        for module in HANDLERS:
            with zip_layout(_zip_of(module)) as folder:
                cold = import_times((module,), ZIP_ROUNDS, env=_NO_PYC, cwd=folder)
            inside = median(cold[module]["import"])
            cpu = median(cold[module]["cpu"])
            rows.append(
                Row(
                    bench,
                    f"import {module}",
                    f"from the zip, no .pyc (as on Lambda) | CPU, median of {ZIP_ROUNDS}",
                    f"{_ms(inside)} = {inside / base['import']:.2f}x"
                    f" | {_ms(cpu)} = {cpu / base['cpu']:.2f}x",
                    f"<= {MAX_RATIO}x",
                    cpu / base["cpu"] <= MAX_RATIO,
                )
            )

    # What a cold start costs once: the import plus what the first invocation does that the
    # second does not (the boto3 client, first validations, the thread pool). DynamoDB's own
    # time (moto here) is the second invocation's and is left out of the one-time cost.
    found = first_invocations(zips=bool(sizes))

    def once(samples: list[list[list[float]]], kind: int) -> tuple[float, float, float, float]:
        """Medians of [import, 1st, 2nd] in wall (kind 0) or CPU (1) time, and the one-time
        cost: import + what the first invocation does that the second does not."""
        imported, first, second = (median([s[kind][i] for s in samples]) for i in range(3))
        return imported, first, second, imported + max(first - second, 0.0)

    samples = found.pop(BASELINE_CLIENT)
    baseline, baseline_cpu = once(samples, 0), once(samples, 1)
    rows.append(
        Row(
            bench,
            BASELINE_CLIENT,
            f"import + 1st call (2nd) -> once | CPU once, median of {FIRST_CALL_ROUNDS}",
            f"{_ms(baseline[0])} + {_ms(baseline[1])} ({_ms(baseline[2])}) -> {_ms(baseline[3])}"
            f" | {_ms(baseline_cpu[3])}",
        )
    )
    for module, samples in found.items():
        imported, first, second, total = once(samples, 0)
        cpu = once(samples, 1)[3]
        rows.append(
            Row(
                bench,
                f"import {module}",
                f"+ 1st invocation (2nd) -> once | CPU once, median of {FIRST_CALL_ROUNDS}",
                f"{_ms(imported)} + {_ms(first)} ({_ms(second)}) -> {_ms(total)}"
                f" = {total / baseline[3]:.2f}x | {_ms(cpu)} = {cpu / baseline_cpu[3]:.2f}x",
                f"<= {MAX_RATIO}x",
                cpu / baseline_cpu[3] <= MAX_RATIO,
            )
        )
    return rows


if __name__ == "__main__":
    print_table(run(), "Benchmark 3: cold start (fresh interpreters) and zip sizes")
