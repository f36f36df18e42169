"""The embedded DynamoDB keeps its tables in a directory, as DynamoDB Local's `-dbPath` does.

A WSGI layer in front of moto's server, writing files in DynamoDB's own formats
(`table_files.py`):

- after each successful write (PutItem, UpdateItem, DeleteItem, BatchWriteItem,
  TransactWriteItems) it appends the new state of every item the request wrote to the table's
  log, before the answer leaves: what a client was told is written is on disk. Which items:
  moto's backend reports each item it puts, updates or deletes while the request runs (the
  three methods every such write goes through, wrapped as `moto_rollback.py` wraps
  transactions); their state is read once the request has succeeded, so a transaction that
  failed half-way, or a retry answered from its token (`moto_tokens.py`, in front), logs nothing;
- when a table is created (`retro serve` creates its table at each start), what was kept of a
  table of that name is loaded into it with BatchWriteItem, then compacted into a new snapshot;
- when a table is deleted, so are its files.

Reads pass straight through (one header looked at). It runs inside the one-request-at-a-time
lock (`moto_atomic.py`), so the log's order is the order writes were applied. Not kept: writes
through PartiQL (ExecuteStatement...), table settings changed after creation (UpdateTable).
"""

import functools
import io
import json
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.utilities import DynamoJsonEncoder

from retro_tools.serve.table_files import TableFiles

__all__ = ["Persistence"]

log = logging.getLogger("retro_tools.serve.persistence")

_PREFIX = "DynamoDB_20120810."
_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
_TABLES = {"CreateTable", "DeleteTable"}
_WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_Written = dict[tuple[int, Any, Any], tuple[Any, Any, Any]]  # → (table, hash key, range key)

# The items written by the request this thread is serving for a Persistence; None otherwise
# (moto is process-wide: another server's or a test's writes are not this one's).
_written = threading.local()


def _report(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def reporting(backend: Any, table_name: str, *args: Any, **kwargs: Any) -> Any:
        item = method(backend, table_name, *args, **kwargs)
        written: _Written | None = getattr(_written, "items", None)
        if written is not None and item is not None:
            table = backend.get_table(table_name)
            written[(id(table), item.hash_key, item.range_key)] = (
                table,
                item.hash_key,
                item.range_key,
            )
        return item

    reporting._reports_writes = True  # type: ignore[attr-defined]
    return reporting


def _install() -> None:
    """Have moto's backend report the items it writes (idempotent)."""
    for name in ("put_item", "update_item", "delete_item"):
        method = getattr(DynamoDBBackend, name)
        if not getattr(method, "_reports_writes", False):
            setattr(DynamoDBBackend, name, _report(method))


class Persistence:
    """WSGI middleware: moto's DynamoDB, its tables kept in `directory`."""

    def __init__(self, app: _WSGIApp, directory: Path) -> None:
        _install()
        self._app = app
        self._directory = directory
        self._files: dict[str, TableFiles] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        operation = target[len(_PREFIX) :] if target.startswith(_PREFIX) else ""
        if operation in _WRITES:
            return self._write(environ, start_response, operation)
        if operation not in _TABLES:
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
                else:
                    self._forget(request["TableName"])
            except _RestoreError as error:
                status, headers, answer = _error(str(error))
            except Exception:
                log.exception("could not keep a %s on disk", operation)
        start_response(status, headers)
        return [answer]

    # -- writes ------------------------------------------------------------------------------
    def _write(
        self, environ: dict[str, Any], start_response: Callable[..., Any], operation: str
    ) -> list[bytes]:
        written: _Written = {}
        _written.items = written
        try:
            status, headers, answer = self._call_app(environ)
        finally:
            _written.items = None
        if status.startswith("200") and written:
            try:
                self._keep(written)
            except Exception:
                log.exception("could not keep a %s on disk: it will be lost at restart", operation)
        start_response(status, headers)
        return [answer]

    def _keep(self, written: _Written) -> None:
        """Log the present state of each item written: the whole item, or its deletion."""
        changes: dict[str, list[dict[str, Any]]] = {}
        for table, hash_key, range_key in written.values():
            item = table.get_item(hash_key, range_key)
            if item is not None:
                change = {"PutRequest": {"Item": item.to_json()["Attributes"]}}
            else:
                key = {table.hash_key_attr: hash_key}
                if range_key is not None:
                    key[table.range_key_attr] = range_key
                change = {"DeleteRequest": {"Key": key}}
            changes.setdefault(table.name, []).append(change)
        for name, table_changes in changes.items():
            self._table(name).append(table_changes, encoder=DynamoJsonEncoder)

    # -- tables ------------------------------------------------------------------------------
    def _restore(self, environ: dict[str, Any], request: Any) -> None:
        table = request["TableName"]
        files = self._table(table)
        if not files.exists():
            return
        try:
            items = files.load(_key_names(request["KeySchema"]))
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


def _error(message: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """A DynamoDB error the SDKs do not retry, with `message`."""
    body = json.dumps(
        {"__type": "com.amazonaws.dynamodb.v20120810#ValidationException", "message": message}
    ).encode()
    headers = [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(body)))]
    return "400 Bad Request", headers, body
