"""The embedded DynamoDB keeps its tables in a directory, as DynamoDB Local's `-dbPath` does.

A WSGI layer in front of moto's server, speaking only DynamoDB's public API and files in
DynamoDB's own formats (`table_files.py`):

- after each successful write (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
  TransactWriteItems), it reads back the items the request named (one BatchGetItem, strongly
  consistent) and appends their new state to the table's log before the answer leaves: what a
  client was told is written is on disk, whatever the request's own ReturnValues, conditions or
  idempotency token did;
- when a table is created (`retro serve` creates its table at each start), what was kept of a
  table of that name is loaded into it with BatchWriteItem, then compacted into a new snapshot;
- when a table is deleted, so are its files.

Reads pass straight through (one header looked at). It runs inside the one-request-at-a-time
lock (`moto_atomic.py`), so the log's order is the order writes were applied. Not kept: writes
through PartiQL (ExecuteStatement...), table settings changed after creation (UpdateTable).
"""

import io
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from retro_tools.serve.table_files import Item, TableFiles, key_of

__all__ = ["Persistence"]

log = logging.getLogger("retro_tools.serve.persistence")

_PREFIX = "DynamoDB_20120810."
_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
_TABLES = {"CreateTable", "DeleteTable"}
_WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Persistence:
    """WSGI middleware: moto's DynamoDB, its tables kept in `directory`."""

    def __init__(self, app: _WSGIApp, directory: Path) -> None:
        self._app = app
        self._directory = directory
        self._files: dict[str, TableFiles] = {}
        self._key_names: dict[str, list[str]] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        operation = target[len(_PREFIX) :] if target.startswith(_PREFIX) else ""
        if operation not in _WRITES and operation not in _TABLES:
            return list(self._app(environ, start_response))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        status, headers, answer = self._call_app(environ)
        if status.startswith("200"):
            try:
                request = json.loads(body)
                if operation == "CreateTable":
                    self._restore(environ, request)
                elif operation == "DeleteTable":
                    self._forget(request["TableName"])
                else:
                    self._keep(environ, operation, request)
            except _RestoreError as error:
                status, headers, answer = _error(str(error))
            except Exception:
                log.exception("could not keep a %s on disk: it will be lost at restart", operation)
        start_response(status, headers)
        return [answer]

    # -- writes ------------------------------------------------------------------------------
    def _keep(self, environ: dict[str, Any], operation: str, request: Any) -> None:
        named: dict[str, dict[str, Item]] = {}  # table → key string → key attributes
        for table, attributes in _named(operation, request):
            names = self._keys(environ, table)
            key = {name: attributes[name] for name in names}
            named.setdefault(table, {})[key_of(key, names)] = key
        for table, keys in named.items():
            found = self._read(environ, table, list(keys.values()))
            self._table(table).append(
                [
                    {"PutRequest": {"Item": found[text]}}
                    if text in found
                    else {"DeleteRequest": {"Key": key}}
                    for text, key in keys.items()
                ]
            )

    def _read(self, environ: dict[str, Any], table: str, keys: list[Item]) -> dict[str, Item]:
        """The items at `keys` now, by key string (absent: deleted)."""
        names = self._keys(environ, table)
        found: dict[str, Item] = {}
        pending = keys
        while pending:
            chunk, pending = pending[:100], pending[100:]
            request: dict[str, Any] = {table: {"Keys": chunk, "ConsistentRead": True}}
            while request:
                answer = self._call(environ, "BatchGetItem", {"RequestItems": request})
                for item in answer.get("Responses", {}).get(table, []):
                    found[key_of(item, names)] = item
                request = answer.get("UnprocessedKeys") or {}
        return found

    def _keys(self, environ: dict[str, Any], table: str) -> list[str]:
        """The table's key attribute names (hash, then range), asked once."""
        if table not in self._key_names:
            described = self._call(environ, "DescribeTable", {"TableName": table})
            schema = described["Table"]["KeySchema"]
            self._key_names[table] = _key_names(schema)
        return self._key_names[table]

    # -- tables ------------------------------------------------------------------------------
    def _restore(self, environ: dict[str, Any], request: Any) -> None:
        table = request["TableName"]
        names = _key_names(request["KeySchema"])
        self._key_names[table] = names
        files = self._table(table)
        if not files.exists():
            return
        try:
            items = files.load(names)
            for start in range(0, len(items), 25):
                puts = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
                pending: dict[str, Any] = {table: puts}
                while pending:
                    answer = self._call(environ, "BatchWriteItem", {"RequestItems": pending})
                    pending = answer.get("UnprocessedItems") or {}
            files.compact(items)
        except (OSError, ValueError, _CallError) as error:
            raise _RestoreError(
                f"the embedded DynamoDB could not restore table {table} from "
                f"{self._directory}: {error}. Move that directory away, or start with "
                "--data-dir OTHER_PATH or --in-memory"
            ) from error
        log.info("restored %d items of %s from %s", len(items), table, self._directory)

    def _forget(self, table: str) -> None:
        self._key_names.pop(table, None)
        self._table(table).remove()
        self._files.pop(table, None)

    def _table(self, table: str) -> TableFiles:
        if table not in self._files:
            self._files[table] = TableFiles(self._directory, table)
        return self._files[table]

    def close(self) -> None:
        for files in self._files.values():
            files.close()

    # -- moto, in this process ---------------------------------------------------------------
    def _call_app(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
        seen: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], *_: Any) -> Any:
            seen[:] = [status, headers]
            return lambda _data: None

        result = self._app(environ, start_response)
        try:
            answer = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return seen[0], seen[1], answer

    def _call(self, environ: dict[str, Any], operation: str, request: Any) -> Any:
        """A DynamoDB call to moto with the credentials (account, region) of `environ`'s."""
        body = json.dumps(request).encode()
        inner = {k: v for k, v in environ.items() if k != "werkzeug.request"}
        inner.update(
            {
                "REQUEST_METHOD": "POST",
                "wsgi.input": io.BytesIO(body),
                "CONTENT_LENGTH": str(len(body)),
                "HTTP_X_AMZ_TARGET": _PREFIX + operation,
            }
        )
        status, _, answer = self._call_app(inner)
        parsed = json.loads(answer or b"{}")
        if not status.startswith("200"):
            raise _CallError(f"{operation}: {parsed.get('message') or parsed.get('Message')}")
        return parsed


class _CallError(RuntimeError):
    pass


class _RestoreError(RuntimeError):
    pass


def _key_names(schema: list[dict[str, str]]) -> list[str]:
    ordered = sorted(schema, key=lambda k: k["KeyType"] != "HASH")
    return [entry["AttributeName"] for entry in ordered]


def _named(operation: str, request: Any) -> Iterator[tuple[str, Item]]:
    """(table, item or key) of each item a successful write request named."""
    if operation == "PutItem":
        yield request["TableName"], request["Item"]
    elif operation in {"UpdateItem", "DeleteItem"}:
        yield request["TableName"], request["Key"]
    elif operation == "BatchWriteItem":
        for table, writes in request["RequestItems"].items():
            for write in writes:
                put = write.get("PutRequest")
                yield table, put["Item"] if put else write["DeleteRequest"]["Key"]
    else:  # TransactWriteItems
        for entry in request["TransactItems"]:
            for kind, action in entry.items():
                if kind != "ConditionCheck":
                    yield action["TableName"], action["Item"] if kind == "Put" else action["Key"]


def _error(message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """A DynamoDB error the SDKs do not retry, with `message`."""
    body = json.dumps(
        {"__type": "com.amazonaws.dynamodb.v20120810#ValidationException", "message": message}
    ).encode()
    headers = [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(body)))]
    return "400 Bad Request", headers, body
