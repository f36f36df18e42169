"""Transactions in the embedded DynamoDB at a cost that does not grow with the table.

moto backs up a whole table — a deep copy of every item — before each action of a
`TransactWriteItems`, to roll back if an action fails. Every Retro write is a transaction, so on
the local server each write cost grew with everything ever stored: at a thousand notes a note
took ~100 ms, and a load of 1,000 notes took minutes. DynamoDB's cost does not depend on the
table's size; the local one should not either.

`install()` changes only how the rollback is prepared: the items a transaction names are backed
up (deep copies of those few items) and put back if it fails, instead of whole tables. What
moto checks, writes and answers is unchanged. Only the embedded server's process installs it
(`retro_tools/serve/moto_atomic.py`), where every request already runs alone.
"""

import copy
import functools
from collections.abc import Iterator
from typing import Any

from moto.dynamodb import models
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

__all__ = ["install"]

_Touched = tuple[Any, Any, Any, Any]  # (table, hash key, range key or None, item before or None)


class _CopyExceptTables:
    """`copy` as moto's DynamoDB models see it: a table is not copied, anything else is."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _keys(backend: Any, transact_items: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(table, hash key, range key) of each action; malformed ones are left to moto to refuse."""
    for entry in transact_items if isinstance(transact_items, list) else ():
        if not isinstance(entry, dict) or len(entry) != 1:
            continue
        kind, action = next(iter(entry.items()))
        if not isinstance(action, dict):
            continue
        table = backend.tables.get(action.get("TableName"))
        attributes = action.get("Item") if kind == "Put" else action.get("Key")
        if table is None or not isinstance(attributes, dict):
            continue
        try:
            hash_key = DynamoType(attributes[table.hash_key_attr])
            range_key = (
                DynamoType(attributes[table.range_key_attr]) if table.range_key_attr else None
            )
        except (KeyError, TypeError, ValueError):
            continue
        yield table, hash_key, range_key


def _restore(touched: list[_Touched]) -> None:
    for table, hash_key, range_key, before in reversed(touched):
        if before is None:
            table.delete_item(hash_key, range_key)
        elif range_key is not None:
            table.items[hash_key][range_key] = before
        else:
            table.items[hash_key] = before


def install() -> None:
    """Back up only the items a transaction touches (idempotent)."""
    backend_class = models.DynamoDBBackend
    original = backend_class.transact_write_items
    if getattr(original, "_item_level_rollback", False):
        return

    @functools.wraps(original)
    def transact_write_items(self: Any, transact_items: Any) -> Any:
        touched: list[_Touched] = [
            (table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key)))
            for table, hash_key, range_key in _keys(self, transact_items)
        ]
        try:
            return original(self, transact_items)
        except Exception:
            _restore(touched)  # moto's own rollback now restores the very same tables
            raise

    transact_write_items._item_level_rollback = True  # type: ignore[attr-defined]
    models.copy = _CopyExceptTables()  # type: ignore[assignment,attr-defined]
    backend_class.transact_write_items = transact_write_items  # type: ignore[method-assign]
