"""`Query.trend` (function `read`): a board's counts over all its versions in one request —
one invocation, two sequential rounds of DynamoDB requests (`retro.services.trends`)."""

from typing import Any

from resolvers import views
from resolvers.arguments import BoardIdArgs, parse
from resolvers.router import Call, Router
from retro import services
from retro.services import default_store

__all__ = ["router"]

router = Router("trends")


@router.resolver("Query.trend")
def trend(call: Call) -> dict[str, Any] | None:
    args = parse(BoardIdArgs, call.arguments)
    call.require_user()
    found = services.trend(default_store(), args.boardId)
    if found is None:
        return None
    return views.trend(found, call.selection)
