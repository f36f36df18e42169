"""A version holds at most MAX_NOTES_PER_VERSION notes (issue 16), kept by the add-note
transaction: a clear error naming the limit when it is reached, nothing written, and never one
note over it however many are added at once. Deleting a note makes room again.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest

from retro import services
from retro.errors import ConflictError, RetroError
from retro.store import keys
from retro.store.pagereads import MAX_NOTES_PER_VERSION


@pytest.fixture
def board(store, owner):
    return services.create_board(store, owner, "Retro")


def _fill_up_to(store, board, notes: int) -> None:
    """Count the live version as holding `notes` notes, as if they had been added (adding 200
    notes one by one through the services is what the counter saves a test from)."""
    key = keys.version(board.id, board.current_version.id)
    store.table.update(key, add={"t_notes": notes})


def _counted(store, board) -> int:
    item = store.table.get(keys.version(board.id, board.current_version.id), consistent=True)
    return int(item.get("t_notes", 0))


def test_every_note_write_moves_the_versions_note_count(store, owner, board):
    first = services.add_note(store, owner, board.id, "GOOD", "one")
    services.add_note(store, owner, board.id, "BAD", "two")
    assert _counted(store, board) == 2
    services.delete_note(store, owner, board.id, first.id)
    assert _counted(store, board) == 1


def test_the_note_past_the_limit_is_refused_naming_it_and_nothing_is_written(store, owner, board):
    _fill_up_to(store, board, MAX_NOTES_PER_VERSION - 1)
    services.add_note(store, owner, board.id, "GOOD", "the last one that fits")
    with pytest.raises(ConflictError, match="MAX_NOTES_PER_VERSION = 200") as refused:
        services.add_note(store, owner, board.id, "GOOD", "one too many")
    assert "start a new version" in str(refused.value)
    assert refused.value.error_type == "ConflictError"
    texts = [n.text for n in services.notes_of(store, board.current_version.id)]
    assert texts == ["the last one that fits"]
    assert _counted(store, board) == MAX_NOTES_PER_VERSION


def test_deleting_a_note_of_a_full_version_makes_room_for_one(store, owner, board):
    _fill_up_to(store, board, MAX_NOTES_PER_VERSION - 1)
    note = services.add_note(store, owner, board.id, "GOOD", "fits")
    services.delete_note(store, owner, board.id, note.id)
    services.add_note(store, owner, board.id, "GOOD", "fits again")
    with pytest.raises(ConflictError, match="holds 200 notes"):
        services.add_note(store, owner, board.id, "BAD", "no room")


def test_ten_adds_at_once_for_the_last_two_places_make_two_notes(store, owner, board):
    _fill_up_to(store, board, MAX_NOTES_PER_VERSION - 2)

    def attempt(i: int) -> bool:
        for _ in range(20):  # a transaction conflict is "busy, retry", as a client would
            try:
                services.add_note(store, owner, board.id, "GOOD", f"n{i}")
            except ConflictError:
                return False
            except RetroError as error:
                if error.error_type != "UnavailableError":
                    raise
                continue
            return True
        raise AssertionError("still busy after 20 tries")

    with ThreadPoolExecutor(10) as pool:
        added = sum(pool.map(attempt, range(10)))
    assert added == 2
    assert len(services.notes_of(store, board.current_version.id)) == 2
    assert _counted(store, board) == MAX_NOTES_PER_VERSION
