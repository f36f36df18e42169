"""A request's document, prepared before it runs: parsed, bounded, validated — off the event loop.

Every transport hands the engine a query text. Before anything runs, `Preparer.prepare`:
1. parses it, stopping at `max_tokens` tokens: a 1 MB document of 30,000 aliases or of 20,000
   operations is refused after reading the first 10,000 tokens, not after reading it all;
2. counts the fields of the operation to run with every fragment spread expanded — what the
   resolvers' `selectionSetGraphQL` prints — and refuses more than `max_fields`. Each fragment
   is measured once, so sixteen fragments that each spread the one before twice are refused at
   their size (65,536 fields) without being expanded;
3. validates it with the API's rules (graphql-core's, introspection), and words what it finds
   as AppSync does (`validation`: graphql-java's "Validation error of type ...").
AppSync documents no token or field limit: both are the local server's (docs/LOCAL.md).

The work runs in worker threads, so no client waits while another's document is read: a small
text (the usual kind, up to `SMALL_TEXT` characters) is prepared at once, and a larger one
waits for one of `heavy_concurrency` slots, so abusive documents take at most that many threads
and never hold back a small one. Small texts' results are cached (most clients send the same
few operations again and again); large ones are not, so the cache stays small.

The engine gives Strawberry the prepared document (`PreparedDocument`, an `on_parse` /
`on_validate` extension), so nothing is parsed or validated again on the event loop.
"""

import asyncio
import collections
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_operation_ast,
    parse,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.base import BaseSchema
from strawberry.schema.schema import validate_document

from appsync_local.validation import appsync_errors, syntax_message, tagged

__all__ = [
    "SMALL_TEXT",
    "Prepared",
    "PreparedDocument",
    "Preparer",
    "expanded_fields",
    "variables_as_appsync",
]

SMALL_TEXT = 8 * 1024  # characters: every operation of a real client is far shorter
_CACHE_SIZE = 256


@dataclass(frozen=True)
class Prepared:
    """A document ready to run, or why it may not.

    `problem`: it parses, but names no operation to run (AppSync's message). `errors`: it does
    not parse, is over a limit, or does not validate.
    """

    document: DocumentNode | None
    operation: OperationDefinitionNode | None = None
    fragments: Mapping[str, FragmentDefinitionNode] = field(default_factory=dict)
    problem: str | None = None
    errors: tuple[GraphQLError, ...] = ()

    @property
    def operation_type(self) -> str | None:
        """ "query", "mutation", "subscription", or None when the document does not say."""
        return self.operation.operation.value if self.operation else None


def expanded_fields(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode], limit: int
) -> int:
    """The fields of `selection_set` with every fragment spread expanded; counting stops soon
    after `limit`. Each fragment is measured once; a spread of a fragment it is inside counts
    nothing (validation refuses such a cycle)."""
    sizes: dict[str, int] = {}

    def size(node: SelectionSetNode | None, inside: frozenset[str]) -> int:
        total = 0
        for item in node.selections if node else ():
            if isinstance(item, FieldNode):
                total += 1 + size(item.selection_set, inside)
            elif isinstance(item, InlineFragmentNode):
                total += size(item.selection_set, inside)
            elif isinstance(item, FragmentSpreadNode) and item.name.value not in inside:
                name = item.name.value
                if name not in sizes:
                    fragment = fragments.get(name)
                    found = fragment.selection_set if fragment else None
                    sizes[name] = size(found, inside | {name})
                total += sizes[name]
            if total > limit:
                break
        return total

    return size(selection_set, frozenset())


def variables_as_appsync(
    operation: OperationDefinitionNode | None, variables: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The variables an operation runs with: those sent, and `null` for each nullable one the
    client left out that declares no default.

    GraphQL's spec leaves an argument whose variable was omitted out of the arguments; AppSync
    passes it as `null` — an omitted `$after` reaches the resolver as `"after": null`
    (aws/aws-appsync-community#348, #394; a subscription with omitted optional variables
    filters on null, #94). The event's `info.variables` stays what the client sent.
    """
    values = dict(variables or {})
    for definition in (operation.variable_definitions if operation else None) or ():
        name = definition.variable.name.value
        if (
            name not in values
            and definition.default_value is None
            and not isinstance(definition.type, NonNullTypeNode)
        ):
            values[name] = None
    return values


def _problem(document: DocumentNode, operation_name: str | None) -> str | None:
    """Why the document has no operation to run, if it names none that exists."""
    if get_operation_ast(document, operation_name) is not None:
        return None
    if operation_name is not None:
        return f"Unknown operation named '{operation_name}'."
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) > 1:
        return "Must provide operation name if query contains multiple operations."
    return "The document contains no operation."


class Preparer:
    """Prepares documents for one schema and its rules (see the module's docstring)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        rules: Sequence[type[ASTValidationRule]],
        *,
        max_tokens: int,
        max_fields: int,
        suggestions: bool = True,
        heavy_concurrency: int = 2,
    ) -> None:
        self.schema = schema
        self.rules = tuple(tagged(rule) for rule in rules)
        self.max_tokens = max_tokens
        self.max_fields = max_fields
        self.suggestions = suggestions
        self.heavy_concurrency = heavy_concurrency
        self.heavy_running = 0  # large documents being prepared now (tests read it)
        self._heavy: asyncio.Semaphore | None = None
        # Small documents never wait for a thread behind large ones.
        self._pool = ThreadPoolExecutor(
            max_workers=heavy_concurrency + 2, thread_name_prefix="appsync-documents"
        )
        self._cache: collections.OrderedDict[tuple[str, str | None], Prepared] = (
            collections.OrderedDict()
        )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    async def prepare(self, query: str, operation_name: str | None) -> Prepared:
        key = (query, operation_name)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        loop = asyncio.get_running_loop()
        if len(query) <= SMALL_TEXT:
            prepared = await loop.run_in_executor(self._pool, self.prepare_now, *key)
            self._cache[key] = prepared
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
            return prepared
        if self._heavy is None:
            self._heavy = asyncio.Semaphore(self.heavy_concurrency)
        async with self._heavy:
            self.heavy_running += 1
            try:
                return await loop.run_in_executor(self._pool, self.prepare_now, *key)
            finally:
                self.heavy_running -= 1

    def prepare_now(self, query: str, operation_name: str | None) -> Prepared:
        """The work itself, in a worker thread."""
        try:
            document = parse(query, max_tokens=self.max_tokens)
        except GraphQLError as error:
            if "tokens. Parsing aborted" in error.message:  # graphql-core's words for the limit
                error = GraphQLError(
                    f"The document has more than {self.max_tokens} tokens "
                    "(the local server's limit)."
                )
            else:
                error = GraphQLError(
                    syntax_message(error), source=error.source, positions=error.positions
                )
            return Prepared(None, errors=(error,))
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        operation = get_operation_ast(document, operation_name)
        if operation is None:
            return Prepared(document, None, fragments, _problem(document, operation_name))
        errors = self._check(document, operation, fragments)
        return Prepared(document, operation, fragments, errors=errors)

    def _check(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> tuple[GraphQLError, ...]:
        try:
            count = expanded_fields(operation.selection_set, fragments, self.max_fields)
            if count > self.max_fields:
                return (
                    GraphQLError(
                        f"The operation selects more than {self.max_fields} fields with its "
                        "fragments expanded (the local server's limit)."
                    ),
                )
            errors = validate_document(self.schema, document, self.rules)
        except RecursionError:
            return (GraphQLError("The document is nested too deeply."),)
        if not self.suggestions:
            for error in errors:
                BaseSchema.remove_field_suggestion(error)
        query_type = self.schema.query_type.name if self.schema.query_type else "Query"
        return appsync_errors(errors, document, query_type)


class PreparedDocument(SchemaExtension):
    """Gives Strawberry the document the engine prepared (`context.prepared`): Strawberry then
    neither parses nor validates it again."""

    def _prepared(self) -> Prepared | None:
        prepared = getattr(self.execution_context.context, "prepared", None)
        return prepared if isinstance(prepared, Prepared) else None

    def on_parse(self) -> Iterator[None]:
        prepared = self._prepared()
        if prepared is not None and prepared.document is not None:
            self.execution_context.graphql_document = prepared.document
        yield

    def on_validate(self) -> Iterator[None]:
        prepared = self._prepared()
        if prepared is not None:
            self.execution_context.pre_execution_errors = list(prepared.errors)
        yield
