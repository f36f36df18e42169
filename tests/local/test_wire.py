"""What AppSync accepts and answers on the wire, beyond POST application/json (issue 15,
items 6 and 7), through real sockets on the fake API. Sources are in docs/LOCAL.md:

- a refusal carries `x-amzn-ErrorType` (its errorType) beside its JSON body;
- GET with `query`, `variables`, `operationName` as query parameters, for queries and
  mutations ("AppSync supports HTTP POST and GET for queries and mutations": the AppSync team in
  graphql/graphql-over-http#81);
- `Content-Type: application/graphql` with the same JSON body (the curl examples of AppSync's
  guide send it);
- a realtime socket without a sub-protocol, or with one AppSync does not speak: the socket is
  taken, then `connection_error` (`NoProtocolError` / `SubProtocolNotSupportedError`, errorCode
  400) and closed — AppSync's observed answers (aws/aws-appsync-community#195,
  graphql-dotnet/graphql-client#591);
- credentials in the upgrade request's own headers are not read: AppSync's guide names the
  `header` query parameter and the `header-` sub-protocol only (the local choice).
"""

import asyncio
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
import websockets

from tests.appsync_realtime import API_KEY
from tests.conftest import LiveServer


def _get(server: LiveServer, params: dict[str, str], headers: dict[str, str]) -> Any:
    url = f"{server.graphql_url}?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_401_carries_x_amzn_errortype(fake_server: LiveServer, fake: Any) -> None:
    for headers in ({}, {"x-api-key": "da2-wrong"}, {"authorization": "refuse"}):
        response = fake_server.post("{ defaultModeOnly }", headers=headers)
        assert response.status == 401, response.body
        assert response.body["errors"][0]["errorType"] == "UnauthorizedException"
        assert response.headers["x-amzn-errortype"] == "UnauthorizedException"
    # every refusal before execution says its type in the header too
    malformed = fake_server.request(b"{nope", {"content-type": "application/json"})
    assert malformed.status == 400
    assert malformed.headers["x-amzn-errortype"] == "MalformedHttpRequestException"
    # and an answer that is not a refusal has none
    fine = fake_server.post("{ defaultModeOnly }")
    assert fine.status == 200 and "x-amzn-errortype" not in fine.headers


def test_get_with_query_parameters_runs_queries_and_mutations(
    fake_server: LiveServer, fake: Any
) -> None:
    key = {"x-api-key": API_KEY}
    assert _get(fake_server, {"query": "{ defaultModeOnly }"}, key) == (
        200,
        {"data": {"defaultModeOnly": "default mode"}},
    )
    mutation = "mutation Add($i: ItemInput!) { addItem(input: $i) { shelfId label } }"
    status, body = _get(
        fake_server,
        {
            "query": mutation,
            "variables": json.dumps({"i": {"shelfId": "s1", "label": "by GET"}}),
            "operationName": "Add",
        },
        key,
    )
    assert (status, body) == (200, {"data": {"addItem": {"shelfId": "s1", "label": "by GET"}}})
    # the same checks as a POST: credentials first, then a malformed request is refused
    assert _get(fake_server, {"query": "{ defaultModeOnly }"}, {})[0] == 401
    status, body = _get(fake_server, {"query": "{ defaultModeOnly }", "variables": "[1"}, key)
    assert status == 400 and body["errors"][0]["errorType"] == "MalformedHttpRequestException"
    assert _get(fake_server, {}, key)[0] == 400  # no query at all


def test_content_type_application_graphql_carries_the_json_body(
    fake_server: LiveServer, fake: Any
) -> None:
    body = json.dumps({"query": "{ defaultModeOnly }"}).encode()
    for content_type in ("application/graphql", "application/graphql; charset=utf-8"):
        response = fake_server.request(body, {"content-type": content_type, "x-api-key": API_KEY})
        assert (response.status, response.body) == (
            200,
            {"data": {"defaultModeOnly": "default mode"}},
        )
    refused = fake_server.request(body, {"content-type": "text/plain", "x-api-key": API_KEY})
    assert refused.status == 400


def _first_frame_then_closed(url: str, subprotocols: list[str] | None, **kwargs: Any) -> Any:
    async def scenario() -> Any:
        async with websockets.connect(url, subprotocols=subprotocols, **kwargs) as ws:
            frame = json.loads(await asyncio.wait_for(ws.recv(), 10))
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 10)
            return frame

    return asyncio.run(scenario())


@pytest.mark.parametrize(
    ("subprotocols", "reason"),
    [(None, "NoProtocolError"), (["graphql-transport-ws-v2"], "SubProtocolNotSupportedError")],
)
def test_a_socket_without_appsyncs_subprotocol_gets_connection_error(
    fake_server: LiveServer, fake: Any, subprotocols: list[str] | None, reason: str
) -> None:
    url = f"ws://127.0.0.1:{fake_server.server.port}/graphql/realtime"
    frame = _first_frame_then_closed(url, subprotocols)
    assert frame == {
        "type": "connection_error",
        "payload": {"errors": [{"message": reason, "errorCode": 400}]},
    }


def test_credentials_in_plain_upgrade_headers_are_not_read(
    fake_server: LiveServer, fake: Any
) -> None:
    url = f"ws://127.0.0.1:{fake_server.server.port}/graphql/realtime"
    frame = _first_frame_then_closed(url, ["graphql-ws"], additional_headers={"x-api-key": API_KEY})
    assert frame["type"] == "connection_error"
    (error,) = frame["payload"]["errors"]
    assert error["errorType"] == "UnauthorizedException" and error["errorCode"] == 401
