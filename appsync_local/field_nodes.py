"""The nodes of the field being resolved, found again from the operation and the response path.

AppSync's event describes a field by its selection set (`selectionSetList`,
`selectionSetGraphQL`), which comes from the field's nodes in the document: graphql-core holds
them in its resolve info, which Strawberry's `Info` keeps private. What `Info` does expose is
enough to find them again: the operation, and the response path, each segment of which names
the runtime type of the object it is a field of. Walking the operation along that path with the
rules graphql-core collects fields by gives the same nodes, in the same order:
- a selection is kept unless `@skip(if: true)` or `@include(if: false)` drops it;
- a fragment (inline or named) applies if it has no type condition, its condition is the
  runtime type, or an interface or union that runtime type belongs to;
- a named fragment is spread once per level, however often it is spread there;
- every node of the parent's response key contributes its selection set to the next level.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    is_abstract_type,
)
from graphql.pyutils import Path

from appsync_local.events import included

__all__ = ["field_nodes"]


def _applies(
    condition: NamedTypeNode | None, runtime: GraphQLNamedType | None, schema: GraphQLSchema
) -> bool:
    """Whether a fragment with this type condition applies to an object of the runtime type."""
    if condition is None or runtime is None:
        return True
    conditional = schema.get_type(condition.name.value)
    if conditional is runtime:
        return True
    if is_abstract_type(conditional) and isinstance(runtime, GraphQLObjectType):
        return schema.is_sub_type(conditional, runtime)
    return False


class _Level:
    """One level of the walk: the nodes of one response key on objects of one runtime type."""

    def __init__(
        self,
        key: str,
        runtime: GraphQLNamedType | None,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.key = key
        self.runtime = runtime
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.visited: set[str] = set()
        self.nodes: list[FieldNode] = []

    def visit(self, selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if not included(selection, self.variables):
                continue
            if isinstance(selection, FieldNode):
                if (selection.alias or selection.name).value == self.key:
                    self.nodes.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if _applies(selection.type_condition, self.runtime, self.schema):
                    self.visit(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in self.visited:
                    continue
                if not _applies(fragment.type_condition, self.runtime, self.schema):
                    continue
                self.visited.add(name)
                self.visit(fragment.selection_set)


def field_nodes(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    path: Path,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> Sequence[FieldNode]:
    """The nodes graphql-core resolves the field at `path` of `operation` with.

    `variables` are the operation's coerced variable values (they decide `@skip`/`@include`).
    """
    segments: list[tuple[str, str | None]] = []
    segment: Path | None = path
    while segment is not None:
        if isinstance(segment.key, str):  # list indices do not select anything
            segments.append((segment.key, segment.typename))
        segment = segment.prev
    selection_sets = [operation.selection_set]
    nodes: list[FieldNode] = []
    for key, typename in reversed(segments):
        runtime = schema.get_type(typename) if typename is not None else None
        level = _Level(key, runtime, schema, fragments, variables)
        for selection_set in selection_sets:
            level.visit(selection_set)
        nodes = level.nodes
        selection_sets = [node.selection_set for node in nodes if node.selection_set]
    return nodes
