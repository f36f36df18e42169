import pytest

from retro import services
from retro.errors import ConflictError, ForbiddenError
from retro.models import Column


@pytest.fixture
def board(store, owner):
    return services.create_board(store, owner, "Sprint")


def test_owner_starts_a_version_freezing_the_last_and_carrying_actions(store, owner, member, board):
    services.add_note(store, member, board.id, "GOOD", "stays")
    action = services.add_note(store, member, board.id, "ACTION", "fix CI")
    services.vote(store, member, board.id, action.id)
    second = services.start_new_version(store, owner, board.id, "Sprint 2")

    assert (second.number, second.title) == (2, "Sprint 2")
    first = services.version_by_number(store, board.id, 1)
    assert first.is_frozen
    carried = services.notes_of(store, second.id)
    assert [(n.column, n.text, n.votes, n.carried_from) for n in carried] == [
        (Column.ACTION, "fix CI", 0, action.id)
    ]
    assert services.get_board(store, board.id).current_version.id == second.id
    # the author of a carried action item may still edit it
    services.update_note(store, member, board.id, carried[0].id, text="fix CI today")


def test_carried_actions_keep_their_order_over_versions(store, owner, member, board):
    # GIVEN 40 actions written in this order (a start copies them all within a millisecond
    # or two, where ids alone would sort randomly)
    texts = [f"action {i:02}" for i in range(40)]
    for text in texts:
        services.add_note(store, member, board.id, "ACTION", text)
    # WHEN two versions are started, each carrying the last one's actions
    second = services.start_new_version(store, owner, board.id, "Sprint 2")
    third = services.start_new_version(store, owner, board.id, "Sprint 3", from_version=2)
    # THEN each version lists them in the order they were written
    for version in (second, third):
        assert [n.text for n in services.notes_of(store, version.id)] == texts


def test_only_the_owner_starts_a_version(store, member, board):
    with pytest.raises(ForbiddenError):
        services.start_new_version(store, member, board.id)


def test_a_frozen_version_refuses_every_write(store, owner, member, board):
    note = services.add_note(store, member, board.id, "BAD", "old")
    services.start_new_version(store, owner, board.id)
    for attempt in (
        lambda: services.update_note(store, member, board.id, note.id, text="new"),
        lambda: services.delete_note(store, member, board.id, note.id),
        lambda: services.vote(store, member, board.id, note.id),
        lambda: services.unvote(store, member, board.id, note.id),
    ):
        with pytest.raises(ConflictError, match="frozen"):
            attempt()
    assert (
        services.notes_of(store, services.version_by_number(store, board.id, 1).id)[0].text == "old"
    )


def test_a_write_racing_a_new_version_is_refused_not_lost(store, owner, member, board):
    stale = services.get_board(store, board.id)
    services.start_new_version(store, owner, board.id)
    # a note addressed to the version that was live a moment ago is refused by the store
    from retro.ids import new_id
    from retro.models import Note
    from retro.times import now

    late = Note(
        id=new_id(),
        board_id=board.id,
        version_id=stale.current_version.id,
        column=Column.GOOD,
        text="late",
        author_id=member,
        created_at=now(),
        updated_at=now(),
    )
    with pytest.raises(ConflictError, match="frozen"):
        store.add_note(late)


def test_start_version_retries_with_one_key_start_one_version(store, owner, board):
    first = services.start_new_version(store, owner, board.id, client_request_id="k")
    again = services.start_new_version(store, owner, board.id, client_request_id="k")
    assert first.id == again.id
    assert [v.number for v in services.versions_of(store, board.id)[0]] == [1, 2]


def test_version_by_number_is_none_when_missing(store, board):
    assert services.version_by_number(store, board.id, 7) is None


def test_an_action_added_just_before_the_freeze_is_still_carried_over(store, owner, member, board):
    services.add_note(store, member, board.id, "ACTION", "early")
    freeze = store.start_version

    def freeze_after_a_late_note(*args, **kwargs):
        # GIVEN the notes to carry were read, WHEN an action lands before the freeze...
        services.add_note(store, member, board.id, "ACTION", "late")
        return freeze(*args, **kwargs)

    store.start_version = freeze_after_a_late_note
    second = services.start_new_version(store, owner, board.id)
    # ...THEN it is carried too, once
    assert sorted(n.text for n in services.notes_of(store, second.id)) == ["early", "late"]
