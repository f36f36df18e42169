"""The views as they were before they rendered only the selection (cadd3ed): each rendered its
model whole, then the router cut the result to the field's selection (`project`). The reference
tests/perf/test_optimisations.py holds today's selective views to, byte for byte.
"""

from typing import Any

from resolvers.selection import Selection
from retro.models import Board, BoardVersion, NoteGroup, Participation, PublicNote, User, VersionRef
from retro.services.pages import BoardPage, VersionPage
from retro.services.stages import MeetingState, TimerState
from retro.services.trends import Trend
from retro.times import iso

View = dict[str, Any]


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
        "ended": t.ended,
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


def session(u: User, token: str) -> View:  # was resolvers/mutations.py's create_user
    return {"token": token, "user": user(u)}


def boards(pages: list[BoardPage], token: str | None) -> View:  # was resolvers/queries.py's
    return {"items": [board(p) for p in pages], "nextToken": token}


def trend(found: Trend) -> View:  # was resolvers/trends.py's
    return {"boardId": found.board_id, "versions": [_tally(t) for t in found.versions]}


def _tally(t: Any) -> View:
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


# -- the router's cut (resolvers/project.py) ---------------------------------------------------
SOURCE_FIELDS = ("id", "boardId", "number")  # what resolvers/queries.py reads from `source`


# What to keep: field name -> what to keep under it (None: the value as it is).
Plan = dict[str, "Plan | None"]


def project(value: Any, selection: Selection) -> Any:
    """`value` (a view, a list of views, or a scalar) with only the fields `selection` names."""
    if not selection.fields:
        return value
    return _apply(value, _plan(selection))


def _plan(selection: Selection) -> Plan:
    """The selection as a plan, made once per call whatever the number of views it is applied
    to (a page's notes share their selection)."""
    under: dict[str, list[Selection]] = {}
    for selected in selection.fields:
        under.setdefault(selected.name, []).append(selected.selection)
    plan: Plan = {}
    for name, selections in under.items():
        fields = tuple(f for s in selections for f in s.fields)
        plan[name] = _plan(Selection(fields)) if fields else None
    return plan


def _apply(value: Any, plan: Plan | None) -> Any:
    if plan is None:
        return value
    if isinstance(value, list):
        return [_apply(item, plan) for item in value]
    if not isinstance(value, dict):
        return value
    out = {name: _apply(value[name], under) for name, under in plan.items() if name in value}
    if len(out) < len(plan):  # a resolver's field (or __typename): AppSync fills it from source
        out = {name: value[name] for name in SOURCE_FIELDS if name in value} | out
    return out
