"""The selection set AppSync sends with each call, parsed so resolvers can prefetch.

AppSync gives `info.selectionSetGraphQL` (the field's selection as GraphQL text, with arguments
and variables as the client wrote them) and `info.variables`. `selectionSetList` alone is not
enough: it names aliases instead of fields and carries no arguments.

Resolvers use this to load nested data that has no resolver of its own (a board's live notes,
its versions) in the same invocation — one Lambda call and parallel DynamoDB reads instead of a
call per nesting level. A field without a resolver is filled by AppSync from the parent's
property of the same name, whatever its alias, so a field that is prefetched must be selected
with one set of arguments; `Selection.one` refuses two that differ.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
    value_from_ast_untyped,
)

from retro.errors import ValidationError

__all__ = ["Selected", "Selection", "parse_selection"]


@dataclass(frozen=True)
class Selected:
    """One selected field: its name, the arguments given (variables resolved), what is under it."""

    name: str
    arguments: Mapping[str, Any]
    selection: "Selection"


@dataclass(frozen=True)
class Selection:
    fields: tuple[Selected, ...] = field(default_factory=tuple)

    def __contains__(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)

    def all(self, name: str) -> Iterator[Selected]:
        return (f for f in self.fields if f.name == name)

    def one(self, name: str) -> Selected | None:
        """The field `name` if selected; its selections merged when it is selected twice.

        Raises ValidationError if it is selected twice with different arguments: the value
        is filled by name, so it cannot answer both.
        """
        chosen = list(self.all(name))
        if not chosen:
            return None
        first = chosen[0]
        if any(dict(other.arguments) != dict(first.arguments) for other in chosen[1:]):
            raise ValidationError(
                name, "is selected more than once with different arguments; select it once"
            )
        merged = tuple(f for other in chosen for f in other.selection.fields)
        return Selected(first.name, first.arguments, Selection(merged))


_EMPTY = Selection()


def parse_selection(text: str, variables: Mapping[str, Any]) -> Selection:
    """Parse AppSync's `selectionSetGraphQL` (a bare `{ ... }`, maybe followed by fragments)."""
    if not text.strip():
        return _EMPTY
    try:
        document = parse(text, no_location=True)
    except GraphQLError as error:
        raise ValidationError("selection", f"cannot be read: {error.message}") from error
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if not operations:
        return _EMPTY
    return _convert(operations[0].selection_set, fragments, variables)


def _convert(
    node: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    seen: frozenset[str] = frozenset(),
) -> Selection:
    if node is None:
        return _EMPTY
    found: list[Selected] = []
    for item in node.selections:
        if isinstance(item, FieldNode):
            arguments = {
                a.name.value: value_from_ast_untyped(a.value, dict(variables))
                for a in item.arguments or ()
            }
            found.append(
                Selected(
                    item.name.value,
                    arguments,
                    _convert(item.selection_set, fragments, variables, seen),
                )
            )
        elif isinstance(item, InlineFragmentNode):
            found.extend(_convert(item.selection_set, fragments, variables, seen).fields)
        elif isinstance(item, FragmentSpreadNode) and item.name.value not in seen:
            fragment = fragments.get(item.name.value)
            if fragment is not None:
                inner = _convert(
                    fragment.selection_set, fragments, variables, seen | {item.name.value}
                )
                found.extend(inner.fields)
    return Selection(tuple(found))
