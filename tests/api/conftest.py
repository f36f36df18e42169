"""Fixtures for the API tier: the real handlers, AppSync-shaped events, moto underneath."""

import json
from collections.abc import Iterator
from pathlib import Path
from string import Template
from typing import Any

import pytest

from retro import services
from retro.store import RequestLog, Store
from tests.moto_dynamodb import set_dummy_credentials, spied_requests

EVENTS = Path(__file__).parent / "events"
set_dummy_credentials()


def load_event(name: str, **values: Any) -> Any:
    """The event file `events/<name>.json` with `${placeholders}` filled in."""
    text = Template((EVENTS / f"{name}.json").read_text()).substitute(
        {k: json.dumps(v)[1:-1] if isinstance(v, str) else v for k, v in values.items()}
    )
    return json.loads(text)


def make_event(
    field: str,
    arguments: dict[str, Any] | None = None,
    *,
    user: str | None = None,
    source: dict[str, Any] | None = None,
    selection: str = "",
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An event shaped like AppSync's for `Type.field` (for cases no file covers)."""
    parent, name = field.split(".")
    return {
        "arguments": arguments or {},
        "source": source,
        "identity": {"resolverContext": {"userId": user}} if user else None,
        "request": {"headers": {}, "domainName": None},
        "info": {
            "fieldName": name,
            "parentTypeName": parent,
            "variables": variables or {},
            "selectionSetList": [],
            "selectionSetGraphQL": selection,
        },
        "prev": None,
        "stash": {},
    }


@pytest.fixture
def requests() -> Iterator[RequestLog]:
    with spied_requests() as log:
        yield log


@pytest.fixture
def store(requests: RequestLog, handler_store: Store) -> Store:
    """The store the handlers use, on a fresh moto table (tests/conftest.py), every request
    spied from its table's creation on (`requests` is set up first)."""
    return handler_store


@pytest.fixture
def people(store: Store) -> dict[str, tuple[str, str]]:
    """Three users as (id, token): the owner, a participant and a stranger."""
    made = {}
    for role in ("owner", "member", "stranger"):
        user, token = services.create_user(store, role)
        made[role] = (user.id, token)
    return made
