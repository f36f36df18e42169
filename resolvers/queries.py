"""Query fields and the nested fields AppSync resolves with batching (function `read`)."""

from typing import Any

from resolvers import views
from resolvers.arguments import BoardIdArgs, ExportArgs, IdArgs, PageArgs, VersionArgs, parse
from resolvers.router import Call, Router
from retro import services
from retro.errors import ForbiddenError, NotFoundError
from retro.store import default_store

__all__ = ["router"]

router = Router("queries")


@router.resolver("Query.board")
def board(call: Call) -> dict[str, Any] | None:
    args = parse(IdArgs, call.arguments)
    call.require_user()
    found = services.get_board(default_store(), args.id)
    if found is None:
        return None
    return views.boards(default_store(), [found], call.selection)[0]


@router.resolver("Query.me")
def me(call: Call) -> dict[str, Any] | None:
    found = services.get_user(default_store(), call.caller)
    return views.user(found) if found else None


@router.resolver("Query.participation")
def participation(call: Call) -> dict[str, Any]:
    args = parse(BoardIdArgs, call.arguments)
    return views.participation(services.participation(default_store(), call.caller, args.boardId))


@router.resolver("User.boards")
def user_boards(call: Call) -> dict[str, Any]:
    """Boards a user owns; only that user may list them."""
    args = parse(PageArgs, call.arguments)
    user_id = (call.source or {}).get("id")
    if user_id != call.caller:
        raise ForbiddenError("a user's boards are listed to that user only")
    found, token = services.boards_of(default_store(), call.caller, args.limit, args.nextToken)
    items = call.selection.one("items")
    rendered = views.boards(default_store(), found, items.selection if items else call.selection)
    return {"items": rendered, "nextToken": token}


@router.resolver("Board.version")
def board_version(call: Call) -> dict[str, Any] | None:
    args = parse(VersionArgs, call.arguments)
    board_id = str((call.source or {}).get("id"))
    call.require_user()
    found = services.version_by_number(default_store(), board_id, args.number)
    if found is None:
        return None
    return views.versions(default_store(), [found], call.selection)[0]


@router.resolver("BoardVersion.export")
def export(call: Call) -> str:
    args = parse(ExportArgs, call.arguments)
    call.require_user()
    source = call.source or {}
    store = default_store()
    board = services.require_board(store, str(source.get("boardId")))
    version = services.version_by_number(store, board.id, int(source.get("number") or 0))
    if version is None or version.id != source.get("id"):
        raise NotFoundError("version", str(source.get("id")))
    notes = services.notes_of(store, version.id)
    return services.export_version(board, version, notes, args.format)
