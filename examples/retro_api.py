"""What every example needs: where the API is, who you are, and errors as Retro words them.

The examples are client-side scripts. They use `gql` and nothing else of this repository, so
copy this file along with the example you start from. Configuration comes from arguments or
the environment, so one script works against `retro serve` and a deployed API alike:

    --url      RETRO_API_URL   the GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql
                               or https://<id>.appsync-api.<region>.amazonaws.com/graphql
    --token    RETRO_TOKEN     your user token; without one, a new user is created

A new user is created with the public anonymous credential, `Authorization: anonymous`: the API
has no API key, and this fixed string may call `createUser` and nothing else.

See docs/API.md for the API itself.
"""

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from gql import Client, GraphQLRequest
from gql.transport.exceptions import (
    TransportError,
    TransportQueryError,
    TransportServerError,
)
from gql.transport.requests import RequestsHTTPTransport

__all__ = [
    "ApiError",
    "Connection",
    "add_connection_arguments",
    "call",
    "main_wrapper",
    "realtime_url",
]

# The public credential (`Authorization: anonymous`): it may call createUser and nothing else.
ANONYMOUS_TOKEN = "anonymous"  # noqa: S105 — public by design, not a secret

CREATE_USER = """
mutation CreateUser($name: String) {
  createUser(name: $name) { token user { id } }
}
"""

# Worth retrying with the very same variables: the server was busy or briefly unreachable.
# Only operations that are safe to repeat may be retried — queries, and mutations that carry
# a `clientRequestId` (the server applies those once, however often they arrive).
_RETRIED_TYPES = {"UnavailableError"}
_RETRIED_STATUS = {429, 500, 502, 503, 504}


class ApiError(Exception):
    """An error the API answered with: its `errorType` and `message`."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.message = message

    @classmethod
    def from_query_error(cls, error: TransportQueryError) -> "ApiError":
        """The first error of a response (HTTP), or of an `error` message (realtime)."""
        first: Mapping[str, Any] = (error.errors or [{}])[0]
        if isinstance(first.get("errors"), list) and first["errors"]:  # realtime: the payload
            first = first["errors"][0]
        return cls(str(first.get("errorType") or "Error"), str(first.get("message") or error))


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url",
        default=os.environ.get("RETRO_API_URL"),
        help="GraphQL endpoint (env RETRO_API_URL)",
    )
    parser.add_argument(
        "--token",
        default=os.environ.get("RETRO_TOKEN"),
        help="your user token (env RETRO_TOKEN); without one a new user is created",
    )


@dataclass
class Connection:
    """The API's address and the caller's credentials."""

    url: str
    token: str | None

    @classmethod
    def from_arguments(cls, args: argparse.Namespace) -> "Connection":
        if not args.url:
            raise SystemExit("error: give --url or set RETRO_API_URL (the GraphQL endpoint)")
        return cls(url=args.url, token=args.token)

    def client(self, headers: Mapping[str, str]) -> Client:
        """A synchronous gql client sending these headers with every request."""
        transport = RequestsHTTPTransport(url=self.url, headers=dict(headers), timeout=30)
        return Client(transport=transport)

    def user_token(self, name: str = "Retro example") -> str:
        """Your token; creates a user anonymously the first time (and says how to reuse it).

        `createUser` is the one call the anonymous credential may make; a user's token may not
        make another user.
        """
        if self.token:
            return self.token
        with self.anonymous_client() as session:
            data = call(session, CREATE_USER, {"name": name})
        self.token = str(data["createUser"]["token"])
        print(
            "Created a user. Its token is shown once; to act as this user again:\n"
            f"  export RETRO_TOKEN='{self.token}'",
            file=sys.stderr,
        )
        return self.token

    def anonymous_client(self) -> Client:
        """A client with the public anonymous credential: it may only call `createUser`."""
        return self.client({"Authorization": ANONYMOUS_TOKEN})

    def user_client(self) -> Client:
        """A client that acts as the user: the token goes in the `Authorization` header."""
        return self.client({"Authorization": self.user_token()})


def call(
    session: Any,
    document: str,
    variables: Mapping[str, Any] | None = None,
    *,
    attempts: int = 4,
) -> dict[str, Any]:
    """Run one operation; retry what is safe to retry; raise `ApiError` for the rest.

    Retries `UnavailableError` and HTTP 429/5xx with a growing pause (0.2 s, 0.4 s, ...).
    Call it only for operations that are safe to repeat (see `_RETRIED_TYPES`).
    """
    request = GraphQLRequest(document, variable_values=dict(variables or {}))
    for attempt in range(1, attempts + 1):
        try:
            result: dict[str, Any] = session.execute(request)
            return result
        except TransportQueryError as error:
            failure = ApiError.from_query_error(error)
            if failure.error_type not in _RETRIED_TYPES or attempt == attempts:
                raise failure from None
        except TransportServerError as error:
            if error.code not in _RETRIED_STATUS or attempt == attempts:
                raise
        time.sleep(0.2 * 2 ** (attempt - 1))
    raise AssertionError("unreachable: the last attempt returns or raises")


def realtime_url(graphql_url: str) -> str:
    """The realtime endpoint AppSync derives from a GraphQL endpoint.

    `https://<id>.appsync-api.<region>.amazonaws.com/graphql` becomes
    `wss://<id>.appsync-realtime-api.<region>.amazonaws.com/graphql`; a local
    `http://127.0.0.1:4000/graphql` becomes `ws://127.0.0.1:4000/graphql`. A custom domain
    has its own (`wss://<domain>/graphql/realtime`): pass it explicitly.
    """
    parts = urlsplit(graphql_url)
    scheme = {"https": "wss", "http": "ws"}.get(parts.scheme, parts.scheme)
    host = parts.netloc.replace(".appsync-api.", ".appsync-realtime-api.")
    return urlunsplit((scheme, host, parts.path, "", ""))


def main_wrapper(main: Callable[[], int]) -> int:
    """Run an example's `main`, turning the API's errors into one line and exit status 1."""
    try:
        return main()
    except ApiError as error:
        print(f"error: {error}", file=sys.stderr)
    except TransportServerError as error:
        status = f"HTTP {error.code}" if error.code else "the realtime endpoint"
        print(f"error: {status} refused: {error}", file=sys.stderr)
    except (TransportError, OSError) as error:
        print(f"error: could not talk to the API: {error}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 1
