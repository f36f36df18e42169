"""`@aws_subscribe` fan-out, with AppSync's argument filters.

When a mutation named in a subscription field's `@aws_subscribe(mutations: [...])` completes,
its result — the fields the *mutation* selected, keyed as its caller got them (by response
key: an alias, not the field's name) — goes to every subscriber of that field whose arguments
match:
- each argument given is compared with the result's key of the same name (AND across them);
- an omitted argument does not filter;
- an argument given as `null` matches only a `null` field;
- a field the mutation did not select matches nothing.

Queues are bounded: a subscriber that stops reading loses its oldest events (logged), it does
not grow the server's memory.

Once per event: subscribers that share a selection (the same document, operation, variables and
auth mode — so the same arguments and the same filter) would each execute that selection on the
event and encode the same payload. Each event is offered as an `Event` that remembers, per
selection key, the payload the first of them made (`deliveries`); the others take it, encoded
once (`SharedPayload`). `Broker.executions` counts the selections executed.
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Broker", "Event", "SharedPayload", "Subscriber", "deliveries", "matches"]

log = logging.getLogger("appsync_local")

_QUEUE_LIMIT = 1000


def matches(arguments: Mapping[str, Any], result: Mapping[str, Any]) -> bool:
    """AppSync's argument filter: every given argument equals the result's key of that name."""
    for name, expected in arguments.items():
        if name not in result or result[name] != expected:
            return False
    return True


class SharedPayload(dict[str, Any]):
    """A payload several subscribers receive: its JSON is made once, for all of them."""

    _encoded: str | None = None

    def encoded(self) -> str:
        if self._encoded is None:
            self._encoded = json.dumps(self, separators=(",", ":"))
        return self._encoded


@dataclass(eq=False)
class Event:
    """A published result, and the payload made of it for each selection key so far."""

    result: Mapping[str, Any]
    made: "dict[Hashable, asyncio.Future[Any]]" = field(default_factory=dict)


@dataclass(eq=False)
class Subscriber:
    field_name: str
    arguments: Mapping[str, Any]
    # the events offered to it and not yet sent (bounded: the oldest go first)
    queue: "asyncio.Queue[Event]" = field(
        default_factory=lambda: asyncio.Queue(maxsize=_QUEUE_LIMIT)
    )
    # what the subscription's own stream reads: fed one event at a time by `deliveries`, when
    # this subscriber is the first of its selection to need the event's payload
    feed: "asyncio.Queue[Mapping[str, Any]]" = field(default_factory=asyncio.Queue)

    def offer(self, event: Event) -> None:
        if self.queue.full():
            self.queue.get_nowait()
            log.warning(
                "subscriber of %s is not reading: dropped its oldest event", self.field_name
            )
        self.queue.put_nowait(event)


class Broker:
    def __init__(self, subscriptions: Mapping[str, tuple[str, ...]]) -> None:
        self._fields_by_mutation: dict[str, list[str]] = {}
        for subscription, mutations in subscriptions.items():
            for mutation in mutations:
                self._fields_by_mutation.setdefault(mutation, []).append(subscription)
        self._subscribers: dict[str, set[Subscriber]] = {}
        self.executions = 0  # selections executed on published events (`deliveries`)

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
        event = Event(result)
        for field_name in self.fired_by(mutation):
            for subscriber in list(self._subscribers.get(field_name, ())):
                if matches(subscriber.arguments, result):
                    subscriber.offer(event)
                    delivered += 1
        return delivered


async def deliveries(
    broker: Broker,
    subscriber: Subscriber,
    key: Hashable,
    execute_next: Callable[[], Awaitable[SharedPayload]],
) -> AsyncIterator[SharedPayload]:
    """The payload of each event `subscriber` is offered, made once per selection `key`.

    The first subscriber of a key to need an event's payload puts the event on its own feed
    and runs `execute_next` (its stream executes the selection on it); the others wait for that
    payload. If the one making it goes away or fails meanwhile, the next one makes it.
    """
    while True:
        event = await subscriber.queue.get()
        while True:
            made = event.made.get(key)
            if made is None:
                made = event.made[key] = asyncio.get_running_loop().create_future()
                try:
                    subscriber.feed.put_nowait(event.result)
                    payload = await execute_next()
                except BaseException:
                    del event.made[key]
                    made.cancel()  # whoever waits makes it (or fails) on its own
                    raise
                broker.executions += 1
                made.set_result(payload)
                break
            try:
                payload = await asyncio.shield(made)
                break
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise
                # the one making it went away: make it here (the loop finds no future now)
        yield payload
