"""A table's items on disk, in DynamoDB's own formats: a snapshot and the changes since it.

- `<table>.items.jsonl`: every item, one `{"Item": {...}}` per line in DynamoDB JSON — the
  format of DynamoDB's export to S3 (`DYNAMODB_JSON`), which its import from S3 also reads.
- `<table>.changes.jsonl`: the writes since the snapshot, one per line as BatchWriteItem's
  `WriteRequest`: `{"PutRequest": {"Item": ...}}` with an item's whole new state, or
  `{"DeleteRequest": {"Key": ...}}`. Appended with one `write` per request, flushed to the
  operating system before the request is answered: a killed process loses no answered write.

Each change holds an item's entire state, so replaying the log over a snapshot that already
has some of it gives the same table; compaction (a new snapshot swapped in atomically, then an
empty log) is safe to interrupt anywhere. A last line cut short by a kill is ignored.
"""

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

__all__ = ["TableFiles", "key_of"]

log = logging.getLogger("retro_tools.serve.persistence")

Item = dict[str, Any]  # DynamoDB JSON: {"name": {"S": "..."}, ...}

# DynamoDB's own rule for table names: no separator, so the name is a safe file name.
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")


def key_of(attributes: Item, key_names: Sequence[str]) -> str:
    """An item's primary key as one comparable string."""
    return json.dumps([attributes[name] for name in key_names], sort_keys=True)


class TableFiles:
    def __init__(self, directory: Path, table: str) -> None:
        if not _TABLE_NAME.match(table):
            raise ValueError(f"not a DynamoDB table name: {table!r}")
        self.table = table
        self.snapshot = directory / f"{table}.items.jsonl"
        self.changes = directory / f"{table}.changes.jsonl"
        self._log: IO[str] | None = None

    def exists(self) -> bool:
        return self.snapshot.exists() or self.changes.exists()

    def load(self, key_names: Sequence[str]) -> list[Item]:
        """The table's items: the snapshot with the changes applied in order."""
        items: dict[str, Item] = {}
        for where, kind, attributes in self._entries():
            try:
                key = key_of(attributes, key_names)
            except KeyError as missing:
                raise ValueError(f"{where}: no key attribute {missing}") from None
            if kind == "DeleteRequest":
                items.pop(key, None)
            else:
                items[key] = attributes
        return list(items.values())

    def _entries(self) -> Iterator[tuple[str, str, Item]]:
        yield from _lines(self.snapshot, ("Item",), tolerate_cut=False)
        yield from _lines(self.changes, ("PutRequest", "DeleteRequest"), tolerate_cut=True)

    def compact(self, items: Iterable[Item]) -> None:
        """Make `items` the snapshot (atomically) and empty the log."""
        self.close()
        temporary = self.snapshot.with_name(f".{self.snapshot.name}.tmp")
        with temporary.open("w", encoding="utf-8") as file:
            file.writelines(json.dumps({"Item": item}) + "\n" for item in items)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.snapshot)
        _sync_directory(self.snapshot.parent)
        with self.changes.open("w", encoding="utf-8"):
            pass

    def append(
        self, requests: Sequence[Item], *, encoder: type[json.JSONEncoder] | None = None
    ) -> None:
        """Log WriteRequests: one write, flushed, so a kill cuts at most the last line."""
        if not requests:
            return
        if self._log is None:
            self._log = self.changes.open("a", encoding="utf-8")
        lines = (json.dumps(r, cls=encoder, separators=(",", ":")) + "\n" for r in requests)
        self._log.write("".join(lines))
        self._log.flush()

    def remove(self) -> None:
        """The table was deleted: so is what was kept of it."""
        self.close()
        self.snapshot.unlink(missing_ok=True)
        self.changes.unlink(missing_ok=True)

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


def _lines(
    path: Path, kinds: Sequence[str], *, tolerate_cut: bool
) -> Iterator[tuple[str, str, Item]]:
    """(where, kind, attributes) per line: kind "Item", "PutRequest" or "DeleteRequest"."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            entry = json.loads(line)
        except ValueError:
            if tolerate_cut and number == len(lines):
                log.warning("%s: ignored, cut short (the server was killed while writing)", where)
                return
            raise ValueError(f"{where}: not JSON") from None
        kind = next(iter(entry), "") if isinstance(entry, dict) and len(entry) == 1 else ""
        body = entry[kind] if kind in kinds else None
        attributes = body if kind == "Item" else _field(body, kind)
        if not isinstance(attributes, dict):
            raise ValueError(f"{where}: not one of {', '.join(kinds)}")
        yield where, kind, attributes


def _field(body: Any, kind: str) -> Any:
    """A WriteRequest's item (PutRequest) or key (DeleteRequest)."""
    if not isinstance(body, dict):
        return None
    return body.get("Item" if kind == "PutRequest" else "Key")


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
