"""docs/API.md and examples/ hold no GraphQL the schema would refuse, and the reference is current.

Offline: the generated reference is re-rendered in memory and compared with the committed file,
every GraphQL block of API.md and every operation of the examples is validated with graphql-core
against `schema/schema.graphql` (plus AppSync's built-ins), and the generator is shown to refuse
a schema it cannot document truthfully.
"""

import ast
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, build_schema, parse, validate

from appsync_local.sdl import PRELUDE, load_api
from retro_tools import apidocs
from retro_tools.apidocs import ApiDocsError, check_examples, render_reference, splice
from retro_tools.apidocs_examples import EXAMPLES, Example
from tests.conftest import ROOT

API_MD = ROOT / "docs" / "API.md"
SDL = (ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
MAP = json.loads((ROOT / "schema" / "resolvers.json").read_text(encoding="utf-8"))
EXAMPLES_DIR = ROOT / "examples"

_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[str]:
    return [body for lang, body in _BLOCK.findall(API_MD.read_text()) if lang == language]


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return build_schema(PRELUDE + SDL)


def test_committed_reference_is_what_the_schema_gives() -> None:
    committed = API_MD.read_text(encoding="utf-8")
    expected = splice(committed, render_reference(SDL, MAP))
    assert committed == expected, (
        "docs/API.md is stale: run `.venv/bin/python -m retro_tools.apidocs`"
    )


def test_a_changed_description_makes_the_committed_reference_stale() -> None:
    changed = SDL.replace('"A board by id; null if it does not exist."', '"A board, by id."')
    assert changed != SDL
    committed = API_MD.read_text(encoding="utf-8")
    assert splice(committed, render_reference(changed, MAP)) != committed


def test_a_new_field_without_an_example_cannot_be_documented() -> None:
    grown = SDL.replace("  me: User\n", "  me: User\n  boardCount(ownerId: ID!): Int!\n")
    assert grown != SDL
    with pytest.raises(ApiDocsError, match=r"no example for Query\.boardCount"):
        render_reference(grown, MAP)


def test_an_example_the_schema_refuses_cannot_be_documented() -> None:
    broken = dict(EXAMPLES)
    broken["Query.me"] = Example(("me",), "query Me { me { id email } }")
    with pytest.raises(ApiDocsError, match=r"Query\.me is not valid: .*'email'"):
        check_examples(load_api(SDL), broken)


def test_an_example_missing_a_required_variable_cannot_be_documented() -> None:
    broken = dict(EXAMPLES)
    broken["Query.board"] = replace(EXAMPLES["Query.board"], variables={})
    with pytest.raises(ApiDocsError, match=r"variables of Query\.board"):
        check_examples(load_api(SDL), broken)


def test_a_mutation_example_that_would_starve_its_subscribers_cannot_be_documented() -> None:
    broken = dict(EXAMPLES)
    broken["Mutation.addNote"] = replace(
        EXAMPLES["Mutation.addNote"],
        document="mutation A($input: AddNoteInput!) { addNote(input: $input) { id text } }",
    )
    with pytest.raises(ApiDocsError, match=r"addNote does not select .*boardId"):
        check_examples(load_api(SDL), broken)


def _stale_copy(root: Path) -> str:
    (root / "docs").mkdir()
    (root / "schema").mkdir()
    (root / "schema" / "schema.graphql").write_text(SDL)
    (root / "schema" / "resolvers.json").write_text(json.dumps(MAP))
    stale = API_MD.read_text().replace("#### `Query.me`", "#### `Query.me` (old)")
    (root / "docs" / "API.md").write_text(stale)
    return stale


def test_check_reports_a_stale_reference_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = _stale_copy(tmp_path)
    monkeypatch.setattr(apidocs, "ROOT", tmp_path)
    assert apidocs.main(["--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert (tmp_path / "docs" / "API.md").read_text() == stale


def test_regenerating_restores_the_reference_and_keeps_the_prose(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stale_copy(tmp_path)
    monkeypatch.setattr(apidocs, "ROOT", tmp_path)
    assert apidocs.main([]) == 0
    assert (tmp_path / "docs" / "API.md").read_text() == API_MD.read_text()
    assert apidocs.main(["--check"]) == 0


def test_reference_documents_every_operation_of_the_schema(schema: GraphQLSchema) -> None:
    text = API_MD.read_text()
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        assert root is not None
        for name in root.fields:
            assert f"#### `{root.name}.{name}`" in text


@pytest.mark.parametrize("index", range(len(blocks("graphql"))))
def test_every_graphql_block_of_the_document_is_valid(index: int, schema: GraphQLSchema) -> None:
    document = parse(blocks("graphql")[index])
    assert [e.message for e in validate(schema, document)] == []


def test_the_document_has_graphql_for_every_kind_of_operation() -> None:
    kinds = {
        d.operation.value
        for body in blocks("graphql")
        for d in parse(body).definitions
        if isinstance(d, OperationDefinitionNode)
    }
    assert kinds == {"query", "mutation", "subscription"}
    assert len(blocks("graphql")) >= len(EXAMPLES)


def test_every_python_block_of_the_document_compiles() -> None:
    found = blocks("python")
    assert len(found) >= 4
    for body in found:
        compile(body, "API.md", "exec")


def _example_operations() -> list[tuple[str, str]]:
    """(where, GraphQL text) for every module-level string constant of the examples that is
    a GraphQL operation (or a dict of them)."""
    found: list[tuple[str, str]] = []
    for path in sorted(EXAMPLES_DIR.glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
                continue
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            name = target.id if isinstance(target, ast.Name) else "?"
            values = node.value.values if isinstance(node.value, ast.Dict) else [node.value]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    text = value.value.strip()
                    if text.startswith(("query", "mutation", "subscription")):
                        found.append((f"{path.name}:{name}", text))
    return found


def test_the_examples_send_every_kind_of_operation() -> None:
    kinds = {text.split(maxsplit=1)[0] for _, text in _example_operations()}
    assert kinds == {"query", "mutation", "subscription"}


@pytest.mark.parametrize(("where", "text"), _example_operations())
def test_every_operation_of_the_examples_is_valid(
    where: str, text: str, schema: GraphQLSchema
) -> None:
    assert [e.message for e in validate(schema, parse(text))] == [], where
