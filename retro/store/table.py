"""The generic single-table layer: items addressed by (`pid`, `cid`), as in the original design.

This is the only module that talks to DynamoDB. It offers the original model wrapper's verbs —
put/save, update, destroy, find by id alone (through `cid_si`), children of a parent (paged) —
plus transactions. AWS errors become the store's failures or Retro's domain errors here and
nowhere else; the store never issues a Scan.
"""

from collections.abc import Mapping, Sequence
from typing import Any

import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from retro.errors import UnavailableError
from retro.settings import Settings
from retro.store.actions import Action
from retro.store.codec import (
    Condition,
    Item,
    Key,
    condition_args,
    dump,
    key_args,
    load,
    update_args,
)
from retro.store.failures import ConditionFailed, TokenReused, TransactionFailed
from retro.store.paging import Page, decode_token, encode_token
from retro.store.requests import after_call

__all__ = ["INDEX_BY_ID", "TABLE_DEFINITION", "Table"]

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


def _client_config(settings: Settings) -> Config:
    """AppSync gives a request 30 s; a stuck call must fail well before that, and retries are
    few (the settings' defaults; the local server waits longer on a busy machine)."""
    return Config(
        retries={"mode": "standard", "max_attempts": settings.dynamodb_max_attempts},
        connect_timeout=2,
        read_timeout=settings.dynamodb_read_timeout,
        max_pool_connections=16,  # the store's parallel reads (retro.store.parallel) and more
    )


_THROTTLED = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}


class Table:
    """One DynamoDB table with the original `pid`/`cid` keys."""

    def __init__(self, settings: Settings, client: Any = None) -> None:
        self.name = settings.table_name
        if client is None:
            # botocore's own session: boto3's would import the boto3 package (and s3transfer)
            # for nothing a DynamoDB client uses (docs/PERFORMANCE.md, cold start).
            client = botocore.session.get_session().create_client(
                "dynamodb",
                region_name=settings.region,
                endpoint_url=str(settings.dynamodb_endpoint)
                if settings.dynamodb_endpoint
                else None,
                config=_client_config(settings),
            )
        self.client = client
        client.meta.events.register("after-call.dynamodb", after_call)

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
        response = self._call("get_item", Key=key_args(key), ConsistentRead=consistent)
        raw = response.get("Item")
        return load(raw) if raw else None

    def put(self, item: Item, *, condition: Condition | None = None) -> None:
        """Write a whole item (the original `put`/`save`); create with `keys.not_exists()`."""
        self._call("put_item", Item=dump(item), **condition_args(condition))

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
        args = update_args(set_, add, condition)
        response = self._call("update_item", Key=key_args(key), ReturnValues="ALL_NEW", **args)
        return load(response["Attributes"])

    def destroy(self, key: Key, *, condition: Condition | None = None) -> Item | None:
        """Delete an item and return what it was (ALL_OLD), or None if there was none."""
        response = self._call(
            "delete_item", Key=key_args(key), ReturnValues="ALL_OLD", **condition_args(condition)
        )
        raw = response.get("Attributes")
        return load(raw) if raw else None

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
        between: tuple[str, str] | None = None,
        one_page: bool = False,
    ) -> Page:
        """Children of `pid` whose `cid` starts with `prefix`, in `cid` order, one page.

        Without `limit`, every child is returned (following DynamoDB's 1 MB pages). `between`
        (both ends included, each starting with `prefix`) reads one key range of them instead;
        `one_page` stops after DynamoDB's first page, with a token if more follow.
        """
        values: dict[str, Any] = {":pid": {"S": pid}}
        condition = "pid = :pid"
        if between is not None:
            values |= {":lo": {"S": between[0]}, ":hi": {"S": between[1]}}
            condition += " AND cid BETWEEN :lo AND :hi"
        elif prefix:
            values[":prefix"] = {"S": prefix}
            condition += " AND begins_with(cid, :prefix)"
        args: dict[str, Any] = {
            "KeyConditionExpression": condition,
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
            items.extend(load(raw) for raw in response.get("Items", []))
            last = response.get("LastEvaluatedKey")
            if not last or one_page or (limit is not None and len(items) >= limit):
                break
            args["ExclusiveStartKey"] = last
        token = encode_token(pid, last) if last and (limit is not None or one_page) else None
        return Page(items=items, next_token=token)

    def delete_many(self, keys: Sequence[Key]) -> None:
        """Delete items unconditionally, 25 per request (cleaning up a deleted board)."""
        self._write_many([{"DeleteRequest": {"Key": key_args(key)}} for key in dict.fromkeys(keys)])

    def put_many(self, items: Sequence[Item]) -> None:
        """Write whole items unconditionally, 25 per request (staging a version's notes)."""
        self._write_many([{"PutRequest": {"Item": dump(item)}} for item in items])

    def _write_many(self, pending: list[dict[str, Any]]) -> None:
        while pending:
            chunk, pending = pending[:25], pending[25:]
            request: dict[str, Any] = {self.name: chunk}
            while request:
                response = self._call("batch_write_item", RequestItems=request, table=False)
                request = response.get("UnprocessedItems") or {}

    # -- transactions ------------------------------------------------------------------------
    def transact(self, actions: Sequence[Action], *, token: str | None = None) -> None:
        """Apply all actions or none. Raises TransactionFailed with a reason per action.

        `token` is the ClientRequestToken: without one botocore makes one per call, so its own
        retries of the call are idempotent; a write under a client's key passes one derived
        from the key (`keys.request_token`). TokenReused if DynamoDB saw it with other parameters.
        """
        args: dict[str, Any] = {"TransactItems": [action.request(self.name) for action in actions]}
        if token is not None:
            args["ClientRequestToken"] = token
        try:
            self._call("transact_write_items", table=False, raw=True, **args)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code == "IdempotentParameterMismatchException":
                raise TokenReused(code) from error
            if code == "TransactionInProgressException":  # the same token, still running
                raise UnavailableError(
                    "the same request is still in progress; please retry"
                ) from error
            if code != "TransactionCanceledException":
                raise _translate(error) from error
            reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
            if any(r in {"TransactionConflict", "ThrottlingError"} for r in reasons):
                raise UnavailableError("the board is busy; please retry") from error
            raise TransactionFailed(reasons) from error

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


def _translate(error: ClientError) -> Exception:
    code = error.response["Error"]["Code"]
    if code == "ConditionalCheckFailedException":
        return ConditionFailed("condition failed")
    if code in _THROTTLED:
        return UnavailableError("the database is busy; please retry")
    return error  # unexpected: the resolver layer masks it and logs it with a correlation id
