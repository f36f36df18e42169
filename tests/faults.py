"""Faults at the store boundary: a DynamoDB that fails, or commits and then fails to answer.

Injected with botocore's events on the client a `Table` uses — below the store, so the store,
the services and the handlers above it run unchanged — on moto in-process (the core and API
tiers) and on the embedded DynamoDB over HTTP (the local server's handlers run in the test
process, on `services.default_store()`). Each fault hits the next `times` requests of one
DynamoDB operation and counts what it did:

- `unreachable`: the request never reaches the database (a connection error): nothing applied.
  botocore retries it (3 attempts), then the store answers UnavailableError.
- `answer_lost`: the request is applied, then its answer is lost (a read timeout). botocore
  retries the call with the same ClientRequestToken, which DynamoDB answers as the success it
  was (`retro_tools.serve.moto_tokens` makes moto do the same).
- `error_after_commit`: the call committed, and then the caller gets an error anyway — botocore
  gave up on a lost answer, or DynamoDB answered 500 — so the store answers UnavailableError
  for a write that happened. The client retries it with the same clientRequestId.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError
from moto.core.models import botocore_stubber

__all__ = ["Fault", "answer_lost", "error_after_commit", "unreachable"]


@dataclass
class Fault:
    """How many requests a fault hit (`hit`), and how many it let through (`passed`)."""

    operation: str
    times: int
    hit: int = 0
    passed: int = 0
    seen: list[str] = field(default_factory=list)

    def take(self) -> bool:
        """Whether this request is one of the faulty ones."""
        if self.hit < self.times:
            self.hit += 1
            return True
        self.passed += 1
        return False


@contextmanager
def unreachable(client: Any, operation: str, times: int) -> Iterator[Fault]:
    fault = Fault(operation, times)

    def refuse(request: Any, **_: Any) -> None:
        if fault.take():
            raise EndpointConnectionError(endpoint_url=request.url)

    with _registered(client, f"before-send.dynamodb.{operation}", refuse):
        yield fault


@contextmanager
def answer_lost(client: Any, operation: str, times: int = 1) -> Iterator[Fault]:
    fault = Fault(operation, times)

    def commit_then_lose(request: Any, event_name: str, **_: Any) -> None:
        if fault.take():
            _send(client, event_name, request)
            raise ReadTimeoutError(endpoint_url=request.url)

    with _registered(client, f"before-send.dynamodb.{operation}", commit_then_lose):
        yield fault


@contextmanager
def error_after_commit(
    client: Any, operation: str, times: int = 1, code: str = "InternalServerError"
) -> Iterator[Fault]:
    fault = Fault(operation, times)

    def fail_after(**_: Any) -> None:
        if fault.take():
            raise ClientError({"Error": {"Code": code, "Message": "injected"}}, operation)

    with _registered(client, f"after-call.dynamodb.{operation}", fail_after):
        yield fault


def _send(client: Any, event_name: str, request: Any) -> Any:
    """Apply `request` as the database would: through moto in-process, else over HTTP."""
    response = botocore_stubber(event_name=event_name, request=request)
    if response is None:
        response = client._endpoint.http_session.send(request)
    return response


@contextmanager
def _registered(client: Any, event: str, handler: Any) -> Iterator[None]:
    unique = f"retro-fault-{id(handler)}"
    client.meta.events.register(event, handler, unique_id=unique)
    try:
        yield
    finally:
        client.meta.events.unregister(event, unique_id=unique)
