"""The selection set AppSync sends with each call, parsed so resolvers can prefetch.

AppSync gives `info.selectionSetGraphQL` (the field's selection as GraphQL text, with arguments
and variables as the client wrote them) and `info.variables`. `selectionSetList` alone is not
enough: it names aliases instead of fields and carries no arguments.

Resolvers use this to load nested data that has no resolver of its own (a board's live notes,
its versions) in the same invocation — one Lambda call and parallel DynamoDB reads instead of a
call per nesting level. A field without a resolver is filled by AppSync from the parent's
property of the same name, whatever its alias, so a field that is prefetched must be selected
with one set of arguments; `Selection.one` refuses two that differ.

Reading: a selection of plain field names — no arguments, aliases, fragments, directives or
comments, which is what the board page and most calls send — is read here in a few lines;
anything else by graphql-core, imported on first need. graphql-core's import is about half of
a cold start's extra cost (docs/PERFORMANCE.md), and most containers never pay it.

Bounded by size, not by time: text over MAX_TEXT characters is refused unread, graphql-core
stops at MAX_TOKENS tokens, and reading stops at MAX_FIELDS fields or MAX_DEPTH levels counted
with fragments expanded — fragments that each spread the one before twice would otherwise
expand 16 definitions into 65,536 fields. Each refusal is a ValidationError naming `selection`.
"""

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final, NamedTuple

from retro.errors import ValidationError

__all__ = [
    "MAX_DEPTH",
    "MAX_FIELDS",
    "MAX_TEXT",
    "MAX_TOKENS",
    "Selected",
    "Selection",
    "parse_selection",
]

# A board page's selection is ~40 fields and ~600 characters; these are far above any real one.
MAX_TEXT = 64 * 1024
MAX_TOKENS = 10_000
MAX_FIELDS = 1_000
MAX_DEPTH = 64  # AppSync's depth limit is at most 75 levels for the whole operation


# A NamedTuple and a plain class, not frozen dataclasses: a dataclass runs ~6 generated functions
# through exec() when it is created, ~0.6 ms of every cold start each (docs/PERFORMANCE.md).


class Selected(NamedTuple):
    """One selected field: its name, the arguments given (variables resolved), what is under it,
    and its alias if it has one (its response key is `alias or name`)."""

    name: str
    arguments: Mapping[str, Any]
    selection: "Selection"
    alias: str | None = None


class Selection:
    """The fields selected at one level, in the order they were written."""

    __slots__ = ("fields",)

    def __init__(self, fields: tuple[Selected, ...] = ()) -> None:
        self.fields: Final = fields

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Selection) and self.fields == other.fields

    def __hash__(self) -> int:
        return hash(self.fields)

    def __repr__(self) -> str:
        return f"Selection({self.fields!r})"

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


# Only names, braces, commas and white space: nothing that needs GraphQL's grammar.
_PLAIN_TEXT = re.compile(r"[\sA-Za-z0-9_,{}]*")
_PLAIN_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[{}]|\S+")


class _NotPlain(Exception):
    """Not plain field names after all: graphql-core reads the text."""


class _Budget:
    """Fields read so far: refuses the one past MAX_FIELDS, and nesting past MAX_DEPTH."""

    def __init__(self) -> None:
        self.fields = 0

    def field(self) -> None:
        self.fields += 1
        if self.fields > MAX_FIELDS:
            raise ValidationError(
                "selection", f"has more than {MAX_FIELDS} fields with its fragments expanded"
            )

    @staticmethod
    def level(depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ValidationError(
                "selection", f"nests more than {MAX_DEPTH} levels with its fragments expanded"
            )


def parse_selection(text: str, variables: Mapping[str, Any]) -> Selection:
    """Parse AppSync's `selectionSetGraphQL` (a bare `{ ... }`, maybe followed by fragments)."""
    if not text.strip():
        return _EMPTY
    if len(text) > MAX_TEXT:
        raise ValidationError("selection", f"is longer than {MAX_TEXT} characters")
    if _PLAIN_TEXT.fullmatch(text):
        try:
            return _read_plain(_PLAIN_TOKEN.findall(text))
        except _NotPlain:
            pass  # e.g. a name starting with a digit: graphql-core says what is wrong
    return _read_with_graphql_core(text, variables)


def _read_plain(tokens: list[str]) -> Selection:
    selection, end = _plain_set(tokens, 0, _Budget(), 1)
    if end != len(tokens):
        raise _NotPlain
    return selection


def _plain_set(tokens: list[str], at: int, budget: _Budget, depth: int) -> tuple[Selection, int]:
    """`{ name name { ... } ... }` starting at `tokens[at]`; returns it and where it ends."""
    if at >= len(tokens) or tokens[at] != "{":
        raise _NotPlain
    budget.level(depth)
    at += 1
    found: list[Selected] = []
    while at < len(tokens) and tokens[at] != "}":
        name = tokens[at]
        if not (name[0].isalpha() or name[0] == "_") or not name.isidentifier():
            raise _NotPlain
        budget.field()
        at += 1
        inner = _EMPTY
        if at < len(tokens) and tokens[at] == "{":
            inner, at = _plain_set(tokens, at, budget, depth + 1)
        found.append(Selected(name, {}, inner))
    if at >= len(tokens) or not found:
        raise _NotPlain  # unclosed, or an empty selection set: not valid GraphQL
    return Selection(tuple(found)), at + 1


def _read_with_graphql_core(text: str, variables: Mapping[str, Any]) -> Selection:
    import graphql  # noqa: PLC0415 — ~90 ms of import, paid only by selections that need it

    try:
        document = graphql.parse(text, no_location=True, max_tokens=MAX_TOKENS)
    except graphql.GraphQLError as error:
        raise ValidationError("selection", f"cannot be read: {error.message}") from error
    except RecursionError:  # graphql-core before 3.3 lets it out of a deeply nested text
        raise ValidationError("selection", "cannot be read: it is nested too deeply") from None
    fragments = {
        d.name.value: d
        for d in document.definitions
        if isinstance(d, graphql.FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, graphql.OperationDefinitionNode)]
    if not operations:
        return _EMPTY
    return _Converter(fragments, dict(variables)).convert(operations[0].selection_set, 1)


class _Converter:
    """graphql-core's selection set as a `Selection`: fragments merged, variables filled in,
    within the budget."""

    def __init__(self, fragments: Mapping[str, Any], variables: dict[str, Any]) -> None:
        self.fragments = fragments
        self.variables = variables
        self.budget = _Budget()

    def convert(self, node: Any, depth: int, seen: frozenset[str] = frozenset()) -> Selection:
        import graphql  # noqa: PLC0415 — loaded by now

        if node is None:
            return _EMPTY
        self.budget.level(depth)
        found: list[Selected] = []
        for item in node.selections:
            if isinstance(item, graphql.FieldNode):
                self.budget.field()
                arguments = {}
                for argument in item.arguments or ():
                    value = graphql.value_from_ast_untyped(argument.value, self.variables)
                    if value is not graphql.Undefined:  # a variable not given: as if not written
                        arguments[argument.name.value] = value
                inner = self.convert(item.selection_set, depth + 1, seen)
                alias = item.alias.value if item.alias else None
                found.append(Selected(item.name.value, arguments, inner, alias))
            elif isinstance(item, graphql.InlineFragmentNode):
                found.extend(self.convert(item.selection_set, depth + 1, seen).fields)
            elif isinstance(item, graphql.FragmentSpreadNode) and item.name.value not in seen:
                fragment = self.fragments.get(item.name.value)
                if fragment is not None:
                    inner = self.convert(
                        fragment.selection_set, depth + 1, seen | {item.name.value}
                    )
                    found.extend(inner.fields)
        return Selection(tuple(found))
