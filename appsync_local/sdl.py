"""The SDL as AppSync reads it: AWS scalars and directives known without declarations.

AppSync schemas use `AWSDateTime`, `@aws_subscribe`, `@aws_lambda`... without declaring them
(declaring them is an error there). graphql-core needs declarations, so `PRELUDE` supplies them
when the SDL is checked and its types are looked up; the SDL itself is kept as written.

Two AppSync rules are read from the SDL here, once:
- authorization: which modes may resolve `Type.field` (`AuthRules`);
- subscriptions: which mutations fire which subscription field (`@aws_subscribe`).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    FieldDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    StringValueNode,
    build_ast_schema,
    parse,
)
from graphql.language import ConstDirectiveNode

__all__ = [
    "API_KEY",
    "APPSYNC_SCALARS",
    "AUTH_DIRECTIVES",
    "AWS_LAMBDA",
    "PRELUDE",
    "ApiDefinition",
    "AuthRules",
    "SchemaError",
    "load_api",
]

API_KEY = "API_KEY"
AWS_LAMBDA = "AWS_LAMBDA"

APPSYNC_SCALARS = (
    "AWSDate",
    "AWSTime",
    "AWSDateTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSJSON",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
)

# Directive name -> the authorization mode it allows. `aws_auth` is the legacy Cognito form.
AUTH_DIRECTIVES: Mapping[str, str] = {
    "aws_api_key": API_KEY,
    "aws_lambda": AWS_LAMBDA,
    "aws_iam": "AWS_IAM",
    "aws_oidc": "OPENID_CONNECT",
    "aws_cognito_user_pools": "AMAZON_COGNITO_USER_POOLS",
    "aws_auth": "AMAZON_COGNITO_USER_POOLS",
}

PRELUDE = (
    "\n".join(f"scalar {name}" for name in APPSYNC_SCALARS)
    + """
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_api_key on OBJECT | FIELD_DEFINITION
directive @aws_iam on OBJECT | FIELD_DEFINITION
directive @aws_oidc on OBJECT | FIELD_DEFINITION
directive @aws_lambda on OBJECT | FIELD_DEFINITION
directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION
directive @aws_auth(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION
"""
)
_PRELUDE_NAMES = set(APPSYNC_SCALARS) | {"aws_subscribe", *AUTH_DIRECTIVES}


class SchemaError(ValueError):
    """The SDL is not one AppSync would accept, or uses something the local server lacks."""


def _auth_modes(directives: tuple[ConstDirectiveNode, ...] | None) -> frozenset[str]:
    return frozenset(
        AUTH_DIRECTIVES[d.name.value] for d in directives or () if d.name.value in AUTH_DIRECTIVES
    )


@dataclass(frozen=True)
class AuthRules:
    """Which authorization modes may resolve each field, by AppSync's rules.

    A type's `@aws_*` directives apply to its fields; a field's own replace its type's; a field
    with none on either is open to the API's default mode only.
    """

    default_mode: str
    type_modes: Mapping[str, frozenset[str]]
    field_modes: Mapping[tuple[str, str], frozenset[str]]

    def modes(self, type_name: str, field_name: str) -> frozenset[str]:
        own = self.field_modes.get((type_name, field_name))
        if own:
            return own
        return self.type_modes.get(type_name) or frozenset({self.default_mode})


@dataclass(frozen=True)
class ApiDefinition:
    """One AppSync SDL, parsed and checked."""

    sdl: str
    document: DocumentNode
    schema: GraphQLSchema
    auth: AuthRules
    # subscription field name -> the mutation field names that fire it
    subscriptions: Mapping[str, tuple[str, ...]]


def _string_list(directive: ConstDirectiveNode, argument: str) -> tuple[str, ...]:
    for arg in directive.arguments or ():
        if arg.name.value != argument:
            continue
        value = arg.value
        items = value.values if isinstance(value, ListValueNode) else (value,)
        return tuple(v.value for v in items if isinstance(v, StringValueNode))
    return ()


def _check_declarations(document: DocumentNode) -> None:
    for definition in document.definitions:
        if not isinstance(definition, ScalarTypeDefinitionNode | DirectiveDefinitionNode):
            continue
        name = definition.name.value
        if name in _PRELUDE_NAMES:
            raise SchemaError(f"'{name}' is built into AppSync and must not be declared")
        if isinstance(definition, ScalarTypeDefinitionNode):
            raise SchemaError(f"custom scalar '{name}': AppSync has no user-defined scalars")
        raise SchemaError(f"directive '@{name}': AppSync has no user-defined directives")


def _subscribed_mutations(
    type_name: str, field: FieldDefinitionNode, schema: GraphQLSchema
) -> tuple[str, ...] | None:
    """The mutations in a field's `@aws_subscribe`, checked; None if it has none."""
    for directive in field.directives or ():
        if directive.name.value != "aws_subscribe":
            continue
        where = f"@aws_subscribe on {type_name}.{field.name.value}"
        subscription = schema.subscription_type
        if subscription is None or type_name != subscription.name:
            raise SchemaError(f"{where}: only subscription fields may carry it")
        names = _string_list(directive, "mutations")
        mutations = schema.mutation_type.fields if schema.mutation_type else {}
        unknown = [n for n in names if n not in mutations]
        if unknown:
            raise SchemaError(f"{where} names unknown mutations: {', '.join(unknown)}")
        return names
    return None


def load_api(sdl: str, *, default_mode: str = API_KEY) -> ApiDefinition:
    """Parse and check an AppSync SDL; raise `SchemaError` with the reason if it cannot serve."""
    try:
        document = parse(sdl)
    except GraphQLError as error:  # graphql-core's syntax errors name line and column
        raise SchemaError(f"schema is not valid GraphQL: {error}") from error
    _check_declarations(document)
    try:
        schema = build_ast_schema(parse(PRELUDE + sdl))
    except (GraphQLError, TypeError) as error:
        raise SchemaError(f"schema is not valid: {error}") from error

    type_modes: dict[str, frozenset[str]] = {}
    field_modes: dict[tuple[str, str], frozenset[str]] = {}
    subscriptions: dict[str, tuple[str, ...]] = {}
    for definition in document.definitions:
        if not isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            continue
        type_name = definition.name.value
        modes = _auth_modes(definition.directives)
        if modes:
            type_modes[type_name] = type_modes.get(type_name, frozenset()) | modes
        for field in definition.fields or ():
            own = _auth_modes(field.directives)
            if own:
                field_modes[(type_name, field.name.value)] = own
            mutations = _subscribed_mutations(type_name, field, schema)
            if mutations is not None:
                subscriptions[field.name.value] = mutations
    return ApiDefinition(
        sdl=sdl,
        document=document,
        schema=schema,
        auth=AuthRules(default_mode, type_modes, field_modes),
        subscriptions=subscriptions,
    )
