"""Fixtures for the core: a moto DynamoDB table, a store on it, and a spy on every request."""

import os
from collections.abc import Iterator

import pytest
from moto import mock_aws

from retro import services
from retro.settings import Settings
from retro.store import RequestLog, Store, record_requests
from retro.store.table import Table

for _name, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}.items():
    os.environ.setdefault(_name, _value)


@pytest.fixture
def requests() -> Iterator[RequestLog]:
    """Every DynamoDB call of the test; and none of them may be a Scan."""
    with record_requests() as log:
        yield log
    assert "Scan" not in log.operations


@pytest.fixture
def store(requests: RequestLog) -> Iterator[Store]:
    with mock_aws():
        table = Table(Settings(table_name="retro-test"))
        table.create()
        yield Store(table)


@pytest.fixture
def owner(store: Store) -> str:
    return services.create_user(store, "Olga")[0].id


@pytest.fixture
def member(store: Store) -> str:
    return services.create_user(store, "Max")[0].id
