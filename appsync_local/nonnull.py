"""Nulls where the schema says non-null, caught where the value is produced.

GraphQL forbids a null in a non-null position: a non-null field, or an item of a list of
non-null items. graphql-core would report one as a bare `TypeError`, which cannot be told from
a bug but by its text; so every field's value is looked at as its resolver returns it (a
handler's answer, the parent's property, an event's payload), and each null in a non-null
position is replaced by a `NonNullViolation`. graphql-core treats an error value as that
position's error (GraphQL resolvers may return errors), so the response is the one GraphQL
specifies: the violation's message and path, and the null carried up to the nearest nullable
position.
"""

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLResolveInfo,
    Undefined,
)
from strawberry.extensions import SchemaExtension

from appsync_local.errors import NonNullViolation

__all__ = ["NonNullGuard"]


def _may_hold_null_violations(type_: GraphQLOutputType) -> bool:
    while isinstance(type_, GraphQLList):
        type_ = type_.of_type
        if isinstance(type_, GraphQLNonNull):
            return True
    return False


def _with_violations(
    value: Any, type_: GraphQLOutputType, violation: Callable[[], NonNullViolation]
) -> Any:
    """`value` with each null in a non-null position of `type_` replaced by a violation.

    Lists are copied when an item is replaced, never changed: a value may be shared (an event
    is the same object for every subscriber).
    """
    if isinstance(type_, GraphQLNonNull):
        if value is None or value is Undefined:
            return violation()
        type_ = type_.of_type
    if not isinstance(type_, GraphQLList) or not isinstance(value, list | tuple):
        return value
    if not _may_hold_null_violations(type_):
        return value
    items = [_with_violations(item, type_.of_type, violation) for item in value]
    if all(new is old for new, old in zip(items, value, strict=True)):
        return value
    return items


class NonNullGuard(SchemaExtension):
    """Looks at every field's value as its resolver returns it (see the module's docstring)."""

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo[Any],
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        result = _next(root, info, *args, **kwargs)
        type_ = info.return_type
        if not isinstance(type_, GraphQLNonNull) and not _may_hold_null_violations(type_):
            return result

        def violation() -> NonNullViolation:
            return NonNullViolation(info.parent_type.name, info.field_name)

        if inspect.isawaitable(result):
            return _checked(result, type_, violation)
        return _with_violations(result, type_, violation)


async def _checked(
    result: Awaitable[Any], type_: GraphQLOutputType, violation: Callable[[], NonNullViolation]
) -> Any:
    return _with_violations(await result, type_, violation)
