"""A mutation's root fields one after another, in a loop instead of a chain of coroutines.

GraphQL runs a mutation's root fields serially. graphql-core does it with `async_reduce`, which
wraps each field's coroutine in the next one's: awaiting the last awaits every one before it,
one Python frame per field, so a mutation of ~950 aliased fields raised `RecursionError` before
its first resolver ran (a masked `InternalFailure`). Here one coroutine awaits each field in
turn: any number of fields takes the same depth, and the resolver-count limit decides how many
run, as in AppSync.
"""

from collections.abc import Awaitable, Iterator
from typing import Any

from graphql import GraphQLObjectType
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

__all__ = ["SerialExecutionContext"]


class SerialExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's execution context with the serial root fields run by a loop."""

    def execute_fields_serially(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        results: dict[str, Any] = {}
        fields = iter(grouped_field_set.items())
        for name, details in fields:
            value = self._field(parent_type, source_value, path, name, details, position_context)
            if value is Undefined:
                continue
            if self.is_awaitable(value):
                # From the first field that waits, the rest run in one coroutine, in order.
                rest = _Rest(parent_type, source_value, path, fields, position_context)
                return self._finish(results, name, value, rest)
            results[name] = value
        return results

    async def _finish(
        self, results: dict[str, Any], name: str, first: Awaitable[Any], rest: "_Rest"
    ) -> dict[str, Any]:
        results[name] = await first
        for name_, details in rest.fields:
            value = self._field(
                rest.parent_type, rest.source_value, rest.path, name_, details, rest.position
            )
            if value is Undefined:
                continue
            results[name_] = await value if self.is_awaitable(value) else value
        return results

    def _field(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        name: str,
        details: FieldDetailsList,
        position_context: Any,
    ) -> Any:
        abort_signal = self.abort_signal
        if abort_signal is not None and abort_signal.aborted:
            # As graphql-core: reject the whole operation rather than run the remaining fields.
            raise self.abort_error()
        field_path = Path(path, name, parent_type.name)
        return self.execute_field(parent_type, source_value, details, field_path, position_context)


class _Rest:
    """The root fields still to run, and what running each needs."""

    def __init__(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        fields: Iterator[tuple[str, FieldDetailsList]],
        position: Any,
    ) -> None:
        self.parent_type = parent_type
        self.source_value = source_value
        self.path = path
        self.fields = fields
        self.position = position
