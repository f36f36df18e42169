"""`@aws_subscribe` fan-out, with AppSync's argument filters.

When a mutation named in a subscription field's `@aws_subscribe(mutations: [...])` completes,
its result — the fields the *mutation* selected, keyed by field name — goes to every subscriber
of that field whose arguments match:
- each argument given is compared with the result's field of the same name (AND across them);
- an omitted argument does not filter;
- an argument given as `null` matches only a `null` field;
- a field the mutation did not select matches nothing.

Queues are bounded: a subscriber that stops reading loses its oldest events (logged), it does
not grow the server's memory.
"""

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Broker", "Subscriber", "matches"]

log = logging.getLogger("appsync_local")

_QUEUE_LIMIT = 1000


def matches(arguments: Mapping[str, Any], result: Mapping[str, Any]) -> bool:
    """AppSync's argument filter: every given argument equals the result's field of that name."""
    for name, expected in arguments.items():
        if name not in result or result[name] != expected:
            return False
    return True


@dataclass(eq=False)
class Subscriber:
    field_name: str
    arguments: Mapping[str, Any]
    queue: "asyncio.Queue[Mapping[str, Any]]" = field(
        default_factory=lambda: asyncio.Queue(maxsize=_QUEUE_LIMIT)
    )

    def offer(self, result: Mapping[str, Any]) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            log.warning(
                "subscriber of %s is not reading: dropped its oldest event", self.field_name
            )
        self.queue.put_nowait(result)


class Broker:
    def __init__(self, subscriptions: Mapping[str, tuple[str, ...]]) -> None:
        self._fields_by_mutation: dict[str, list[str]] = {}
        for subscription, mutations in subscriptions.items():
            for mutation in mutations:
                self._fields_by_mutation.setdefault(mutation, []).append(subscription)
        self._subscribers: dict[str, set[Subscriber]] = {}

    def fired_by(self, mutation: str) -> list[str]:
        return self._fields_by_mutation.get(mutation, [])

    def subscribe(self, field_name: str, arguments: Mapping[str, Any]) -> Subscriber:
        subscriber = Subscriber(field_name, dict(arguments))
        self._subscribers.setdefault(field_name, set()).add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.get(subscriber.field_name, set()).discard(subscriber)

    def count(self) -> int:
        return sum(len(s) for s in self._subscribers.values())

    def publish(self, mutation: str, result: Mapping[str, Any]) -> int:
        """Deliver a completed mutation's result; returns how many subscribers received it."""
        delivered = 0
        for field_name in self.fired_by(mutation):
            for subscriber in list(self._subscribers.get(field_name, ())):
                if matches(subscriber.arguments, result):
                    subscriber.offer(result)
                    delivered += 1
        return delivered
