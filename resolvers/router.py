"""A small AppSync Direct Lambda resolver router.

Resolvers register under "Type.field" (the key used in schema/resolvers.json and Terraform).
`handle` takes AppSync's event as it arrives:
- a dict → one call; the return value is the field's value. A `RetroError` is re-raised as is,
  so AppSync reports `errorType` = its class name and `message` = its message.
- a list (the field has `maxBatchSize`) → one call per item, answered as a list of the same
  length and order of `{"data", "errorMessage", "errorType"}` envelopes, so one item's error
  does not fail the others.
Anything unexpected is logged with a correlation id and masked as `InternalError`.

Why not Powertools' AppSyncResolver: its batch resolvers return bare values (AppSync wants the
envelope for per-item errors), what an exception handler returns becomes the whole response,
and its import costs ~90 ms of cold start. This is the part of it Retro needs.
"""

import logging
import uuid
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, Final

from resolvers.logs import log
from resolvers.published import refuse_renamed_filters
from resolvers.selection import Selection, parse_selection
from retro.errors import InternalError, RetroError, UnauthorizedError

__all__ = ["Call", "Router"]


class Call:
    """One field to resolve: what AppSync's event says, in the terms resolvers need.

    A plain class, not a frozen dataclass: creating a dataclass runs its generated methods
    through exec(), ~0.6 ms of every cold start (docs/PERFORMANCE.md). `Final` keeps it read-only
    for mypy."""

    def __init__(
        self,
        key: str,
        arguments: Mapping[str, Any],
        source: Mapping[str, Any] | None,
        identity: Mapping[str, Any] | None,
        info: Mapping[str, Any],
    ) -> None:
        self.key: Final = key
        self.arguments: Final = arguments
        self.source: Final = source
        self.identity: Final = identity
        self.info: Final = info

    def require_user(self) -> str:
        """The caller's user id, which the AWS_LAMBDA authorizer put into the identity;
        UnauthorizedError when the call came without a user token (with the API key)."""
        context = (self.identity or {}).get("resolverContext") or {}
        user_id = context.get("userId")
        if not isinstance(user_id, str) or not user_id:
            raise UnauthorizedError("this call needs a user token in the Authorization header")
        return user_id

    @cached_property
    def selection(self) -> Selection:
        """The field's selection set, with arguments (used to prefetch nested data)."""
        return parse_selection(
            str(self.info.get("selectionSetGraphQL") or ""), self.info.get("variables") or {}
        )

    @classmethod
    def from_event(cls, event: Mapping[str, Any]) -> "Call":
        info = event.get("info") or {}
        return cls(
            key=f"{info.get('parentTypeName')}.{info.get('fieldName')}",
            arguments=event.get("arguments") or {},
            source=event.get("source"),
            identity=event.get("identity"),
            info=info,
        )


Resolver = Callable[[Call], Any]


class Router:
    """Resolvers by "Type.field", and the handler AppSync calls."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.resolvers: dict[str, Resolver] = {}

    def resolver(self, key: str) -> Callable[[Resolver], Resolver]:
        def register(function: Resolver) -> Resolver:
            if key in self.resolvers:
                raise ValueError(f"{key} is registered twice in {self.name}")
            self.resolvers[key] = function
            return function

        return register

    def include(self, other: "Router") -> None:
        for key, function in other.resolvers.items():
            self.resolver(key)(function)

    def handle(self, event: Any, _context: Any = None) -> Any:
        """The Lambda handler: one event or a batch (a list of events)."""
        if isinstance(event, list):
            return [self._envelope(item) for item in event]
        return self._resolve(event)

    def _resolve(self, event: Any) -> Any:
        try:
            call = Call.from_event(event)
            function = self.resolvers.get(call.key)
            if function is None:
                raise InternalError(f"{call.key} is not resolved by the {self.name} function")
            # before anything is read or written: an alias must not steer subscription filters
            text = str(call.info.get("selectionSetGraphQL") or "")
            refuse_renamed_filters(call.key, text, lambda: call.selection)
            # views render only what the query selected (resolvers/project.py)
            return function(call)
        except RetroError:
            raise
        except Exception as error:
            correlation = str(uuid.uuid4())
            log(
                logging.ERROR,
                "unexpected error",
                exc_info=True,
                correlation_id=correlation,
                function=self.name,
                field=_field(event),
            )
            raise InternalError(f"internal error (correlation id {correlation})") from error

    def _envelope(self, event: Any) -> dict[str, Any]:
        try:
            return {"data": self._resolve(event)}
        except RetroError as error:
            return {"data": None, "errorMessage": str(error), "errorType": error.error_type}


def _field(event: Any) -> str:
    info = event.get("info") if isinstance(event, Mapping) else None
    if not isinstance(info, Mapping):
        return "?"
    return f"{info.get('parentTypeName')}.{info.get('fieldName')}"
