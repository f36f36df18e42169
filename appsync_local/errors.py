"""AppSync's error shape, and the masking of anything the server did not mean to say.

A GraphQL error in an AppSync response carries `errorType` and `errorInfo` next to `message`,
`path` and `locations` (not under `extensions`), and `data: null`. Errors are told apart by
their class, never by their text:
- `GraphQLError`s raised on purpose by the local server (`field_error`, with `errorType` in
  their extensions), graphql-core's own (validation...) and `NonNullViolation` are shown;
- `ScalarError`: a value that is not valid for an AWS scalar, shown as it is;
- every other exception is a bug or an unexpected failure: it is logged with a correlation id
  and the client sees only `InternalFailure` and that id — never a stack trace.
"""

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError

__all__ = [
    "UNAUTHORIZED_MESSAGE",
    "NonNullViolation",
    "RequestError",
    "ScalarError",
    "appsync_error",
    "field_error",
    "format_error",
    "internal_error_message",
]

log = logging.getLogger("appsync_local")

# What AppSync says when a request's credentials are refused (HTTP 401) and when a Lambda
# resolver raises `UnauthorizedException`.
UNAUTHORIZED_MESSAGE = "You are not authorized to make this call."


class ScalarError(ValueError):
    """A value is not valid for an AWS scalar: a client (or handler) error, shown as it is."""


class NonNullViolation(GraphQLError):
    """A null where the schema says non-null (e.g. a subscriber selected a field the mutation
    did not): GraphQL's own report about the value, in graphql-core's words (`nonnull`)."""

    def __init__(self, parent_type: str, field_name: str) -> None:
        super().__init__(f"Cannot return null for non-nullable field {parent_type}.{field_name}.")


class RequestError(Exception):
    """A request refused before execution: an HTTP status and AppSync's error body."""

    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"errors": [{"errorType": self.error_type, "message": self.message}]}


def field_error(message: str, error_type: str | None, error_info: Any = None) -> GraphQLError:
    """An error for one field, as a resolver of AppSync would report it."""
    return GraphQLError(message, extensions={"errorType": error_type, "errorInfo": error_info})


def appsync_error(
    message: str,
    error_type: str | None,
    *,
    path: list[str | int] | None = None,
    locations: list[dict[str, Any]] | None = None,
    error_info: Any = None,
) -> dict[str, Any]:
    return {
        "path": path,
        "data": None,
        "errorType": error_type,
        "errorInfo": error_info,
        "locations": locations,
        "message": message,
    }


def internal_error_message(error: BaseException | None, where: str) -> str:
    """Log an unexpected failure with a fresh correlation id; return what the client may see."""
    correlation = uuid.uuid4().hex[:16]
    log.error("internal failure in %s (correlation id %s)", where, correlation, exc_info=error)
    return f"An internal failure occurred (correlation id {correlation})."


def format_error(error: GraphQLError, default_type: str | None = None) -> dict[str, Any]:
    """One graphql-core error in AppSync's shape; unexpected exceptions are masked."""
    extensions: Mapping[str, Any] = error.extensions or {}
    original = error.original_error
    locations = (
        [{"line": loc.line, "column": loc.column, "sourceName": None} for loc in error.locations]
        if error.locations
        else None
    )
    path = list(error.path) if error.path else None
    if original is not None and not isinstance(original, GraphQLError | ScalarError):
        where = ".".join(str(p) for p in path) if path else "execution"
        return appsync_error(
            internal_error_message(original, where),
            "InternalFailure",
            path=path,
            locations=locations,
        )
    return appsync_error(
        error.message,
        extensions.get("errorType", default_type),
        path=path,
        locations=locations,
        error_info=extensions.get("errorInfo"),
    )
