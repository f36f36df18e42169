"""Fixtures of the local server's own tests: a server on the fake API.

The fake API (`appsync_fake/`: an SDL, a resolver map and handlers that are not Retro's) proves
the server is generic and exercises what Retro's schema does not (unions, defaults, AWS
scalars, `deniedFields`, batch errors...). Its handlers record every event they receive.
"""

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from appsync_local.engine import Limits
from appsync_local.realtime import RealtimeSettings
from appsync_local.server import ServerOptions
from tests.appsync_realtime import API_KEY
from tests.conftest import LiveServer, start_server, stop_server

FAKE = Path(__file__).resolve().parent / "appsync_fake"


def fake_options(**overrides: Any) -> ServerOptions:
    options = ServerOptions(
        api_key=API_KEY,
        schema_path=FAKE / "schema.graphql",
        resolvers_path=FAKE / "resolvers.json",
        handler_root=FAKE.parent,
        realtime=RealtimeSettings(keepalive_seconds=0.2),
    )
    for key, value in overrides.items():
        setattr(options, key, value)
    return options


@pytest.fixture(scope="session")
def fake_server() -> Iterator[LiveServer]:
    server, saved = start_server(fake_options())
    try:
        yield LiveServer(server)
    finally:
        stop_server(server, saved)


@pytest.fixture(scope="session")
def limited_server() -> Iterator[LiveServer]:
    """The fake API with tight limits and introspection off, as production runs it."""
    limits = Limits(query_depth=3, resolver_count=3, introspection=False)
    server, saved = start_server(fake_options(limits=limits))
    try:
        yield LiveServer(server)
    finally:
        stop_server(server, saved)


@pytest.fixture
def fake() -> Any:
    """The fake handlers' module (the very object the server calls), reset for the test."""
    if str(FAKE.parent) not in sys.path:
        sys.path.insert(0, str(FAKE.parent))
    import appsync_fake.handlers as handlers

    handlers.reset()
    return handlers
