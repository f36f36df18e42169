"""Groups: notes of one column under a title, their vote sum, renamed, left, hidden, frozen."""

import pytest

from retro import services
from retro.errors import ConflictError, NotFoundError, ValidationError
from retro.services.pages import NotesSpec, VersionSpec


@pytest.fixture
def board(store, owner):
    return services.create_board(store, owner, "Team")


def _page_groups(store, board):
    """The groups a page of the live version shows (as the board page renders them)."""
    fresh = services.get_board(store, board.id)
    version = store.get_version(board.id, fresh.current_version.id)
    page = services.load_versions(store, [version], VersionSpec(NotesSpec()), fresh)[0]
    return services.groups_of(page.notes)


def test_notes_of_one_column_are_grouped_and_their_votes_summed(store, owner, member, board):
    a = services.add_note(store, member, board.id, "GOOD", "pairing")
    b = services.add_note(store, owner, board.id, "GOOD", "pair programming")
    c = services.add_note(store, owner, board.id, "GOOD", "lunch")
    services.vote(store, member, board.id, a.id)
    services.vote(store, owner, board.id, b.id)
    services.vote(store, owner, board.id, b.id)
    services.vote(store, member, board.id, c.id)

    group = services.group_notes(store, member, board.id, [a.id, b.id], title="Pairing")
    assert (group.title, group.votes, group.note_ids, group.column.value) == (
        "Pairing",
        3,
        [a.id, b.id],
        "GOOD",
    )
    (shown,) = _page_groups(store, board)
    assert shown == group
    notes = {n.id: n for n in services.notes_of(store, board.current_version.id)}
    assert notes[a.id].group_id == notes[b.id].group_id == group.id
    assert notes[c.id].group_id is None

    # another note joins; a rename reaches every note; groups sort by their sum
    d = services.add_note(store, owner, board.id, "GOOD", "mob")
    joined = services.group_notes(store, owner, board.id, [d.id], group_id=group.id)
    assert joined.note_ids == [a.id, b.id, d.id]
    other = services.group_notes(store, owner, board.id, [c.id], title="Food")
    renamed = services.rename_group(store, member, board.id, group.id, "Pairing & mobbing")
    assert renamed.title == "Pairing & mobbing"
    assert [(g.title, g.votes) for g in _page_groups(store, board)] == [
        ("Pairing & mobbing", 3),
        ("Food", 1),
    ]
    assert other.votes == 1


def test_taking_notes_out_and_moving_one_away_leave_the_group(store, owner, board):
    a = services.add_note(store, owner, board.id, "BAD", "slow CI")
    b = services.add_note(store, owner, board.id, "BAD", "flaky tests")
    c = services.add_note(store, owner, board.id, "BAD", "builds")
    group = services.group_notes(store, owner, board.id, [a.id, b.id, c.id], title="CI")
    left = services.ungroup_note(store, owner, board.id, a.id)
    assert left.note_ids == [b.id, c.id]
    moved = services.update_note(store, owner, board.id, b.id, column="ACTION")
    assert moved.group_id is None
    last = services.ungroup_note(store, owner, board.id, c.id)
    assert (last.id, last.note_ids) == (group.id, [])  # gone: no longer on the page
    assert _page_groups(store, board) == []
    with pytest.raises(ConflictError, match="in no group"):
        services.ungroup_note(store, owner, board.id, c.id)
    with pytest.raises(NotFoundError):
        services.rename_group(store, owner, board.id, group.id, "again")


def test_bad_group_input_names_the_field_and_writes_nothing(store, owner, member, board):
    good = services.add_note(store, owner, board.id, "GOOD", "g")
    bad = services.add_note(store, owner, board.id, "BAD", "b")
    for kwargs, field in (
        ({"note_ids": []}, "noteIds"),
        ({"note_ids": [good.id] * 0 + ["x"]}, "noteIds"),
        ({"note_ids": [good.id, bad.id], "title": "Mixed"}, "noteIds"),
        ({"note_ids": [good.id]}, "title"),
        ({"note_ids": [good.id], "title": " "}, "title"),
        ({"note_ids": [good.id], "title": "t" * 201}, "title"),
        ({"note_ids": [good.id], "group_id": "nope"}, "groupId"),
        ({"note_ids": [good.id], "title": "T", "client_request_id": "#"}, "clientRequestId"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.group_notes(store, member, board.id, **kwargs)
        assert refused.value.field == field, kwargs
    assert _page_groups(store, board) == []
    group = services.group_notes(store, member, board.id, [good.id], title="One")
    with pytest.raises(ValidationError) as refused:
        services.group_notes(store, member, board.id, [bad.id], group_id=group.id)
    assert refused.value.field == "noteIds"
    other = services.add_note(store, owner, board.id, "GOOD", "h")
    services.group_notes(store, member, board.id, [other.id], title="Two")
    with pytest.raises(ConflictError, match="another group"):
        services.group_notes(store, member, board.id, [other.id], group_id=group.id)


def test_a_retry_with_the_same_key_makes_one_group(store, owner, board):
    a = services.add_note(store, owner, board.id, "GOOD", "a")
    first = services.group_notes(store, owner, board.id, [a.id], title="G", client_request_id="k1")
    again = services.group_notes(store, owner, board.id, [a.id], title="G", client_request_id="k1")
    assert again.id == first.id
    assert len(_page_groups(store, board)) == 1


def test_grouping_is_refused_while_texts_are_hidden_and_titles_are_hidden_too(store, owner):
    board = services.create_board(store, owner, "Hidden", hide_while_writing=True)
    a = services.add_note(store, owner, board.id, "GOOD", "a")
    services.set_stage(store, owner, board.id, "WRITE")
    with pytest.raises(ConflictError, match="texts are hidden; the board is in WRITE"):
        services.group_notes(store, owner, board.id, [a.id], title="Secret")
    services.set_stage(store, owner, board.id, "VOTE")
    group = services.group_notes(store, owner, board.id, [a.id], title="Visible")
    assert group.title == "Visible"
    services.set_stage(store, owner, board.id, "WRITE")  # back to hidden writing
    (shown,) = _page_groups(store, board)
    assert (shown.id, shown.title) == (group.id, None)
    for attempt in (
        lambda: services.rename_group(store, owner, board.id, group.id, "New"),
        lambda: services.ungroup_note(store, owner, board.id, a.id),
    ):
        with pytest.raises(ConflictError, match="the board is in WRITE"):
            attempt()


def test_a_secret_ballot_hides_a_groups_sum(store, owner, member):
    board = services.create_board(store, owner, "Secret", secret_ballot=True)
    a = services.add_note(store, owner, board.id, "GOOD", "a")
    services.group_notes(store, owner, board.id, [a.id], title="G")
    services.set_stage(store, owner, board.id, "VOTE")
    services.vote(store, member, board.id, a.id)
    (shown,) = _page_groups(store, board)
    assert shown.votes is None
    services.set_stage(store, owner, board.id, "DISCUSS")
    (shown,) = _page_groups(store, board)
    assert shown.votes == 1


def test_groups_freeze_with_their_version_and_are_not_carried(store, owner, board):
    a = services.add_note(store, owner, board.id, "ACTION", "a")
    group = services.group_notes(store, owner, board.id, [a.id], title="Actions")
    second = services.start_new_version(store, owner, board.id, from_version=1)
    (copy,) = services.notes_of(store, second.id)
    assert copy.group_id is None
    old = {n.id: n for n in services.notes_of(store, board.current_version.id)}
    assert old[a.id].group_id == group.id
    with pytest.raises(ConflictError, match="frozen"):
        services.group_notes(store, owner, board.id, [a.id], title="Late")
