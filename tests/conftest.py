"""Shared fixtures: a started local AppSync (`retro serve`) that any test can talk to.

`live_server` runs the real API — `schema/schema.graphql`, `schema/resolvers.json` and the
real handlers — in a background thread of the test process, on 127.0.0.1 and a free port,
with moto's DynamoDB in a child process (so no test's `mock_aws` can reset its data). Tests
reach it over real sockets and can still read its counters in-process
(`live_server.invocations`, `retro.store.record_requests()`).

Starting it sets `RETRO_DYNAMODB_ENDPOINT` and dummy AWS credentials in `os.environ`, as the
handlers read them from there; the previous environment is restored when the session ends.
"""

import json
import os
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from appsync_local.engine import Limits
from appsync_local.server import LocalServer, ServerOptions
from resolvers.authorizer import ANONYMOUS_TOKEN
from retro.settings import settings
from retro.store import Store, default_store
from retro_tools.serve.stack import RetroDynamoDB, retro_options

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Response:
    status: int
    body: dict[str, Any]
    headers: Mapping[str, str]  # names lower-cased


@dataclass
class LiveServer:
    """A started local server and helpers to call it over HTTP."""

    server: LocalServer

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def graphql_url(self) -> str:
        return self.server.graphql_url

    @property
    def realtime_url(self) -> str:
        return self.server.realtime_url

    @property
    def api_key(self) -> str | None:
        """The API key, if the API has one (the fake API); Retro's has none."""
        return self.server.api_key

    @property
    def public_headers(self) -> dict[str, str]:
        """The credential anyone has: the API key if the API has one, else Retro's anonymous
        token (AWS_LAMBDA only: it may call createUser and nothing else)."""
        if self.server.api_key is not None:
            return {"x-api-key": self.server.api_key}
        return {"authorization": ANONYMOUS_TOKEN}

    @property
    def dynamodb_endpoint(self) -> str:
        """The endpoint of the DynamoDB the server's handlers use (Retro's backend)."""
        backend = self.server.options.backend
        assert isinstance(backend, RetroDynamoDB), "not a server of Retro's API"
        return backend.endpoint

    @property
    def engine(self) -> Any:
        return self.server.engine

    def invocations(self) -> Counter[str]:
        """Handler invocations so far, per function name (and "authorizer")."""
        return Counter(self.server.engine.invoker.counts)  # type: ignore[union-attr]

    def post(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
        operation_name: str | None = None,
        timeout: float = 30.0,
    ) -> Response:
        """POST a GraphQL request: with `token` as Authorization, else the public credential.
        `timeout`: AppSync's request limit; a server given a longer one needs a longer wait."""
        if headers is None:
            headers = {"authorization": token} if token else self.public_headers
        body = {"query": query, "variables": dict(variables or {}), "operationName": operation_name}
        return self.request(
            json.dumps(body).encode(),
            {"content-type": "application/json", **headers},
            timeout=timeout,
        )

    def request(
        self,
        data: bytes | None,
        headers: Mapping[str, str],
        method: str = "POST",
        timeout: float = 30.0,
    ) -> Response:
        request = urllib.request.Request(
            self.graphql_url, data=data, headers=dict(headers), method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return Response(answer.status, json.loads(answer.read()), _lower(answer.headers))
        except urllib.error.HTTPError as error:
            return Response(error.code, json.loads(error.read()), _lower(error.headers))

    def data(self, query: str, variables: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        """The `data` of a request that must succeed (errors fail the test with their text)."""
        response = self.post(query, variables, **kwargs)
        assert response.status == 200, response.body
        assert not response.body.get("errors"), response.body["errors"]
        return response.body["data"]

    def create_user(self, name: str = "Tester") -> tuple[str, str]:
        """A new user through `createUser` (API key): (token, user id)."""
        data = self.data(
            "mutation($n: String) { createUser(name: $n) { token user { id } } }", {"n": name}
        )
        return data["createUser"]["token"], data["createUser"]["user"]["id"]


def _lower(headers: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def retro_test_options(**overrides: Any) -> ServerOptions:
    """Retro's API on a fresh embedded DynamoDB in a child process, on a free port."""
    return retro_options(
        schema_path=ROOT / "schema" / "schema.graphql",
        resolvers_path=ROOT / "schema" / "resolvers.json",
        port=0,
        moto_in_subprocess=True,
        **overrides,
    )


def start_server(options: ServerOptions) -> tuple[LocalServer, dict[str, str]]:
    """Start a server in a thread; returns it and the environment to restore afterwards."""
    saved = dict(os.environ)
    options.port = 0
    server = LocalServer(options)
    try:
        server.start_in_thread()
    except BaseException:
        server.stop()
        _restore(saved)
        raise
    return server, saved


def stop_server(server: LocalServer, saved: dict[str, str]) -> None:
    server.stop()
    _restore(saved)


def _restore(saved: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(saved)
    from retro import settings, store

    settings.settings.cache_clear()
    store.default_store.cache_clear()  # its client pointed at the stopped server


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: only called when it runs
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`make test` runs pytest-xdist with `--dist loadfile`: a module's tests run on one worker,
    in file order, sharing its module fixtures (test_chaos's last test walks the table its first
    two filled). tests/infra goes to one worker as a whole: its modules share the wheel cache
    dist/.wheels, which a fresh clone fills by downloading, and test_terraform checks that infra/
    is left unchanged. (`--dist loadgroup` would do it with markers, but pytest-xdist 3.8 renames
    node ids in a way pytest 9 no longer reads.)"""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ModulesWithInfraTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = super()._split_scope(nodeid)
            return "tests/infra" if module.startswith("tests/infra/") else module

    return ModulesWithInfraTogether(config, log)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The real Retro API on the local AppSync, for the whole session."""
    server, saved = start_server(retro_test_options(limits=Limits()))
    try:
        yield LiveServer(server)
    finally:
        stop_server(server, saved)


@pytest.fixture
def handler_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The store the handlers use (`default_store`), on a fresh moto table, for tests that call
    the real handlers in-process (tests/api, tests/hardening/test_session_review.py)."""
    from tests.moto_dynamodb import atomic_mock_aws  # moto: only for the tests that ask

    monkeypatch.setenv("RETRO_TABLE", "retro-handler-test")
    monkeypatch.delenv("RETRO_DYNAMODB_ENDPOINT", raising=False)
    settings.cache_clear()
    default_store.cache_clear()
    with atomic_mock_aws():
        store = default_store()
        store.table.create()
        yield store
    settings.cache_clear()
    default_store.cache_clear()
