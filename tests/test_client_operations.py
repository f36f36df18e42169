"""Every GraphQL document the browser client sends is valid against the schema.

The client keeps its documents in one module, `client/js/operations.js`, as
``const NAME = `...`;`` template strings whose only interpolations are ``${FIELDS}`` constants
of the same module and ``${LIMIT}`` numbers of `client/js/limits.js`. This test reads that
module the way a bundler would not have to: it resolves the interpolations, parses each
exported document, and validates it with graphql-core against `schema/schema.graphql` plus a
prelude declaring what AppSync provides built in.

It also checks the rule AppSync imposes on subscriptions: subscribers receive the *mutation's*
selection set, so every field a client subscription selects must be selected by each client
mutation that triggers it, or other people's screens get nulls.
"""

import re

import pytest
from graphql import (
    DocumentNode,
    FieldNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
    validate,
)

from appsync_local.sdl import ApiDefinition, load_api
from tests.conftest import ROOT
from tests.test_client_limits import client_limits

OPERATIONS_JS = ROOT / "client" / "js" / "operations.js"
SCHEMA = ROOT / "schema" / "schema.graphql"

_CONST = re.compile(r"^(export )?const ([A-Z][A-Z0-9_]*) = `([^`]*)`;", re.MULTILINE)
_INTERPOLATION = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")


def _client_documents() -> dict[str, str]:
    """Exported documents of operations.js by constant name, interpolations resolved."""
    source = OPERATIONS_JS.read_text(encoding="utf-8")
    found = _CONST.findall(source)
    # A template literal the pattern missed would escape validation: every backtick must
    # belong to one matched constant.
    assert source.count("`") == 2 * len(found) + _backticks_in_comments(source)
    constants = {name: body for _, name, body in found}
    constants |= {name: str(value) for name, value in client_limits().items()}

    def resolve(text: str, depth: int = 0) -> str:
        assert depth < 5, "interpolations nest too deep"
        return _INTERPOLATION.sub(lambda m: resolve(constants[m.group(1)], depth + 1), text)

    return {name: resolve(body) for exported, name, body in found if exported}


def _backticks_in_comments(source: str) -> int:
    return sum(line.count("`") for line in source.splitlines() if line.lstrip().startswith("//"))


@pytest.fixture(scope="module")
def api() -> ApiDefinition:
    """The schema as the local server reads it: AppSync's prelude, `@aws_subscribe` mutations."""
    return load_api(SCHEMA.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def documents() -> dict[str, DocumentNode]:
    return {name: parse(text) for name, text in _client_documents().items()}


def _operation(document: DocumentNode) -> OperationDefinitionNode:
    (operation,) = document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    return operation


def test_the_client_sends_every_kind_of_operation(documents: dict[str, DocumentNode]) -> None:
    kinds = {_operation(doc).operation for doc in documents.values()}
    assert kinds == {OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION}
    # One document per exported constant, each a single named operation.
    assert len(documents) >= 20
    assert all(_operation(doc).name is not None for doc in documents.values())


@pytest.mark.parametrize("name", sorted(_client_documents()))
def test_client_operation_is_valid_against_the_schema(
    name: str, api: ApiDefinition, documents: dict[str, DocumentNode]
) -> None:
    errors = validate(api.schema, documents[name])
    assert [e.message for e in errors] == []


def _paths(selection_set: SelectionSetNode | None, prefix: str = "") -> set[str]:
    """Selected fields as slash paths, the way AppSync's selectionSetList spells them."""
    paths: set[str] = set()
    for selection in selection_set.selections if selection_set else ():
        assert isinstance(selection, FieldNode), "the client uses no fragments"
        path = f"{prefix}{selection.name.value}"
        paths.add(path)
        paths |= _paths(selection.selection_set, f"{path}/")
    return paths


def _root_field(document: DocumentNode) -> FieldNode:
    (field,) = _operation(document).selection_set.selections
    assert isinstance(field, FieldNode)
    return field


def test_mutations_select_what_their_subscribers_need(
    api: ApiDefinition, documents: dict[str, DocumentNode]
) -> None:
    mutations = {
        _root_field(doc).name.value: _paths(_root_field(doc).selection_set)
        for doc in documents.values()
        if _operation(doc).operation is OperationType.MUTATION
    }
    checked = 0
    for doc in documents.values():
        if _operation(doc).operation is not OperationType.SUBSCRIPTION:
            continue
        field = _root_field(doc)
        needed = _paths(field.selection_set)
        # AppSync filters on the argument's namesake field of the mutation result.
        needed |= {argument.name.value for argument in field.arguments}
        for mutation in api.subscriptions[field.name.value]:
            if mutation not in mutations:
                continue  # the client never sends it; an integrator's own selection applies
            missing = needed - mutations[mutation]
            assert not missing, f"{mutation} must select {sorted(missing)} for {field.name.value}"
            checked += 1
    # addNote, updateNote, vote, unvote, deleteNote, updateBoard, deleteBoard, startNewVersion,
    # the facilitator's setStage, startTimer, extendTimer, stopTimer (onVersionChanged), and
    # updateAction (onNoteUpdated), groupNotes, renameGroup, ungroupNote (onGroupChanged)
    assert checked == 16
