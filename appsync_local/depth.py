"""AppSync's query depth limit, applied field by field as AppSync applies it.

AppSync does not refuse a document that nests deeper than the API's `queryDepthLimit`: it runs
it, and each field past the limit (its level counted from the root fields, level 1) is null
with a `QueryDepthLimitReached` error — its resolver never runs, the fields under it are not
reached — while the rest of the answer comes back. A non-null field past the limit takes its
nearest nullable parent with it, as any error does ("Configuring query depth limits", AppSync
Developer Guide). The message is the local server's: AppSync's guide shows only the errorType.
"""

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo
from graphql.pyutils import Path
from strawberry.extensions import SchemaExtension

from appsync_local.errors import field_error

__all__ = ["DEPTH_ERROR_TYPE", "QueryDepthLimit", "field_level"]

DEPTH_ERROR_TYPE = "QueryDepthLimitReached"


def field_level(info: "GraphQLResolveInfo[Any]") -> int:
    """The level of the field being resolved: 1 for a root field, list indices not counted."""
    level = 0
    path: Path | None = info.path
    while path is not None:
        if isinstance(path.key, str):
            level += 1
        path = path.prev
    return level


class QueryDepthLimit(SchemaExtension):
    """Nulls each field past `context.query_depth_limit` levels (0 = no limit) with AppSync's
    `QueryDepthLimitReached`, before its resolver (or the authorization check) runs."""

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kw: Any
    ) -> Any:
        limit: int = getattr(info.context, "query_depth_limit", 0)
        if limit and field_level(info) > limit:
            raise field_error(
                f"The field is deeper than the query depth limit of {limit} levels.",
                DEPTH_ERROR_TYPE,
            )
        return _next(root, info, *args, **kw)
