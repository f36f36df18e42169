"""Queries in the embedded DynamoDB at a cost that does not grow with the table.

moto answers every query by listing every item of the table, sorted, and testing each: ~8 ms of
CPU per thousand items for each query. Retro reads a partition (`children`) or finds an item by
its own id through `cid_si` several times a request, so the local server slowed as its table
grew: a test session's server, shared by every test of a worker, took four times as long for
the same requests late in a run (tests/hardening/test_anonymity ran out of its 120 s). DynamoDB's
cost does not depend on the table's size; the local one should not either.

`install()` changes only which items a query looks at: a query of the table looks at its
partition's items, a query of an index whose one key is the table's sort key (`cid_si`) at the
items with that sort key, found by a dictionary lookup per partition; then moto's own query
runs on them — its checks, sort, projection, paging and answer unchanged. Any other query is
moto's, untouched. The embedded server's process installs it (`retro_tools/serve/moto_atomic.py`),
and so do the tests' in-process moto (`tests/moto_dynamodb.py`), where threads query at once:
the candidates are the calling thread's, so one thread's query never sees another's.
"""

import functools
import inspect
import threading
from typing import Any

from moto.dynamodb.models.table import Table

__all__ = ["install"]


def _candidates(table: Table, asked: dict[str, Any]) -> list[Any] | None:
    """The only items a query can answer, found by lookup, or None to let moto list them all:
    a partition's items for a query of the table, the items with one sort key for a query of
    an index keyed on the table's sort key (Retro's `cid_si`)."""
    if not table.range_key_attr:
        return None
    index_name, conditions = asked.get("index_name"), asked.get("hash_key_conditions")
    if not index_name:
        partition = asked.get("hash_key")
        if partition is None:
            return None
        # (`items` is a defaultdict: looking a partition up must not make it)
        return list(table.items[partition].values()) if partition in table.items else []
    if not conditions or len(conditions) != 1 or conditions[0][0] != table.range_key_attr:
        return None
    index = next((i for i in table.all_indexes() if i.name == index_name), None)
    if index is None or index.schema != [
        {"AttributeName": table.range_key_attr, "KeyType": "HASH"}
    ]:
        return None
    value = conditions[0][1]
    return [by_sort[value] for by_sort in table.items.values() if value in by_sort]


def install() -> None:
    """Find a query's candidates by lookup (idempotent)."""
    original = Table.query
    if getattr(original, "_by_lookup", False):
        return
    signature = inspect.signature(original)
    listed = Table.all_items
    asking = threading.local()  # (table, its candidates) while this thread's query runs

    @functools.wraps(listed)
    def all_items(self: Table) -> Any:
        found = getattr(asking, "found", None)
        if found is not None and found[0] is self:
            return list(found[1])
        return listed(self)

    @functools.wraps(original)
    def query(self: Table, *args: Any, **kwargs: Any) -> Any:
        found = _candidates(self, signature.bind(self, *args, **kwargs).arguments)
        if found is None:
            return original(self, *args, **kwargs)
        # in the order moto's all_items() gives them
        found.sort(key=lambda item: (item.hash_key, item.range_key))
        asking.found = (self, found)
        try:
            return original(self, *args, **kwargs)
        finally:
            asking.found = None

    query._by_lookup = True  # type: ignore[attr-defined]
    Table.all_items = all_items  # type: ignore[method-assign]
    Table.query = query  # type: ignore[method-assign]
