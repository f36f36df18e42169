"""The engine: one place that executes GraphQL operations as AppSync does, for every transport.

HTTP, the AppSync realtime protocol and graphql-transport-ws all come here with an
authenticated `Caller`. The engine owns the Strawberry schema (built from the SDL), the
invoker (handlers), the broker (subscriptions) and the limits, and it:
- resolves each field listed in `resolvers.json` by invoking its handler with AppSync's event
  (batched per request when `maxBatchSize` > 0); every other field is the parent's property;
- publishes a completed mutation's result to the subscriptions that name it;
- runs a subscription field's resolver when a client subscribes, refusing it if that raises;
- enforces the API's limits: query depth, resolver count per request, introspection.
"""

import asyncio
import functools
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_operation_ast,
    parse,
)
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    ParserCache,
    ValidationCache,
)
from strawberry.extensions.query_depth_limiter import create_validator
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType as StrawberryOperationType

from appsync_local.auth import AUTHORIZER_FUNCTION, Authenticator, Caller, FieldAuthorization
from appsync_local.builder import FieldSpec, build_schema
from appsync_local.config import ConfigError, FieldResolver, ResolverMap
from appsync_local.errors import appsync_error, field_error, format_error
from appsync_local.events import arguments_json, build_event, collect_fields
from appsync_local.invoke import BatchLoader, HandlerError, Invoker
from appsync_local.pubsub import Broker, Subscriber
from appsync_local.sdl import ApiDefinition

__all__ = [
    "Engine",
    "Limits",
    "RequestContext",
    "SubscriptionHandle",
    "operation_problem",
    "operation_type",
]


@dataclass(frozen=True)
class Limits:
    """The API limits AppSync is configured with (`infra/` sets the same).

    `query_depth`: the most levels of fields an operation may nest, its root fields being level
    1 (0 = no limit). `resolver_count`: the most resolver invocations one request may cause.
    """

    query_depth: int = 10
    resolver_count: int = 10_000
    introspection: bool = True


@dataclass
class RequestContext:
    """Per operation: who calls, what they sent, the batch loaders and counters of the request."""

    engine: "Engine"
    caller: Caller
    headers: Mapping[str, str]
    variables: Mapping[str, Any]
    loaders: dict[str, BatchLoader] = field(default_factory=dict)
    resolver_calls: int = 0
    subscribed: "asyncio.Future[Subscriber] | None" = None

    @property
    def auth_rules(self) -> Any:
        return self.engine.api.auth

    def count_resolver(self) -> None:
        self.resolver_calls += 1
        limit = self.engine.limits.resolver_count
        if limit and self.resolver_calls > limit:
            raise field_error(
                f"The request exceeded the resolver count limit of {limit}.",
                "ResolverCountLimitExceeded",
            )

    def loader(self, resolver: FieldResolver) -> BatchLoader:
        loader = self.loaders.get(resolver.key)
        if loader is None:
            invoke = functools.partial(self.engine.invoker.invoke, resolver.function)
            loader = self.loaders[resolver.key] = BatchLoader(invoke, resolver.max_batch_size)
        return loader


class _Stream:
    """The events of one subscriber; closing it (even before the first read) unsubscribes."""

    def __init__(self, broker: Broker, subscriber: Subscriber) -> None:
        self._broker = broker
        self._subscriber = subscriber

    def __aiter__(self) -> "_Stream":
        return self

    async def __anext__(self) -> Mapping[str, Any]:
        return await self._subscriber.queue.get()

    async def aclose(self) -> None:
        self._broker.unsubscribe(self._subscriber)


class _Binder:
    """Turns each field of the SDL into its resolver (see `builder.FieldBinder`)."""

    def __init__(self, resolvers: ResolverMap) -> None:
        self.resolvers = resolvers
        self.input_fields: Mapping[str, Mapping[str, str]] = {}

    def resolver(self, spec: FieldSpec) -> Callable[..., Any] | None:
        mapped = self.resolvers.get(spec.type_name, spec.field_name)
        if spec.is_subscription:
            return self._subscription(spec, mapped)
        if mapped is None:
            return None
        return self._handler_field(spec, mapped)

    def _arguments(self, spec: FieldSpec, info: Any, kwargs: Mapping[str, Any]) -> dict[str, Any]:
        return arguments_json(info._raw_info, kwargs, spec.arguments, self.input_fields)

    def _event(self, root: Any, info: Any, arguments: Mapping[str, Any]) -> dict[str, Any]:
        context: RequestContext = info.context
        return build_event(
            info._raw_info,
            arguments=arguments,
            source=root,
            identity=context.caller.identity,
            headers=context.headers,
            variables=context.variables,
        )

    def _handler_field(self, spec: FieldSpec, mapped: FieldResolver) -> Callable[..., Any]:
        async def resolve(root: Any, info: Any, **kwargs: Any) -> Any:
            context: RequestContext = info.context
            context.count_resolver()
            event = self._event(root, info, self._arguments(spec, info, kwargs))
            try:
                if mapped.max_batch_size:
                    return await context.loader(mapped).load(event)
                return await context.engine.invoker.invoke(mapped.function, event)
            except HandlerError as error:
                raise field_error(error.message, error.error_type) from None

        return resolve

    def _subscription(self, spec: FieldSpec, mapped: FieldResolver | None) -> Callable[..., Any]:
        async def subscribe(
            root: Any, info: Any, **kwargs: Any
        ) -> AsyncIterator[Mapping[str, Any]]:
            context: RequestContext = info.context
            engine = context.engine
            # graphql-core does not pass the subscribe step through middleware: check here.
            if context.caller.mode not in engine.api.auth.modes(spec.type_name, spec.field_name):
                raise field_error(
                    f"Not Authorized to access {spec.field_name} on type {spec.type_name}",
                    "Unauthorized",
                )
            arguments = self._arguments(spec, info, kwargs)
            if mapped is not None:
                context.count_resolver()
                event = self._event(None, info, arguments)
                try:
                    await engine.invoker.invoke(mapped.function, event)
                except HandlerError as error:
                    raise field_error(error.message, error.error_type) from None
            subscriber = engine.broker.subscribe(spec.field_name, arguments)
            if context.subscribed is not None and not context.subscribed.done():
                context.subscribed.set_result(subscriber)
            return _Stream(engine.broker, subscriber)

        return subscribe


@functools.lru_cache(maxsize=256)
def _parse(query: str) -> DocumentNode | None:
    try:
        return parse(query)
    except GraphQLError:
        return None


def operation_type(query: str, operation_name: str | None) -> str | None:
    """ "query", "mutation", "subscription", or None when the document does not say."""
    document = _parse(query)
    operation = get_operation_ast(document, operation_name) if document else None
    return operation.operation.value if operation else None


def operation_problem(query: str, operation_name: str | None) -> str | None:
    """Why the document has no operation to run, if it parses but names none that exists."""
    document = _parse(query)
    if document is None or get_operation_ast(document, operation_name) is not None:
        return None
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        return f"Unknown operation named '{operation_name}'."
    if len(operations) > 1:
        return "Must provide operation name if query contains multiple operations."
    return "The document contains no operation."


def _unalias(
    value: Any,
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> Any:
    """A result keyed by field names instead of response keys (aliases)."""
    if selection_set is None or value is None:
        return value
    if isinstance(value, list):
        return [_unalias(v, selection_set, fragments, variables) for v in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for node in collect_fields(selection_set.selections, fragments, variables):
        key = (node.alias or node.name).value
        if key in value and node.name.value not in out:
            out[node.name.value] = _unalias(value[key], node.selection_set, fragments, variables)
    if "__typename" in value:
        out.setdefault("__typename", value["__typename"])
    return out


@dataclass
class SubscriptionHandle:
    """A subscription request's outcome: refused with `errors`, or a stream of payloads."""

    errors: list[dict[str, Any]] | None
    payloads: AsyncGenerator[dict[str, Any], None] | None = None


class Engine:
    def __init__(
        self,
        api: ApiDefinition,
        resolvers: ResolverMap,
        *,
        api_key: str,
        region: str = "us-east-1",
        limits: Limits | None = None,
    ) -> None:
        self.api = api
        self.resolvers = resolvers
        self.limits = limits or Limits()
        self._check_map()
        functions = dict(resolvers.functions)
        if resolvers.authorizer:
            if AUTHORIZER_FUNCTION in functions:
                raise ConfigError(
                    f"resolvers.json: a function may not be named {AUTHORIZER_FUNCTION!r}"
                )
            functions[AUTHORIZER_FUNCTION] = resolvers.authorizer
        self.invoker = Invoker(functions, region=region)
        self.authenticator = Authenticator(
            api_key=api_key,
            invoker=self.invoker,
            authorizer=resolvers.authorizer is not None,
            ttl_seconds=resolvers.authorizer_ttl_seconds,
        )
        self.broker = Broker(api.subscriptions)
        binder = _Binder(resolvers)
        extensions: list[Any] = [ParserCache, ValidationCache]
        if not self.limits.introspection:
            extensions.append(DisableIntrospection)
        if self.limits.query_depth:
            # Built once: a rule class made per request would defeat ValidationCache.
            # Strawberry counts the root field as depth 0; AppSync's levels start at 1.
            depth_rule = create_validator(self.limits.query_depth - 1, None, None)
            extensions.append(lambda: AddValidationRules([depth_rule]))
        extensions.append(FieldAuthorization)
        built = build_schema(
            api, binder, extensions=extensions, field_suggestions=self.limits.introspection
        )
        binder.input_fields = built.input_fields
        self.schema = built.schema

    def _check_map(self) -> None:
        """Every `Type.field` in resolvers.json must exist in the SDL."""
        for type_name, field_name in self.resolvers.resolvers:
            graphql_type = self.api.schema.get_type(type_name)
            fields = getattr(graphql_type, "fields", None)
            if not fields or field_name not in fields:
                raise ConfigError(
                    f"resolvers.json: {type_name}.{field_name} is not a field of the schema"
                )

    def start(self) -> None:
        """Import every handler (a wrong name fails now, as a deployment would)."""
        self.invoker.load()

    def close(self) -> None:
        self.invoker.close()

    def context(
        self, caller: Caller, headers: Mapping[str, str], variables: Mapping[str, Any] | None
    ) -> RequestContext:
        return RequestContext(
            self, caller, {k: v for k, v in headers.items() if k != "cookie"}, variables or {}
        )

    @staticmethod
    def response(result: ExecutionResult) -> dict[str, Any]:
        """An execution result as AppSync answers it: `data`, and `errors` if there are any."""
        default = "ValidationError" if isinstance(result, PreExecutionError) else None
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [format_error(e, default) for e in result.errors]
        return body

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        caller: Caller,
        headers: Mapping[str, str],
    ) -> dict[str, Any]:
        """Run a query or mutation; publish what a completed mutation returned."""
        problem = operation_problem(query, operation_name)
        if problem is not None:
            return {"data": None, "errors": [appsync_error(problem, "ValidationError")]}
        if operation_type(query, operation_name) == "subscription":
            # Subscriptions live on the realtime endpoint (the mirror of its refusal of queries).
            message = "subscription not supported over HTTP: use the realtime endpoint"
            return {"data": None, "errors": [appsync_error(message, "UnsupportedOperation")]}
        context = self.context(caller, headers, variables)
        result = await self.schema.execute(
            query,
            variable_values=dict(variables) if variables else None,
            context_value=context,
            operation_name=operation_name,
            allowed_operation_types=(
                StrawberryOperationType.QUERY,
                StrawberryOperationType.MUTATION,
            ),
        )
        if result.data and not isinstance(result, PreExecutionError):
            self._publish(query, operation_name, variables or {}, result.data)
        return self.response(result)

    def _publish(
        self,
        query: str,
        operation_name: str | None,
        variables: Mapping[str, Any],
        data: Mapping[str, Any],
    ) -> None:
        document = _parse(query)
        operation = get_operation_ast(document, operation_name) if document else None
        if document is None or not isinstance(operation, OperationDefinitionNode):
            return
        if operation.operation is not OperationType.MUTATION:
            return
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for node in collect_fields(operation.selection_set.selections, fragments, variables):
            value = data.get((node.alias or node.name).value)
            if value is None or not self.broker.fired_by(node.name.value):
                continue
            self.broker.publish(
                node.name.value, _unalias(value, node.selection_set, fragments, variables)
            )

    async def subscribe(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        caller: Caller,
        headers: Mapping[str, str],
    ) -> SubscriptionHandle:
        """Subscribe: the subscription field's resolver runs now and may refuse.

        Returns once the subscription is registered (so no later mutation is missed) or
        refused; `payloads` then yields one AppSync-shaped payload per matching event.
        """
        problem = operation_problem(query, operation_name)
        if problem is not None:
            return SubscriptionHandle(errors=[appsync_error(problem, "ValidationError")])
        context = self.context(caller, headers, variables)
        context.subscribed = asyncio.get_running_loop().create_future()
        stream = await self.schema.subscribe(
            query,
            variable_values=dict(variables) if variables else None,
            context_value=context,
            operation_name=operation_name,
        )
        first = asyncio.ensure_future(anext(stream))
        waiting: set[asyncio.Future[Any]] = {first, context.subscribed}
        await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        if not context.subscribed.done():
            # The stream ended before registering: validation failed or the resolver refused.
            try:
                result = await first
            except StopAsyncIteration:
                result = ExecutionResult(data=None, errors=None)
            await stream.aclose()
            errors = self.response(result).get("errors") or [
                {
                    "errorType": "InternalFailure",
                    "message": "The subscription ended before it started.",
                }
            ]
            return SubscriptionHandle(errors=errors)

        async def payloads() -> AsyncGenerator[dict[str, Any], None]:
            try:
                try:
                    yield self.response(await first)
                except StopAsyncIteration:
                    return
                async for result in stream:
                    yield self.response(result)
            finally:
                if not first.done():
                    first.cancel()
                    await asyncio.gather(first, return_exceptions=True)
                await stream.aclose()

        return SubscriptionHandle(errors=None, payloads=payloads())
