"""The embedded DynamoDB's index queries look up their items instead of listing the table
(`retro_tools/serve/moto_index.py`), and answer exactly as moto's own query does."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.models.table import Table as MotoTable

from retro.settings import Settings
from retro.store.table import INDEX_BY_ID, Table
from retro_tools.serve import moto_atomic, moto_index
from tests.moto_dynamodb import set_dummy_credentials

set_dummy_credentials()
NAME = "retro-index-test"


def moto_own_query() -> Any:
    """moto's query, even if an embedded server of this process installed the lookup."""
    return getattr(MotoTable.query, "__wrapped__", MotoTable.query)


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A Retro table with ids shared across partitions; moto's own query until `install()`,
    which the test's end takes back."""
    monkeypatch.setattr(MotoTable, "query", moto_own_query())
    with mock_aws():
        Table(Settings(table_name=NAME)).create()
        dynamodb = boto3.client("dynamodb")
        for n in range(300):
            item = {"pid": {"S": f"P#{n % 40:03}"}, "cid": {"S": f"C#{n % 7}.{n}"}}
            dynamodb.put_item(TableName=NAME, Item={**item, "n": {"N": str(n)}})
        for pid in ("B#1", "V#2", "U#3", "A#0"):  # one id in four partitions
            dynamodb.put_item(TableName=NAME, Item={"pid": {"S": pid}, "cid": {"S": "N#same"}})
        yield dynamodb


def every_answer(client: Any) -> list[Any]:
    """Index queries of every shape Retro and moto's paging use, and table queries."""
    answers = []
    for cid in ("N#same", "C#3.10", "C#missing"):
        asked = {":c": {"S": cid}}
        for forward in (True, False):
            query = {
                "TableName": NAME,
                "IndexName": INDEX_BY_ID,
                "KeyConditionExpression": "cid = :c",
                "ExpressionAttributeValues": asked,
                "ScanIndexForward": forward,
            }
            answers.append(client.query(**query))
            page = client.query(**query, Limit=2)  # paging through the index
            answers.append(page)
            if "LastEvaluatedKey" in page:
                answers.append(
                    client.query(**query, Limit=2, ExclusiveStartKey=page["LastEvaluatedKey"])
                )
            answers.append(client.query(**query, Select="COUNT"))
    for pid in ("P#007", "B#1", "P#missing"):
        for forward in (True, False):
            query = {
                "TableName": NAME,
                "KeyConditionExpression": "pid = :p AND begins_with(cid, :c)",
                "ExpressionAttributeValues": {":p": {"S": pid}, ":c": {"S": "C#"}},
                "ScanIndexForward": forward,
                "ConsistentRead": True,
            }
            answers.append(client.query(**query))
            page = client.query(**query, Limit=3)
            answers.append(page)
            if "LastEvaluatedKey" in page:
                answers.append(
                    client.query(**query, Limit=3, ExclusiveStartKey=page["LastEvaluatedKey"])
                )
            whole = {
                **query,
                "KeyConditionExpression": "pid = :p",
                "ExpressionAttributeValues": {":p": {"S": pid}},
            }
            answers.append(client.query(**whole, FilterExpression="attribute_exists(n)"))
    for answer in answers:
        answer.pop("ResponseMetadata", None)
    return answers


def test_index_queries_answer_as_moto_does(client: Any) -> None:
    before = every_answer(client)
    assert [i["pid"]["S"] for i in before[0]["Items"]] == ["A#0", "B#1", "U#3", "V#2"]
    moto_index.install()
    assert every_answer(client) == before


def test_an_index_query_never_lists_the_table(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    listed: list[int] = []
    every_item = MotoTable.all_items

    def counted(self: MotoTable) -> Any:
        items = every_item(self)
        listed.append(len(items))
        return items

    monkeypatch.setattr(MotoTable, "all_items", counted)
    store_table = Table(Settings(table_name=NAME))

    def queries() -> tuple[int, int]:
        return len(store_table.find_keys("N#same")), len(store_table.children("P#007", "C#").items)

    assert queries() == (4, 8)
    assert listed == [304, 304]  # moto's own: the whole table for one id, and for 8 items
    moto_index.install()
    assert queries() == (4, 8)
    assert listed == [304, 304]  # not listed again


def test_the_embedded_server_installs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MotoTable, "query", moto_own_query())
    server = moto_atomic.AtomicMotoServer()
    try:
        assert getattr(MotoTable.query, "_by_lookup", False)
    finally:
        server._server.server_close()


def test_threads_querying_at_once_each_get_their_own_answer(client: Any) -> None:
    """moto in the tests has no lock around a query: each thread's candidates are its own."""
    moto_index.install()
    store_table = Table(Settings(table_name=NAME))
    expected = {pid: len(store_table.children(pid, "C#").items) for pid in ("P#001", "P#002")}
    assert expected == {"P#001": 8, "P#002": 8}

    def ask(n: int) -> list[tuple[int, int]]:
        pid = f"P#00{1 + n % 2}"
        return [
            (len(store_table.children(pid, "C#").items), len(store_table.find_keys("N#same")))
            for _ in range(40)
        ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = [answer for answers in pool.map(ask, range(8)) for answer in answers]
    assert answers == [(8, 4)] * 320
