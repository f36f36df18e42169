"""The contract: the SDL is valid for AppSync, and one key names each resolver everywhere."""

import json
import re
from pathlib import Path

from graphql import (
    DirectiveDefinitionNode,
    EnumTypeDefinitionNode,
    GraphQLObjectType,
    InterfaceTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    build_schema,
    parse,
)

from appsync_local.sdl import APPSYNC_SCALARS, PRELUDE
from resolvers import authorizer, read, views, write

ROOT = Path(__file__).resolve().parents[2]
SDL = (ROOT / "schema" / "schema.graphql").read_text()
MAP = json.loads((ROOT / "schema" / "resolvers.json").read_text())
ROOT_TYPES = {"Query", "Mutation", "Subscription"}


def test_sdl_declares_no_appsync_scalar_or_directive_and_no_custom_scalar():
    document = parse(SDL)
    assert not [d for d in document.definitions if isinstance(d, DirectiveDefinitionNode)]
    assert not [d for d in document.definitions if isinstance(d, ScalarTypeDefinitionNode)]
    names = [getattr(d, "name", None) for d in document.definitions]
    assert not [n.value for n in names if n is not None and n.value.startswith("AWS")]


def test_sdl_has_no_enum_value_descriptions_and_no_interface_inheriting_an_interface():
    for definition in parse(SDL).definitions:
        if isinstance(definition, EnumTypeDefinitionNode):
            assert all(value.description is None for value in definition.values)
        if isinstance(definition, InterfaceTypeDefinitionNode):
            assert not definition.interfaces


def test_sdl_builds_with_appsyncs_scalars_and_directives_predeclared():
    schema = build_schema(PRELUDE + SDL)
    used = set(re.findall(r"\bAWS[A-Za-z]+\b", SDL))
    assert used <= set(APPSYNC_SCALARS)
    assert schema.subscription_type is not None


def test_every_subscription_returns_the_type_of_its_mutations():
    schema = build_schema(PRELUDE + SDL)
    mutations = schema.mutation_type.fields
    for name, field in schema.subscription_type.fields.items():
        directive = next(d for d in field.ast_node.directives if d.name.value == "aws_subscribe")
        for value in directive.arguments[0].value.values:
            assert str(mutations[value.value].type).rstrip("!") == str(field.type), name


def _sdl_fields_needing_a_resolver() -> set[str]:
    """Root fields, plus nested fields with arguments that no parent view fills in."""
    schema = build_schema(PRELUDE + SDL)
    needed = set()
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in graphql_type.fields.items():
            key = f"{type_name}.{field_name}"
            if type_name in ROOT_TYPES or (field.args and key not in views.EMBEDDED):
                needed.add(key)
    return needed


def test_resolver_map_handlers_and_sdl_name_the_same_fields():
    mapped = set(MAP["resolvers"])
    registered = set(read.router.resolvers) | set(write.router.resolvers)
    assert mapped == registered == _sdl_fields_needing_a_resolver()


def test_each_field_is_served_by_the_function_the_map_names():
    routers = {"read": read.router, "write": write.router}
    for key, entry in MAP["resolvers"].items():
        assert key in routers[entry["function"]].resolvers, key
    assert MAP["functions"]["read"]["handler"] == "resolvers.read.handler"
    assert MAP["functions"]["write"]["handler"] == "resolvers.write.handler"


def test_embedded_fields_exist_and_have_no_resolver():
    schema = build_schema(PRELUDE + SDL)
    for key in views.EMBEDDED:
        type_name, field_name = key.split(".")
        assert field_name in schema.type_map[type_name].fields
        assert key not in MAP["resolvers"]


def test_read_function_never_writes():
    assert not [
        a
        for a in MAP["functions"]["read"]["dynamodbActions"]
        if "Get" not in a and "Query" not in a
    ]
    for entry in (*MAP["functions"].values(), MAP["authorizer"]):
        assert "dynamodb:Scan" not in entry["dynamodbActions"]
        assert "*" not in "".join(entry["dynamodbActions"])


def test_authorizer_ttl_matches_the_map():
    assert MAP["authorizer"]["ttlSeconds"] == authorizer.TTL_SECONDS


def test_no_type_exposes_an_author_a_voter_or_a_token_hash():
    schema = build_schema(PRELUDE + SDL)
    forbidden = re.compile(r"author|^owner(Id)?$|voter|hash|secret", re.IGNORECASE)
    # a board's yes/no setting, not a secret: it may keep its name as long as it is a Boolean
    setting = schema.type_map["BoardSettings"].fields["secretBallot"]  # type: ignore[union-attr]
    assert str(setting.type) == "Boolean!"
    allowed = {("BoardSettings", "secretBallot")}
    for type_name, graphql_type in schema.type_map.items():
        if isinstance(graphql_type, GraphQLObjectType) and not type_name.startswith("__"):
            named = [f for f in graphql_type.fields if (type_name, f) not in allowed]
            assert not [f for f in named if forbidden.search(f)], type_name
