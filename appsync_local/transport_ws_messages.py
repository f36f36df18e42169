"""The messages of graphql-transport-ws (the `graphql-ws` npm library's protocol), typed.

Client → server: `connection_init {payload?}`, `ping`, `pong`, `subscribe {id, payload:
{query, variables?, operationName?}}`, `complete {id}`. Server → client: `connection_ack`,
`pong`, `next {id, payload}`, `error {id, payload: [errors]}`, `complete {id}`.

Every frame the server sends is built here; every frame it receives is decoded here: `decode`
reads the envelope (a JSON object with a string `type`), then `init_headers`, `as_subscribe`
and `as_complete` read what each message carries, so the connection applies the protocol's
rules in its order (a `subscribe` before the ack closes 4401 however malformed it is).
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "CompleteMessage",
    "ConnectionAckMessage",
    "ErrorMessage",
    "Frame",
    "NextMessage",
    "PongMessage",
    "ServerMessage",
    "SubscribeMessage",
    "SubscribePayload",
    "as_complete",
    "as_subscribe",
    "complete",
    "connection_ack",
    "decode",
    "encode",
    "error",
    "init_headers",
    "next_",
    "pong",
]


# -- client → server ---------------------------------------------------------------------------
class Frame(TypedDict):
    """Any message: a JSON object with a string `type` (other members unchecked)."""

    type: str
    id: NotRequired[object]
    payload: NotRequired[object]


class SubscribePayload(TypedDict):
    query: str
    variables: dict[str, Any] | None
    operationName: str | None


class SubscribeMessage(TypedDict):
    type: Literal["subscribe"]
    id: str
    payload: SubscribePayload


class CompleteMessage(TypedDict):
    """`complete`, both ways: the client stops a subscription, the server ends one."""

    type: Literal["complete"]
    id: str


# -- server → client ---------------------------------------------------------------------------
class ConnectionAckMessage(TypedDict):
    type: Literal["connection_ack"]


class PongMessage(TypedDict):
    type: Literal["pong"]


class NextMessage(TypedDict):
    type: Literal["next"]
    id: str
    payload: dict[str, Any]  # a GraphQL response in AppSync's shape


class ErrorMessage(TypedDict):
    type: Literal["error"]
    id: str
    payload: Sequence[Mapping[str, Any]]  # GraphQL errors


ServerMessage = ConnectionAckMessage | PongMessage | NextMessage | ErrorMessage | CompleteMessage


# -- decoding ----------------------------------------------------------------------------------
def decode(text: str | None) -> Frame | None:
    """The frame a client sent, or None if it is not a JSON object with a string `type`."""
    try:
        value = json.loads(text or "")
    except (ValueError, RecursionError):  # too deep to decode is invalid too
        return None
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return None
    frame = Frame(type=value["type"])
    if "id" in value:
        frame["id"] = value["id"]
    if "payload" in value:
        frame["payload"] = value["payload"]
    return frame


def init_headers(frame: Frame) -> dict[str, str]:
    """The headers a `connection_init` carries as its payload (names lower-cased)."""
    payload = frame.get("payload")
    if not isinstance(payload, dict):
        return {}
    return {str(k).lower(): str(v) for k, v in payload.items()}


def as_subscribe(frame: Frame) -> SubscribeMessage | None:
    """A `subscribe` frame, or None if it lacks a string `id` or a `payload` with a query."""
    op_id = frame.get("id")
    payload = frame.get("payload")
    if not isinstance(op_id, str) or not isinstance(payload, dict):
        return None
    query = payload.get("query")
    if not isinstance(query, str):
        return None
    variables = payload.get("variables")
    name = payload.get("operationName")
    return SubscribeMessage(
        type="subscribe",
        id=op_id,
        payload=SubscribePayload(
            query=query,
            variables=variables if isinstance(variables, dict) else None,
            operationName=name if isinstance(name, str) else None,
        ),
    )


def as_complete(frame: Frame) -> CompleteMessage:
    """A `complete` frame; its id is taken as text, whatever the client sent."""
    return CompleteMessage(type="complete", id=str(frame.get("id")))


# -- building ----------------------------------------------------------------------------------
def encode(message: ServerMessage) -> str:
    return json.dumps(message, separators=(",", ":"))


def connection_ack() -> ConnectionAckMessage:
    return ConnectionAckMessage(type="connection_ack")


def pong() -> PongMessage:
    return PongMessage(type="pong")


def next_(op_id: str, payload: dict[str, Any]) -> NextMessage:
    return NextMessage(type="next", id=op_id, payload=payload)


def error(op_id: str, errors: Sequence[Mapping[str, Any]]) -> ErrorMessage:
    return ErrorMessage(type="error", id=op_id, payload=errors)


def complete(op_id: str) -> CompleteMessage:
    return CompleteMessage(type="complete", id=op_id)
