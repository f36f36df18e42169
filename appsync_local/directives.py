"""AppSync's directives on a Strawberry schema: printed on types and fields, never declared.

AppSync pre-declares `@aws_subscribe`, `@aws_api_key`, `@aws_lambda`... (`sdl.PRELUDE` does the
same for graphql-core); an AppSync SDL uses them without declaring them, so the schema built
from it prints them where the SDL wrote them (`print_definition=False`) and nowhere else.
`@deprecated` is GraphQL's own: it becomes the field's `deprecation_reason`.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Optional

import strawberry
from graphql import ConstDirectiveNode, value_from_ast_untyped
from strawberry.schema_directive import Location

from appsync_local.sdl import SchemaError

__all__ = ["deprecation_reason", "schema_directives"]

_TYPE_OR_FIELD = [Location.OBJECT, Location.FIELD_DEFINITION]


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION], name="aws_subscribe", print_definition=False
)
class _AwsSubscribe:
    mutations: Optional[list[Optional[str]]] = strawberry.UNSET  # noqa: UP045 — Strawberry reads it


@strawberry.schema_directive(locations=_TYPE_OR_FIELD, name="aws_api_key", print_definition=False)
class _AwsApiKey: ...


@strawberry.schema_directive(locations=_TYPE_OR_FIELD, name="aws_iam", print_definition=False)
class _AwsIam: ...


@strawberry.schema_directive(locations=_TYPE_OR_FIELD, name="aws_oidc", print_definition=False)
class _AwsOidc: ...


@strawberry.schema_directive(locations=_TYPE_OR_FIELD, name="aws_lambda", print_definition=False)
class _AwsLambda: ...


@strawberry.schema_directive(
    locations=_TYPE_OR_FIELD, name="aws_cognito_user_pools", print_definition=False
)
class _AwsCognitoUserPools:
    cognito_groups: Optional[list[Optional[str]]] = strawberry.directive_field(  # noqa: UP045
        name="cognito_groups", default=strawberry.UNSET
    )


@strawberry.schema_directive(locations=_TYPE_OR_FIELD, name="aws_auth", print_definition=False)
class _AwsAuth:
    cognito_groups: Optional[list[Optional[str]]] = strawberry.directive_field(  # noqa: UP045
        name="cognito_groups", default=strawberry.UNSET
    )


_DIRECTIVES: Mapping[str, Callable[..., object]] = {
    "aws_subscribe": _AwsSubscribe,
    "aws_api_key": _AwsApiKey,
    "aws_iam": _AwsIam,
    "aws_oidc": _AwsOidc,
    "aws_lambda": _AwsLambda,
    "aws_cognito_user_pools": _AwsCognitoUserPools,
    "aws_auth": _AwsAuth,
}


def schema_directives(nodes: Sequence[ConstDirectiveNode] | None, where: str) -> list[object]:
    """The AppSync directives written on a type or field (`where` names it in errors)."""
    out: list[object] = []
    for node in nodes or ():
        name = node.name.value
        if name == "deprecated":
            continue  # carried as deprecation_reason
        factory = _DIRECTIVES.get(name)
        if factory is None:
            raise SchemaError(f"{where}: unknown directive @{name}")
        kwargs = {a.name.value: value_from_ast_untyped(a.value) for a in node.arguments or ()}
        out.append(factory(**kwargs))
    return out


def deprecation_reason(nodes: Sequence[ConstDirectiveNode] | None) -> str | None:
    """The reason of a `@deprecated` among the directives, if there is one."""
    for node in nodes or ():
        if node.name.value == "deprecated":
            for arg in node.arguments or ():
                if arg.name.value == "reason":
                    return str(value_from_ast_untyped(arg.value))
            return "No longer supported"
    return None
