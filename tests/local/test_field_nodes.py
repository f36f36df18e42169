"""The field nodes the emulator finds again from the operation and the response path are the
very nodes graphql-core resolves the field with (its `GraphQLResolveInfo.field_nodes`).

A plain graphql-core schema records, in every resolver, both graphql-core's nodes and
`field_nodes(...)`'s for the same field: aliases, fragments on interfaces and unions, the same
response key on two union members, a fragment spread twice, `@skip`/`@include` with literals,
variables and defaults, nested lists.
"""

from typing import Any

import pytest
from graphql import (
    FieldNode,
    GraphQLResolveInfo,
    build_schema,
    graphql_sync,
    print_ast,
)

from appsync_local.field_nodes import field_nodes

SDL = """
interface Node { id: ID! }
type Shelf implements Node { id: ID! name: String items(color: String): [[Item]] best: Thing }
type Item implements Node { id: ID! label: String shelf: Shelf }
type Gadget implements Node { id: ID! label: Int code: String gears: Int owner: Shelf }
union Thing = Item | Gadget
type Query { shelf: Shelf things: [Thing] nodes: [Node] }
"""

_ITEM: dict[str, Any] = {"__typename": "Item", "id": "i1", "label": "cup"}
_GADGET: dict[str, Any] = {"__typename": "Gadget", "id": "g1", "label": 7, "code": "G", "gears": 3}
_SHELF: dict[str, Any] = {
    "__typename": "Shelf",
    "id": "s1",
    "name": "Kitchen",
    "items": [[_ITEM, _ITEM], [_ITEM]],
    "best": _GADGET,
}
_ITEM["shelf"] = _GADGET["owner"] = _SHELF
ROOT = {"shelf": _SHELF, "things": [_ITEM, _GADGET], "nodes": [_SHELF, _ITEM, _GADGET]}

QUERIES = [
    "{ shelf { id name } }",
    "{ a: shelf { id n: name } b: shelf { name } }",
    "{ shelf { items { label } items { id } } }",
    '{ shelf { items(color: "red") { label shelf { items { id } } } } }',
    "{ things { ... on Item { x: label y: shelf { id } }"
    " ... on Gadget { x: code y: owner { name } } } }",
    "{ nodes { id ... on Shelf { name best { ... on Gadget { gears } } } ...N } }"
    " fragment N on Node { id ... on Item { label } }",
    "{ things { ...G ...G ... on Thing { ...G } } } fragment G on Gadget { gears label }",
    "{ shelf { ...S } shelf { ...S name } } fragment S on Shelf { id items { id } }",
    "{ shelf { name @skip(if: true) name @include(if: true) id @include(if: false) } }",
    "query($s: Boolean!, $i: Boolean = false) { shelf { name @skip(if: $s) id @include(if: $i)"
    " ... @include(if: $i) { best { __typename } } ...F @skip(if: $s) } }"
    " fragment F on Shelf { name }",
    "{ things { __typename ... { ... on Item { label } } } }",
]


def _resolve(source: Any, info: GraphQLResolveInfo[Any], **_arguments: Any) -> Any:
    variables = info.variable_values.coerced
    found = field_nodes(info.schema, info.operation, info.path, info.fragments, variables)
    info.context.append((info.path.as_list(), list(info.field_nodes), list(found)))
    return source.get(info.field_name) if isinstance(source, dict) else None


def _printed(nodes: list[FieldNode]) -> list[str]:
    return [print_ast(node) for node in nodes]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("variables", [{"s": True}, {"s": False, "i": True}])
def test_the_nodes_are_graphql_cores(query: str, variables: dict[str, Any]) -> None:
    schema = build_schema(SDL)
    records: list[tuple[list[str | int], list[FieldNode], list[FieldNode]]] = []
    result = graphql_sync(
        schema,
        query,
        root_value=ROOT,
        context_value=records,
        variable_values=variables if "$" in query else None,
        field_resolver=_resolve,
    )
    assert result.errors is None, result.errors
    assert records
    for path, expected, found in records:
        # the same node objects, in the same order
        assert [id(n) for n in found] == [id(n) for n in expected], (
            path,
            _printed(expected),
            _printed(found),
        )
