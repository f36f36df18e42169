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
    # GraphiQL parses the edited text after a 100 ms debounce (the operation, whether it is a
    # subscription); one handler then stores the text and the parsed document: wait for both.
    page.wait_for_function(
        """(q) => localStorage.getItem('graphiql:query') === q && document.querySelector(
            '.graphiql-query-editor .CodeMirror').CodeMirror.documentAST !== null""",
        arg=query,
        timeout=20000,
    )
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


HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"


def _headers(page: Any) -> str:
    text: str = page.evaluate(
        f"() => document.querySelector({HEADERS_EDITOR!r}).CodeMirror.getValue()"
    )
    return text


def test_graphiql_explains_the_token_in_view_and_keeps_pasted_headers(
    fake_server: LiveServer,
) -> None:
    with launched_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{fake_server.url}/graphiql")
        page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=20000)
        # The first document says what to do before anything but createUser answers...
        document = page.evaluate(
            "() => document.querySelector('.graphiql-query-editor .CodeMirror')"
            ".CodeMirror.getValue()"
        )
        assert "createUser" in document and '"Not Authorized"' in document
        assert '"Authorization": "<the token>"' in document
        # ... and every line of it is in view, none under the editor's toolbar, at 1280 px.
        clipped = page.evaluate(
            """() => {
                const toolbar = document.querySelector('.graphiql-toolbar');
                const left = toolbar.getBoundingClientRect().left;
                const lines = [...document.querySelectorAll(
                    '.graphiql-query-editor .CodeMirror-line > span')];
                return {count: lines.length, clipped: lines
                    .filter((line) => line.getBoundingClientRect().right > left)
                    .map((line) => line.textContent)};
            }"""
        )
        assert clipped["count"] >= 10 and clipped["clipped"] == []
        # A token pasted into the headers is still there after a reload (GraphiQL's storage).
        assert "x-api-key" in _headers(page)
        key = fake_server.api_key
        headers = f'{{\n  "x-api-key": "{key}",\n  "Authorization": "user.secret"\n}}'
        page.evaluate(
            f"(text) => document.querySelector({HEADERS_EDITOR!r}).CodeMirror.setValue(text)",
            headers,
        )
        # GraphiQL stores the headers after a short debounce: wait until it has, not a fixed time
        page.wait_for_function(
            "() => ['graphiql:headers', 'graphiql:tabState'].every("
            "n => (localStorage.getItem(n) || '').includes('user.secret'))",
            timeout=20000,
        )
        page.reload()
        page.wait_for_selector(HEADERS_EDITOR, timeout=20000)
        kept = _headers(page)
        assert '"Authorization": "user.secret"' in kept and fake_server.api_key in kept
        page.reload()  # ... and after the next (GraphiQL alone forgot them there)
        page.wait_for_selector(HEADERS_EDITOR, timeout=20000)
        assert '"Authorization": "user.secret"' in _headers(page)
        # A kept API key that is not this server's (it restarted in memory) is replaced.
        page.evaluate(
            """(key) => {
                for (const name of ['graphiql:headers', 'graphiql:tabState']) {
                    const text = localStorage.getItem(name);
                    if (text) localStorage.setItem(name, text.split(key).join('stale-key'));
                }
            }""",
            fake_server.api_key,
        )
        page.reload()
        page.wait_for_selector(HEADERS_EDITOR, timeout=20000)
        kept = _headers(page)
        assert "stale-key" not in kept and fake_server.api_key in kept
        assert '"Authorization": "user.secret"' in kept


def test_retros_graphiql_keeps_a_pasted_token_over_its_own_default(live_server: LiveServer) -> None:
    """Retro's GraphiQL pre-fills Authorization (the public credential): a user token pasted in
    its place is the person's, and a reload keeps it."""
    with launched_chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{live_server.url}/graphiql")
        page.wait_for_selector(HEADERS_EDITOR, timeout=20000)
        default = _headers(page)
        assert '"Authorization"' in default
        pasted = '{\n  "Authorization": "user.secret"\n}'
        page.evaluate(
            f"(text) => document.querySelector({HEADERS_EDITOR!r}).CodeMirror.setValue(text)",
            pasted,
        )
        # GraphiQL stores the headers after a short debounce: wait until it has, not a fixed time
        page.wait_for_function(
            "() => ['graphiql:headers', 'graphiql:tabState'].every("
            "n => (localStorage.getItem(n) || '').includes('user.secret'))",
            timeout=20000,
        )
        for _ in range(2):
            page.reload()
            page.wait_for_selector(HEADERS_EDITOR, timeout=20000)
            assert _headers(page) == pasted
