import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime

from retro import services


def _board_with_notes(store, owner):
    board = services.create_board(store, owner, "Q4 retro")
    services.add_note(store, owner, board.id, "GOOD", "shipped")
    services.add_note(store, owner, board.id, "ACTION", "=cmd|' /C calc'!A0")
    version = services.version_by_number(store, board.id, 1)
    return board, version, services.notes_of(store, version.id)


def test_markdown_export_has_every_column_and_note(store, owner):
    board, version, notes = _board_with_notes(store, owner)
    text = services.export_version(board, version, notes, "MARKDOWN")
    assert text.startswith("# Q4 retro")
    assert "## Good" in text and "- shipped" in text and "## Bad" in text and "_No notes._" in text


def test_markdown_export_dates_its_version_for_people_with_the_zone(store, owner):
    board, version, notes = _board_with_notes(store, owner)
    version = replace(version, created_at=datetime(2026, 12, 2, 13, 0, 50, tzinfo=UTC))
    header = services.export_version(board, version, notes, "MARKDOWN").splitlines()[2]
    assert header == "Version 1 · started 2 Dec 2026, 13:00 UTC"
    frozen = replace(version, frozen_at=datetime(2026, 12, 9, 9, 5, tzinfo=UTC))
    header = services.export_version(board, frozen, notes, "MARKDOWN").splitlines()[2]
    assert header == "Version 1 · started 2 Dec 2026, 13:00 UTC, frozen 9 Dec 2026, 09:05 UTC"


def test_csv_export_defuses_spreadsheet_formulas(store, owner):
    board, version, notes = _board_with_notes(store, owner)
    rows = list(csv.reader(io.StringIO(services.export_version(board, version, notes, "CSV"))))
    assert rows[0] == [
        *("column", "text", "votes", "createdAt"),
        *("done", "who", "carriedCount", "group"),  # appended (issue 14): old positions hold
    ]
    assert rows[1][:2] == ["GOOD", "shipped"]
    assert rows[2][1].startswith("'=")


def test_json_export_carries_no_author(store, owner):
    board, version, notes = _board_with_notes(store, owner)
    document = json.loads(services.export_version(board, version, notes, "JSON"))
    assert [n["text"] for n in document["notes"]] == ["shipped", "=cmd|' /C calc'!A0"]
    assert owner not in json.dumps(document)


def test_exports_tick_done_actions_name_who_count_carries_and_head_groups(store, owner):
    board = services.create_board(store, owner, "Team")
    done = services.add_note(store, owner, board.id, "ACTION", "fix CI")
    services.add_note(store, owner, board.id, "ACTION", "write docs")
    a = services.add_note(store, owner, board.id, "GOOD", "pairing")
    b = services.add_note(store, owner, board.id, "GOOD", "mobbing")
    services.add_note(store, owner, board.id, "GOOD", "lunch")
    services.vote(store, owner, board.id, b.id)
    services.group_notes(store, owner, board.id, [a.id, b.id], title="=Together")
    services.update_action(store, owner, board.id, done.id, done=True, who="Ana")
    second = services.start_new_version(store, owner, board.id, from_version=1)
    (carried,) = services.notes_of(store, second.id)
    services.update_action(store, owner, board.id, carried.id, who="Ben")

    first = services.version_by_number(store, board.id, 1)
    notes = services.notes_of(store, first.id)
    markdown = services.export_version(board, first, notes, "MARKDOWN")
    assert "- [x] fix CI — Ana\n" in markdown
    assert "- [ ] write docs\n" in markdown
    good = markdown.split("## Good", 1)[1].split("## Bad", 1)[0]
    assert good.strip().splitlines() == [
        "### =Together (1 vote)",
        "",
        "- mobbing (1 vote)",  # most votes first, as everywhere in exports
        "- pairing",
        "",
        "### Not grouped",
        "",
        "- lunch",
    ]
    later = services.export_version(board, second, services.notes_of(store, second.id), "MARKDOWN")
    assert "- [ ] write docs — Ben (carried 1\u00d7)\n" in later

    rows = list(csv.reader(io.StringIO(services.export_version(board, first, notes, "CSV"))))
    by_text = {row[1]: row for row in rows[1:]}
    assert by_text["fix CI"][4:] == ["true", "Ana", "0", ""]
    assert by_text["write docs"][4:] == ["false", "", "0", ""]
    assert by_text["pairing"][4:] == ["", "", "0", "'=Together"]  # a formula defused

    document = json.loads(services.export_version(board, first, notes, "JSON"))
    (group,) = document["groups"]
    assert (group["title"], group["votes"], group["noteIds"]) == ("=Together", 1, [b.id, a.id])
    fixed = next(n for n in document["notes"] if n["text"] == "fix CI")
    assert (fixed["done"], fixed["who"], fixed["carriedCount"]) == (True, "Ana", 0)
    assert owner not in json.dumps(document)
