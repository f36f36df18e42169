from concurrent.futures import ThreadPoolExecutor

import pytest

from retro import services
from retro.errors import ConflictError, ForbiddenError, NotFoundError, RetroError


@pytest.fixture
def board(store, owner):
    return services.create_board(store, owner, "Retro", vote_budget=5)


def test_anyone_with_the_link_adds_notes_in_creation_order(store, owner, member, board):
    texts = [f"note {i}" for i in range(5)]
    for text in texts:
        services.add_note(store, member, board.id, "GOOD", text)
    assert [n.text for n in services.notes_of(store, board.current_version.id)] == texts
    assert services.notes_of(store, board.current_version.id, "BAD") == []


def test_only_the_author_edits_or_deletes(store, owner, member, board):
    """(The board's owner may delete any note too — moderation, tests/core/test_stages.py.)"""
    note = services.add_note(store, member, board.id, "GOOD", "mine")
    stranger = services.create_user(store, "Stranger")[0].id
    with pytest.raises(ForbiddenError):
        services.update_note(store, owner, board.id, note.id, text="theirs")
    with pytest.raises(ForbiddenError):
        services.delete_note(store, stranger, board.id, note.id)
    edited = services.update_note(
        store, member, board.id, note.id, text="still mine", column="ACTION"
    )
    assert (edited.text, edited.column.value) == ("still mine", "ACTION")
    services.delete_note(store, member, board.id, note.id)
    assert services.notes_of(store, board.current_version.id) == []


def test_a_note_id_used_with_another_boards_id_is_refused(store, owner, member, board):
    other = services.create_board(store, member, "Other")
    note = services.add_note(store, member, other.id, "GOOD", "private")
    for attempt in (
        lambda: services.update_note(store, member, board.id, note.id, text="hijack"),
        lambda: services.delete_note(store, member, board.id, note.id),
        lambda: services.vote(store, member, board.id, note.id),
    ):
        with pytest.raises(NotFoundError):
            attempt()
    assert services.notes_of(store, other.current_version.id)[0].text == "private"
    assert services.notes_of(store, other.current_version.id)[0].votes == 0


def test_dot_votes_stack_up_to_the_budget_and_unvote_gives_back(store, member, board):
    note = services.add_note(store, member, board.id, "GOOD", "stack")
    for _ in range(5):
        services.vote(store, member, board.id, note.id)
    with pytest.raises(ConflictError, match="no votes left"):
        services.vote(store, member, board.id, note.id)
    assert services.unvote(store, member, board.id, note.id).votes == 4
    mine = services.participation(store, member, board.id)
    assert (mine.votes_used, mine.votes_left, mine.my_votes) == (4, 1, {note.id: 4})


def test_unvote_without_a_vote_is_refused(store, owner, member, board):
    note = services.add_note(store, member, board.id, "GOOD", "x")
    services.vote(store, member, board.id, note.id)
    with pytest.raises(ConflictError, match="no vote"):
        services.unvote(store, owner, board.id, note.id)
    assert services.notes_of(store, board.current_version.id)[0].votes == 1


def test_20_threads_voting_at_the_budget_boundary_never_exceed_it(store, member, board):
    notes = [services.add_note(store, member, board.id, "GOOD", f"n{i}") for i in range(2)]

    def attempt(i: int) -> bool:
        try:
            services.vote(store, member, board.id, notes[i % 2].id)
        except RetroError:
            return False
        return True

    with ThreadPoolExecutor(20) as pool:
        accepted = sum(pool.map(attempt, range(20)))
    counted = sum(n.votes for n in services.notes_of(store, board.current_version.id))
    mine = services.participation(store, member, board.id)
    assert accepted == 5
    assert counted == accepted == mine.votes_used == sum(mine.my_votes.values())


def test_deleting_a_note_gives_its_votes_back(store, owner, member, board):
    note = services.add_note(store, member, board.id, "GOOD", "popular")
    services.vote(store, owner, board.id, note.id)
    services.vote(store, owner, board.id, note.id)
    services.delete_note(store, member, board.id, note.id)
    assert services.participation(store, owner, board.id).votes_left == 5


def test_participation_says_what_is_mine_and_nothing_about_others(store, owner, member, board):
    mine = services.add_note(store, member, board.id, "GOOD", "mine")
    services.add_note(store, owner, board.id, "GOOD", "theirs")
    view = services.participation(store, member, board.id)
    assert view.my_note_ids == [mine.id]
    assert not view.is_owner
    assert services.participation(store, owner, board.id).is_owner


def test_add_note_retries_with_one_key_add_once(store, member, board):
    def add(_: int) -> str:
        return services.add_note(store, member, board.id, "ACTION", "once", "key-7").id

    with ThreadPoolExecutor(10) as pool:
        ids = set(pool.map(add, range(10)))
    assert len(ids) == 1
    assert len(services.notes_of(store, board.current_version.id)) == 1


def test_deleting_a_note_while_an_unvote_and_a_vote_cancel_out_refunds_no_one_wrongly(
    store, owner, member, board
):
    """An unvote and another person's vote between reading the votes and deleting leave the
    note's count as it was: the delete must still notice, or it refunds the vote taken back
    (more votes than the budget) and keeps the one just spent (a vote lost on a deleted note)."""
    note = services.add_note(store, owner, board.id, "GOOD", "contested")
    services.vote(store, member, board.id, note.id)
    third = services.create_user(store, "Third")[0].id
    read_votes = store.table.children

    def children_then_race(*args, **kwargs):
        page = read_votes(*args, **kwargs)
        if args[1].startswith("VOTE#"):
            store.table.children = read_votes  # once
            services.unvote(store, member, board.id, note.id)
            services.vote(store, third, board.id, note.id)
        return page

    store.table.children = children_then_race
    with pytest.raises(ConflictError, match="please retry"):
        services.delete_note(store, owner, board.id, note.id)
    store.table.children = read_votes
    assert services.notes_of(store, board.current_version.id)[0].votes == 1
    services.delete_note(store, owner, board.id, note.id)  # the retry refunds the right voter
    for person in (member, third):
        mine = services.participation(store, person, board.id)
        assert (mine.votes_used, mine.votes_left, mine.my_votes) == (0, 5, {})
