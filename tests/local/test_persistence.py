"""`retro serve` keeps its data: a restart on the same data directory finds everything again.

Real restarts: `retro serve` as a process, stopped with SIGKILL (nothing flushed at exit) or
SIGTERM, started again on the same `--data-dir`; requests over real sockets.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from resolvers.authorizer import ANONYMOUS_TOKEN
from retro_tools.serve.datadir import DataDir, DataDirError
from retro_tools.serve.moto_atomic import AtomicMotoServer
from retro_tools.serve.table_files import TableFiles

ROOT = Path(__file__).resolve().parents[2]
ANONYMOUS = {"authorization": ANONYMOUS_TOKEN}  # the public credential: createUser only

PAGE = """query($id: ID!) {
  board(id: $id) {
    id title settings { voteBudget }
    currentVersion { number notes { id column text votes } }
  }
  participation(boardId: $id) { isOwner votesUsed votesLeft myVotes { noteId count } myNoteIds }
  me { id name }
}"""


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str = ""
    lines: list[str] = field(default_factory=list)

    def post(self, query: str, variables: dict[str, Any], auth: dict[str, str]) -> Any:
        request = urllib.request.Request(
            f"{self.url}/graphql",
            data=json.dumps({"query": query, "variables": variables}).encode(),
            headers={"content-type": "application/json", **auth},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return {"status": error.code, **json.loads(error.read())}

    def data(self, query: str, variables: dict[str, Any], auth: dict[str, str]) -> Any:
        body = self.post(query, variables, auth)
        assert not body.get("errors"), body
        return body["data"]

    def config(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.url}/config.json", timeout=10) as answer:
            return dict(json.loads(answer.read()))


def _start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("RETRO_DYNAMODB_ENDPOINT", None)
    return subprocess.Popen(
        [sys.executable, "-m", "retro_tools.cli", "serve", "--port", "0", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@contextmanager
def served(*args: str) -> Iterator[Served]:
    """`retro serve` with these options, ready; killed at the end if still running."""
    server = Served(_start(*args))
    assert server.process.stdout is not None
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            line = server.process.stdout.readline()
            if not line:
                break
            server.lines.append(line.rstrip())
            if line.startswith("Retro is ready at "):
                server.url = line.split()[-1]
                break
        assert server.url, "no ready line:\n" + "\n".join(server.lines)
        yield server
    finally:
        if server.process.poll() is None:
            server.process.kill()
        server.process.wait(timeout=20)


def _banner(server: Served, label: str) -> str:
    """The value of the banner's line starting with `label`."""
    return next(line[len(label) :].strip() for line in server.lines if line.startswith(label))


def test_a_restart_on_the_same_data_directory_keeps_everything(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with served("--data-dir", str(data_dir), "--demo") as first:
        demo = _banner(first, "  demo board").split("/#/board/")[1]
        session = first.data(
            'mutation { createUser(name: "Ana") { token user { id } } }', {}, ANONYMOUS
        )["createUser"]
        auth = {"authorization": session["token"]}
        board = first.data(
            "mutation($i: CreateBoardInput!) { createBoard(input: $i) { id } }",
            {"i": {"title": "Sprint 7", "settings": {"voteBudget": 3}}},
            auth,
        )["createBoard"]["id"]
        notes = [
            first.data(
                "mutation($i: AddNoteInput!) { addNote(input: $i) { id } }",
                {"i": {"boardId": board, "column": column, "text": text}},
                auth,
            )["addNote"]["id"]
            for column, text in (("GOOD", "pairing"), ("ACTION", "fix the deploy"))
        ]
        for _ in range(2):
            first.data(
                "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { votes } }",
                {"b": board, "n": notes[0]},
                auth,
            )
        before = first.data(PAGE, {"id": board}, auth)
        assert before["participation"]["votesUsed"] == 2
        first.process.send_signal(signal.SIGKILL)  # no shutdown: only what each write flushed

    with served("--data-dir", str(data_dir), "--demo") as second:
        assert set(second.config()) == {"graphqlUrl", "realtimeUrl"}  # no API key to keep
        # The demo board is found again, not seeded twice.
        assert _banner(second, "  demo board").endswith(f"/#/board/{demo}")
        assert second.data(PAGE, {"id": board}, auth) == before  # board, notes, votes, me
        third = second.data(
            "mutation($b: ID!, $n: ID!) { vote(boardId: $b, noteId: $n) { votes } }",
            {"b": board, "n": notes[1]},
            auth,
        )
        assert third["vote"]["votes"] == 1
        second.process.send_signal(signal.SIGTERM)
        assert second.process.wait(timeout=20) == 0

    # What was restored was compacted into DynamoDB's export format; the log holds the rest.
    snapshot = (data_dir / "dynamodb" / "retro.items.jsonl").read_text().splitlines()
    assert snapshot
    assert all(set(json.loads(line)) == {"Item"} for line in snapshot)
    changes = (data_dir / "dynamodb" / "retro.changes.jsonl").read_text().splitlines()
    assert any('"votes":{"N":"1"}' in line and notes[1] in line for line in changes)

    with served("--in-memory") as forgetful:
        assert "in memory" in _banner(forgetful, "  data")
        refused_token = forgetful.post(PAGE, {"id": board}, auth)
        assert refused_token["status"] == 401  # the user is gone, so is its token
        stranger = forgetful.data("mutation { createUser { token } }", {}, ANONYMOUS)["createUser"][
            "token"
        ]
        board_only = "query($id: ID!) { board(id: $id) { id } }"
        assert forgetful.data(board_only, {"id": board}, {"authorization": stranger}) == {
            "board": None
        }


def test_one_server_per_data_directory(tmp_path: Path) -> None:
    first, second = DataDir(tmp_path), DataDir(tmp_path)
    first.lock()
    try:
        with pytest.raises(DataDirError) as refused:
            second.lock()
        assert f"{tmp_path} is in use by retro serve (pid {os.getpid()})" in str(refused.value)
        assert "--data-dir OTHER_PATH or --in-memory" in str(refused.value)
    finally:
        first.unlock()
    second.lock()  # free again once the first lets go (or dies: the kernel drops the lock)
    second.unlock()


def test_the_demo_token_is_explained_with_the_clients_storage_key(tmp_path: Path) -> None:
    """The banner's localStorage line uses the key the browser client reads its token from."""
    from retro_tools.serve.demo import explain

    api = (ROOT / "client" / "js" / "api.js").read_text(encoding="utf-8")
    assert "`retro.token:${config.graphqlUrl}`" in api
    lines = "\n".join(explain("http://127.0.0.1:4000", "B1", "T1"))
    assert 'localStorage.setItem("retro.token:http://127.0.0.1:4000/graphql", "T1")' in lines
    assert '{"Authorization": "T1"}' in lines
    assert "owns the demo board" in lines
    # ... and a link that opens the board as its owner (the client takes the token once)
    assert "  as owner   http://127.0.0.1:4000/#/board/B1?owner=T1\n" in lines


# -- the embedded DynamoDB's files, through boto3 ---------------------------------------------
KEYS = {
    "AttributeDefinitions": [
        {"AttributeName": "pid", "AttributeType": "S"},
        {"AttributeName": "cid", "AttributeType": "S"},
    ],
    "KeySchema": [
        {"AttributeName": "pid", "KeyType": "HASH"},
        {"AttributeName": "cid", "KeyType": "RANGE"},
    ],
    "BillingMode": "PAY_PER_REQUEST",
}


@contextmanager
def dynamodb(directory: Path) -> Iterator[Any]:
    """An embedded DynamoDB kept in `directory` (in this process: tables named uniquely)."""
    server = AtomicMotoServer(data_dir=directory)
    endpoint = server.start()
    try:
        yield boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
    finally:
        server.stop()


def _item(pid: str, cid: str, **more: str) -> dict[str, Any]:
    return {"pid": {"S": pid}, "cid": {"S": cid}} | {k: {"S": v} for k, v in more.items()}


def test_every_kind_of_write_is_kept_and_only_what_succeeded(tmp_path: Path) -> None:
    name = f"kept-{uuid.uuid4().hex}"
    with dynamodb(tmp_path) as client:
        client.create_table(TableName=name, **KEYS)
        client.put_item(TableName=name, Item=_item("a", "1", text="v1"))
        client.update_item(
            TableName=name,
            Key=_item("a", "1"),
            UpdateExpression="SET #t = :t",
            ExpressionAttributeNames={"#t": "text"},
            ExpressionAttributeValues={":t": {"S": "v2"}},
        )
        client.batch_write_item(
            RequestItems={name: [{"PutRequest": {"Item": _item("b", str(i))}} for i in range(3)]}
        )
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": name, "Item": _item("c", "1")}},
                {"Delete": {"TableName": name, "Key": _item("b", "0")}},
                {
                    "ConditionCheck": {
                        "TableName": name,
                        "Key": _item("a", "1"),
                        "ConditionExpression": "attribute_exists(pid)",
                    }
                },
            ]
        )
        client.delete_item(TableName=name, Key=_item("b", "1"))
        with pytest.raises(ClientError):  # refused: nothing of it may be kept
            client.put_item(
                TableName=name, Item=_item("z", "1"), ConditionExpression="attribute_exists(pid)"
            )
        with pytest.raises(ClientError):
            client.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": name, "Item": _item("y", "1")}},
                    {
                        "ConditionCheck": {
                            "TableName": name,
                            "Key": _item("none", "1"),
                            "ConditionExpression": "attribute_exists(pid)",
                        }
                    },
                ]
            )
        expected = sorted(
            json.dumps(i, sort_keys=True) for i in client.scan(TableName=name)["Items"]
        )
        client.delete_table(TableName=name)  # the in-process moto forgets; the files do not
        assert not (tmp_path / f"{name}.changes.jsonl").exists()  # deleting a table deletes them

    # Written again by hand as a previous run would have left them: loaded on CreateTable.
    files = TableFiles(tmp_path, name)
    files.compact([_item("a", "1", text="old")])
    files.append([{"PutRequest": {"Item": json.loads(i)}} for i in expected])
    files.close()
    with files.changes.open("a") as log:
        log.write('{"PutRequest": {"Item": {"pid": {"S"')  # a kill in mid-line
    with dynamodb(tmp_path) as client:
        client.create_table(TableName=name, **KEYS)
        restored = sorted(
            json.dumps(i, sort_keys=True) for i in client.scan(TableName=name)["Items"]
        )
        assert restored == expected
        assert files.changes.read_text() == ""  # compacted into the snapshot
        client.delete_table(TableName=name)


def test_a_data_directory_that_does_not_fit_is_refused_clearly(tmp_path: Path) -> None:
    name = f"unfit-{uuid.uuid4().hex}"
    unfit = '{"Item": {"id": {"S": "no pid/cid"}}}\n'
    (tmp_path / f"{name}.items.jsonl").write_text(unfit)
    with dynamodb(tmp_path) as client:
        with pytest.raises(ClientError) as refused:
            client.create_table(TableName=name, **KEYS)
        message = refused.value.response["Error"]["Message"]
        assert f"{name}.items.jsonl, line 1: no key attribute 'pid'" in message
        assert "--in-memory" in message
        # Nothing was thrown away: the file is as it was.
        assert (tmp_path / f"{name}.items.jsonl").read_text() == unfit
        client.delete_table(TableName=name)
