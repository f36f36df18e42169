"""The generic single-table layer: items addressed by (`pid`, `cid`), as in the original design.

This is the only module that talks to DynamoDB. It offers the original model wrapper's verbs —
new?, put/save, update, destroy, find by id alone (through `cid_si`), children of a parent (paged),
batch get — plus transactions and a small parallel runner. AWS errors become Retro's domain errors
here and nowhere else; the store never issues a Scan.
"""

import base64
import binascii
import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from dataclasses import dataclass, field
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from retro.errors import RetroError, ValidationError
from retro.settings import Settings

__all__ = [
    "INDEX_BY_ID",
    "TABLE_DEFINITION",
    "Action",
    "Condition",
    "ConditionFailed",
    "Key",
    "Page",
    "RequestLog",
    "Table",
    "TransactionFailed",
    "UnavailableError",
    "record_requests",
]

Item = dict[str, Any]
Key = tuple[str, str]

INDEX_BY_ID = "cid_si"

# The original table, exactly: `pid` (parent id) HASH, `cid` (child id) RANGE, and `cid_si` to
# find an item by its own id alone. `infra/dynamodb.tf` declares the same (a test holds them equal).
TABLE_DEFINITION: dict[str, Any] = {
    "AttributeDefinitions": [
        {"AttributeName": "pid", "AttributeType": "S"},
        {"AttributeName": "cid", "AttributeType": "S"},
    ],
    "KeySchema": [
        {"AttributeName": "pid", "KeyType": "HASH"},
        {"AttributeName": "cid", "KeyType": "RANGE"},
    ],
    "GlobalSecondaryIndexes": [
        {
            "IndexName": INDEX_BY_ID,
            "KeySchema": [{"AttributeName": "cid", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }
    ],
    "BillingMode": "PAY_PER_REQUEST",
}

# AppSync gives a request 30 s; a stuck call must fail well before that, and retries are few.
_CLIENT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=2,
    read_timeout=5,
)
_THROTTLED = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}
MAX_PAGE = 100


class UnavailableError(RetroError):
    """DynamoDB is throttling or unreachable: the request may be retried."""


class TransactionFailed(Exception):
    """A transaction was cancelled; `reasons[i]` is the code for its i-th action ("None" = fine)."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(f"transaction cancelled: {reasons}")
        self.reasons = reasons

    def failed(self, index: int) -> bool:
        return index < len(self.reasons) and self.reasons[index] == "ConditionalCheckFailed"


@dataclass(frozen=True)
class Condition:
    """A condition expression with its placeholders — built in `retro.store.keys`, nowhere else."""

    expression: str
    names: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    items: list[Item]
    next_token: str | None


@dataclass
class RequestLog:
    """DynamoDB calls seen while recording, each as (operation, round).

    The round of a call is how many calls its flow of control had waited for before it,
    plus one: calls made side by side by `Table.parallel` share a round. The largest round is
    the number of round trips a request waited for one after another, whatever the timing.
    """

    calls: list[tuple[str, int]] = field(default_factory=list)

    @property
    def operations(self) -> list[str]:
        return [name for name, _ in self.calls]

    @property
    def sequential(self) -> int:
        return max((depth for _, depth in self.calls), default=0)

    def clear(self) -> None:
        """Forget the calls so far and count rounds from zero again in this flow of control."""
        self.calls.clear()
        _rounds.set(0)


_recorders: list[RequestLog] = []
_recorders_lock = threading.Lock()
# Round trips this flow of control has waited for; `Table.parallel` gives each branch a copy.
_rounds: ContextVar[int] = ContextVar("retro_store_rounds", default=0)


@contextmanager
def record_requests() -> Iterator[RequestLog]:
    """Record every DynamoDB call made by any `Table` in this process (tests, benchmarks).

    Rounds count from zero for the code inside the `with` block.
    """
    log = RequestLog()
    token = _rounds.set(0)
    with _recorders_lock:
        _recorders.append(log)
    try:
        yield log
    finally:
        _rounds.reset(token)
        with _recorders_lock:
            _recorders.remove(log)


def _after_call(event_name: str, **_: Any) -> None:
    depth = _rounds.get() + 1
    _rounds.set(depth)
    if not _recorders:
        return
    operation = event_name.rsplit(".", 1)[-1]
    with _recorders_lock:
        for log in _recorders:
            log.calls.append((operation, depth))


_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _dump(item: Mapping[str, Any]) -> dict[str, Any]:
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


def _load(raw: Mapping[str, Any]) -> Item:
    return {k: _value(v) for k, v in raw.items()}


def _key(key: Key) -> dict[str, Any]:
    return {"pid": {"S": key[0]}, "cid": {"S": key[1]}}


def _condition_args(condition: Condition | None) -> dict[str, Any]:
    if condition is None:
        return {}
    args: dict[str, Any] = {"ConditionExpression": condition.expression}
    if condition.names:
        args["ExpressionAttributeNames"] = dict(condition.names)
    if condition.values:
        args["ExpressionAttributeValues"] = _dump(condition.values)
    return args


def encode_token(pid: str, last_key: Mapping[str, Any]) -> str:
    raw = json.dumps({"p": pid, "c": _load(last_key)["cid"]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(pid: str, prefix: str, token: str) -> dict[str, Any]:
    """The ExclusiveStartKey inside `token`, if it was issued for this very list.

    Its `cid` must be one the list could have returned: DynamoDB refuses a start key outside
    the key condition (another prefix), empty, or longer than a sort key may be (1,024 bytes)
    with a ValidationException, which would reach the client as an InternalError.
    """
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        cid = raw["c"]
        if (
            raw["p"] == pid
            and isinstance(cid, str)
            and cid.startswith(prefix)
            and 0 < len(cid.encode()) <= 1024
        ):
            return _key((pid, cid))
    except (ValueError, KeyError, TypeError, binascii.Error):
        pass
    raise ValidationError("nextToken", "is not a token issued for this list")


_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="retro-store")


class Table:
    """One DynamoDB table with the original `pid`/`cid` keys."""

    def __init__(self, settings: Settings, client: Any = None) -> None:
        self.name = settings.table_name
        if client is None:
            client = boto3.session.Session().client(
                "dynamodb",
                region_name=settings.region,
                endpoint_url=str(settings.dynamodb_endpoint)
                if settings.dynamodb_endpoint
                else None,
                config=_CLIENT_CONFIG,
            )
        self.client = client
        client.meta.events.register("after-call.dynamodb", _after_call)

    # -- the table itself ------------------------------------------------------------------
    def create(self) -> None:
        """Create the table with the original keys and index (local server, tests)."""
        self.client.create_table(TableName=self.name, **TABLE_DEFINITION)
        self.client.get_waiter("table_exists").wait(TableName=self.name)

    def exists(self) -> bool:
        try:
            self.client.describe_table(TableName=self.name)
        except ClientError as error:
            if error.response["Error"]["Code"] == "ResourceNotFoundException":
                return False
            raise
        return True

    # -- single items ----------------------------------------------------------------------
    def get(self, key: Key, *, consistent: bool = False) -> Item | None:
        response = self._call("get_item", Key=_key(key), ConsistentRead=consistent)
        raw = response.get("Item")
        return _load(raw) if raw else None

    def is_new(self, key: Key) -> bool:
        """The original `new?`: whether no item has this key."""
        return self.get(key, consistent=True) is None

    def put(self, item: Item, *, condition: Condition | None = None) -> None:
        """Write a whole item (the original `put`/`save`); create with `keys.not_exists()`."""
        self._call("put_item", Item=_dump(item), **_condition_args(condition))

    def update(
        self,
        key: Key,
        *,
        set_: Mapping[str, Any] | None = None,
        add: Mapping[str, int] | None = None,
        condition: Condition | None = None,
    ) -> Item:
        """Change some attributes atomically and return the whole new item (ALL_NEW).

        `set_` values of None remove the attribute; `add` adds to numbers (atomic counters).
        """
        args = _update_args(set_, add, condition)
        response = self._call("update_item", Key=_key(key), ReturnValues="ALL_NEW", **args)
        return _load(response["Attributes"])

    def destroy(self, key: Key, *, condition: Condition | None = None) -> Item | None:
        """Delete an item and return what it was (ALL_OLD), or None if there was none."""
        response = self._call(
            "delete_item", Key=_key(key), ReturnValues="ALL_OLD", **_condition_args(condition)
        )
        raw = response.get("Attributes")
        return _load(raw) if raw else None

    # -- finding -----------------------------------------------------------------------------
    def find_keys(self, cid: str) -> list[Key]:
        """Keys of the items whose own id is `cid`, through the `cid_si` index.

        The index is eventually consistent: an item written a moment ago may not be there yet.
        """
        response = self._call(
            "query",
            IndexName=INDEX_BY_ID,
            KeyConditionExpression="cid = :cid",
            ExpressionAttributeValues={":cid": {"S": cid}},
        )
        return [(raw["pid"]["S"], raw["cid"]["S"]) for raw in response.get("Items", [])]

    def children(
        self,
        pid: str,
        prefix: str,
        *,
        limit: int | None = None,
        next_token: str | None = None,
        newest_first: bool = False,
        consistent: bool = False,
    ) -> Page:
        """Children of `pid` whose `cid` starts with `prefix`, in `cid` order, one page.

        Without `limit`, every child is returned (following DynamoDB's 1 MB pages).
        """
        values = {":pid": {"S": pid}} | ({":prefix": {"S": prefix}} if prefix else {})
        args: dict[str, Any] = {
            "KeyConditionExpression": "pid = :pid"
            + (" AND begins_with(cid, :prefix)" if prefix else ""),
            "ExpressionAttributeValues": values,
            "ScanIndexForward": not newest_first,
            "ConsistentRead": consistent,
        }
        if next_token:
            args["ExclusiveStartKey"] = decode_token(pid, prefix, next_token)
        items: list[Item] = []
        while True:
            if limit is not None:
                args["Limit"] = limit - len(items)
            response = self._call("query", **args)
            items.extend(_load(raw) for raw in response.get("Items", []))
            last = response.get("LastEvaluatedKey")
            if not last or (limit is not None and len(items) >= limit):
                break
            args["ExclusiveStartKey"] = last
        token = encode_token(pid, last) if last and limit is not None else None
        return Page(items=items, next_token=token)

    def batch_get(self, keys: Sequence[Key]) -> list[Item]:
        """Items for `keys` (missing ones are skipped), 100 keys per request, in any order."""
        found: list[Item] = []
        pending = [_key(key) for key in dict.fromkeys(keys)]
        while pending:
            chunk, pending = pending[:100], pending[100:]
            request: dict[str, Any] = {self.name: {"Keys": chunk}}
            while request:
                response = self._call("batch_get_item", RequestItems=request, table=False)
                found.extend(_load(raw) for raw in response["Responses"].get(self.name, []))
                request = response.get("UnprocessedKeys") or {}
        return found

    def delete_many(self, keys: Sequence[Key]) -> None:
        """Delete items unconditionally, 25 per request (cleaning up a deleted board)."""
        pending = [{"DeleteRequest": {"Key": _key(key)}} for key in dict.fromkeys(keys)]
        while pending:
            chunk, pending = pending[:25], pending[25:]
            request: dict[str, Any] = {self.name: chunk}
            while request:
                response = self._call("batch_write_item", RequestItems=request, table=False)
                request = response.get("UnprocessedItems") or {}

    # -- transactions ------------------------------------------------------------------------
    def transact(self, actions: Sequence["Action"]) -> None:
        """Apply all actions or none. Raises TransactionFailed with a reason per action."""
        request = [action.request(self.name) for action in actions]
        try:
            self._call("transact_write_items", TransactItems=request, table=False, raw=True)
        except ClientError as error:
            if error.response["Error"]["Code"] != "TransactionCanceledException":
                raise _translate(error) from error
            reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
            if any(r in {"TransactionConflict", "ThrottlingError"} for r in reasons):
                raise UnavailableError("the board is busy; please retry") from error
            raise TransactionFailed(reasons) from error

    # -- parallel reads ----------------------------------------------------------------------
    @staticmethod
    def parallel(*calls: Callable[[], Any]) -> list[Any]:
        """Run independent calls at once; one round trip of waiting instead of several."""
        if len(calls) == 1:
            return [calls[0]()]
        branches = [copy_context() for _ in calls]
        futures = [
            _pool.submit(branch.run, call) for branch, call in zip(branches, calls, strict=True)
        ]
        results = [future.result() for future in futures]
        _rounds.set(max(branch[_rounds] for branch in branches))  # wait for the slowest branch
        return results

    # -- plumbing ----------------------------------------------------------------------------
    def _call(self, operation: str, *, table: bool = True, raw: bool = False, **args: Any) -> Any:
        if table:
            args["TableName"] = self.name
        try:
            return getattr(self.client, operation)(**args)
        except ClientError as error:
            if raw:
                raise
            raise _translate(error) from error
        except BotoCoreError as error:
            raise UnavailableError("the database could not be reached; please retry") from error


class ConditionFailed(RetroError):
    """A single-item condition failed; callers catch it and raise the error that fits."""


def _translate(error: ClientError) -> Exception:
    code = error.response["Error"]["Code"]
    if code == "ConditionalCheckFailedException":
        return ConditionFailed("condition failed")
    if code in _THROTTLED:
        return UnavailableError("the database is busy; please retry")
    return error  # unexpected: the resolver layer masks it and logs it with a correlation id


def _update_args(
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
        args["ExpressionAttributeValues"] = _dump(values)
    return args


@dataclass(frozen=True)
class Action:
    """One action of a transaction: put, update, delete or a bare condition check."""

    kind: str  # "Put" | "Update" | "Delete" | "ConditionCheck"
    key: Key | None = None
    item: Item | None = None
    set_: Mapping[str, Any] | None = None
    add: Mapping[str, int] | None = None
    condition: Condition | None = None

    def request(self, table: str) -> dict[str, Any]:
        body: dict[str, Any] = {"TableName": table}
        if self.kind == "Put":
            assert self.item is not None
            body["Item"] = _dump(self.item)
            body.update(_condition_args(self.condition))
        elif self.kind == "Update":
            assert self.key is not None
            body["Key"] = _key(self.key)
            body.update(_update_args(self.set_, self.add, self.condition))
        else:
            assert self.key is not None
            body["Key"] = _key(self.key)
            body.update(_condition_args(self.condition))
        return {self.kind: body}
