"""The anonymous credential: it may create a user and nothing else, in AppSync and in the code.

AppSync admits it through the authorizer's `deniedFields` (each field by name: AppSync has no
wildcard). The list is a constant in `resolvers/authorizer.py`; these tests hold it equal to
every root field and every field with a resolver, but `Mutation.createUser` — a field added to
the schema is denied to the anonymous credential until someone decides otherwise here. And
the resolvers do not rely on `deniedFields`: each refuses a caller without a user id.
"""

import json
from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    build_schema,
)

from appsync_local.sdl import PRELUDE
from resolvers import authorizer, read, write
from retro.errors import UnauthorizedError
from tests.api.conftest import load_event, make_event

ROOT = Path(__file__).resolve().parents[2]
SDL = (ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
MAP = json.loads((ROOT / "schema" / "resolvers.json").read_text(encoding="utf-8"))
ANONYMOUS_CONTEXT = {"resolverContext": {}}


SCHEMA = build_schema(PRELUDE + SDL)


def _root_fields() -> set[str]:
    schema = SCHEMA
    roots = (schema.query_type, schema.mutation_type, schema.subscription_type)
    return {f"{root.name}.{name}" for root in roots if root for name in root.fields}


def test_the_anonymous_credential_is_denied_every_field_but_create_user():
    every = _root_fields() | set(MAP["resolvers"])
    assert set(authorizer.ANONYMOUS_DENIED_FIELDS) == every - {"Mutation.createUser"}
    assert len(authorizer.ANONYMOUS_DENIED_FIELDS) == len(set(authorizer.ANONYMOUS_DENIED_FIELDS))
    # every root field but createUser, by name (AppSync's short form `Type.field`)
    assert _root_fields() - {"Mutation.createUser"} <= set(authorizer.ANONYMOUS_DENIED_FIELDS)


def test_the_authorizer_admits_the_anonymous_token_without_reading_the_table(store, requests):
    requests.clear()
    verdict = authorizer.handler(load_event("authorizer", token=authorizer.ANONYMOUS_TOKEN))
    assert verdict == {
        "isAuthorized": True,
        "resolverContext": {},
        "deniedFields": list(authorizer.ANONYMOUS_DENIED_FIELDS),
        "ttlOverride": authorizer.TTL_SECONDS,
    }
    assert requests.calls == []


@pytest.mark.parametrize("token", ["Anonymous", "anonymous ", " anonymous", "anonymous.x"])
def test_only_the_exact_anonymous_token_is_anonymous(store, token):
    assert authorizer.handler(load_event("authorizer", token=token))["isAuthorized"] is False


def test_create_user_works_with_the_anonymous_identity(store):
    event = load_event("Mutation.createUser")
    assert event["identity"] == ANONYMOUS_CONTEXT
    session = write.handler(event)
    assert session["token"].startswith(session["user"]["id"] + ".")


def _value(kind: GraphQLInputType) -> object:
    """A well-formed value of a required input: the call gets past its argument checks."""
    kind = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
    if isinstance(kind, GraphQLInputObjectType):
        return {
            name: _value(f.type)
            for name, f in kind.fields.items()
            if isinstance(f.type, GraphQLNonNull)
        }
    if isinstance(kind, GraphQLList):
        return [_value(kind.of_type)]
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    return {"ID": "0" * 36, "String": "x", "Int": 60, "Boolean": False}.get(kind.name, "x")


def _arguments(field: str) -> dict[str, object]:
    type_name, name = field.split(".")
    args = SCHEMA.type_map[type_name].fields[name].args  # type: ignore[union-attr]
    return {n: _value(a.type) for n, a in args.items() if isinstance(a.type, GraphQLNonNull)}


@pytest.mark.parametrize("field", sorted(set(MAP["resolvers"]) - {"Mutation.createUser"}))
def test_every_denied_resolver_refuses_the_anonymous_identity_itself(store, field):
    """Were AppSync to run a denied field's resolver, it would still refuse: deny by default."""
    handler = read.handler if MAP["resolvers"][field]["function"] == "read" else write.handler
    event = make_event(field, _arguments(field))
    event["identity"] = ANONYMOUS_CONTEXT
    if not field.startswith(("Query.", "Mutation.", "Subscription.")):
        event["source"] = {"id": "0" * 36, "boardId": "0" * 36}
    with pytest.raises(UnauthorizedError):
        handler(event)
