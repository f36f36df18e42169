"""Query fields and the nested fields AppSync resolves with batching (function `read`)."""

from typing import Any

from resolvers import views
from resolvers.arguments import BoardIdArgs, ExportArgs, IdArgs, PageArgs, VersionArgs, parse
from resolvers.router import Call, Router
from resolvers.specs import board_spec, version_spec
from retro import services
from retro.errors import ForbiddenError
from retro.services import checks, default_store
from retro.services.pages import BoardSpec

__all__ = ["router"]

router = Router("queries")


@router.resolver("Query.board")
def board(call: Call) -> dict[str, Any] | None:
    args = parse(IdArgs, call.arguments)
    call.require_user()
    spec = board_spec(call.selection)
    # two rounds of DynamoDB requests for the whole page (retro.services.boardpage)
    page = services.load_board_page(default_store(), args.id, spec)
    return views.board(page, call.selection) if page is not None else None


@router.resolver("Query.me")
def me(call: Call) -> dict[str, Any] | None:
    found = services.get_user(default_store(), call.require_user())
    return views.user(found, call.selection) if found else None


@router.resolver("Query.participation")
def participation(call: Call) -> dict[str, Any]:
    args = parse(BoardIdArgs, call.arguments)
    found = services.participation(default_store(), call.require_user(), args.boardId)
    return views.participation(found, call.selection)


@router.resolver("User.boards")
def user_boards(call: Call) -> dict[str, Any]:
    """Boards a user owns; only that user may list them."""
    args = parse(PageArgs, call.arguments)
    caller = call.require_user()
    if (call.source or {}).get("id") != caller:
        raise ForbiddenError("a user's boards are listed to that user only")
    items = call.selection.one("items")
    # Priced for a full page: the cost is known before the boards are read.
    spec = board_spec(items.selection, checks.page_size(args.limit)) if items else BoardSpec()
    found, token = services.boards_of(default_store(), caller, args.limit, args.nextToken)
    pages = services.load_boards(default_store(), found, spec)
    return views.boards(pages, token, call.selection)


@router.resolver("Board.version")
def board_version(call: Call) -> dict[str, Any] | None:
    args = parse(VersionArgs, call.arguments)
    board_id = str((call.source or {}).get("id"))
    call.require_user()
    spec = version_spec(call.selection)
    found = services.version_by_number(default_store(), board_id, args.number)
    if found is None:
        return None
    page = services.load_versions(default_store(), [found], spec)[0]
    return views.version(page, call.selection)


@router.resolver("BoardVersion.export")
def export(call: Call) -> str:
    args = parse(ExportArgs, call.arguments)
    call.require_user()
    source = call.source or {}
    return services.export_version_of(
        default_store(),
        str(source.get("boardId")),
        str(source.get("id")),
        int(source.get("number") or 0),
        args.format,
    )
