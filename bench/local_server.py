"""Benchmark 5 (and 1, 2 through the server): the local AppSync, `retro serve`, over real sockets.

Two set-ups, both on 127.0.0.1 only:

A. **Counts** — a `LocalServer` in a thread of this process (as tests/conftest.py starts it),
   moto in a child process. The page is POSTed over HTTP; the server's own invocation counter
   (`engine.invoker.counts`) and `retro.store.record_requests()` (the handlers run in this
   process) give invocations and DynamoDB requests per page, at every board size (benchmark 1),
   and the bytes on the wire of the one GraphQL request (benchmark 2).
B. **Speed** — `retro serve` in its own process, on a moto server in another, so that this
   process's clients do not share an interpreter lock with the server:
   - the emulator's overhead: one page through the server vs the same read handler called
     directly in this process on the same moto (median of alternating calls; budget 2 times);
   - board-page throughput and p50/p99 latency with 10 concurrent clients;
   - fan-out: 300 subscribers (300 WebSockets, AppSync's realtime protocol) on `onNoteAdded`,
     then mutations one at a time: from the mutation's HTTP response to the last subscriber's
     `data` frame, p50/p99 (budget p99 ≤ 100 ms). A negative figure means every subscriber had
     its frame before the mutation's caller had the response.

Every loop is bounded (request counts, timeouts). `python -m bench.local_server` prints the
figures.
"""

import asyncio
import base64
import io
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from bench.common import (
    PAGE_QUERY,
    ROOT,
    SIZES,
    Row,
    Seeded,
    clock,
    fresh_context,
    median,
    page_event,
    percentile,
    print_table,
    seed_board,
)
from retro import settings as settings_module
from retro.store import default_store, record_requests

__all__ = ["available", "run"]

HOST = "127.0.0.1"
MAX_INVOCATIONS, MAX_SEQUENTIAL = 2, 2  # issue 3: 2 invocations; issue 16: 2 rounds
MAX_OVERHEAD = 2.0
MAX_FANOUT_P99_MS = 100.0
OVERHEAD_ROUNDS = 30
CLIENTS = 10
REQUESTS_PER_CLIENT = {10: 20, 100: 5}  # per board size (notes): moto makes big pages slow
SUBSCRIBERS, MUTATIONS = 300, 100  # issue 16: p99 <= 100 ms to 300 subscribers
_TIMEOUT = 30.0

NOTE_FIELDS = "id boardId versionId column text votes createdAt updatedAt"
ADD_NOTE = (
    "mutation Add($b: ID!, $t: String!) { addNote(input: {boardId: $b, column: GOOD, text: $t})"
    f" {{ {NOTE_FIELDS} }} }}"
)
ON_NOTE_ADDED = f"subscription On($b: ID!) {{ onNoteAdded(boardId: $b) {{ {NOTE_FIELDS} }} }}"


def available() -> str | None:
    """None if the local server can run here, else why not."""
    try:
        from appsync_local.server import LocalServer, ServerOptions  # noqa: F401, PLC0415
    except ImportError as error:
        return f"appsync_local is not importable ({error})"
    done = subprocess.run(
        [sys.executable, "-m", "retro_tools.cli", "serve", "--help"],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=60,
    )
    return None if done.returncode == 0 else "`retro serve --help` fails"


def _post(
    url: str, query: str, variables: Mapping[str, Any], token: str
) -> tuple[dict[str, Any], int, int]:
    """POST a GraphQL request; returns (body, request bytes, response bytes)."""
    data = json.dumps({"query": query, "variables": dict(variables)}).encode()
    request = urllib.request.Request(
        url, data=data, headers={"content-type": "application/json", "authorization": token}
    )
    with urllib.request.urlopen(request, timeout=_TIMEOUT) as answer:
        raw = answer.read()
    body = json.loads(raw)
    if body.get("errors"):
        raise RuntimeError(f"the server answered errors: {body['errors']}")
    return body, len(data), len(raw)


@contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set env vars for the handlers in this process; restore them (and the caches) after."""
    saved = dict(os.environ)
    os.environ.update(values)
    settings_module.settings.cache_clear()
    default_store.cache_clear()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        settings_module.settings.cache_clear()
        default_store.cache_clear()


# -- A. counts through the in-thread server ---------------------------------------------------
def counts() -> list[Row]:
    from appsync_local.server import LocalServer  # noqa: PLC0415
    from retro_tools.serve.stack import retro_options  # noqa: PLC0415

    rows: list[Row] = []
    with _environment({"RETRO_LOG_LEVEL": "ERROR"}):
        server = LocalServer(retro_options(port=0, moto_in_subprocess=True), out=io.StringIO())
        try:
            server.start_in_thread()
            engine: Any = server.engine
            for notes, versions in SIZES:
                # One table per size: moto answers a query on `cid_si` by reading every item of
                # the table, so boards seeded before would slow the later ones down. The server's
                # handlers run in this process and take the table from the settings.
                os.environ["RETRO_TABLE"] = f"retro-bench-{notes}-{versions}"
                settings_module.settings.cache_clear()
                default_store.cache_clear()
                store = default_store()
                store.table.create()
                seeded = seed_board(store, notes, versions)
                variables = {"id": seeded.board_id}
                _post(server.graphql_url, "{ me { id } }", {}, seeded.token)  # authorizer cached
                before = Counter(engine.invoker.counts)
                with record_requests() as log:
                    body, sent, received = _post(
                        server.graphql_url, PAGE_QUERY, variables, seeded.token
                    )
                spent = Counter(engine.invoker.counts) - before
                if len(body["data"]["board"]["currentVersion"]["notes"]) != notes:
                    raise RuntimeError("the page did not come back whole through the server")
                case = f"{notes} notes x {versions} version{'s' if versions > 1 else ''}"
                invocations = sum(spent.values())
                by_function = ", ".join(f"{k} {v}" for k, v in sorted(spent.items()))
                rows += [
                    Row(
                        "1 board page (server)",
                        case,
                        "Lambda invocations",
                        f"{invocations} ({by_function})",
                        f"<= {MAX_INVOCATIONS}",
                        invocations <= MAX_INVOCATIONS,
                    ),
                    Row(
                        "1 board page (server)",
                        case,
                        "DynamoDB requests: sequential / total",
                        f"{log.sequential} / {len(log.calls)}",
                        f"<= {MAX_SEQUENTIAL} seq.",
                        log.sequential <= MAX_SEQUENTIAL,
                    ),
                ]
                if versions == 1 and notes in {10, 100}:
                    rows.append(
                        Row(
                            "2 REST vs GraphQL",
                            f"page: {notes} notes x 1 v., server",
                            "GraphQL bytes on the wire (req. + resp.)",
                            f"{sent:,} + {received:,} = {sent + received:,}",
                        )
                    )
        finally:
            server.stop()
    return rows


# -- B. speed of `retro serve` in its own process -----------------------------------------------
def load() -> str:
    """The load average now (1, 5, 15 min): the machine is shared, so every figure says it."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _progress(message: str) -> None:
    print(f"[bench] local_server: {message} (load {load()})", file=sys.stderr, flush=True)


@contextmanager
def _process(args: list[str], env: Mapping[str, str]) -> Iterator["subprocess.Popen[str]"]:
    """A child process, terminated (by its own pid) when the block ends."""
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_ready(process: "subprocess.Popen[str]") -> tuple[str, str]:
    """`retro serve`'s URL ("Retro is ready at <url>") and its embedded DynamoDB's endpoint."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + _TIMEOUT * 2
    seen: list[str] = []
    endpoint = ""
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        found = re.search(r"DynamoDB\s+embedded \(moto\) at (\S+),", line)
        if found:
            endpoint = found.group(1)
        if "is ready at" in line and endpoint:
            return line.rsplit(" ", 1)[-1].strip(), endpoint
    raise RuntimeError("`retro serve` did not become ready:\n" + "".join(seen[-20:]))


def _overhead(url: str, seeded: Seeded) -> tuple[float, float]:
    """Median seconds of the page through the server and of the handler called directly."""
    from resolvers import read  # noqa: PLC0415

    event = page_event(seeded)
    variables = {"id": seeded.board_id}
    through, direct = [], []
    for _ in range(3):  # warm both paths: clients, caches, the authorizer's answer
        _post(url, PAGE_QUERY, variables, seeded.token)
        fresh_context(read.handler, event)
    for _ in range(OVERHEAD_ROUNDS):
        start = clock()
        _post(url, PAGE_QUERY, variables, seeded.token)
        through.append(clock() - start)
        start = clock()
        fresh_context(read.handler, event)
        direct.append(clock() - start)
    return median(through), median(direct)


def _throughput(url: str, seeded: Seeded, requests: int) -> tuple[float, list[float], list[str]]:
    """Pages per second, each page's seconds, and the errors; CLIENTS clients in parallel.

    A request that fails (the server answers `errors`, or the socket times out) is counted
    as an error, not as a page: the figure is what the clients really got.
    """
    variables = {"id": seeded.board_id}

    def client() -> tuple[list[float], list[str]]:
        spent, errors = [], []
        for _ in range(requests):
            start = clock()
            try:
                _post(url, PAGE_QUERY, variables, seeded.token)
            except (RuntimeError, OSError) as error:
                errors.append(str(error)[:200])
                continue
            spent.append(clock() - start)
        return spent, errors

    start = clock()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(lambda _: client(), range(CLIENTS)))
    elapsed = clock() - start
    latencies = [s for spent, _ in results for s in spent]
    errors = [e for _, failed in results for e in failed]
    return len(latencies) / elapsed, latencies, errors


async def _fanout(url: str, realtime_url: str, seeded: Seeded) -> tuple[list[float], list[float]]:
    """Per mutation: seconds from its HTTP response to the last delivery; and every delivery."""
    import websockets  # noqa: PLC0415

    host = url.split("//", 1)[1].split("/", 1)[0]
    headers = {"host": host, "authorization": seeded.token}
    encoded = base64.b64encode(json.dumps(headers).encode()).decode()
    address = f"{realtime_url}?header={encoded}&payload=e30="
    arrivals: dict[str, list[float]] = {}
    ready = 0

    async def subscriber(number: int, acked: asyncio.Event) -> None:
        nonlocal ready
        async with websockets.connect(address, subprotocols=["graphql-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init"}))
            while json.loads(await ws.recv())["type"] != "connection_ack":
                pass  # the protocol: starts follow the acknowledgement
            start = {
                "id": f"s{number}",
                "type": "start",
                "payload": {
                    "data": json.dumps(
                        {"query": ON_NOTE_ADDED, "variables": {"b": seeded.board_id}}
                    ),
                    "extensions": {"authorization": headers},
                },
            }
            await ws.send(json.dumps(start))
            async for raw in ws:
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "start_ack":
                    ready += 1
                    if ready == SUBSCRIBERS:
                        acked.set()
                elif kind == "data":
                    note = frame["payload"]["data"]["onNoteAdded"]
                    arrivals.setdefault(note["id"], []).append(clock())
                elif kind in {"error", "connection_error"}:
                    raise RuntimeError(f"subscriber {number}: {frame}")

    acked = asyncio.Event()
    tasks = [asyncio.create_task(subscriber(i, acked)) for i in range(SUBSCRIBERS)]
    try:
        await asyncio.wait_for(acked.wait(), _TIMEOUT)
        last: list[float] = []
        every: list[float] = []
        for i in range(MUTATIONS):
            body, _, _ = await asyncio.to_thread(
                _post, url, ADD_NOTE, {"b": seeded.board_id, "t": f"fan-out {i}"}, seeded.token
            )
            answered = clock()
            note_id = body["data"]["addNote"]["id"]
            deadline = clock() + 5.0
            while len(arrivals.get(note_id, [])) < SUBSCRIBERS and clock() < deadline:
                await asyncio.sleep(0.001)
            got = arrivals.get(note_id, [])
            if len(got) < SUBSCRIBERS:
                raise RuntimeError(f"only {len(got)} of {SUBSCRIBERS} subscribers got note {i}")
            last.append(max(got) - answered)
            every += [t - answered for t in got]
            await asyncio.sleep(0.01)  # one mutation at a time, as a meeting produces them
        return last, every
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def speed() -> list[Row]:
    rows: list[Row] = []
    env = {
        "RETRO_TABLE": "retro-bench-speed",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "RETRO_LOG_LEVEL": "ERROR",
    }
    # `retro serve` as a developer runs it: moto embedded in the server's process. (With moto
    # in a process of its own, its HTTP server let some requests wait past the store's 5 s read
    # timeout under 10 clients; the embedded one did not.)
    serve_args = [sys.executable, "-m", "retro_tools.cli", "serve", "--host", HOST]
    # port 0: the server takes a free port itself and says which (no race with other programs
    # between finding a port and binding it)
    serve_args += ["--port", "0", "--in-memory"]
    with _process(serve_args, env) as server:
        base, endpoint = _wait_ready(server)
        url = f"{base}/graphql"
        realtime_url = f"ws://{base.split('//', 1)[1].rstrip('/')}/graphql/realtime"
        _progress(f"retro serve at {base}")
        with _environment({**env, "RETRO_DYNAMODB_ENDPOINT": endpoint}):
            store = default_store()  # the server's own table, on its embedded moto
            boards = {n: seed_board(store, n, 1) for n in (10, 100)}
            for notes, seeded in boards.items():
                _progress(f"server vs handler, {notes} notes")
                through, direct = _overhead(url, seeded)
                ratio = through / direct
                rows.append(
                    Row(
                        "5 local server",
                        f"page, {notes} notes",
                        "server vs direct handler (median)",
                        f"{through * 1000:.1f} ms vs {direct * 1000:.1f} ms: {ratio:.2f}x",
                        f"<= {MAX_OVERHEAD:g}x",
                        ratio <= MAX_OVERHEAD,
                    )
                )
            for notes, seeded in boards.items():
                _progress(f"throughput, {notes} notes")
                requests = REQUESTS_PER_CLIENT[notes]
                rate, latencies, errors = _throughput(url, seeded, requests)
                failed = f"; {len(errors)} failed ({errors[0]})" if errors else ""
                if not latencies:
                    rows.append(Row("5 local server", f"page, {notes} notes", "pages/s", failed))
                    continue
                rows.append(
                    Row(
                        "5 local server",
                        f"page, {notes} notes, {CLIENTS}x{requests} requests",
                        "pages/s; latency p50 / p99",
                        f"{rate:.1f}/s; {percentile(latencies, 50) * 1000:.0f} / "
                        f"{percentile(latencies, 99) * 1000:.0f} ms{failed}",
                    )
                )
            _progress(f"fan-out to {SUBSCRIBERS} subscribers")
            before = load()
            last, every = asyncio.run(_fanout(url, realtime_url, boards[10]))
            during = f"load average {before} before, {load()} after"
            _progress("fan-out done")
            p99 = percentile(last, 99) * 1000
            rows += [
                Row(
                    "5 local server",
                    f"fan-out, {SUBSCRIBERS} subscribers, {MUTATIONS} mutations",
                    "response -> last delivery p50 / p99 (max)",
                    f"{percentile(last, 50) * 1000:.1f} / {p99:.1f} ms ({max(last) * 1000:.1f} ms)",
                    f"p99 <= {MAX_FANOUT_P99_MS:g} ms",
                    p99 <= MAX_FANOUT_P99_MS,
                ),
                Row(
                    "5 local server",
                    f"fan-out, {SUBSCRIBERS} subscribers, {MUTATIONS} mutations",
                    "response -> each delivery p50 / p99",
                    f"{percentile(every, 50) * 1000:.1f} / {percentile(every, 99) * 1000:.1f} ms",
                ),
                Row("5 local server", f"fan-out, {SUBSCRIBERS} subscribers", "machine", during),
            ]
    return rows


def run() -> list[Row]:
    reason = available()
    if reason is not None:
        return [Row("5 local server", "-", "not measured", reason)]
    return counts() + speed()


if __name__ == "__main__":
    print_table(run(), "Benchmark 5: the local AppSync (retro serve) on 127.0.0.1")
