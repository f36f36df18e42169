"""DynamoDB's wire format: items in and out, keys, and the arguments of expressions.

Pure functions with no client: what `Table` sends and what it gets back, translated here once.

The wire format's types are translated here rather than by boto3's TypeSerializer and
TypeDeserializer: those live in the `boto3` package, whose import (with s3transfer) was a third
of a handler's cold start while the handlers need only botocore's client (docs/PERFORMANCE.md).
The translation is DynamoDB's documented attribute types, nothing more, and reads as boto3's
does except that numbers come back as int (Retro stores only whole numbers); a test compares
both on every type.
"""

from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple

__all__ = [
    "EMPTY",
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

# The default of a record's mapping fields: records are tuples, so a default is shared, and
# this one cannot be changed through any of them.
EMPTY: Mapping[str, Any] = MappingProxyType({})


class Condition(NamedTuple):
    """A condition expression with its placeholders — built in `retro.store.keys` (those on a
    version's stage and timer in `retro.store.gates`), nowhere else."""

    expression: str
    names: Mapping[str, str] = EMPTY
    values: Mapping[str, Any] = EMPTY


def _wire(value: Any) -> dict[str, Any]:
    """One attribute value in wire format ({"S": "..."}, {"N": "1"}, ...), as TypeSerializer."""
    for kinds, tag, encode in _WRITERS:
        if isinstance(value, kinds):
            return {tag: encode(value)}
    if isinstance(value, set | frozenset) and value:  # a set of one type: SS, NS or BS
        members = [_wire(v) for v in value]
        tags = {tag for member in members for tag in member}
        if len(tags) == 1 and (tag := tags.pop()) in ("S", "N", "B"):
            return {f"{tag}S": [member[tag] for member in members]}
    raise TypeError(f"{type(value).__name__} {value!r} has no DynamoDB type Retro stores")


# (Python types, DynamoDB type, encoding), first match wins: bool before int (a bool is an int).
_WRITERS: tuple[tuple[Any, str, Callable[[Any], Any]], ...] = (
    (type(None), "NULL", lambda _: True),
    (bool, "BOOL", bool),
    (str, "S", str),
    (int | Decimal, "N", str),
    (bytes | bytearray, "B", bytes),
    (Mapping, "M", lambda m: {str(k): _wire(v) for k, v in m.items()}),
    (list | tuple, "L", lambda items: [_wire(v) for v in items]),
)


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:  # another form ("1E+2"): whole numbers only, as before
        return int(Decimal(text))


def _value(raw: Mapping[str, Any]) -> Any:
    """One attribute value from wire format; numbers as int (Retro stores only integers)."""
    text = raw.get("S")
    if text is not None:  # most attributes are strings: taken as they are, no dispatch
        return text
    ((tag, value),) = raw.items()
    if tag not in _READERS:
        raise TypeError(f"unknown DynamoDB type {tag!r}")
    return _READERS[tag](value)


_READERS: dict[str, Callable[[Any], Any]] = {
    "S": str,
    "B": bytes,
    "BOOL": bool,
    "N": _number,
    "NULL": lambda _: None,
    "M": lambda m: {k: _value(v) for k, v in m.items()},
    "L": lambda items: [_value(v) for v in items],
    "SS": set,
    "BS": set,
    "NS": lambda numbers: {_number(n) for n in numbers},
}


def dump(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item (or placeholder values) in wire format; None attributes are left out."""
    return {k: _wire(v) for k, v in item.items() if v is not None}


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
