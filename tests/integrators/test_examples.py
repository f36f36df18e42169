"""The examples and the documented operations, run against a started local server.

Each example runs as a reader of docs/API.md would run it: a separate Python process, configured
only by RETRO_API_URL / RETRO_TOKEN, talking HTTP and AppSync's realtime
protocol to `live_server` (the real API on the local AppSync). Their output is checked against
what the API itself says. Every example operation of the reference then runs with real ids, and
the subscription examples receive what the mutation examples send, over a real WebSocket.
"""

import ast
import asyncio
import base64
import importlib
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import websockets

from retro_tools.apidocs_examples import BOARD_ID, EXAMPLES, GROUP_ID, NOTE_ID
from tests.conftest import ROOT, LiveServer

EXAMPLES_DIR = ROOT / "examples"
WAIT = 30  # seconds any one expected line or event may take; generous for a loaded machine

NOTE_FIELDS = "id boardId versionId column text votes createdAt updatedAt"
CREATE_BOARD = "mutation($t: String!) { createBoard(input: {title: $t}) { id } }"
ADD_NOTE = "mutation($i: AddNoteInput!) { addNote(input: $i) { %s } }"
VOTE = f"mutation($b: ID!, $n: ID!) {{ vote(boardId: $b, noteId: $n) {{ {NOTE_FIELDS} }} }}"
START = """mutation($b: ID!) {
  startNewVersion(input: {boardId: $b, title: "Sprint 2"}) { id boardId number title }
}"""
RENAME = """mutation($b: ID!) {
  updateBoard(input: {id: $b, title: "Renamed"}) { id title settings { voteBudget } }
}"""
EXPORT = """query($b: ID!, $n: Int!, $f: ExportFormat!) {
  board(id: $b) { version(number: $n) { export(format: $f) } }
}"""


# -- helpers ------------------------------------------------------------------------------------


def environment(server: LiveServer, token: str | None = None) -> dict[str, str]:
    """Only what a reader would set: the examples must need nothing of this process."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "RETRO_API_URL": server.graphql_url,
    }
    if token:
        env["RETRO_TOKEN"] = token
    return env


def run_example(
    server: LiveServer, script: str, *args: str, token: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES_DIR / script), *args],
        env=environment(server, token),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class Lines:
    """A running process's standard output, line by line, with a bounded wait for each."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def next(self) -> str:
        try:
            line = self._queue.get(timeout=WAIT)
        except queue.Empty:
            raise AssertionError(f"no line within {WAIT} s; so far: {self.seen}") from None
        assert line is not None, f"the process ended; its output: {self.seen}"
        self.seen.append(line)
        return line

    def rest(self) -> list[str]:
        """Every line until the process ends (it must end within the wait)."""
        self.process.wait(timeout=WAIT)
        while (line := self._queue.get(timeout=WAIT)) is not None:
            self.seen.append(line)
        return self.seen


@pytest.fixture
def owner(live_server: LiveServer) -> str:
    return live_server.create_user("Owner")[0]


def new_board(server: LiveServer, token: str, title: str, *notes: tuple[str, str]) -> str:
    board_id: str = server.data(CREATE_BOARD, {"t": title}, token=token)["createBoard"]["id"]
    for column, text in notes:
        note = {"boardId": board_id, "column": column, "text": text}
        server.data(ADD_NOTE % NOTE_FIELDS, {"i": note}, token=token)
    return board_id


def exported(server: LiveServer, token: str, board_id: str, number: int, fmt: str) -> str:
    data = server.data(EXPORT, {"b": board_id, "n": number, "f": fmt}, token=token)
    return str(data["board"]["version"]["export"])


# -- examples/create_board.py -------------------------------------------------------------------


def test_create_board_creates_a_user_a_board_and_its_notes(live_server: LiveServer) -> None:
    done = run_example(
        live_server,
        "create_board.py",
        "Team Falcon retro",
        "--note",
        "good:Pairing on the flaky test paid off",
        "--note",
        "action:Fix: the release notes",
        "--vote-budget",
        "3",
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = re.fullmatch(
        r"board (\w{36}) 'Team Falcon retro' \(version 1, 3 votes each\)", lines[0]
    )
    assert header, lines
    assert re.fullmatch(
        r"added GOOD   Pairing on the flaky test paid off  \(note \w{36}\)", lines[1]
    )
    assert re.fullmatch(r"added ACTION Fix: the release notes  \(note \w{36}\)", lines[2])
    assert len(lines) == 3
    token = re.search(r"export RETRO_TOKEN='([^']+)'", done.stderr)
    assert token, done.stderr

    # The API agrees: the board exists with these notes, and the printed token owns it.
    board_id = header.group(1)
    data = live_server.data(
        """query($b: ID!) {
          board(id: $b) { settings { voteBudget } currentVersion { notes { id column text } } }
          participation(boardId: $b) { isOwner }
        }""",
        {"b": board_id},
        token=token.group(1),
    )
    notes = data["board"]["currentVersion"]["notes"]
    assert [(n["column"], n["text"]) for n in notes] == [
        ("GOOD", "Pairing on the flaky test paid off"),
        ("ACTION", "Fix: the release notes"),
    ]
    assert [n["id"] for n in notes] == [line.rsplit("note ", 1)[1][:-1] for line in lines[1:]]
    assert data["board"]["settings"]["voteBudget"] == 3
    assert data["participation"]["isOwner"] is True


def test_create_board_with_a_token_acts_as_that_user(live_server: LiveServer, owner: str) -> None:
    done = run_example(live_server, "create_board.py", "Second board", token=owner)
    assert done.returncode == 0, done.stderr
    assert "RETRO_TOKEN" not in done.stderr  # no user was created
    board_id = done.stdout.split()[1]
    mine = live_server.data("{ me { boards { items { id } } } }", token=owner)
    assert board_id in [b["id"] for b in mine["me"]["boards"]["items"]]


def test_create_board_reports_a_bad_title_by_its_error_type(
    live_server: LiveServer, owner: str
) -> None:
    done = run_example(live_server, "create_board.py", "x" * 201, token=owner)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("error: BadInputError: title:"), done.stderr
    assert "Traceback" not in done.stderr


def test_examples_refuse_to_start_without_an_api_url(live_server: LiveServer) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES_DIR / "create_board.py"), "Title"],
        env={"PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "RETRO_API_URL" in done.stderr


# -- examples/export_version.py -----------------------------------------------------------------


def test_export_prints_the_live_and_a_frozen_version(live_server: LiveServer, owner: str) -> None:
    board_id = new_board(
        live_server,
        owner,
        "Export retro",
        ("GOOD", "Pairing helped"),
        ("ACTION", "Automate the release notes"),
    )
    participant = live_server.create_user("Participant")[0]

    done = run_example(live_server, "export_version.py", board_id, token=participant)
    assert done.returncode == 0, done.stderr
    assert done.stdout == exported(live_server, owner, board_id, 1, "MARKDOWN")
    assert done.stdout.startswith("# Export retro\n")
    assert "- Pairing helped\n" in done.stdout
    assert "- [ ] Automate the release notes\n" in done.stdout

    live_server.data(
        "mutation($b: ID!) { startNewVersion(input: {boardId: $b}) { id } }",
        {"b": board_id},
        token=owner,
    )
    live = run_example(live_server, "export_version.py", board_id, token=participant)
    frozen = run_example(
        live_server, "export_version.py", board_id, "--version", "1", token=participant
    )
    assert live.returncode == 0 and frozen.returncode == 0, live.stderr + frozen.stderr
    assert live.stdout == exported(live_server, owner, board_id, 2, "MARKDOWN")
    assert "Pairing helped" not in live.stdout  # only ACTION notes carry over
    assert "- [ ] Automate the release notes (carried 1\u00d7)\n" in live.stdout
    # version 1, now frozen, exports as it was — its header now says when it was frozen
    before, after = done.stdout.splitlines(), frozen.stdout.splitlines()
    assert after[:2] + after[3:] == before[:2] + before[3:]
    assert after[2].startswith(before[2] + ", frozen ")

    as_csv = run_example(
        live_server, "export_version.py", board_id, "--version", "1", "--format", "csv", token=owner
    )
    assert as_csv.returncode == 0, as_csv.stderr
    assert as_csv.stdout == exported(live_server, owner, board_id, 1, "CSV")
    assert as_csv.stdout.startswith("column,text,votes,createdAt,done,who,carriedCount,group\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["01m8fhagm700s6ct70phnfk6r90b7wn4cjrd"], "error: NotFoundError: board 01m8"),
        (["not-an-id"], "error: BadInputError: id: is not a valid id"),
    ],
)
def test_export_reports_what_it_cannot_export(
    live_server: LiveServer, owner: str, args: list[str], message: str
) -> None:
    done = run_example(live_server, "export_version.py", *args, token=owner)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(message), done.stderr


def test_export_of_a_missing_version_names_it(live_server: LiveServer, owner: str) -> None:
    board_id = new_board(live_server, owner, "One version")
    done = run_example(live_server, "export_version.py", board_id, "--version", "2", token=owner)
    assert done.returncode == 1
    assert done.stderr.strip() == f"error: NotFoundError: board {board_id} has no version 2"


def test_a_refused_token_is_reported_as_appsync_words_it(live_server: LiveServer) -> None:
    done = run_example(
        live_server, "export_version.py", "01m8fhagm700s6ct70phnfk6r90b7wn4cjrd", token="nope"
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "error: UnauthorizedException: You are not authorized to make this call."
    )


# -- examples/follow_board.py -------------------------------------------------------------------


@pytest.fixture
def follower(live_server: LiveServer) -> Iterator[Any]:
    """Start follow_board.py; the process is killed at the end if it still runs."""
    processes: list[subprocess.Popen[str]] = []

    def start(board_id: str, token: str, *args: str) -> Lines:
        process = subprocess.Popen(
            [sys.executable, str(EXAMPLES_DIR / "follow_board.py"), board_id, *args],
            env=environment(live_server, token),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        processes.append(process)
        return Lines(process)

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=WAIT)


def test_follow_prints_the_board_then_changes_made_by_other_clients(
    live_server: LiveServer, owner: str, follower: Any
) -> None:
    board_id = new_board(live_server, owner, "Live retro", ("BAD", "Deploys took an hour"))
    participant = live_server.create_user("Participant")[0]
    lines = follower(board_id, participant, "--max-events", "4", "--duration", str(WAIT))

    # GIVEN the follower has read the board (it subscribed before reading)
    assert lines.next() == "following 'Live retro', version 1: 1 notes (Ctrl-C to stop)"
    assert lines.next() == "        BAD    Deploys took an hour"

    # WHEN other clients change the board
    unseen = {"boardId": board_id, "column": "GOOD", "text": "added without selecting boardId"}
    live_server.data(ADD_NOTE % "id text", {"i": unseen}, token=owner)
    added = {"boardId": board_id, "column": "GOOD", "text": "Pairing helped"}
    note = live_server.data(ADD_NOTE % NOTE_FIELDS, {"i": added}, token=owner)["addNote"]
    live_server.data(VOTE, {"b": board_id, "n": note["id"]}, token=owner)
    live_server.data(START, {"b": board_id}, token=owner)
    live_server.data(RENAME, {"b": board_id}, token=owner)

    # THEN it prints each change once, and stops after the four it was asked for
    output = lines.rest()
    assert lines.process.returncode == 0, (
        lines.process.stderr.read() if lines.process.stderr else ""
    )
    changes = output[2:]
    assert sorted(changes) == sorted(
        [
            "added   GOOD   Pairing helped",
            "updated GOOD   Pairing helped  (1 vote)",
            "version 2 'Sprint 2' started: the previous one is frozen",
            "board   now 'Renamed', 5 votes each",
        ]
    )
    # A mutation that did not select boardId reaches no subscriber (AppSync's filter rule).
    assert not [line for line in output if "without selecting boardId" in line]


@pytest.mark.parametrize(
    ("board_id", "token", "message"),
    [
        (
            "01m8fhagm700s6ct70phnfk6r90b7wn4cjrd",
            None,
            "error: NotFoundError: board 01m8fhagm700s6ct70phnfk6r90b7wn4cjrd not found",
        ),
        (
            "01m8fhagm700s6ct70phnfk6r90b7wn4cjrd",
            "not-a-token",
            "error: UnauthorizedException: You are not authorized to make this call.",
        ),
    ],
)
def test_follow_fails_early_and_plainly(
    live_server: LiveServer,
    owner: str,
    follower: Any,
    board_id: str,
    token: str | None,
    message: str,
) -> None:
    lines = follower(board_id, token or owner)
    assert lines.rest() == []
    assert lines.process.returncode == 1
    assert lines.process.stderr is not None
    assert lines.process.stderr.read().strip() == message


def test_follow_reports_a_refused_subscription_by_its_error_type(
    live_server: LiveServer, owner: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The realtime path of the example (a board deleted between the check and the subscribe):
    AppSync's `error` message becomes an ApiError with its errorType; an accepted start is
    acknowledged."""
    monkeypatch.syspath_prepend(str(EXAMPLES_DIR))
    follow_board = importlib.import_module("follow_board")
    from gql import Client
    from gql.transport.appsync_auth import AppSyncJWTAuthentication

    board_id = new_board(live_server, owner, "Realtime")
    missing = "01m8fhagm700s6ct70phnfk6r90b7wn4cjrd"

    async def scenario() -> tuple[list[Any], int]:
        auth = AppSyncJWTAuthentication(host="127.0.0.1", jwt=owner)
        transport = follow_board.AcknowledgedTransport(url=live_server.realtime_url, auth=auth)
        events: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        async with Client(transport=transport) as session:
            ok = asyncio.create_task(follow_board.listen(session, "onNoteAdded", board_id, events))
            await asyncio.wait_for(transport.acknowledged.get(), WAIT)
            await follow_board.listen(session, "onNoteDeleted", missing, events)
            ok.cancel()
        return [events.get_nowait() for _ in range(events.qsize())], transport.acknowledged.qsize()

    received, more_acks = asyncio.run(scenario())
    assert more_acks == 0  # the refused start was not acknowledged
    [(kind, error)] = received
    assert kind == "error"
    assert (error.error_type, error.message) == ("NotFoundError", f"board {missing} not found")


# -- the examples are client code -------------------------------------------------------------


def test_examples_import_nothing_of_this_repository() -> None:
    own = {"retro", "resolvers", "tests", "bench"}
    for path in EXAMPLES_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {name.split(".")[0] for name in names} & own, (path.name, names)


def _code_lines(text: str) -> list[str]:
    """Lines that carry code, whitespace-normalised: no blanks, comments, imports, brackets."""
    out = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if len(line) < 12 or line.startswith(("#", "import ", "from ", '"""')):
            continue
        out.append(line)
    return out


def test_no_example_copies_code_that_lives_elsewhere_in_the_project() -> None:
    elsewhere = [
        *(ROOT / "retro").rglob("*.py"),
        *(ROOT / "resolvers").rglob("*.py"),
        *(ROOT / "client").rglob("*.js"),
        *(ROOT / "bench").rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
    ]
    corpus = "\n".join(
        "\n".join(_code_lines(p.read_text(errors="replace")))
        for p in elsewhere
        if "integrators" not in p.parts
    )
    for path in EXAMPLES_DIR.glob("*.py"):
        lines = _code_lines(path.read_text())
        for start in range(len(lines) - 3):
            window = "\n".join(lines[start : start + 4])
            assert window not in corpus, f"{path.name} repeats code from the project:\n{window}"


# -- the reference's examples, with real ids --------------------------------------------------


def substituted(value: Any, ids: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, dict):
        return {k: substituted(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [substituted(v, ids) for v in value]
    return value


def b64(value: Mapping[str, str]) -> str:
    return base64.b64encode(json.dumps(value).encode()).decode()


def all_non_null(value: Any) -> bool:
    if isinstance(value, dict):
        return all(all_non_null(v) for v in value.values())
    if isinstance(value, list):
        return all(all_non_null(v) for v in value)
    return value is not None


# The order a real session could take: read, then change, then delete.
QUERIES = [key for key in EXAMPLES if not key.startswith(("Mutation.", "Subscription."))]
MUTATIONS = [
    "Mutation.createBoard",
    "Mutation.updateBoard",
    "Mutation.addNote",
    "Mutation.updateNote",
    "Mutation.vote",
    "Mutation.unvote",
    # the follow-through, on the example's ACTION note before it is deleted
    "Mutation.updateAction",
    "Mutation.groupNotes",
    "Mutation.renameGroup",
    "Mutation.ungroupNote",
    "Mutation.deleteNote",
    # the meeting: the timer first, so the stage change answers with one (stopped) to select
    "Mutation.startTimer",
    "Mutation.extendTimer",
    "Mutation.stopTimer",
    "Mutation.setStage",
    "Mutation.startNewVersion",
    "Mutation.deleteBoard",
]
SUBSCRIPTIONS = [key for key in EXAMPLES if key.startswith("Subscription.")]


def test_every_reference_example_runs_and_subscribers_get_every_field_they_select(
    live_server: LiveServer, owner: str
) -> None:
    assert set(QUERIES + MUTATIONS + SUBSCRIPTIONS + ["Mutation.createUser"]) == set(EXAMPLES)
    board_id = new_board(live_server, owner, "Reference retro")
    note = {"boardId": board_id, "column": "ACTION", "text": "Write the docs"}
    note_id = live_server.data(ADD_NOTE % "id", {"i": note}, token=owner)["addNote"]["id"]
    ids = {BOARD_ID: board_id, NOTE_ID: note_id}

    created = EXAMPLES["Mutation.createUser"]
    answer = live_server.data(created.document, created.variables)  # with the API key
    assert answer["createUser"]["token"]

    for key in QUERIES:
        example = EXAMPLES[key]
        data = live_server.data(example.document, substituted(example.variables, ids), token=owner)
        assert data[example.path[0]] is not None, key

    async def scenario() -> Counter[str]:
        host = {"host": "127.0.0.1", "Authorization": owner}
        url = f"{live_server.realtime_url}?header={b64(host)}&payload=e30="
        async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:

            async def receive() -> dict[str, Any]:
                while True:
                    message = json.loads(await asyncio.wait_for(ws.recv(), WAIT))
                    if message["type"] != "ka":
                        return message  # type: ignore[no-any-return]

            await ws.send(json.dumps({"type": "connection_init"}))
            assert (await receive())["type"] == "connection_ack"
            for key in SUBSCRIPTIONS:
                example = EXAMPLES[key]
                request = {
                    "query": example.document,
                    "variables": substituted(example.variables, ids),
                }
                await ws.send(
                    json.dumps(
                        {
                            "id": key,
                            "type": "start",
                            "payload": {
                                "data": json.dumps(request),
                                "extensions": {"authorization": host},
                            },
                        }
                    )
                )
                assert await receive() == {"type": "start_ack", "id": key}

            for key in MUTATIONS:
                example = EXAMPLES[key]
                variables = substituted(example.variables, ids)
                if key == "Mutation.startNewVersion":  # the example's board is at version 42
                    variables["input"]["fromVersion"] = 1  # this one is at its first
                data = await asyncio.to_thread(
                    live_server.data, example.document, variables, token=owner
                )
                assert data[example.path[0]] is not None, key
                if key == "Mutation.groupNotes":  # the group the next examples name
                    ids[GROUP_ID] = data["groupNotes"]["id"]

            received: Counter[str] = Counter()
            while sum(received.values()) < 16:
                message = await receive()
                assert message["type"] == "data", message
                field = EXAMPLES[message["id"]].path[0]
                value = message["payload"]["data"][field]
                assert all_non_null(value), (message["id"], value)  # the mutation selected it all
                received[message["id"]] += 1
            return received

    received = asyncio.run(scenario())
    assert received == {
        "Subscription.onBoardUpdated": 1,
        "Subscription.onNoteAdded": 1,
        "Subscription.onNoteUpdated": 4,  # updateNote, vote, unvote, updateAction
        "Subscription.onGroupChanged": 3,  # groupNotes, renameGroup, ungroupNote
        "Subscription.onNoteDeleted": 1,
        "Subscription.onVersionStarted": 1,
        "Subscription.onVersionChanged": 4,  # startTimer, extendTimer, stopTimer, setStage
        "Subscription.onBoardDeleted": 1,
    }


# -- the Python in docs/API.md --------------------------------------------------------------------


def _runnable_python_blocks() -> list[str]:
    """API.md's Python blocks that are whole programs (they start with `import os`)."""
    text = (ROOT / "docs" / "API.md").read_text()
    found = re.findall(r"^```python\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    return [body for body in found if body.startswith("import os")]


def test_the_documents_python_programs_run_against_the_local_server(
    live_server: LiveServer, owner: str, tmp_path: Path
) -> None:
    programs = _runnable_python_blocks()
    assert len(programs) == 3  # authentication, pagination, errors
    titles = [f"Paged board {i}" for i in range(3)]
    for title in titles:
        new_board(live_server, owner, title)
    outputs = []
    for index, program in enumerate(programs):
        script = tmp_path / f"block{index}.py"
        script.write_text(program)
        done = subprocess.run(
            [sys.executable, str(script)],
            env=environment(live_server, owner),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    authentication, pagination, errors = outputs
    assert re.fullmatch(
        r"\{'me': \{'id': '\w{36}', 'name': 'Action item bot'\}\}\n", authentication
    )
    assert all(title in pagination for title in titles)
    assert errors == "BadInputError - title: must not be empty\n"


def test_the_documents_curl_commands_authenticate_as_written(
    live_server: LiveServer, owner: str
) -> None:
    if shutil.which("curl") is None:
        if os.environ.get("RETRO_REQUIRE_ALL") == "1":
            pytest.fail("curl is required when RETRO_REQUIRE_ALL=1")
        pytest.skip("curl is not installed")
    text = (ROOT / "docs" / "API.md").read_text()
    commands = [
        " ".join(body.replace("\\\n", " ").split())
        for body in re.findall(r"^ *```sh\n(.*?)^ *```", text, re.MULTILINE | re.DOTALL)
        if body.lstrip().startswith("curl ")
    ]
    assert len(commands) == 2  # create a user with the API key, then call as that user
    answers = []
    for command in commands:
        done = subprocess.run(
            ["bash", "-c", command],
            env=environment(live_server, owner),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        answers.append(json.loads(done.stdout))
    created, me = answers
    token = created["data"]["createUser"]["token"]
    assert token.startswith(created["data"]["createUser"]["user"]["id"] + ".")
    assert me["data"]["me"]["name"] == "Owner"  # RETRO_TOKEN is the owner's


# -- examples/guided_retro.py -------------------------------------------------------------------

GUIDED_NOTES = [
    ("GOOD", "Pairing on the flaky test paid off"),
    ("BAD", "Deploys still take an hour"),
    ("BAD", "Too many meetings on Tuesday"),
    ("ACTION", "Cache the dependencies in CI"),
    ("GOOD", "We shipped the export on time"),
]


def test_guided_retro_runs_a_meeting_end_to_end(live_server: LiveServer, owner: str) -> None:
    done = run_example(live_server, "guided_retro.py", "--seconds", "60", token=owner)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = re.fullmatch(
        r"board (\w{36}) 'Guided retro': texts hidden while writing, secret ballot", lines[0]
    )
    assert header, lines
    assert lines[1] == "stage WRITE: 60 s on the clock, then it moves on"
    # WRITE: every answer shows the notes face down, the author's own too
    assert lines[2:7] == [
        f"{name} wrote in {column}; the answer shows the note face down"
        for name, column in [
            ("ana", "GOOD"),
            ("ben", "BAD"),
            ("ana", "BAD"),
            ("ben", "ACTION"),
            ("facilitator", "GOOD"),
        ]
    ]
    assert lines[7] == "everyone sees 5 notes being written (ACTION 1, BAD 2, GOOD 2)"
    assert lines[8] == "facilitator reads their own 1: 'We shipped the export on time'"
    assert lines[9].startswith("ana reads their own 2: 'Pairing on the flaky test paid off'")
    assert lines[11] == "the facilitator adds 30 s: 90 s in all"
    # the reveal: one read shows every text
    assert lines[12] == (
        "stage VOTE (the facilitator moved it on): every text is readable, to everyone"
    )
    assert lines[13:18] == [f"  {column:<6} {text}" for column, text in GUIDED_NOTES]
    # VOTE: a secret ballot
    assert [line.rsplit(": ", 1)[1] for line in lines[18:24]] == ["the answer is None"] * 6
    assert lines[24] == (
        "a late GOOD note is refused: ConflictError: new GOOD notes are closed after the WRITE "
        "stage: only ACTION notes may be added now; the board is in VOTE"
    )
    assert lines[25:28] == [
        f"{name} sees their own ballot: 2 votes" for name in ("facilitator", "ana", "ben")
    ]
    # DISCUSS: the counts
    assert lines[28:] == [
        "stage DISCUSS: the counts are revealed",
        "  3  BAD    Deploys still take an hour",
        "  2  ACTION Cache the dependencies in CI",
        "  1  GOOD   Pairing on the flaky test paid off",
        "  0  BAD    Too many meetings on Tuesday",
        "  0  GOOD   We shipped the export on time",
    ]

    # The API agrees: the printed board is in DISCUSS with these counts, its timer stopped.
    data = live_server.data(
        """query($b: ID!) { board(id: $b) { settings { hideWhileWriting secretBallot }
          currentVersion { stage textsHidden votesHidden timer { running advances }
            notes { text votes } } } participation(boardId: $b) { isOwner } }""",
        {"b": header.group(1)},
        token=owner,
    )
    current = data["board"]["currentVersion"]
    assert data["participation"]["isOwner"] is True
    assert data["board"]["settings"] == {"hideWhileWriting": True, "secretBallot": True}
    assert (current["stage"], current["textsHidden"], current["votesHidden"]) == (
        "DISCUSS",
        False,
        False,
    )
    assert current["timer"] == {"running": False, "advances": False}  # a stage change stops it
    assert sum(n["votes"] for n in current["notes"]) == 6


def test_guided_retro_lets_the_timer_move_the_stage_on(live_server: LiveServer, owner: str) -> None:
    """The countdown's end moves WRITE to VOTE with no one acting: the next read is in VOTE."""
    done = run_example(
        live_server, "guided_retro.py", "--seconds", "10", "--wait-for-timer", token=owner
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"waiting \d+ s for the timer \(counted from its answer\)", lines[11])
    assert lines[12] == "stage VOTE (the timer moved it on): every text is readable, to everyone"
    assert lines[-6] == "stage DISCUSS: the counts are revealed"


# -- board_trend.py -------------------------------------------------------------------------------
UPDATE_ACTION = """mutation($b: ID!, $n: ID!, $d: Boolean, $w: String) {
  updateAction(input: {boardId: $b, id: $n, done: $d, who: $w}) { id boardId done who }
}"""


def test_board_trend_prints_every_version_and_the_open_actions_with_their_age(
    live_server: LiveServer, owner: str
) -> None:
    board_id = new_board(
        live_server,
        owner,
        "Trend retro",
        ("GOOD", "Pairing helped"),
        ("BAD", "Slow builds"),
        ("ACTION", "Automate the release notes"),
        ("ACTION", "Fix the flaky test"),
    )
    page = live_server.data(
        "query($b: ID!) { board(id: $b) { currentVersion { notes { id text } } } }",
        {"b": board_id},
        token=owner,
    )
    ids = {n["text"]: n["id"] for n in page["board"]["currentVersion"]["notes"]}
    live_server.data(VOTE, {"b": board_id, "n": ids["Pairing helped"]}, token=owner)
    live_server.data(
        UPDATE_ACTION, {"b": board_id, "n": ids["Fix the flaky test"], "d": True}, token=owner
    )
    live_server.data(
        UPDATE_ACTION,
        {"b": board_id, "n": ids["Automate the release notes"], "w": "Sam"},
        token=owner,
    )
    for number in (1, 2):
        live_server.data(
            "mutation($b: ID!, $f: Int) { startNewVersion(input: {boardId: $b, fromVersion: $f})"
            " { id } }",
            {"b": board_id, "f": number},
            token=owner,
        )
    live_server.data(
        ADD_NOTE % "id",
        {"i": {"boardId": board_id, "column": "ACTION", "text": "Write it down"}},
        token=owner,
    )

    participant = live_server.create_user("Participant")[0]
    done = run_example(live_server, "board_trend.py", board_id, token=participant)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Trend retro: 3 versions",
        "version  good  bad  actions  votes  opened  carried  done  open  oldest open",
        "      1     1    1        2      1       2        0     1     1  0 retros",
        "      2     0    0        1      0       0        1     0     1  1 retro",
        "      3     0    0        2      0       1        1     0     2  2 retros",
        "",
        "Open actions (version 3):",
        "- Automate the release notes (Sam) — open for 2 retros",
        "- Write it down — open since this retro",
    ]
    missing = run_example(live_server, "board_trend.py", "0" * 36, token=participant)
    assert missing.returncode != 0
    assert "NotFoundError" in missing.stderr
