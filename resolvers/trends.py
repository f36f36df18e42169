"""`Query.trend` (function `read`): a board's counts over all its versions in one request —
one invocation, two sequential rounds of DynamoDB requests (`retro.services.trends`)."""

from typing import Any

from resolvers.arguments import BoardIdArgs, parse
from resolvers.router import Call, Router
from retro import services
from retro.models import Tally
from retro.services import default_store
from retro.times import iso

__all__ = ["router"]

router = Router("trends")


@router.resolver("Query.trend")
def trend(call: Call) -> dict[str, Any] | None:
    args = parse(BoardIdArgs, call.arguments)
    call.require_user()
    found = services.trend(default_store(), args.boardId)
    if found is None:
        return None
    return {"boardId": found.board_id, "versions": [_version(t) for t in found.versions]}


def _version(t: Tally) -> dict[str, Any]:
    return {
        "versionId": t.version_id,
        "number": t.number,
        "title": t.title,
        "createdAt": iso(t.created_at),
        "frozenAt": iso(t.frozen_at),
        "goodNotes": t.good,
        "badNotes": t.bad,
        "actionNotes": t.action,
        "votesCast": t.votes,
        "actionsOpened": t.opened,
        "actionsCarried": t.carried,
        "actionsDone": t.done,
        "actionsOpen": t.open,
        "oldestOpenActionAge": t.oldest_open_age,
    }
