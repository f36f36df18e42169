"""The actions of a transaction, one type per kind, each able to say its request.

A kind's required parts are its fields, so a Put without an item or an Update without a key
cannot be built at all.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from retro.store.codec import Condition, Item, Key, condition_args, dump, key_args, update_args

__all__ = ["Action", "Check", "Delete", "Put", "Update"]


@dataclass(frozen=True)
class Put:
    """Write a whole item (create it with `keys.not_exists()`)."""

    item: Item
    condition: Condition | None = None

    def request(self, table: str) -> dict[str, Any]:
        body = {"TableName": table, "Item": dump(self.item), **condition_args(self.condition)}
        return {"Put": body}


@dataclass(frozen=True)
class Update:
    """Set (a None value removes) and add to (atomic counters) attributes of one item."""

    key: Key
    set_: Mapping[str, Any] = field(default_factory=dict)
    add: Mapping[str, int] = field(default_factory=dict)
    condition: Condition | None = None

    def request(self, table: str) -> dict[str, Any]:
        args = update_args(self.set_, self.add, self.condition)
        return {"Update": {"TableName": table, "Key": key_args(self.key), **args}}


@dataclass(frozen=True)
class Delete:
    key: Key
    condition: Condition | None = None

    def request(self, table: str) -> dict[str, Any]:
        args = condition_args(self.condition)
        return {"Delete": {"TableName": table, "Key": key_args(self.key), **args}}


@dataclass(frozen=True)
class Check:
    """A bare condition on an item the transaction does not change."""

    key: Key
    condition: Condition

    def request(self, table: str) -> dict[str, Any]:
        args = condition_args(self.condition)
        return {"ConditionCheck": {"TableName": table, "Key": key_args(self.key), **args}}


Action = Put | Update | Delete | Check
