"""DynamoDB's wire format: items in and out, keys, and the arguments of expressions.

Pure functions with no client: what `Table` sends and what it gets back, translated here once.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

__all__ = [
    "Condition",
    "Item",
    "Key",
    "condition_args",
    "dump",
    "key_args",
    "load",
    "update_args",
]

Item = dict[str, Any]
Key = tuple[str, str]


@dataclass(frozen=True)
class Condition:
    """A condition expression with its placeholders — built in `retro.store.keys` (those on a
    version's stage and timer in `retro.store.gates`), nowhere else."""

    expression: str
    names: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Any] = field(default_factory=dict)


_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def dump(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item (or placeholder values) in wire format; None attributes are left out."""
    return {k: _serializer.serialize(v) for k, v in item.items() if v is not None}


def _value(raw: Any) -> Any:
    """One attribute value from DynamoDB's wire format ({"S": "..."}, {"N": "1"}, ...)."""
    # Most attributes are strings ({"S": ...}), and TypeDeserializer's generic dispatch was 45 %
    # of a warm board page (docs/PERFORMANCE.md): a string is taken as it is, which is what
    # TypeDeserializer returns for it; every other type still goes through TypeDeserializer.
    if len(raw) == 1 and "S" in raw:
        return raw["S"]
    value = _deserializer.deserialize(raw)
    # DynamoDB numbers come back as Decimal; Retro only stores integers.
    return int(value) if type(value).__name__ == "Decimal" else value


def load(raw: Mapping[str, Any]) -> Item:
    """An item from wire format, with numbers as int."""
    return {k: _value(v) for k, v in raw.items()}


def key_args(key: Key) -> dict[str, Any]:
    """A (`pid`, `cid`) key in wire format."""
    return {"pid": {"S": key[0]}, "cid": {"S": key[1]}}


def condition_args(condition: Condition | None) -> dict[str, Any]:
    """ConditionExpression and its placeholders, or nothing for no condition."""
    if condition is None:
        return {}
    args: dict[str, Any] = {"ConditionExpression": condition.expression}
    if condition.names:
        args["ExpressionAttributeNames"] = dict(condition.names)
    if condition.values:
        args["ExpressionAttributeValues"] = dump(condition.values)
    return args


def update_args(
    set_: Mapping[str, Any] | None,
    add: Mapping[str, int] | None,
    condition: Condition | None,
) -> dict[str, Any]:
    """UpdateExpression and placeholders; a `None` in `set_` removes that attribute."""
    names: dict[str, str] = dict(condition.names) if condition else {}
    values: dict[str, Any] = dict(condition.values) if condition else {}
    sets, removes, adds = [], [], []
    for i, (name, value) in enumerate((set_ or {}).items()):
        names[f"#s{i}"] = name
        if value is None:
            removes.append(f"#s{i}")
        else:
            values[f":s{i}"] = value
            sets.append(f"#s{i} = :s{i}")
    for i, (name, amount) in enumerate((add or {}).items()):
        names[f"#a{i}"] = name
        values[f":a{i}"] = amount
        adds.append(f"#a{i} :a{i}")
    clauses = [
        f"{verb} {', '.join(parts)}"
        for verb, parts in (("SET", sets), ("REMOVE", removes), ("ADD", adds))
        if parts
    ]
    args: dict[str, Any] = {"UpdateExpression": " ".join(clauses)}
    if condition:
        args["ConditionExpression"] = condition.expression
    if names:
        args["ExpressionAttributeNames"] = names
    if values:
        args["ExpressionAttributeValues"] = dump(values)
    return args
