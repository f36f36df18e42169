"""Chaos through the real local server (issue 18): kill -9 while it starts a version or deletes
a board, 20 times each, then `retro doctor` — whole-old or whole-new every time.

Three processes, as in a real incident:

- moto's DynamoDB (`python -m retro_tools.serve.moto_atomic`), its own process: it survives
  every kill, as DynamoDB survives a Lambda;
- `retro serve --dynamodb-endpoint`, the real local AppSync and handlers, started again after
  each kill;
- between them, in this process, a kill switch: a proxy that forwards each DynamoDB request
  and, once the round's chosen request has been applied, sends SIGKILL to the server and drops
  every request after it. The server dies right after its n-th request reached the database —
  a deterministic crash point, with no hook in the server's code.

Each scenario has a table of its own on that DynamoDB: moto answers a query of a table's index
by reading every item of the table, so the delete's rounds would otherwise pay for every board
the start's rounds left behind.

Each scenario first counts the requests of one whole operation, then kills at points spread
evenly over them (so each stage is hit: before the first write, inside the staging or the
cleanup, after the commit), and after each kill: `retro doctor --repair` (in this process; the
last round, and the final walk of each whole table, run the real `retro doctor` command), a second
doctor run that finds 0 problems, and the board checked whole (`tests/wholeness.py`).
"""

import contextlib
import http.client
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

from retro.settings import Settings
from retro.store import Store
from retro.store.table import Table
from retro_tools.doctor.diagnose import diagnose
from tests.conftest import ROOT
from tests.moto_dynamodb import set_dummy_credentials
from tests.wholeness import Seeded, seed_actions, seed_votes, whole_delete, whole_start

set_dummy_credentials()  # this process's own client, on moto's endpoint

KILLS = 20
TABLES = {"start": "retro-chaos-start", "delete": "retro-chaos-delete"}  # one per scenario
ENV = {
    **os.environ,
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_REGION": "us-east-1",
    "PYTHONUNBUFFERED": "1",
}
START = """mutation($i: StartVersionInput!) { startNewVersion(input: $i) { id number } }"""
DELETE = """mutation($b: ID!, $k: String) { deleteBoard(id: $b, clientRequestId: $k) { id } }"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- the kill switch ------------------------------------------------------------------------------
class KillSwitch(ThreadingHTTPServer):
    """A DynamoDB proxy that kills its client's process right after its n-th request."""

    daemon_threads = True

    def __init__(self, upstream: int) -> None:
        super().__init__(("127.0.0.1", 0), _Forward)
        self.upstream = upstream
        self.lock = threading.Lock()
        self.count = 0
        self.kill_after: int | None = None
        self.victim: subprocess.Popen[bytes] | None = None
        self.killed = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def arm(self, victim: subprocess.Popen[bytes], kill_after: int | None) -> None:
        with self.lock:
            self.count, self.kill_after, self.victim = 0, kill_after, victim
            self.killed.clear()

    def take(self) -> tuple[bool, bool]:
        """(forward it, kill after it) for the next request."""
        with self.lock:
            self.count += 1
            if self.kill_after is None:
                return True, False
            return self.count <= self.kill_after, self.count == self.kill_after

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A killed server's connections reset: expected, not worth a traceback."""

    def kill(self) -> None:
        assert self.victim is not None
        self.victim.kill()  # SIGKILL: nothing runs after it
        self.victim.wait()
        self.killed.set()


class _Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: KillSwitch

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        forward, kill = self.server.take()
        if not forward:  # after the kill point: never applied, never answered — the process
            self.server.killed.wait(120)  # dies first (an error now would let it answer)
            self.close_connection = True
            return
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=60)
        upstream.request("POST", self.path, body, headers=dict(self.headers))
        answer = upstream.getresponse()
        data = answer.read()
        upstream.close()
        if kill:
            self.server.kill()
            self.close_connection = True
            return
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in {"content-length", "connection", "transfer-encoding"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


# -- the server ------------------------------------------------------------------------------------
@dataclass
class Server:
    process: subprocess.Popen[bytes]
    log: Path
    url: str = ""

    def ready(self, timeout: float = 120) -> "Server":
        deadline = time.monotonic() + timeout
        while not self.url and time.monotonic() < deadline:
            for line in self.log.read_text(errors="replace").splitlines():
                if line.startswith("Retro is ready at "):
                    self.url = line.split()[-1]
            assert self.process.poll() is None, self.log.read_text()
            time.sleep(0.05)
        assert self.url, "retro serve did not start:\n" + self.log.read_text()
        return self

    def post(self, query: str, variables: dict[str, Any], token: str) -> Any:
        request = urllib.request.Request(
            f"{self.url}/graphql",
            data=json.dumps({"query": query, "variables": variables}).encode(),
            headers={"content-type": "application/json", "authorization": token},
        )
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read())


def boot(endpoint: str, logs: Path, table: str) -> Server:
    log = logs / f"serve-{time.monotonic_ns()}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "retro_tools.cli", "serve", "--port", "0", "--in-memory"),
                *("--dynamodb-endpoint", endpoint),
            ],
            cwd=ROOT,
            env={**ENV, "RETRO_TABLE": table},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Server(process, log)


@dataclass
class World:
    client: Any  # this process's own DynamoDB client, on moto's endpoint
    moto: str
    switch: KillSwitch
    logs: Path
    store: Store | None = None  # on the table of the scenario being run
    tables: list[str] = field(default_factory=list)  # every table created, in order
    server: Server | None = None

    def use_table(self, name: str) -> Store:
        """A new table for the next scenario; the servers from now on use it."""
        settings = Settings(table_name=name, region="us-east-1", dynamodb_endpoint=self.moto)
        table = Table(settings, client=self.client)
        table.create()
        self.tables.append(name)
        self.store = Store(table)
        self.stop_server()  # booted for the previous table
        return self.store

    def boot(self) -> Server:
        return boot(self.switch.url, self.logs, self.tables[-1])

    def next_server(self) -> Server:
        if self.server is None:
            self.server = self.boot()
        return self.server.ready()

    def stop_server(self) -> None:
        if self.server is not None and self.server.process.poll() is None:
            self.server.process.kill()
            self.server.process.wait()
        self.server = None


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    port = _free_port()
    moto = subprocess.Popen(
        [sys.executable, "-m", "retro_tools.serve.moto_atomic", "127.0.0.1", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    switch = KillSwitch(port)
    threading.Thread(target=switch.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            break
        time.sleep(0.05)
    with tempfile.TemporaryDirectory() as logs:
        # this process's own client waits longer than the handlers' 5 s: a loaded machine
        client = boto3.client(
            "dynamodb",
            region_name="us-east-1",
            endpoint_url=endpoint,
            config=Config(read_timeout=60, retries={"mode": "standard", "max_attempts": 5}),
        )
        world = World(client, endpoint, switch, Path(logs))
        try:
            yield world
        finally:
            world.stop_server()
            switch.shutdown()
            moto.kill()
            moto.wait()


def round_trip(
    world: World, seeded: Seeded, send: Callable[[Server, Seeded], Any], kill_after: int | None
) -> int:
    """Send the operation with the kill switch armed; return how many requests it made (all of
    them without a kill point). The next server starts booting at once."""
    server = world.next_server()
    world.switch.arm(server.process, kill_after)
    if kill_after is None:
        answer = send(server, seeded)
        assert not answer.get("errors"), answer
        return world.switch.count
    with contextlib.suppress(OSError, http.client.HTTPException, urllib.error.URLError):
        answer = send(server, seeded)
        pytest.fail(f"killed after request {kill_after}, the server still answered {answer}")
    assert world.switch.killed.wait(60), "the kill switch never fired"
    world.switch.arm(server.process, None)
    world.server = world.boot()  # boots while the doctor works
    return world.switch.count


def repair(world: World, board_id: str, command: bool) -> None:
    """`retro doctor --repair`, then `retro doctor`: 0 problems left."""
    if command:
        for extra in (["--repair"], []):
            done = run_doctor(world, world.tables[-1], "--board", board_id, "--grace", "0", *extra)
            assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.endswith("0 problem(s) found\n"), done.stdout
        return
    assert world.store is not None
    out = io.StringIO()
    assert diagnose(world.store, board_id, repair=True, grace=timedelta(0), out=out) == 0, (
        out.getvalue()
    )
    if out.getvalue() != "checked 1 board(s): 0 problem(s) found, 0 remaining\n":
        again = io.StringIO()  # it repaired something: a second run finds nothing
        assert diagnose(world.store, board_id, grace=timedelta(0), out=again) == 0
        assert again.getvalue() == "checked 1 board(s): 0 problem(s) found\n"


def run_doctor(
    world: World, table: str, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {**ENV, "RETRO_DYNAMODB_ENDPOINT": world.moto, "RETRO_TABLE": table}
    return subprocess.run(
        [sys.executable, "-m", "retro_tools.cli", "doctor", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def points(total: int) -> list[int]:
    """KILLS kill points spread evenly from the first request to the last."""
    return [1 + round(i * (total - 1) / (KILLS - 1)) for i in range(KILLS)]


def send_start(server: Server, seeded: Seeded) -> Any:
    variables = {"i": {"boardId": seeded.board.id, "clientRequestId": "go", "fromVersion": 1}}
    return server.post(START, variables, seeded.token)


def send_delete(server: Server, seeded: Seeded) -> Any:
    return server.post(DELETE, {"b": seeded.board.id, "k": "bye"}, seeded.token)


def test_kill_9_at_every_point_of_a_start_with_120_actions(world: World) -> None:
    store = world.use_table(TABLES["start"])
    total = round_trip(world, seed_actions(store), send_start, None)
    stages: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    for i, at in enumerate(points(total)):
        seeded = seed_actions(store)
        old = seeded.board.current_version.id
        round_trip(world, seeded, send_start, at)
        found = store.locate_board(seeded.board.id, consistent=True)
        assert found is not None
        if store.staged(seeded.board.id):
            stages["staged"] += 1
        elif found.board.current_version.id == old:
            stages["before"] += 1
        else:
            started = store.started_version(seeded.board.id, found.board.current_version.id)
            stages["carry pending" if started and started.pending else "done"] += 1
        repair(world, seeded.board.id, command=i == KILLS - 1)
        ends[whole_start(store, seeded, old)] += 1
    print(f"\nstartNewVersion, 120 actions: {total} requests, {KILLS} kills: {dict(stages)}")
    print(f"  after retro doctor --repair: {dict(ends)} (0 problems left each time)")
    assert sum(stages.values()) == KILLS
    assert stages["before"] >= 2 and stages["staged"] >= 8 and stages["carry pending"] >= 1


def test_kill_9_at_every_point_of_a_delete_with_200_notes_and_100_votes(world: World) -> None:
    store = world.use_table(TABLES["delete"])
    total = round_trip(world, seed_votes(store), send_delete, None)
    stages: Counter[str] = Counter()
    for i, at in enumerate(points(total)):
        seeded = seed_votes(store)
        round_trip(world, seeded, send_delete, at)
        found = store.locate_board(seeded.board.id, consistent=True)
        stage = "before" if found and not found.deleting else "tombstoned" if found else "gone"
        stages[stage] += 1
        repair(world, seeded.board.id, command=i == KILLS - 1)
        assert whole_delete(store, seeded) == ("old" if stage == "before" else "new")
    print(f"\ndeleteBoard, 200 notes, 100 votes: {total} requests, {KILLS} kills: {dict(stages)}")
    assert sum(stages.values()) == KILLS
    assert stages["before"] >= 1 and stages["tombstoned"] >= 10


def test_after_all_the_kills_retro_doctor_finds_nothing_anywhere(world: World) -> None:
    assert world.tables, "this walks the tables the scenarios above filled: run the module"
    for table in world.tables:
        # every board and orphan (a Scan). It reads every item, and moto's answers cost CPU per
        # item: a walk of 25 such boards took 10 s of CPU, 55-84 s at load ~20, and this walk of
        # each table ran out of 120 s under two xdist workers. The bound is for a hang.
        done = run_doctor(world, table, "--grace", "0", timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.endswith(" 0 problem(s) found\n"), done.stdout
        print(f"\n{table}: {done.stdout.strip()}")
