"""AppSync's direct Lambda resolver event, built from the field being resolved.

The event (APPSYNC.md): `arguments`, `source`, `identity`, `request.headers`, `info` with
`fieldName`, `parentTypeName`, `variables`, `selectionSetList`, `selectionSetGraphQL`, `prev`
and `stash`. The selection set is given twice, as AppSync does:
- `selectionSetList`: every selected field path, nested with `/`, aliased fields under their
  alias, fields of fragments included, `@skip`/`@include` applied;
- `selectionSetGraphQL`: the field's selection set printed as GraphQL, with arguments and
  variables as written. Inline fragments are kept; a named fragment spread is printed as the
  equivalent inline fragment (`... on Type { ... }`), so the text stands alone and a resolver
  can parse it without the rest of the document.

Arguments are converted back to JSON: enum members to their names, input objects to dicts
keyed by GraphQL names; an argument (or input field) the client omitted is absent, one given as
`null` is `None`.
"""

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    VariableNode,
    print_ast,
)
from strawberry.types.unset import UNSET

__all__ = [
    "ResolvedField",
    "arguments_json",
    "build_event",
    "collect_fields",
    "included",
    "inline_fragments",
    "selection_set_graphql",
    "selection_set_list",
    "to_json",
]


@dataclass(frozen=True)
class ResolvedField:
    """The field a resolver is called for, as the event describes it."""

    name: str
    parent_type: str  # the runtime type of the object the field is read on
    nodes: Sequence[FieldNode]  # its nodes in the document (one per occurrence, merged)
    fragments: Mapping[str, FragmentDefinitionNode]  # the document's named fragments


def _condition(node: SelectionNode, name: str, variables: Mapping[str, Any]) -> bool | None:
    for directive in node.directives or ():
        if directive.name.value != name:
            continue
        for argument in directive.arguments or ():
            if argument.name.value != "if":
                continue
            value = argument.value
            if isinstance(value, VariableNode):
                return bool(variables.get(value.name.value))
            if isinstance(value, BooleanValueNode):
                return value.value
    return None


def included(node: SelectionNode, variables: Mapping[str, Any]) -> bool:
    """Whether `@skip`/`@include` keep this selection."""
    if _condition(node, "skip", variables) is True:
        return False
    return _condition(node, "include", variables) is not False


def collect_fields(
    selections: Sequence[SelectionNode],
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> list[FieldNode]:
    """The field nodes of a selection set, fragments flattened (for `selectionSetList`)."""
    out: list[FieldNode] = []
    for node in selections:
        if not included(node, variables):
            continue
        if isinstance(node, FieldNode):
            out.append(node)
        elif isinstance(node, InlineFragmentNode):
            out.extend(collect_fields(node.selection_set.selections, fragments, variables))
        elif isinstance(node, FragmentSpreadNode):
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                out.extend(collect_fields(fragment.selection_set.selections, fragments, variables))
    return out


def selection_set_list(
    nodes: Sequence[FieldNode],
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()

    def walk(selections: Sequence[SelectionNode], prefix: str) -> None:
        for field in collect_fields(selections, fragments, variables):
            if field.name.value == "__typename":
                continue
            key = (field.alias or field.name).value
            path = f"{prefix}{key}"
            if path not in seen:
                seen.add(path)
                out.append(path)
            if field.selection_set:
                walk(field.selection_set.selections, f"{path}/")

    for node in nodes:
        if node.selection_set:
            walk(node.selection_set.selections, "")
    return out


def inline_fragments(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> SelectionSetNode:
    """The selection set with each named fragment spread replaced by an inline fragment."""

    def convert(node: SelectionNode, depth: int) -> SelectionNode:
        if depth > 64:  # validation forbids fragment cycles; this only bounds the recursion
            return node
        if isinstance(node, FragmentSpreadNode):
            fragment = fragments.get(node.name.value)
            if fragment is None:
                return node
            return InlineFragmentNode(
                type_condition=fragment.type_condition,
                directives=node.directives,
                selection_set=convert_set(fragment.selection_set, depth + 1),
            )
        if isinstance(node, FieldNode | InlineFragmentNode) and node.selection_set:
            return dataclasses.replace(
                node, selection_set=convert_set(node.selection_set, depth + 1)
            )
        return node

    def convert_set(node: SelectionSetNode, depth: int) -> SelectionSetNode:
        return SelectionSetNode(selections=tuple(convert(s, depth) for s in node.selections))

    return convert_set(selection_set, 0)


def selection_set_graphql(
    nodes: Sequence[FieldNode], fragments: Mapping[str, FragmentDefinitionNode]
) -> str:
    selections: list[SelectionNode] = []
    for node in nodes:
        if node.selection_set:
            selections.extend(node.selection_set.selections)
    if not selections:
        return ""
    merged = SelectionSetNode(selections=tuple(selections))
    return print_ast(inline_fragments(merged, fragments))


def to_json(
    value: Any, type_: GraphQLInputType, input_fields: Mapping[str, Mapping[str, str]]
) -> Any:
    """A coerced argument value (Strawberry's Python objects) as AppSync passes it: JSON."""
    if value is None:
        return None
    if isinstance(type_, GraphQLNonNull):
        return to_json(value, type_.of_type, input_fields)
    if isinstance(type_, GraphQLList):
        items = value if isinstance(value, list | tuple) else [value]
        return [to_json(v, type_.of_type, input_fields) for v in items]
    if isinstance(type_, GraphQLEnumType):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(type_, GraphQLInputObjectType):
        names = input_fields.get(type_.name, {})
        out: dict[str, Any] = {}
        for name, field in type_.fields.items():
            raw = (
                value.get(name, UNSET)
                if isinstance(value, Mapping)
                else getattr(value, names.get(name, name), UNSET)
            )
            if raw is not UNSET:
                out[name] = to_json(raw, field.type, input_fields)
        return out
    return value


def arguments_json(
    definitions: Mapping[str, GraphQLArgument],
    kwargs: Mapping[str, Any],
    names: Mapping[str, str],
    input_fields: Mapping[str, Mapping[str, str]],
) -> dict[str, Any]:
    """The field's arguments as JSON, keyed by GraphQL name; omitted ones are absent.

    `definitions` are the field's arguments in the SDL, `names` maps each Python parameter
    name to its GraphQL name.
    """
    out: dict[str, Any] = {}
    for python, graphql in names.items():
        value = kwargs.get(python, UNSET)
        if value is UNSET:
            continue
        out[graphql] = to_json(value, definitions[graphql].type, input_fields)
    return out


def build_event(
    field: ResolvedField,
    *,
    arguments: Mapping[str, Any],
    source: Any,
    identity: Any,
    headers: Mapping[str, str],
    variables: Mapping[str, Any],
) -> dict[str, Any]:
    return {
        "arguments": dict(arguments),
        "source": source,
        "identity": identity,
        "request": {"headers": dict(headers), "domainName": None},
        "info": {
            "fieldName": field.name,
            "parentTypeName": field.parent_type,
            "variables": dict(variables),
            "selectionSetList": selection_set_list(field.nodes, field.fragments, variables),
            "selectionSetGraphQL": selection_set_graphql(field.nodes, field.fragments),
        },
        "prev": None,
        "stash": {},
    }
