"""The GraphQL endpoint over HTTP, as AppSync serves it.

- POST with a JSON body `{"query", "variables"?, "operationName"?}` sent as `application/json`
  or `application/graphql` (AppSync reads the body as that JSON object either way: the curl
  examples of AppSync's guide send `Content-Type:application/graphql`), or GET with `query`,
  `variables` (a JSON object, URL-encoded) and `operationName` as query parameters — "AppSync
  supports HTTP POST and GET for queries and mutations" (the AppSync team, in
  graphql/graphql-over-http#81). Another content type, a batch (a JSON array) or a malformed
  request is refused before anything runs, with AppSync's error body.
- Credentials are checked first: a refusal is HTTP 401 (`UnauthorizedException`).
- A refusal carries the `x-amzn-ErrorType` header, its errorType, as AWS's JSON services do
  (some clients read the header rather than the body).
- Then the operation runs; GraphQL errors come back with HTTP 200 in AppSync's shape.
- Every response carries an `x-amzn-RequestId`, and nothing unexpected leaks: a failure of the
  server itself is logged with a correlation id and answered as `InternalFailure`.
"""

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from appsync_local.engine import Engine
from appsync_local.errors import RequestError, internal_error_message

__all__ = ["MAX_BODY_BYTES", "graphql_endpoint", "parse_request"]

MAX_BODY_BYTES = 1024 * 1024  # far above any real operation; bounds what one request can cost


def _malformed(message: str) -> RequestError:
    return RequestError(400, "MalformedHttpRequestException", message)


def parse_request(raw: Any) -> tuple[str, dict[str, Any] | None, str | None]:
    """`(query, variables, operationName)` from a decoded JSON body, or `RequestError`."""
    if isinstance(raw, list):
        raise _malformed("Batched requests (a JSON array) are not supported.")
    if not isinstance(raw, dict):
        raise _malformed("The request body must be a JSON object.")
    query = raw.get("query")
    if not isinstance(query, str) or not query.strip():
        raise _malformed("The request has no GraphQL query: 'query' must be a non-empty string.")
    variables = raw.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise _malformed("'variables' must be a JSON object.")
    operation_name = raw.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise _malformed("'operationName' must be a string.")
    return query, variables, operation_name


async def _read_body(request: Request) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RequestError(413, "PayloadTooLargeException", "The request body is too large.")
        chunks.append(chunk)
    return b"".join(chunks)


_JSON_TYPES = ("application/json", "application/graphql")


def _from_query_string(request: Request) -> dict[str, Any]:
    """A GET's parameters as the body a POST would carry (`variables` decoded from JSON)."""
    params = request.query_params
    raw: dict[str, Any] = {k: params[k] for k in ("query", "operationName") if k in params}
    if "variables" in params:
        try:
            raw["variables"] = json.loads(params["variables"])
        except (ValueError, RecursionError):
            raise _malformed("'variables' must be a JSON object.") from None
    return raw


async def _parameters(request: Request) -> tuple[str, dict[str, Any] | None, str | None]:
    if request.method == "GET":
        return parse_request(_from_query_string(request))
    if request.method != "POST":
        raise RequestError(405, "MethodNotAllowedException", "GraphQL requests use POST or GET.")
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type not in _JSON_TYPES:
        raise _malformed("The request must have 'Content-Type: application/json'.")
    body = await _read_body(request)
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the decoder goes
        raise _malformed("The request body is not valid JSON.") from None
    return parse_request(raw)


async def _handle(request: Request, engine: Engine) -> Response:
    query, variables, operation_name = await _parameters(request)
    headers = dict(request.headers)
    caller = await engine.authenticator.authenticate(
        headers, query=query, operation_name=operation_name, variables=variables
    )
    return JSONResponse(await engine.execute(query, variables, operation_name, caller, headers))


async def graphql_endpoint(request: Request) -> Response:
    engine: Engine = request.app.state.engine
    request_id = str(uuid.uuid4())
    try:
        response = await _handle(request, engine)
    except RequestError as error:
        response = JSONResponse(error.body(), status_code=error.status)
        response.headers["x-amzn-ErrorType"] = error.error_type
    except Exception as error:
        message = internal_error_message(error, "POST /graphql")
        response = JSONResponse(
            {"errors": [{"errorType": "InternalFailure", "message": message}]}, status_code=500
        )
        response.headers["x-amzn-ErrorType"] = "InternalFailure"
    response.headers["x-amzn-RequestId"] = request_id
    return response
