"""Subscribe-time checks (function `read`): a subscription is refused unless its board exists.

AppSync runs these when a client subscribes, not per event; the value returned is ignored
(null), raising refuses the subscription with that error.
"""

from resolvers.arguments import BoardIdArgs, IdArgs, parse
from resolvers.router import Call, Router
from retro import services
from retro.services import default_store

__all__ = ["router"]

router = Router("subscriptions")


def _on_board(call: Call) -> None:
    call.require_user()
    args = parse(BoardIdArgs, call.arguments)
    services.require_board(default_store(), args.boardId)


def _on_board_by_id(call: Call) -> None:
    call.require_user()
    args = parse(IdArgs, call.arguments)
    services.require_board(default_store(), args.id, "id")


for _field in (
    "onNoteAdded",
    "onNoteUpdated",
    "onNoteDeleted",
    "onVersionStarted",
    "onVersionChanged",
    "onGroupChanged",
):
    router.resolver(f"Subscription.{_field}")(_on_board)
for _field in ("onBoardUpdated", "onBoardDeleted"):
    router.resolver(f"Subscription.{_field}")(_on_board_by_id)
