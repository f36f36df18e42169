"""The engine: one place that executes GraphQL operations as AppSync does, for every transport.

HTTP, the AppSync realtime protocol and graphql-transport-ws all come here with an
authenticated `Caller`. The engine owns the Strawberry schema (built from the SDL, its fields
bound by `binder.Binder`), the invoker (handlers), the broker (subscriptions) and the limits,
and it:
- runs queries and mutations, and publishes a completed mutation's result to the
  subscriptions that name it;
- subscribes, returning once the subscription's resolver has accepted or refused it;
- enforces the API's limits: query depth, resolver count per request, introspection, and the
  local server's own bounds on a document's size (`documents.Preparer`, which parses and
  validates off the event loop);
- answers in AppSync's shape (`errors.format_error`).
"""

import asyncio
import json
from collections.abc import AsyncGenerator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ASTValidationRule,
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    OperationType,
    specified_rules,
)
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType as StrawberryOperationType

from appsync_local.auth import AUTHORIZER_FUNCTION, Authenticator, Caller, FieldAuthorization
from appsync_local.binder import Binder, RequestContext
from appsync_local.builder import build_schema
from appsync_local.config import ConfigError, ResolverMap
from appsync_local.depth import QueryDepthLimit
from appsync_local.documents import (
    Prepared,
    PreparedDocument,
    Preparer,
    variables_as_appsync,
)
from appsync_local.errors import appsync_error, format_error
from appsync_local.events import collect_fields
from appsync_local.invoke import Invoker
from appsync_local.nonnull import NonNullGuard
from appsync_local.pubsub import Broker, SharedPayload, deliveries
from appsync_local.sdl import ApiDefinition
from appsync_local.validation import document_error, variable_message

__all__ = [
    "Engine",
    "Limits",
    "SubscriptionHandle",
    "SubscriptionRefused",
    "SubscriptionStarted",
]


@dataclass(frozen=True)
class Limits:
    """The API limits AppSync is configured with (`infra/` sets the same).

    `query_depth`: the most levels of fields an operation may nest, its root fields being level
    1 (0 = no limit). `resolver_count`: the most resolver invocations one request may cause.
    `request_seconds`: the time a request's resolvers have, all together (AppSync: 30 s);
    `authorizer_seconds`: the time the Lambda authorizer has (AppSync: 10 s) — settable so that
    tests can reach them in a fraction of a second.
    The local server's own (AppSync documents none): `max_tokens`, the most tokens a document
    may have; `max_fields`, the most fields its operation may select with fragments expanded.
    """

    query_depth: int = 10
    resolver_count: int = 10_000
    introspection: bool = True
    max_tokens: int = 10_000
    max_fields: int = 2_000
    request_seconds: float = 30.0
    authorizer_seconds: float = 10.0


def _refuses_the_document(error: GraphQLError) -> bool:
    """A variable that does not coerce (graphql-core's own error, on no field), as opposed to
    a field's error."""
    original = error.original_error
    return (
        error.path is None
        and not error.extensions
        and (original is None or isinstance(original, GraphQLError))
    )


class _Ended(Exception):
    """A subscription's stream ended (an async generator may not raise StopAsyncIteration)."""


@dataclass(frozen=True)
class SubscriptionRefused:
    """A subscription the validation or the field's resolver refused, and why (AppSync's
    errors)."""

    errors: list[dict[str, Any]]


@dataclass(frozen=True)
class SubscriptionStarted:
    """A registered subscription: one AppSync-shaped payload per matching event."""

    payloads: AsyncGenerator[dict[str, Any], None]


SubscriptionHandle = SubscriptionRefused | SubscriptionStarted


class Engine:
    def __init__(
        self,
        api: ApiDefinition,
        resolvers: ResolverMap,
        *,
        api_key: str | None,
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
        self.invoker = Invoker(
            functions,
            region=region,
            timeout_seconds=self.limits.request_seconds,
            timeouts={AUTHORIZER_FUNCTION: self.limits.authorizer_seconds},
        )
        self.authenticator = Authenticator(
            api_key=api_key,
            invoker=self.invoker,
            authorizer=resolvers.authorizer is not None,
            ttl_seconds=resolvers.authorizer_ttl_seconds,
            identity_validation=resolvers.authorizer_identity_validation,
        )
        self.broker = Broker(api.subscriptions)
        binder = Binder(api, resolvers, self.invoker, self.broker)
        extensions: list[Any] = [
            PreparedDocument,
            QueryDepthLimit,
            FieldAuthorization,
            NonNullGuard,
        ]
        built = build_schema(
            api, binder, extensions=extensions, field_suggestions=self.limits.introspection
        )
        binder.input_fields = built.input_fields
        self.schema = built.schema
        rules: list[type[ASTValidationRule]] = list(specified_rules)
        if not self.limits.introspection:
            rules.append(NoSchemaIntrospectionCustomRule)
        self.preparer = Preparer(
            self.schema._schema,
            rules,
            max_tokens=self.limits.max_tokens,
            max_fields=self.limits.max_fields,
            suggestions=self.limits.introspection,
        )

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
        self.preparer.close()

    async def prepare(self, query: str, operation_name: str | None) -> Prepared:
        """The document parsed, bounded and validated, off the event loop (`documents`)."""
        return await self.preparer.prepare(query, operation_name)

    def context(
        self,
        caller: Caller,
        headers: Mapping[str, str],
        variables: Mapping[str, Any] | None,
        prepared: Prepared,
    ) -> RequestContext:
        return RequestContext(
            caller=caller,
            headers={k: v for k, v in headers.items() if k != "cookie"},
            variables=variables or {},
            fragments=prepared.fragments,
            auth_rules=self.api.auth,
            resolver_count_limit=self.limits.resolver_count,
            query_depth_limit=self.limits.query_depth,
            prepared=prepared,
            deadline=asyncio.get_running_loop().time() + self.limits.request_seconds,
            time_limit=self.limits.request_seconds,
        )

    def response(self, result: ExecutionResult) -> dict[str, Any]:
        """An execution result as AppSync answers it: `data`, and `errors` if there are any.
        Variables that do not coerce refuse the document, in AppSync's words (`validation`)."""
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [
                document_error(variable_message(e, self.schema._schema))
                if _refuses_the_document(e)
                else format_error(e)
                for e in result.errors
            ]
        return body

    @staticmethod
    def _refusal(prepared: Prepared) -> dict[str, Any] | None:
        """AppSync's answer to a document that may not run, before anything runs: `data` null
        and errors without an errorType (`validation.document_error`)."""
        if prepared.problem is not None:
            return {"data": None, "errors": [document_error(prepared.problem)]}
        if prepared.errors:
            return {"data": None, "errors": [document_error(e.message, e) for e in prepared.errors]}
        return None

    async def execute(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        caller: Caller,
        headers: Mapping[str, str],
        prepared: Prepared | None = None,
    ) -> dict[str, Any]:
        """Run a query or mutation; publish what a completed mutation returned."""
        prepared = prepared or await self.prepare(query, operation_name)
        if prepared.problem is None and prepared.operation_type == "subscription":
            # Subscriptions live on the realtime endpoint (the mirror of its refusal of queries).
            message = "subscription not supported over HTTP: use the realtime endpoint"
            return {"data": None, "errors": [appsync_error(message, "UnsupportedOperation")]}
        refusal = self._refusal(prepared)
        if refusal is not None:
            return refusal
        context = self.context(caller, headers, variables, prepared)
        result = await self.schema.execute(
            query,
            variable_values=variables_as_appsync(prepared.operation, variables),
            context_value=context,
            operation_name=operation_name,
            allowed_operation_types=(
                StrawberryOperationType.QUERY,
                StrawberryOperationType.MUTATION,
            ),
        )
        if result.data and not isinstance(result, PreExecutionError):
            self._publish(prepared, variables or {}, result.data)
        return self.response(result)

    def _publish(
        self, prepared: Prepared, variables: Mapping[str, Any], data: Mapping[str, Any]
    ) -> None:
        operation = prepared.operation
        if operation is None or operation.operation is not OperationType.MUTATION:
            return
        # The result goes out as the mutation's caller got it, keyed by its response keys
        # (aliases), not by field names: what AppSync is reported to send
        # (aws/aws-appsync-community#160), which its guide does not say. A filter argument is
        # then compared with whatever the caller named after it: `boardId: text` would match
        # `onNoteAdded(boardId:)` on the board that text names. The resolvers refuse such a
        # selection (resolvers/published.py); this keeps the local server as exposed as AppSync
        # may be, so the tests show that the resolvers are what protects.
        selections = operation.selection_set.selections
        for node in collect_fields(selections, prepared.fragments, variables):
            value = data.get((node.alias or node.name).value)
            if value is None or not self.broker.fired_by(node.name.value):
                continue
            self.broker.publish(node.name.value, value)

    async def subscribe(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        caller: Caller,
        headers: Mapping[str, str],
        prepared: Prepared | None = None,
    ) -> SubscriptionHandle:
        """Subscribe: the subscription field's resolver runs now and may refuse.

        Returns once the subscription is registered (so no later mutation is missed) or
        refused; `payloads` then yields one AppSync-shaped payload per matching event.
        """
        prepared = prepared or await self.prepare(query, operation_name)
        refusal = self._refusal(prepared)
        if refusal is not None:
            # on the realtime channel, AppSync's validation errors carry their message only
            return SubscriptionRefused(
                errors=[{"message": e["message"]} for e in refusal["errors"]]
            )
        context = self.context(caller, headers, variables, prepared)
        context.subscribed = asyncio.get_running_loop().create_future()
        stream = await self.schema.subscribe(
            query,
            variable_values=variables_as_appsync(prepared.operation, variables),
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
            errors = self.response(result).get("errors")
            if errors and all(_refuses_the_document(e) for e in result.errors or ()):
                errors = [{"message": e["message"]} for e in errors]  # realtime: message only
            errors = errors or [
                {
                    "errorType": "InternalFailure",
                    "message": "The subscription ended before it started.",
                }
            ]
            return SubscriptionRefused(errors=errors)

        # Subscribers of one selection (document, variables, what the caller may read) get one
        # execution and one encoding per event between them (`pubsub.deliveries`).
        subscriber = context.subscribed.result()
        variables_key = json.dumps(variables, sort_keys=True, default=str)
        key = (query, operation_name, variables_key, caller.mode, *sorted(caller.denied_fields))
        pending: list[asyncio.Future[Any]] = [first]

        async def execute_next() -> SharedPayload:
            step = pending.pop() if pending else asyncio.ensure_future(anext(stream))
            pending.append(step)
            try:
                result = await step
            except StopAsyncIteration:
                raise _Ended from None
            pending.clear()
            return SharedPayload(self.response(result))

        async def payloads() -> AsyncGenerator[dict[str, Any], None]:
            try:
                async for payload in deliveries(self.broker, subscriber, key, execute_next):
                    yield payload
            except _Ended:
                return
            finally:
                for step in pending:
                    if not step.done():
                        step.cancel()
                        await asyncio.gather(step, return_exceptions=True)
                await stream.aclose()

        return SubscriptionStarted(payloads=payloads())
