"""Retro's models rendered in the schema's shape, with nested data the selection asks for.

Nested fields without a resolver of their own — `Board.currentVersion`, `Board.versions`,
`BoardVersion.notes`, `Session.user` — are filled here, by the resolver that returns their parent,
from what its selection set asks for. Loads of one level run in parallel, so a board page costs
one invocation and three sequential DynamoDB round trips whatever its size.

No view renders an author or a voter: the models know them, the API never shows them.
"""

from collections.abc import Callable, Sequence
from typing import Any

from resolvers.selection import Selected, Selection
from retro import services
from retro.models import Board, BoardVersion, Note, Participation, User, VersionRef
from retro.services import checks
from retro.store import Store
from retro.times import iso

__all__ = [
    "EMBEDDED",
    "boards",
    "check_board_selection",
    "check_version_selection",
    "note",
    "participation",
    "user",
    "versions",
]

View = dict[str, Any]

# Fields with no resolver of their own: the resolver returning their parent fills them here.
EMBEDDED = frozenset(
    {"Board.currentVersion", "Board.versions", "BoardVersion.notes", "Session.user"}
)


def note(n: Note) -> View:
    return {
        "id": n.id,
        "boardId": n.board_id,
        "versionId": n.version_id,
        "column": n.column.value,
        "text": n.text,
        "votes": n.votes,
        "createdAt": iso(n.created_at),
        "updatedAt": iso(n.updated_at),
    }


def user(u: User) -> View:
    return {"id": u.id, "name": u.name, "createdAt": iso(u.created_at)}


def participation(p: Participation) -> View:
    return {
        "boardId": p.board_id,
        "versionId": p.version_id,
        "isOwner": p.is_owner,
        "voteBudget": p.vote_budget,
        "votesUsed": p.votes_used,
        "votesLeft": p.votes_left,
        "myVotes": [{"noteId": k, "count": v} for k, v in sorted(p.my_votes.items())],
        "myNoteIds": p.my_note_ids,
    }


def _version(v: BoardVersion | VersionRef, board_id: str) -> View:
    return {
        "id": v.id,
        "boardId": board_id,
        "number": v.number,
        "title": v.title,
        "createdAt": iso(v.created_at),
        "frozenAt": iso(v.frozen_at) if isinstance(v, BoardVersion) else None,
    }


def _board(b: Board) -> View:
    return {
        "id": b.id,
        "title": b.title,
        "createdAt": iso(b.created_at),
        "updatedAt": iso(b.updated_at),
        "settings": {"voteBudget": b.settings.vote_budget},
        "currentVersion": _version(b.current_version, b.id),
    }


Load = Callable[[], None]


def _notes_load(store: Store, view: View, selected: Selected) -> Load:
    column = selected.arguments.get("column")

    def load() -> None:
        view["notes"] = [note(n) for n in services.notes_of(store, view["id"], column)]

    return load


def _version_loads(store: Store, views: Sequence[View], selection: Selection) -> list[Load]:
    selected = selection.one("notes")
    return [_notes_load(store, v, selected) for v in views] if selected else []


def _versions_load(store: Store, view: View, selected: Selected) -> Load:
    def load() -> None:
        found, token = services.versions_of(
            store, view["id"], selected.arguments.get("limit"), selected.arguments.get("nextToken")
        )
        items = [_version(v, view["id"]) for v in found]
        view["versions"] = {"items": items, "nextToken": token}
        # notes of listed versions: one more level, loaded in parallel
        items_selected = selected.selection.one("items")
        if items_selected:
            _run(store, _version_loads(store, items, items_selected.selection))

    return load


def _run(store: Store, loads: Sequence[Load]) -> None:
    if loads:
        store.parallel(*loads)


def check_version_selection(selection: Selection) -> None:
    """Raise now the ValidationError `versions` would raise for `selection` once loading.

    A mutation calls this before it writes: an error found while rendering its result would
    come after the write, and a client retrying the "failed" call would write twice.
    """
    selected = selection.one("notes")
    if selected and selected.arguments.get("column") is not None:
        checks.column(selected.arguments["column"])


def check_board_selection(selection: Selection) -> None:
    """Raise now the ValidationError `boards` would raise for `selection` (see above)."""
    current = selection.one("currentVersion")
    if current:
        check_version_selection(current.selection)
    listed = selection.one("versions")
    if listed:
        checks.page_size(listed.arguments.get("limit"))
        items = listed.selection.one("items")
        if items:
            check_version_selection(items.selection)


def boards(store: Store, found: Sequence[Board], selection: Selection) -> list[View]:
    """Render boards and load what the selection asks for under them, in one parallel round."""
    views = [_board(b) for b in found]
    loads: list[Load] = []
    current = selection.one("currentVersion")
    if current:
        loads += _version_loads(store, [v["currentVersion"] for v in views], current.selection)
    listed = selection.one("versions")
    if listed:
        loads += [_versions_load(store, v, listed) for v in views]
    _run(store, loads)
    return views


def versions(store: Store, found: Sequence[BoardVersion], selection: Selection) -> list[View]:
    """Render versions and load their notes if the selection asks for them."""
    views = [_version(v, v.board_id) for v in found]
    _run(store, _version_loads(store, views, selection))
    return views
