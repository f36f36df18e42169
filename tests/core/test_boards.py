import base64
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from retro import services
from retro.errors import ForbiddenError, NotFoundError, ValidationError


def test_creating_a_board_makes_the_caller_owner_with_version_1_live(store, owner):
    board = services.create_board(store, owner, "Team Rocket")
    assert board.owner_id == owner
    assert board.current_version.number == 1
    assert services.get_board(store, board.id) == board
    assert [v.number for v in services.versions_of(store, board.id)[0]] == [1]


def test_owner_renames_and_changes_settings(store, owner):
    board = services.create_board(store, owner, "Old")
    changed = services.update_board(store, owner, board.id, "New", 3)
    assert (changed.title, changed.settings.vote_budget) == ("New", 3)
    assert services.get_board(store, board.id).title == "New"


def test_others_cannot_rename_or_delete_a_board(store, owner, member):
    board = services.create_board(store, owner, "Mine")
    with pytest.raises(ForbiddenError):
        services.update_board(store, member, board.id, "Theirs")
    with pytest.raises(ForbiddenError):
        services.delete_board(store, member, board.id)
    assert services.get_board(store, board.id).title == "Mine"


def test_deleting_a_board_removes_its_versions_and_notes(store, owner, member):
    board = services.create_board(store, owner, "Gone soon")
    note = services.add_note(store, member, board.id, "GOOD", "hi")
    services.vote(store, member, board.id, note.id)
    services.start_new_version(store, owner, board.id)
    services.delete_board(store, owner, board.id)
    assert services.get_board(store, board.id) is None
    assert store.versions(board.id)[0] == []
    assert store.notes(board.current_version.id) == []


def test_missing_board_is_not_found(store, owner):
    from retro.ids import new_id

    with pytest.raises(NotFoundError, match="board"):
        services.update_board(store, owner, new_id(), "x")


def test_boards_of_a_user_page_newest_first(store, owner):
    made = [services.create_board(store, owner, f"b{i}").id for i in range(5)]
    first, token = services.boards_of(store, owner, limit=2)
    second, token2 = services.boards_of(store, owner, limit=2, next_token=token)
    assert [b.id for b in first + second] == made[::-1][:4]
    rest, end = services.boards_of(store, owner, limit=2, next_token=token2)
    assert [b.id for b in rest] == made[:1]
    assert end is None


def test_a_next_token_from_another_list_is_refused(store, owner, member):
    for i in range(3):
        services.create_board(store, owner, f"b{i}")
    _, token = services.boards_of(store, owner, limit=1)
    with pytest.raises(ValidationError, match="nextToken"):
        services.boards_of(store, member, limit=1, next_token=token)
    with pytest.raises(ValidationError, match="nextToken"):
        services.boards_of(store, owner, limit=1, next_token="garbage!")


def test_concurrent_retries_with_one_key_create_one_board(store, owner):
    def create(_: int) -> str:
        return services.create_board(store, owner, "Once", client_request_id="req-1").id

    with ThreadPoolExecutor(10) as pool:
        ids = set(pool.map(create, range(10)))
    assert len(ids) == 1
    assert len(services.boards_of(store, owner)[0]) == 1


def _token(pid: str, cid: str) -> str:
    raw = json.dumps({"p": pid, "c": cid})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cid",
    ["U#someone", "N#x", "", "B#" + "x" * 1023, "B#\ud800"],
    ids=["other-kind", "other-prefix", "empty", "too-long", "lone-surrogate"],
)
def test_a_forged_next_token_outside_the_list_is_refused_naming_next_token(store, owner, cid):
    """A token for the right partition but a key the list never returns: DynamoDB refuses such
    a start key (outside the key condition, empty, over 1,024 bytes) with a ValidationException
    that would reach the client as an InternalError. Moto accepts them: the check is ours."""
    board = services.create_board(store, owner, "b")
    with pytest.raises(ValidationError, match="nextToken"):
        services.boards_of(store, owner, limit=1, next_token=_token(f"U#{owner}", cid))
    with pytest.raises(ValidationError, match="nextToken"):
        services.versions_of(store, board.id, limit=1, next_token=_token(f"B#{board.id}", cid))
