"""The GraphQL endpoint over real HTTP: events, batching, errors, auth and limits as AppSync."""

import json
from typing import Any

import pytest

from tests.appsync_realtime import API_KEY
from tests.conftest import LiveServer

ERROR_KEYS = {"path", "data", "errorType", "errorInfo", "locations", "message"}


def _event(fake: Any, key: str) -> dict[str, Any]:
    events = [
        e
        for e in fake.EVENTS
        if isinstance(e, dict) and f"{e['info']['parentTypeName']}.{e['info']['fieldName']}" == key
    ]
    assert events, f"no event for {key}"
    return events[-1]  # type: ignore[no-any-return]


def test_the_event_is_appsyncs(fake_server: LiveServer, fake: Any) -> None:
    query = """query Echo($t: String, $i: ItemInput) {
      echo(text: $t, color: null, input: $i)
    }"""
    variables = {"t": "hi", "i": {"shelfId": "s1", "label": "x", "color": "BLUE", "tags": None}}
    response = fake_server.post(
        query, variables, headers={"x-api-key": API_KEY, "cookie": "s=1", "X-Trace": "abc"}
    )
    event = json.loads(response.body["data"]["echo"])
    assert set(event) == {"arguments", "source", "identity", "request", "info", "prev", "stash"}
    # omitted input fields are absent, an explicit null is null, defaults are applied
    assert event["arguments"] == {
        "text": "hi",
        "n": 3,
        "color": None,
        "input": {"shelfId": "s1", "label": "x", "color": "BLUE", "tags": None},
        "list": [1, 2],
    }
    assert event["source"] is None
    assert event["identity"] is None  # API key
    assert event["prev"] is None and event["stash"] == {}
    headers = event["request"]["headers"]
    assert headers["x-api-key"] == API_KEY and headers["x-trace"] == "abc"
    assert "cookie" not in headers
    assert event["info"] == {
        "fieldName": "echo",
        "parentTypeName": "Query",
        "variables": variables,
        "selectionSetList": [],
        "selectionSetGraphQL": "",
    }


def test_identity_for_a_token_is_the_resolver_context(fake_server: LiveServer, fake: Any) -> None:
    data = fake_server.data("{ whoami { userId } }", token="user-alice")
    assert data == {"whoami": {"userId": "alice"}}
    assert _event(fake, "Query.whoami")["identity"] == {"resolverContext": {"userId": "alice"}}


def test_selection_set_list_and_graphql(fake_server: LiveServer, fake: Any) -> None:
    fake_server.data(
        'mutation { addItem(input: {shelfId: "s1", label: "red", color: RED}) { id } }'
    )
    fake_server.data(
        'mutation { addItem(input: {shelfId: "s1", label: "blue", color: BLUE}) { id } }'
    )
    query = """query Q($c: Color, $skip: Boolean!) {
      shelf(id: "s1") {
        id
        title: name
        reds: items(color: $c) { label ...Stamp }
        ... on Shelf { stats { count } }
        secret @skip(if: $skip)
      }
    }
    fragment Stamp on Item { createdAt color }"""
    data = fake_server.data(query, {"c": "RED", "skip": True})
    assert data["shelf"]["reds"] == [
        {"label": "red", "createdAt": "2024-01-02T03:04:05.123Z", "color": "RED"}
    ]
    info = _event(fake, "Query.shelf")["info"]
    assert info["selectionSetList"] == [
        "id",
        "title",
        "reds",
        "reds/label",
        "reds/createdAt",
        "reds/color",
        "stats",
        "stats/count",
    ]
    # Printed as written (alias, arguments, variables, directives); the named fragment is
    # inlined so the text stands alone, as AppSync does.
    assert info["selectionSetGraphQL"] == (
        "{\n  id\n  title: name\n  reds: items(color: $c) {\n    label\n"
        "    ... on Item {\n      createdAt\n      color\n    }\n  }\n"
        "  ... on Shelf {\n    stats {\n      count\n    }\n  }\n  secret @skip(if: $skip)\n}"
    )
    assert info["variables"] == {"c": "RED", "skip": True}


def test_a_field_without_resolver_is_the_parents_property(
    fake_server: LiveServer, fake: Any
) -> None:
    before = fake_server.invocations()["main"]
    data = fake_server.data('{ shelf(id: "s2") { name items { id } } }')
    assert data == {"shelf": {"name": "Garage", "items": []}}
    assert fake_server.invocations()["main"] - before == 1  # items and name: no invocation


def test_batched_field_is_one_invocation_per_batch(fake_server: LiveServer, fake: Any) -> None:
    fake_server.data('mutation { addItem(input: {shelfId: "s2", label: "saw"}) { id } }')
    before = fake_server.invocations()["main"]
    query = '{ shelves(ids: ["s1", "s2", "s3", "s2"]) { id stats { count shelfId } } }'
    response = fake_server.post(query)
    # 1 call for `shelves`, then 4 stats events in batches of maxBatchSize=3: 2 calls
    assert fake_server.invocations()["main"] - before == 3
    batches = [e for e in fake.EVENTS if isinstance(e, list)]
    # the two batches run concurrently, like two Lambda invocations: either may record first
    full, rest = sorted(batches, key=len, reverse=True)
    assert (len(full), len(rest)) == (3, 1)
    assert [e["source"]["id"] for e in full] == ["s1", "s2", "s3"]
    assert [e["source"]["id"] for e in rest] == ["s2"]
    assert all(e["info"]["fieldName"] == "stats" for e in full + rest)
    shelves = response.body["data"]["shelves"]
    assert [s["stats"] for s in shelves] == [
        {"count": 0, "shelfId": "s1"},
        {"count": 1, "shelfId": "s2"},
        None,
        {"count": 1, "shelfId": "s2"},
    ]
    # the envelope's error is that item's error, in AppSync's shape
    (error,) = response.body["errors"]
    assert set(error) == ERROR_KEYS
    assert error["path"] == ["shelves", 2, "stats"]
    assert (error["errorType"], error["message"]) == ("StatsUnavailable", "no stats for the attic")


@pytest.mark.parametrize(
    ("kind", "error_type", "message"),
    [
        ("notfound", "NotFound", "shelf s9 not found"),
        ("crash", "KeyError", "'crash inside the handler'"),
        ("unauthorized", "UnauthorizedException", "You are not authorized to make this call."),
        ("marshal", "Runtime.MarshalError", None),
    ],
)
def test_handler_errors_in_appsyncs_shape(
    fake_server: LiveServer, fake: Any, kind: str, error_type: str, message: str | None
) -> None:
    response = fake_server.post("query($k: String!) { fail(kind: $k) }", {"k": kind})
    assert response.status == 200
    assert response.body["data"] == {"fail": None}
    (error,) = response.body["errors"]
    assert set(error) == ERROR_KEYS
    assert error["errorType"] == error_type
    assert error["path"] == ["fail"]
    assert error["locations"] == [{"line": 1, "column": 22, "sourceName": None}]
    if message is not None:
        assert error["message"] == message
    else:
        assert "not JSON serializable" in error["message"]


def test_a_server_failure_is_masked(fake_server: LiveServer, fake: Any, monkeypatch: Any) -> None:
    async def broken(*_args: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(fake_server.engine.invoker, "invoke", broken)
    response = fake_server.post('{ shelf(id: "s1") { id } }')
    text = json.dumps(response.body)
    assert "secret internal detail" not in text and "Traceback" not in text
    (error,) = response.body["errors"]
    assert error["errorType"] == "InternalFailure"
    assert "correlation id" in error["message"]


def test_unions_resolve_by_typename(fake_server: LiveServer, fake: Any) -> None:
    data = fake_server.data(
        "{ things { __typename ... on Gadget { gears } ... on Item { label color } } }"
    )
    assert data == {
        "things": [
            {"__typename": "Gadget", "gears": 3},
            {"__typename": "Item", "label": "cup", "color": "RED"},
        ]
    }


@pytest.mark.parametrize(
    ("input_", "fragment"),
    [
        ({"shelfId": "s1", "label": "x", "meta": "{not json"}, "AWSJSON"),
        ({"shelfId": "s1", "label": "x", "madeOn": "yesterday"}, "AWSDate"),
    ],
)
def test_aws_scalars_are_checked(
    fake_server: LiveServer, fake: Any, input_: dict[str, Any], fragment: str
) -> None:
    before = fake_server.invocations()["main"]
    response = fake_server.post(
        "mutation($i: ItemInput!) { addItem(input: $i) { id } }", {"i": input_}
    )
    assert response.body["data"] is None
    assert fragment in response.body["errors"][0]["message"]
    assert fake_server.invocations()["main"] == before  # nothing ran


def test_awsjson_travels_as_json(fake_server: LiveServer, fake: Any) -> None:
    data = fake_server.data(
        "mutation($i: ItemInput!) { addItem(input: $i) { meta } }",
        {"i": {"shelfId": "s1", "label": "x", "meta": '{"a": [1, 2]}'}},
    )
    assert json.loads(data["addItem"]["meta"]) == {"a": [1, 2]}
    assert _event(fake, "Mutation.addItem")["arguments"]["input"]["meta"] == {"a": [1, 2]}


# -- requests refused before anything runs ---------------------------------------------------
def test_refusals_before_execution(fake_server: LiveServer, fake: Any) -> None:
    before = fake_server.invocations()
    json_headers = {"content-type": "application/json", "x-api-key": API_KEY}
    body = json.dumps({"query": "{ defaultModeOnly }"}).encode()
    cases = [
        (
            fake_server.request(None, {"x-api-key": API_KEY}, method="PUT"),
            405,
            "MethodNotAllowedException",
        ),
        (
            fake_server.request(body, {"content-type": "text/plain", "x-api-key": API_KEY}),
            400,
            "MalformedHttpRequestException",
        ),
        (
            fake_server.request(b"[" + body + b"]", json_headers),
            400,
            "MalformedHttpRequestException",
        ),
        (fake_server.request(b"{nope", json_headers), 400, "MalformedHttpRequestException"),
        (fake_server.request(b'{"query": ""}', json_headers), 400, "MalformedHttpRequestException"),
        (
            fake_server.request(b"{" + b" " * (1024 * 1024) + b"}", json_headers),
            413,
            "PayloadTooLargeException",
        ),
    ]
    for response, status, error_type in cases:
        assert response.status == status, response.body
        assert response.body["errors"][0]["errorType"] == error_type
        assert response.headers.get("x-amzn-requestid")
    assert fake_server.invocations() == before


def test_credentials_refused_with_401(fake_server: LiveServer, fake: Any) -> None:
    missing = fake_server.post("{ defaultModeOnly }", headers={})
    assert (missing.status, missing.body) == (
        401,
        {
            "errors": [
                {
                    "errorType": "UnauthorizedException",
                    "message": "Valid authorization header not provided.",
                }
            ]
        },
    )
    refused = {
        "errors": [
            {
                "errorType": "UnauthorizedException",
                "message": "You are not authorized to make this call.",
            }
        ]
    }
    for headers in (
        {"x-api-key": "da2-wrong"},
        {"authorization": "stranger"},
        {"authorization": "crash-x"},
    ):
        response = fake_server.post("{ defaultModeOnly }", headers=headers)
        assert (response.status, response.body) == (401, refused), headers


def test_directive_rules(fake_server: LiveServer, fake: Any) -> None:
    def errors(query: str, **kwargs: Any) -> list[tuple[Any, str, str]]:
        body = fake_server.post(query, **kwargs).body
        return [(e["path"], e["errorType"], e["message"]) for e in body.get("errors", [])]

    # a field with no directive on itself or its type: the default mode (API key) only
    assert errors("{ defaultModeOnly }") == []
    assert errors("{ defaultModeOnly }", token="user-a") == [
        (
            ["defaultModeOnly"],
            "Unauthorized",
            "Not Authorized to access defaultModeOnly on type Query",
        )
    ]
    # a field's directive replaces its type's: Shelf allows both, Shelf.secret only tokens
    assert errors('{ shelf(id: "s1") { name secret } }') == [
        (["shelf", "secret"], "Unauthorized", "Not Authorized to access secret on type Shelf")
    ]
    assert fake_server.data('{ shelf(id: "s1") { secret } }', token="user-a") == {
        "shelf": {"secret": "secret of Kitchen"}
    }
    # a type's directives apply to its fields: Whoami is token-only
    assert errors("{ whoami { userId } }")[0][1:] == (
        "Unauthorized",
        "Not Authorized to access whoami on type Query",
    )
    # deniedFields from the authorizer, as Type.field or as the field's ARN
    for token in ("nosecret-b", "arn-c"):
        assert errors('{ shelf(id: "s1") { name secret } }', token=token) == [
            (["shelf", "secret"], "Unauthorized", "Not Authorized to access secret on type Shelf")
        ]


def test_authorizer_event_and_cache(fake_server: LiveServer, fake: Any) -> None:
    fake_server.engine.authenticator.forget()
    before = fake_server.invocations()["authorizer"]
    for _ in range(3):
        fake_server.data("{ whoami { userId } }", token="user-cached")
    assert fake_server.invocations()["authorizer"] - before == 1  # cached for the TTL
    for _ in range(2):
        fake_server.data("{ whoami { userId } }", token="nocache-x")
    assert fake_server.invocations()["authorizer"] - before == 3  # ttlOverride 0: no cache
    event = fake.AUTHORIZER_EVENTS[-1]
    assert event["authorizationToken"] == "nocache-x"
    assert set(event["requestContext"]) == {
        "apiId",
        "accountId",
        "requestId",
        "queryString",
        "operationName",
        "variables",
    }
    assert event["requestContext"]["queryString"] == "{ whoami { userId } }"
    assert event["requestHeaders"]["authorization"] == "nocache-x"


# -- limits ------------------------------------------------------------------------------------
def test_resolver_count_limit(limited_server: LiveServer, fake: Any) -> None:
    # 1 `shelves` + 3 `stats` = 4 resolver invocations > 3
    response = limited_server.post('{ shelves(ids: ["s1", "s2", "s1"]) { stats { count } } }')
    types = [e["errorType"] for e in response.body["errors"]]
    assert types == ["ResolverExecutionLimitReached"]
    assert response.body["data"]["shelves"][2]["stats"] is None


def test_introspection_off_and_no_suggestions(limited_server: LiveServer, fake: Any) -> None:
    response = limited_server.post("{ __schema { queryType { name } } }")
    # AppSync: with introspection disabled, the introspection fields do not exist
    assert response.body == {
        "data": None,
        "errors": [
            {
                "path": None,
                "locations": [{"line": 1, "column": 3, "sourceName": None}],
                "message": "Validation error of type FieldUndefined: "
                "Field '__schema' in type 'Query' is undefined @ '__schema'",
            }
        ],
    }
    typo = limited_server.post("{ shelff(id: 1) { id } }")
    assert "Did you mean" not in json.dumps(typo.body)
    assert limited_server.data("{ __typename }") == {"__typename": "Query"}


def test_introspection_on_by_default(fake_server: LiveServer, fake: Any) -> None:
    data = fake_server.data("{ __schema { queryType { name } } }")
    assert data == {"__schema": {"queryType": {"name": "Query"}}}


def test_an_unknown_operation_name_is_a_graphql_error(fake_server: LiveServer, fake: Any) -> None:
    response = fake_server.post("query A { defaultModeOnly }", operation_name="B")
    assert response.status == 200
    assert response.body == {
        "data": None,
        "errors": [{"path": None, "locations": None, "message": "Unknown operation named 'B'."}],
    }
