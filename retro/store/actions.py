"""The actions of a transaction, one type per kind, each able to say its request.

A kind's required parts are its fields, so a Put without an item or an Update without a key
cannot be built at all.
"""

from collections.abc import Mapping
from typing import Any, NamedTuple

from retro.store.codec import (
    EMPTY,
    Condition,
    Item,
    Key,
    condition_args,
    dump,
    key_args,
    update_args,
)

__all__ = ["Action", "Check", "Delete", "Put", "Update"]


class Put(NamedTuple):
    """Write a whole item (create it with `keys.not_exists()`)."""

    item: Item
    condition: Condition | None = None

    def request(self, table: str) -> dict[str, Any]:
        body = {"TableName": table, "Item": dump(self.item), **condition_args(self.condition)}
        return {"Put": body}


class Update(NamedTuple):
    """Set (a None value removes) and add to (atomic counters) attributes of one item."""

    key: Key
    set_: Mapping[str, Any] = EMPTY
    add: Mapping[str, int] = EMPTY
    condition: Condition | None = None

    def request(self, table: str) -> dict[str, Any]:
        args = update_args(self.set_, self.add, self.condition)
        return {"Update": {"TableName": table, "Key": key_args(self.key), **args}}


class Delete(NamedTuple):
    key: Key
    condition: Condition | None = None

    def request(self, table: str) -> dict[str, Any]:
        args = condition_args(self.condition)
        return {"Delete": {"TableName": table, "Key": key_args(self.key), **args}}


class Check(NamedTuple):
    """A bare condition on an item the transaction does not change."""

    key: Key
    condition: Condition

    def request(self, table: str) -> dict[str, Any]:
        args = condition_args(self.condition)
        return {"ConditionCheck": {"TableName": table, "Key": key_args(self.key), **args}}


Action = Put | Update | Delete | Check
