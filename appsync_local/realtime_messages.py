"""The messages of AppSync's realtime protocol (`graphql-ws` sub-protocol), typed.

Client → server: `connection_init` (optional), `start {id, payload: {data, extensions:
{authorization}}}`, `stop {id}`. Server → client: `connection_ack {payload:
{connectionTimeoutMs}}`, `ka`, `start_ack {id}`, `data {id, payload}`, `error {id?, payload:
{errors}}`, `connection_error {payload: {errors}}`, `complete {id}`.

Every frame the server sends is built here; every frame it receives is decoded here, in two
steps so that the connection checks a `start` in AppSync's order: `decode` reads the envelope
(JSON object with a string `type`), then `as_start`/`as_stop`, `operation` and `authorization`
read what the message carries, each saying None for what is missing or malformed.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "CompleteMessage",
    "ConnectionAckMessage",
    "ConnectionAckPayload",
    "ConnectionErrorMessage",
    "ConnectionErrorPayload",
    "ConnectionRefusal",
    "DataMessage",
    "ErrorMessage",
    "ErrorPayload",
    "Frame",
    "KeepAliveMessage",
    "Operation",
    "ProtocolError",
    "ServerMessage",
    "StartAckMessage",
    "StartMessage",
    "StopMessage",
    "as_start",
    "as_stop",
    "authorization",
    "complete",
    "connection_ack",
    "connection_error",
    "data",
    "decode",
    "encode",
    "error",
    "keep_alive",
    "operation",
    "protocol_error",
    "start_ack",
]


# -- client → server ---------------------------------------------------------------------------
class Frame(TypedDict):
    """Any message: a JSON object with a string `type` (other members unchecked)."""

    type: str
    id: NotRequired[object]
    payload: NotRequired[object]


class StartMessage(TypedDict):
    """`start`: subscribe `id` to the operation in `payload.data`, authorized by
    `payload.extensions.authorization`."""

    type: Literal["start"]
    id: str
    payload: Mapping[str, object]  # {} when the client sent none


class StopMessage(TypedDict):
    type: Literal["stop"]
    id: str


class Operation(TypedDict):
    """What `start.payload.data` holds, as a JSON string."""

    query: str
    variables: dict[str, Any] | None
    operationName: str | None


# -- server → client ---------------------------------------------------------------------------
class ConnectionAckPayload(TypedDict):
    connectionTimeoutMs: int


class ConnectionAckMessage(TypedDict):
    type: Literal["connection_ack"]
    payload: ConnectionAckPayload


class KeepAliveMessage(TypedDict):
    type: Literal["ka"]


class StartAckMessage(TypedDict):
    type: Literal["start_ack"]
    id: str


class DataMessage(TypedDict):
    type: Literal["data"]
    id: str
    payload: dict[str, Any]  # AppSync's GraphQL response: data, errors


class ProtocolError(TypedDict):
    """An error of the protocol (not of a GraphQL operation)."""

    errorType: str
    message: str


class ErrorPayload(TypedDict):
    errors: Sequence[ProtocolError | Mapping[str, Any]]  # or an operation's GraphQL errors


class ErrorMessage(TypedDict):
    type: Literal["error"]
    payload: ErrorPayload
    id: NotRequired[str]  # absent when the message that failed had no usable id


class ConnectionRefusal(TypedDict):
    errorType: str
    message: str
    errorCode: int


class ConnectionErrorPayload(TypedDict):
    errors: list[ConnectionRefusal]


class ConnectionErrorMessage(TypedDict):
    type: Literal["connection_error"]
    payload: ConnectionErrorPayload


class CompleteMessage(TypedDict):
    type: Literal["complete"]
    id: str


ServerMessage = (
    ConnectionAckMessage
    | KeepAliveMessage
    | StartAckMessage
    | DataMessage
    | ErrorMessage
    | ConnectionErrorMessage
    | CompleteMessage
)


# -- decoding ----------------------------------------------------------------------------------
def decode(text: str | None) -> Frame | None:
    """The frame a client sent, or None if it is not a JSON object with a string `type`."""
    try:
        value = json.loads(text) if text is not None else None
    except (ValueError, RecursionError):  # too deep to decode is malformed too
        return None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return None
    frame = Frame(type=value["type"])
    if "id" in value:
        frame["id"] = value["id"]
    if "payload" in value:
        frame["payload"] = value["payload"]
    return frame


def as_start(frame: Frame) -> StartMessage | None:
    """A `start` frame, or None if its `id` is not a non-empty string."""
    op_id = frame.get("id")
    if not isinstance(op_id, str) or not op_id:
        return None
    payload = frame.get("payload")
    return StartMessage(
        type="start", id=op_id, payload=payload if isinstance(payload, dict) else {}
    )


def as_stop(frame: Frame) -> StopMessage | None:
    """A `stop` frame, or None if its `id` is not a string."""
    op_id = frame.get("id")
    return StopMessage(type="stop", id=op_id) if isinstance(op_id, str) else None


def operation(start: StartMessage) -> Operation | None:
    """The operation of a `start`: `payload.data`, a JSON string of {query, variables}."""
    text = start["payload"].get("data")
    if not isinstance(text, str):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("query"), str):
        return None
    variables = data.get("variables")
    name = data.get("operationName")
    return Operation(
        query=data["query"],
        variables=variables if isinstance(variables, dict) else None,
        operationName=name if isinstance(name, str) else None,
    )


def authorization(start: StartMessage) -> dict[str, str] | None:
    """The headers of a `start`'s `payload.extensions.authorization` (names lower-cased)."""
    extensions = start["payload"].get("extensions")
    headers = extensions.get("authorization") if isinstance(extensions, dict) else None
    if not isinstance(headers, dict):
        return None
    return {str(k).lower(): str(v) for k, v in headers.items()}


# -- building ----------------------------------------------------------------------------------
def encode(message: ServerMessage) -> str:
    return json.dumps(message, separators=(",", ":"))


def connection_ack(timeout_ms: int) -> ConnectionAckMessage:
    return ConnectionAckMessage(
        type="connection_ack", payload=ConnectionAckPayload(connectionTimeoutMs=timeout_ms)
    )


def keep_alive() -> KeepAliveMessage:
    return KeepAliveMessage(type="ka")


def start_ack(op_id: str) -> StartAckMessage:
    return StartAckMessage(type="start_ack", id=op_id)


def data(op_id: str, payload: dict[str, Any]) -> DataMessage:
    return DataMessage(type="data", id=op_id, payload=payload)


def protocol_error(message: str, error_type: str, op_id: str | None = None) -> ErrorMessage:
    """An `error` about a message itself (for the `start` `op_id`, if it had a usable id)."""
    out = ErrorMessage(
        type="error",
        payload=ErrorPayload(errors=[ProtocolError(errorType=error_type, message=message)]),
    )
    if op_id is not None:
        out["id"] = op_id
    return out


def error(op_id: str, errors: Sequence[Mapping[str, Any]]) -> ErrorMessage:
    """An `error` refusing the subscription `op_id` with its GraphQL errors."""
    return ErrorMessage(type="error", id=op_id, payload=ErrorPayload(errors=errors))


def connection_error(message: str, error_type: str, code: int) -> ConnectionErrorMessage:
    return ConnectionErrorMessage(
        type="connection_error",
        payload=ConnectionErrorPayload(
            errors=[ConnectionRefusal(errorType=error_type, message=message, errorCode=code)]
        ),
    )


def complete(op_id: str) -> CompleteMessage:
    return CompleteMessage(type="complete", id=op_id)
