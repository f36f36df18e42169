"""GraphiQL, served from node_modules, runs a query and a subscription in headless Chromium.

Every request the page makes that is not to 127.0.0.1 is aborted and recorded: the test fails
if there is any, which proves GraphiQL needs no CDN and no network.
"""

import time
from typing import Any

import pytest

from tests.chromium import launched_chromium
from tests.conftest import LiveServer


@pytest.fixture
def page() -> Any:
    with launched_chromium() as browser:
        yield browser.new_page()


def _run(page: Any, query: str) -> None:
    page.evaluate(
        "(q) => document.querySelector('.graphiql-query-editor .CodeMirror')"
        ".CodeMirror.setValue(q)",
        query,
    )
    page.wait_for_timeout(500)  # GraphiQL reads the operation name from the edited text
    page.click(".graphiql-execute-button")


def _result(page: Any, expected: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = page.evaluate(
            "() => document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()"
        )
        if expected in text:
            return str(text)
        time.sleep(0.1)
    raise AssertionError(f"{expected!r} not in the result pane: {text!r}")


def test_graphiql_offline_query_and_subscription(
    fake_server: LiveServer, fake: Any, page: Any
) -> None:
    outside: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1")):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(f"{fake_server.url}/graphiql")
    page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=20000)
    _run(page, '{ shelf(id: "s1") { name } }')
    assert '"name": "Kitchen"' in _result(page, "Kitchen")
    # a subscription, over graphql-transport-ws with the header editor's API key
    _run(page, 'subscription { onItem(shelfId: "s2") { label } }')
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        fake_server.data(
            'mutation { addItem(input: {shelfId: "s2", label: "seen in graphiql"}) '
            "{ id shelfId label } }"
        )
        try:
            _result(page, "seen in graphiql", timeout=1.0)
            break
        except AssertionError:
            continue
    else:
        raise AssertionError("the subscription result never reached GraphiQL")
    assert outside == []
