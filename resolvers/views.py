"""Retro's models rendered in the schema's shape: rendering only, nothing is loaded here.

Nested fields without a resolver of their own — `Board.currentVersion`, `Board.versions`,
`BoardVersion.notes`, `Session.user` — are rendered with their parent from what the services
loaded (`retro.services.pages`; `resolvers/specs.py` says what the selection asks for). A nested
field is in a view only when it was loaded, so AppSync fills it from the parent's property.

No view renders an author or a voter: the models know them, the API never shows them. Notes
come as the services publish them (`PublicNote`): a text or count the stage hides is None here,
null on the wire.
"""

from typing import Any

from retro.models import (
    Board,
    BoardVersion,
    NoteGroup,
    Participation,
    PublicNote,
    User,
    VersionRef,
)
from retro.services.pages import BoardPage, VersionPage
from retro.services.stages import MeetingState, TimerState
from retro.times import iso

__all__ = ["EMBEDDED", "board", "group", "note", "participation", "user", "version"]

View = dict[str, Any]

# Fields with no resolver of their own: the resolver returning their parent renders them.
EMBEDDED = frozenset(
    {
        "Board.currentVersion",
        "Board.versions",
        "BoardVersion.notes",
        "BoardVersion.groups",  # from the notes loaded: each carries its group
        "Session.user",
    }
)


def note(n: PublicNote) -> View:
    return {
        "id": n.id,
        "boardId": n.board_id,
        "versionId": n.version_id,
        "column": n.column.value,
        "text": n.text,
        "votes": n.votes,
        "createdAt": iso(n.created_at),
        "updatedAt": iso(n.updated_at),
        "done": n.done,
        "who": n.who,
        "carriedFrom": n.carried_from,
        "carriedCount": n.carried_count,
        "groupId": n.group_id,
    }


def group(g: NoteGroup) -> View:
    return {
        "id": g.id,
        "boardId": g.board_id,
        "versionId": g.version_id,
        "column": g.column.value,
        "title": g.title,
        "votes": g.votes,
        "noteIds": g.note_ids,
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
        "myNotes": [{"id": n.id, "column": n.column.value, "text": n.text} for n in p.my_notes],
    }


def _version(v: BoardVersion | VersionRef, board_id: str, meeting: MeetingState) -> View:
    return {
        "id": v.id,
        "boardId": board_id,
        "number": v.number,
        "title": v.title,
        "createdAt": iso(v.created_at),
        "frozenAt": iso(v.frozen_at) if isinstance(v, BoardVersion) else None,
        "stage": meeting.stage.value,
        "timer": _timer(meeting.timer) if meeting.timer else None,
        "textsHidden": meeting.texts_hidden,
        "votesHidden": meeting.votes_hidden,
    }


def _timer(t: TimerState) -> View:
    return {
        "endsAt": iso(t.ends_at),
        "remainingMs": t.remaining_ms,
        "durationSeconds": t.duration_seconds,
        "advances": t.advances,
        "running": t.running,
    }


def _board(b: Board) -> View:
    return {
        "id": b.id,
        "title": b.title,
        "createdAt": iso(b.created_at),
        "updatedAt": iso(b.updated_at),
        "settings": {
            "voteBudget": b.settings.vote_budget,
            "hideWhileWriting": b.settings.hide_while_writing,
            "secretBallot": b.settings.secret_ballot,
        },
    }


def version(page: VersionPage) -> View:
    """A version, with its notes if they were loaded."""
    view = _version(page.version, page.board_id, page.meeting)
    if page.notes is not None:
        view["notes"] = [note(n) for n in page.notes]
    if page.groups is not None:
        view["groups"] = [group(g) for g in page.groups]
    return view


def board(page: BoardPage) -> View:
    """A board, with its live version and a page of its versions as far as they were loaded."""
    view = _board(page.board)
    view["currentVersion"] = version(page.current)
    if page.versions is not None:
        items = [version(v) for v in page.versions.items]
        view["versions"] = {"items": items, "nextToken": page.versions.next_token}
    return view
