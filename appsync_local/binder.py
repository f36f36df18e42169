"""The field binder: what each field of the SDL does when it is resolved.

`builder.build_schema` gives it every field (`builder.FieldBinder`); it answers with the
field's resolver:
- a field listed in `resolvers.json` invokes its handler with AppSync's event (batched per
  request when `maxBatchSize` > 0), each call counted against the resolver count limit;
- a subscription field checks the caller's mode (graphql-core does not pass the subscribe step
  through the schema's extensions), runs its resolver, if it has one, at subscribe time (an
  error refuses the subscription) and registers the subscriber with the broker;
- every other field has none: it is the parent's property.

The event is built from Strawberry's public `Info` (the field's name, the operation, the
response path, the coerced variables), the SDL's definitions and the request's context: the
field's nodes are found again by `field_nodes`.
"""

import asyncio
import functools
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import (
    FragmentDefinitionNode,
    GraphQLArgument,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
)

from appsync_local.auth import Caller
from appsync_local.builder import FieldSpec
from appsync_local.config import FieldResolver, ResolverMap
from appsync_local.documents import Prepared
from appsync_local.errors import field_error
from appsync_local.events import ResolvedField, arguments_json, build_event
from appsync_local.field_nodes import field_nodes
from appsync_local.invoke import (
    TIMEOUT_ERROR_TYPE,
    TIMEOUT_MESSAGE,
    BatchLoader,
    HandlerError,
    Invoker,
)
from appsync_local.pubsub import Broker, Subscriber
from appsync_local.sdl import ApiDefinition, AuthRules

__all__ = ["Binder", "RequestContext"]


@dataclass
class RequestContext:
    """Per operation: who calls, what they sent, the batch loaders and counters of the request."""

    caller: Caller
    headers: Mapping[str, str]
    variables: Mapping[str, Any]  # as the client sent them (the event's `info.variables`)
    fragments: Mapping[str, FragmentDefinitionNode]  # the document's named fragments
    auth_rules: AuthRules
    resolver_count_limit: int  # 0 = no limit
    query_depth_limit: int = 0  # levels, the root fields being level 1 (`depth`); 0 = no limit
    # The document as the engine prepared it (`documents.PreparedDocument` hands it over).
    prepared: Prepared | None = None
    loaders: dict[str, BatchLoader] = field(default_factory=dict)
    resolver_calls: int = 0
    # Set once a subscription is registered (the engine waits for it, see `Engine.subscribe`).
    subscribed: "asyncio.Future[Subscriber] | None" = None
    # When the request's time is up (event-loop time; AppSync gives a request 30 s in all, not
    # each resolver 30 s): every invocation waits at most until then. None = no limit.
    deadline: float | None = None
    # The request's time (for a subscription: each event's, `restart_clock`).
    time_limit: float | None = None

    def restart_clock(self) -> None:
        if self.time_limit is not None:
            self.deadline = asyncio.get_running_loop().time() + self.time_limit

    def time_left(self) -> float | None:
        """Seconds the request's resolvers still have; `ExecutionTimeout` once none are left."""
        if self.deadline is None:
            return None
        left = self.deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise field_error(TIMEOUT_MESSAGE, TIMEOUT_ERROR_TYPE)
        return left

    def count_resolver(self) -> None:
        self.resolver_calls += 1
        limit = self.resolver_count_limit
        if limit and self.resolver_calls > limit:
            # AppSync's errorType ("Configuring resolver count limits", AppSync Developer
            # Guide); the resolver does not run. The message is the local server's.
            raise field_error(
                f"The request exceeded the resolver count limit of {limit}.",
                "ResolverExecutionLimitReached",
            )


class _Stream:
    """The events of one subscriber; closing it (even before the first read) unsubscribes."""

    def __init__(self, broker: Broker, subscriber: Subscriber, context: RequestContext) -> None:
        self._broker = broker
        self._subscriber = subscriber
        self._context = context

    def __aiter__(self) -> "_Stream":
        return self

    async def __anext__(self) -> Mapping[str, Any]:
        event = await self._subscriber.feed.get()  # one at a time: pubsub.deliveries
        self._context.restart_clock()  # each event's fields have the time of a request
        return event

    async def aclose(self) -> None:
        self._broker.unsubscribe(self._subscriber)


# What a resolver of the engine's schema is given: the engine runs it with a RequestContext.
_Info = strawberry.Info[RequestContext, Any]


class Binder:
    """Turns each field of the SDL into its resolver (see the module's docstring)."""

    def __init__(
        self, api: ApiDefinition, resolvers: ResolverMap, invoker: Invoker, broker: Broker
    ) -> None:
        self.api = api
        self.resolvers = resolvers
        self.invoker = invoker
        self.broker = broker
        # GraphQL input type name -> {GraphQL field name: Python attribute name}, known once
        # the schema is built (`BuiltSchema.input_fields`).
        self.input_fields: Mapping[str, Mapping[str, str]] = {}

    def resolver(self, spec: FieldSpec) -> Callable[..., Any] | None:
        mapped = self.resolvers.get(spec.type_name, spec.field_name)
        if spec.is_subscription:
            return self._subscription(spec, mapped)
        if mapped is None:
            return None
        return self._handler_field(spec, mapped)

    def _definitions(self, spec: FieldSpec) -> Mapping[str, GraphQLArgument]:
        """The field's arguments as the SDL declares them."""
        parent = self.api.schema.get_type(spec.type_name)
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            raise TypeError(f"{spec.type_name} has no fields")  # the builder binds output fields
        definition: GraphQLField = parent.fields[spec.field_name]
        return definition.args

    def _arguments(
        self, spec: FieldSpec, definitions: Mapping[str, GraphQLArgument], kwargs: Mapping[str, Any]
    ) -> dict[str, Any]:
        return arguments_json(definitions, kwargs, spec.arguments, self.input_fields)

    def _event(
        self, spec: FieldSpec, info: _Info, source: Any, arguments: Mapping[str, Any]
    ) -> dict[str, Any]:
        context = info.context
        path = info.path
        resolved = ResolvedField(
            name=info.field_name,
            # graphql-core names the runtime type of the field's object in the path
            parent_type=path.typename or spec.type_name,
            nodes=field_nodes(
                self.api.schema, info.operation, path, context.fragments, info.variable_values
            ),
            fragments=context.fragments,
        )
        return build_event(
            resolved,
            arguments=arguments,
            source=source,
            identity=context.caller.identity,
            headers=context.headers,
            variables=context.variables,
        )

    def _loader(self, context: RequestContext, resolver: FieldResolver) -> BatchLoader:
        loader = context.loaders.get(resolver.key)
        if loader is None:
            invoke = functools.partial(self.invoker.invoke, resolver.function)
            loader = context.loaders[resolver.key] = BatchLoader(invoke, resolver.max_batch_size)
        return loader

    def _handler_field(self, spec: FieldSpec, mapped: FieldResolver) -> Callable[..., Any]:
        definitions = self._definitions(spec)

        async def resolve(root: Any, info: _Info, **kwargs: Any) -> Any:
            context = info.context
            context.count_resolver()
            event = self._event(spec, info, root, self._arguments(spec, definitions, kwargs))
            left = context.time_left()
            try:
                if mapped.max_batch_size:
                    return await asyncio.wait_for(self._loader(context, mapped).load(event), left)
                return await self.invoker.invoke(mapped.function, event, left)
            except TimeoutError:
                raise field_error(TIMEOUT_MESSAGE, TIMEOUT_ERROR_TYPE) from None
            except HandlerError as error:
                raise field_error(error.message, error.error_type) from None

        return resolve

    def _subscription(self, spec: FieldSpec, mapped: FieldResolver | None) -> Callable[..., Any]:
        definitions = self._definitions(spec)

        async def subscribe(
            root: Any, info: _Info, **kwargs: Any
        ) -> AsyncIterator[Mapping[str, Any]]:
            context = info.context
            # graphql-core does not pass the subscribe step through middleware: check here.
            if context.caller.mode not in context.auth_rules.modes(spec.type_name, spec.field_name):
                raise field_error(
                    f"Not Authorized to access {spec.field_name} on type {spec.type_name}",
                    "Unauthorized",
                )
            arguments = self._arguments(spec, definitions, kwargs)
            if mapped is not None:
                context.count_resolver()
                event = self._event(spec, info, None, arguments)
                try:
                    await self.invoker.invoke(mapped.function, event, context.time_left())
                except HandlerError as error:
                    raise field_error(error.message, error.error_type) from None
            subscriber = self.broker.subscribe(spec.field_name, arguments)
            if context.subscribed is not None and not context.subscribed.done():
                context.subscribed.set_result(subscriber)
            return _Stream(self.broker, subscriber, context)

        return subscribe
