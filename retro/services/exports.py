"""Exports: a board version as a document — Markdown and CSV for people, JSON for programs.

Exports carry what the board shows and nothing more: no author, no voter. While a live
version's stage hides texts or counts, it is not exported at all — a document without texts
would still order its notes by votes — until the stage moves on.

Actions show whether they are done (`[x]` / `[ ]` in Markdown), who takes them on and how many
retros they have been carried through; groups are headings in their column (most votes first),
their notes under them, the ungrouped notes after.
"""

import csv
import io
import json
from datetime import UTC, datetime
from enum import StrEnum

from retro.errors import ConflictError, NotFoundError, ValidationError
from retro.models import Board, BoardVersion, Column, Note
from retro.services.boards import require_board
from retro.services.notes import notes_of
from retro.services.stages import meeting_of
from retro.services.versions import version_by_number
from retro.store import Store
from retro.times import iso, now

__all__ = ["ExportFormat", "export_version", "export_version_of"]

_HEADINGS = {Column.GOOD: "Good", Column.BAD: "Bad", Column.ACTION: "Actions"}


class ExportFormat(StrEnum):
    MARKDOWN = "MARKDOWN"
    CSV = "CSV"
    JSON = "JSON"


def export_version(board: Board, version: BoardVersion, notes: list[Note], fmt: str) -> str:
    """`version` of `board` with its `notes`, in the format named `fmt`."""
    chosen = _format(fmt)
    ordered = sorted(notes, key=lambda n: (list(Column).index(n.column), -n.votes, n.created_at))
    if chosen is ExportFormat.MARKDOWN:
        return _markdown(board, version, ordered)
    if chosen is ExportFormat.CSV:
        return _csv(ordered)
    return _json(board, version, ordered)


def export_version_of(store: Store, board_id: str, version_id: str, number: int, fmt: str) -> str:
    """Version `number` of a board in the format named `fmt`, if its id is `version_id`.

    The version is sought by number on its board, so an id that is not that board's version
    `number` finds nothing (NotFoundError) rather than another board's notes.
    """
    _format(fmt)  # checked first: bad input is named before anything is read
    board = require_board(store, board_id)
    version = version_by_number(store, board.id, number)
    if version is None or version.id != version_id:
        raise NotFoundError("version", version_id)
    _refuse_hidden(board, version)
    notes = notes_of(store, version.id)
    if not version.is_frozen:
        # Checked again after the notes were read, with the board's settings read again too:
        # had the stage gone back to hiding, or the owner turned hiding on, meanwhile, they may
        # hold texts or counts written since.
        seen, now_board = store.parallel(
            lambda: store.meeting(board.id, version.id),
            lambda: store.visible_board(board.owner_id, board.id),
        )
        if now_board is None:
            raise NotFoundError("board", board.id)
        _refuse_hidden(now_board, seen.version if seen is not None else version)
    return export_version(board, version, notes, fmt)


def _refuse_hidden(board: Board, version: BoardVersion) -> None:
    """A ConflictError naming the stage if `version` hides texts or counts now."""
    meeting = meeting_of(board.settings, version, now())
    if meeting.texts_hidden or meeting.votes_hidden:
        hidden = "texts" if meeting.texts_hidden else "vote counts"
        raise ConflictError(
            f"version {version.number} cannot be exported while its {hidden} are hidden; the "
            f"board is in {meeting.stage.value}: export it once the stage has moved on"
        )


def _format(fmt: str) -> ExportFormat:
    try:
        return ExportFormat(fmt)
    except ValueError as error:
        raise ValidationError("format", "must be one of MARKDOWN, CSV, JSON") from error


def _label(version: BoardVersion) -> str:
    return f"Version {version.number}" + (f" — {version.title}" if version.title else "")


def _when(moment: datetime) -> str:
    """A moment as people read it, with its zone: "2 Dec 2026, 13:00 UTC" (the server knows
    no reader's zone, so it names the one it writes in)."""
    return f"{moment.day} {moment.astimezone(UTC):%b %Y, %H:%M} UTC"


def _markdown(board: Board, version: BoardVersion, notes: list[Note]) -> str:
    frozen = f", frozen {_when(version.frozen_at)}" if version.frozen_at else ""
    header = f"{_label(version)} · started {_when(version.created_at)}{frozen}"
    lines = [f"# {board.title}", "", header]
    for column in Column:
        lines += ["", f"## {_HEADINGS[column]}", ""]
        chosen = [n for n in notes if n.column == column]
        if not chosen:
            lines.append("_No notes._")
        groups = _groups(chosen)
        section: list[str] = []
        for title, members in groups.values():
            total = sum(n.votes for n in members)
            section += [f"### {title} ({_votes(total)})", ""]
            section += [*(_markdown_note(n) for n in members), ""]
        loose = [n for n in chosen if n.group_id not in groups]
        if groups and loose:
            section += ["### Not grouped", ""]
        section += [_markdown_note(n) for n in loose]
        while section and section[-1] == "":
            section.pop()
        lines += section
    return "\n".join(lines) + "\n"


def _votes(count: int) -> str:
    return f"{count} vote{'s' if count != 1 else ''}"


def _markdown_note(note: Note) -> str:
    text = " ".join(note.text.split())  # one line per note in Markdown
    votes = f" ({_votes(note.votes)})" if note.votes else ""
    if note.column is not Column.ACTION:
        return f"- {text}{votes}"
    who = f" — {' '.join(note.who.split())}" if note.who else ""
    carried = f" (carried {note.carried_count}\u00d7)" if note.carried_count else ""
    return f"- [{'x' if note.done else ' '}] {text}{who}{votes}{carried}"


def _groups(notes: list[Note]) -> dict[str, tuple[str, list[Note]]]:
    """The groups among `notes` (of one column): id → (title, notes), most votes first."""
    found: dict[str, tuple[str, list[Note]]] = {}
    for note in notes:
        if note.group_id is not None:
            found.setdefault(note.group_id, (note.group_title or "", []))[1].append(note)
    ranked = sorted(found.items(), key=lambda kv: (-sum(n.votes for n in kv[1][1]), kv[0]))
    return dict(ranked)


def _csv(notes: list[Note]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["column", "text", "votes", "createdAt", "done", "who", "carriedCount", "group"]
    writer.writerow(header)
    for note in notes:
        done = ("true" if note.done else "false") if note.column is Column.ACTION else ""
        writer.writerow(
            [
                note.column.value,
                _cell(note.text),
                note.votes,
                iso(note.created_at),
                done,
                _cell(note.who or ""),
                note.carried_count,
                _cell(note.group_title or ""),
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    """A leading = + - @ makes spreadsheets run the cell as a formula: quote it as text."""
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


def _json(board: Board, version: BoardVersion, notes: list[Note]) -> str:
    document = {
        "board": {"id": board.id, "title": board.title},
        "version": {
            "id": version.id,
            "number": version.number,
            "title": version.title,
            "createdAt": iso(version.created_at),
            "frozenAt": iso(version.frozen_at),
        },
        "notes": [
            {
                "id": n.id,
                "column": n.column.value,
                "text": n.text,
                "votes": n.votes,
                "createdAt": iso(n.created_at),
                "done": n.done,
                "who": n.who,
                "carriedFrom": n.carried_from,
                "carriedCount": n.carried_count,
                "groupId": n.group_id,
            }
            for n in notes
        ],
        "groups": [
            {"id": group_id, "column": members[0].column.value, "title": title}
            | {"votes": sum(n.votes for n in members), "noteIds": [n.id for n in members]}
            for column in Column
            for group_id, (title, members) in _groups(
                [n for n in notes if n.column is column]
            ).items()
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
