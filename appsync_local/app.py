"""The ASGI application: every route of the local AppSync on one origin.

| path | what |
|---|---|
| `POST /graphql`, `GET /graphql?query=…` | GraphQL over HTTP (AppSync's endpoint) |
| `/graphql`, `/graphql/realtime` (WebSocket) | `graphql-ws`: AppSync's realtime protocol |
| the same (WebSocket) | `graphql-transport-ws`: GraphiQL's protocol |
| `GET /config.json` | `{"graphqlUrl", "realtimeUrl"}` (and `"apiKey"` if any) for the client |
| `GET /graphiql` | GraphiQL, from `node_modules` |
| `GET /` and the rest | the client's static files |

Both WebSocket paths serve both protocols: AppSync clients derive `/graphql` (gql, on the
realtime host) or `/graphql/realtime` (Amplify, for a custom domain) from the GraphQL URL.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket

from appsync_local import realtime, transport_ws
from appsync_local.engine import Engine
from appsync_local.graphiql import graphiql_asset, graphiql_page
from appsync_local.http import graphql_endpoint
from appsync_local.realtime import RealtimeSettings

__all__ = ["create_app"]


async def _websocket(websocket: WebSocket) -> None:
    state = websocket.app.state
    offered = websocket.scope.get("subprotocols", [])
    if transport_ws.SUBPROTOCOL in offered:
        await transport_ws.serve_transport_ws(websocket, state.engine, state.realtime)
    elif realtime.SUBPROTOCOL in offered:
        await realtime.serve_appsync(websocket, state.engine, state.realtime)
    else:
        # AppSync takes the socket, answers `connection_error` and closes it: `NoProtocolError`
        # without a sub-protocol, `SubProtocolNotSupportedError` with another one (observed
        # answers, docs/LOCAL.md).
        await websocket.accept()
        reason = "SubProtocolNotSupportedError" if offered else "NoProtocolError"
        error = {"message": reason, "errorCode": 400}
        await websocket.send_json({"type": "connection_error", "payload": {"errors": [error]}})
        await websocket.close(code=1000)


async def _config(request: Request) -> Response:
    return JSONResponse(request.app.state.public_config, headers={"cache-control": "no-store"})


async def _no_client(_request: Request) -> Response:
    return PlainTextResponse(
        "The client's files were not found (client/index.html).", status_code=404
    )


def create_app(
    engine: Engine,
    *,
    public_config: Mapping[str, Any],
    client_dir: Path | None,
    node_modules: Path | None,
    realtime_settings: RealtimeSettings | None = None,
    graphiql_headers: Mapping[str, str] | None = None,
) -> Starlette:
    routes: list[Any] = [
        # Every method reaches the endpoint, so one AppSync doesn't serve gets AppSync's 405.
        Route("/graphql", graphql_endpoint, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
        WebSocketRoute("/graphql", _websocket),
        WebSocketRoute("/graphql/realtime", _websocket),
        Route("/config.json", _config, methods=["GET"]),
        Route("/graphiql", graphiql_page, methods=["GET"]),
        Route("/graphiql/assets/{name}", graphiql_asset, methods=["GET"]),
    ]
    if client_dir is not None and (client_dir / "index.html").is_file():
        routes.append(Mount("/", StaticFiles(directory=client_dir, html=True)))
    else:
        routes.append(Route("/", _no_client))
    app = Starlette(
        routes=routes,
        middleware=[
            # AppSync answers CORS preflights for any origin; credentials are headers, not cookies.
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["*"],
                expose_headers=["x-amzn-RequestId"],
            )
        ],
    )
    app.state.engine = engine
    app.state.public_config = dict(public_config)
    # GraphiQL's header editor starts with these; default: the API key, if the API has one.
    key = public_config.get("apiKey")
    app.state.graphiql_headers = dict(
        graphiql_headers if graphiql_headers is not None else {"x-api-key": key} if key else {}
    )
    app.state.node_modules = node_modules
    app.state.realtime = realtime_settings or RealtimeSettings()
    return app
