import csv
import io
import json
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
    version = version.model_copy(
        update={"created_at": datetime(2026, 12, 2, 13, 0, 50, tzinfo=UTC)}
    )
    header = services.export_version(board, version, notes, "MARKDOWN").splitlines()[2]
    assert header == "Version 1 · started 2 Dec 2026, 13:00 UTC"
    frozen = version.model_copy(update={"frozen_at": datetime(2026, 12, 9, 9, 5, tzinfo=UTC)})
    header = services.export_version(board, frozen, notes, "MARKDOWN").splitlines()[2]
    assert header == "Version 1 · started 2 Dec 2026, 13:00 UTC, frozen 9 Dec 2026, 09:05 UTC"


def test_csv_export_defuses_spreadsheet_formulas(store, owner):
    board, version, notes = _board_with_notes(store, owner)
    rows = list(csv.reader(io.StringIO(services.export_version(board, version, notes, "CSV"))))
    assert rows[0] == ["column", "text", "votes", "createdAt"]
    assert rows[1][:2] == ["GOOD", "shipped"]
    assert rows[2][1].startswith("'=")


def test_json_export_carries_no_author(store, owner):
    board, version, notes = _board_with_notes(store, owner)
    document = json.loads(services.export_version(board, version, notes, "JSON"))
    assert [n["text"] for n in document["notes"]] == ["shipped", "=cmd|' /C calc'!A0"]
    assert owner not in json.dumps(document)
