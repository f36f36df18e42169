"""The selection set AppSync sends with each call, parsed so resolvers can prefetch.

AppSync gives `info.selectionSetGraphQL` (the field's selection as GraphQL text, with arguments
and variables as the client wrote them) and `info.variables`. `selectionSetList` alone is not
enough: it names aliases instead of fields and carries no arguments.

Resolvers use this to load nested data that has no resolver of its own (a board's live notes,
its versions) in the same invocation — one Lambda call and parallel DynamoDB reads instead of a
call per nesting level. A field without a resolver is filled by AppSync from the parent's
property of the same name, whatever its alias, so a field that is prefetched must be selected
with one set of arguments; `Selection.one` refuses two that differ.

The text is read by `resolvers.document`, not graphql-core: same results, a fraction of the
cold start (docs/PERFORMANCE.md).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from resolvers.document import (
    DocumentError,
    Field,
    FragmentSpread,
    InlineFragment,
    Node,
    Variable,
    parse_document,
)
from retro.errors import ValidationError

__all__ = ["Selected", "Selection", "Undefined", "parse_selection"]


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


class _UndefinedType:
    """A variable the selection names but the request does not give (graphql-core's Undefined).

    Equal to None and to itself, false in a boolean test: argument values keep exactly the
    meaning they had when graphql-core read the selection.
    """

    def __repr__(self) -> str:
        return "Undefined"

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return other is self or other is None

    def __hash__(self) -> int:
        return hash(_UndefinedType)


Undefined = _UndefinedType()


def parse_selection(text: str, variables: Mapping[str, Any]) -> Selection:
    """Parse AppSync's `selectionSetGraphQL` (a bare `{ ... }`, maybe followed by fragments)."""
    if not text.strip():
        return _EMPTY
    try:
        document = parse_document(text)
    except DocumentError as error:
        raise ValidationError("selection", f"cannot be read: {error}") from error
    if not document.operations:
        return _EMPTY
    return _convert(document.operations[0], document.fragments, dict(variables))


def _value(value: Any, variables: Mapping[str, Any]) -> Any:
    """An argument's value with its variables filled in (Undefined if not given)."""
    if isinstance(value, Variable):
        return variables.get(value.name, Undefined) if variables else Undefined
    if isinstance(value, list):
        return [_value(item, variables) for item in value]
    if isinstance(value, dict):
        return {name: _value(item, variables) for name, item in value.items()}
    return value


def _convert(
    nodes: tuple[Node, ...] | None,
    fragments: Mapping[str, tuple[Node, ...]],
    variables: Mapping[str, Any],
    seen: frozenset[str] = frozenset(),
) -> Selection:
    if nodes is None:
        return _EMPTY
    found: list[Selected] = []
    for item in nodes:
        if isinstance(item, Field):
            arguments = {name: _value(value, variables) for name, value in item.arguments}
            found.append(
                Selected(
                    item.name, arguments, _convert(item.selections, fragments, variables, seen)
                )
            )
        elif isinstance(item, InlineFragment):
            found.extend(_convert(item.selections, fragments, variables, seen).fields)
        elif isinstance(item, FragmentSpread) and item.name not in seen:
            fragment = fragments.get(item.name)
            if fragment is not None:
                inner = _convert(fragment, fragments, variables, seen | {item.name})
                found.extend(inner.fields)
    return Selection(tuple(found))
