"""Fixtures for the core: a moto DynamoDB table, a store on it, and a spy on every request."""

from collections.abc import Iterator

import pytest

from retro import services
from retro.settings import Settings
from retro.store import RequestLog, Store
from retro.store.table import Table
from tests.moto_dynamodb import atomic_mock_aws, set_dummy_credentials, spied_requests

set_dummy_credentials()


@pytest.fixture
def requests() -> Iterator[RequestLog]:
    """Every DynamoDB call of the test; and none of them may be a Scan."""
    with spied_requests() as log:
        yield log


@pytest.fixture
def store(requests: RequestLog) -> Iterator[Store]:
    with atomic_mock_aws():
        table = Table(Settings(table_name="retro-test"))
        table.create()
        yield Store(table)


@pytest.fixture
def owner(store: Store) -> str:
    return services.create_user(store, "Olga")[0].id


@pytest.fixture
def member(store: Store) -> str:
    return services.create_user(store, "Max")[0].id
