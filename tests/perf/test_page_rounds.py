"""The board page in two rounds of DynamoDB requests (issue 16), as counts — never time.

Through the real read handler on moto: a full version of the longest notes costs two rounds and
fits a Lambda response; the page stays right (never missing, never mixed) when the eventually
consistent index lags behind a new board or a start races the page, and a version over the limit
(stored before it) still comes back whole, in a round more.
"""

import json
from typing import Any, NamedTuple

import pytest

from bench.common import appsync_event, fresh_context, moto_store, page_event, seed_board
from retro import services
from retro.errors import UnavailableError
from retro.ids import new_id
from retro.models import MAX_NOTE_TEXT, MAX_TITLE, Column, Note
from retro.services import boardpage
from retro.store import keys, record_requests
from retro.store.pagereads import MAX_NOTES_PER_VERSION, ONE_ANSWER
from retro.store.records import note_item
from retro.times import now

EMOJI = "\U0001f600"  # four bytes in UTF-8: the largest a character makes an item
LAMBDA_RESPONSE = 6 * 1024 * 1024
DYNAMODB_ANSWER = 1_000_000  # moto's 1 MB (DynamoDB's is 1,048,576: this is stricter)
EVERY_NOTE_FIELD = (
    "{ id boardId versionId column text votes createdAt updatedAt done who carriedFrom "
    "carriedCount groupId }"
)


def _page(seeded: Any, selection: str) -> tuple[dict[str, Any], Any]:
    from resolvers import read

    event = appsync_event(
        "Query.board", {"id": seeded.board_id}, user=seeded.user_id, selection=selection
    )
    with record_requests() as log:
        page = fresh_context(read.handler, event)
    return page, log


def _item_size(item: dict[str, Any]) -> int:
    """An item's size as DynamoDB counts it: names and values in UTF-8 (numbers: digits)."""
    size = 0
    for name, value in item.items():
        if value is None:
            continue
        size += len(name.encode()) + len(str(value).encode())
    return size


def test_one_answer_holds_the_largest_notes_the_limit_counts_on():
    """ONE_ANSWER notes of the largest item fit one Query's answer, so from both ends a full
    version (MAX_NOTES_PER_VERSION = 2 * ONE_ANSWER) is read in one round."""
    moment = now()
    note = Note(
        id=new_id(),
        board_id=new_id(),
        version_id=new_id(),
        column=Column.ACTION,
        text=EMOJI * MAX_NOTE_TEXT,
        votes=10_000,
        author_id=new_id(),
        created_at=moment,
        updated_at=moment,
        carried_from=new_id(),
    )
    item = note_item(note)
    # what later fields may add at their longest: who takes it on, its group and title
    item |= {"who": EMOJI * 80, "group_id": new_id(), "group_title": EMOJI * MAX_TITLE}
    item |= {"carried_count": 999, "done": True, "vote_moves": 99_999}
    item |= {"text_rev": 99_999, "votes_rev": 99_999}  # stamps of writes made while hidden
    assert ONE_ANSWER * _item_size(item) <= DYNAMODB_ANSWER
    assert MAX_NOTES_PER_VERSION == 2 * ONE_ANSWER


def test_a_full_version_of_the_longest_notes_costs_two_rounds_and_fits_a_lambda_response():
    with moto_store() as store:
        seeded = seed_board(store, MAX_NOTES_PER_VERSION, 2, MAX_NOTE_TEXT, EMOJI)
        selection = (
            "{ id title currentVersion { number notes " + EVERY_NOTE_FIELD + " } "
            "versions { items { number } } }"
        )
        page, log = _page(seeded, selection)
    notes = page["currentVersion"]["notes"]
    assert len(notes) == MAX_NOTES_PER_VERSION
    assert len({n["id"] for n in notes}) == MAX_NOTES_PER_VERSION
    assert [n["id"] for n in notes] == sorted(n["id"] for n in notes)  # oldest first
    assert all(len(n["text"]) == MAX_NOTE_TEXT for n in notes)
    assert log.sequential == 2
    # (index ∥ newest version ∥ versions) → (board ∥ notes from the oldest ∥ from the newest)
    assert sorted(log.operations) == ["GetItem"] + ["Query"] * 5
    # Python 3.12+ runtimes send UTF-8 as is; 3.11 escapes (12 bytes for a four-byte character)
    assert len(json.dumps(page, ensure_ascii=False).encode()) < LAMBDA_RESPONSE / 3
    assert len(json.dumps(page).encode()) < LAMBDA_RESPONSE


def test_no_such_board_is_one_round():
    with moto_store() as store:
        seeded = seed_board(store, 0, 1)
        missing = type(seeded)(new_id(), seeded.user_id, "", (), 0)
        page, log = _page(missing, "{ id currentVersion { notes { id } } }")
    assert page is None
    assert (log.sequential, sorted(log.operations)) == (1, ["Query", "Query"])


@pytest.fixture
def no_waiting(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(boardpage.time, "sleep", waits.append)
    return waits


def test_a_new_board_the_index_has_not_caught_up_with_is_found(monkeypatch, no_waiting):
    """`cid_si` is eventually consistent: a board created a moment ago may be missing from it.
    Its version (read consistently) says it exists, so the index is asked again."""
    with moto_store() as store:
        seeded = seed_board(store, 3, 1)
        real = store.table.find_keys
        misses = ["first", "second"]  # the index misses the board twice

        def lagging(cid: str) -> Any:
            found = real(cid)  # a request all the same, answered as a lagging index would
            return [] if misses and misses.pop() else found

        monkeypatch.setattr(store.table, "find_keys", lagging)
        page, log = _page(seeded, "{ id currentVersion { notes { id } } }")
    assert page["id"] == seeded.board_id
    assert len(page["currentVersion"]["notes"]) == 3
    assert no_waiting == [0.05, 0.1]
    assert log.sequential == 4  # two more rounds, only while the index lags


def test_a_board_the_index_never_shows_is_unavailable_never_missing(monkeypatch, no_waiting):
    with moto_store() as store:
        seeded = seed_board(store, 1, 1)
        real = store.table.find_keys
        monkeypatch.setattr(store.table, "find_keys", lambda cid: real(cid) and [])
        with pytest.raises(UnavailableError, match="a moment ago"):
            _page(seeded, "{ id }")
    assert no_waiting == list(boardpage.INDEX_WAITS)


def test_a_start_between_the_rounds_gives_the_new_versions_notes(monkeypatch):
    with moto_store() as store:
        seeded = seed_board(store, 5, 1)
        real = store.newest_version

        def then_a_start(board_id: str) -> Any:
            probe = real(board_id)  # round 1 finds version 1 live ...
            services.start_new_version(store, seeded.user_id, board_id, from_version=1)
            return probe  # ... and version 2 is live before round 2 reads the board

        monkeypatch.setattr(store, "newest_version", then_a_start)
        page, log = _page(seeded, "{ currentVersion { number notes { id column } } }")
    current = page["currentVersion"]
    assert current["number"] == 2
    # version 2 holds the copies of version 1's actions, not version 1's notes
    assert {n["column"] for n in current["notes"]} == {"ACTION"}
    # one round more, only when a start races the page: the live notes after the board's read
    board_read = max(depth for operation, depth in log.calls if operation == "GetItem")
    assert log.calls[-1] == ("Query", board_read + 1)


@pytest.mark.parametrize("stale", [0, 60], ids=["counts absent", "count behind"])
def test_notes_beyond_what_the_ends_read_are_read_too(stale):
    """A version over the limit (stored before it: no counts), or whose count is behind (notes
    added between the rounds): the notes between the two ends' answers are read after them."""
    notes = 2 * MAX_NOTES_PER_VERSION if stale == 0 else MAX_NOTES_PER_VERSION
    with moto_store() as store:
        seeded = seed_board(store, notes, 1, MAX_NOTE_TEXT, EMOJI, counted=stale > 0)
        if stale:
            key = keys.version(seeded.board_id, seeded.live_version_id)
            store.table.update(key, add={"t_good": -stale})
        with record_requests() as log:
            page = fresh_context(__import__("resolvers.read").read.handler, page_event(seeded))
    found = [n["id"] for n in page["currentVersion"]["notes"]]
    assert len(found) == len(set(found)) == notes
    assert found == sorted(found)
    assert log.sequential >= 3


def test_participation_beside_the_page_costs_two_rounds_too():
    from resolvers import read

    with moto_store() as store:
        seeded = seed_board(store, 12, 2)
        event = appsync_event(
            "Query.participation",
            {"boardId": seeded.board_id},
            user=seeded.user_id,
            selection="{ boardId versionId isOwner votesUsed votesLeft myNoteIds }",
        )
        with record_requests() as log:
            mine = fresh_context(read.handler, event)
    assert mine["isOwner"] is True
    assert mine["versionId"] == seeded.live_version_id
    assert len(mine["myNoteIds"]) == 12
    assert log.sequential == 2
    # (index ∥ newest version) → (board ∥ ballot ∥ my votes ∥ notes)
    assert sorted(log.operations) == ["GetItem", "GetItem", "Query", "Query", "Query", "Query"]


# -- a board that hides: the stage read beside the notes ------------------------------------------
HIDING_PAGE = "{ currentVersion { stage notes { id text votes } } }"


def _hiding_board(store: Any) -> tuple[Any, str, str, str]:
    """A board hiding texts and counts, whose meeting went WRITE → VOTE → DISCUSS with notes
    written and votes cast while each stage hid them (every note stamped: text_rev, votes_rev)."""
    owner = services.create_user(store, "Olga")[0].id
    member = services.create_user(store, "Max")[0].id
    board = services.create_board(
        store, owner, "Guided", hide_while_writing=True, secret_ballot=True
    )
    services.set_stage(store, owner, board.id, "WRITE")
    notes = [services.add_note(store, member, board.id, "GOOD", f"n{i}").id for i in range(3)]
    return board, owner, member, notes[0]


class _Seeded(NamedTuple):
    board_id: str
    user_id: str


@pytest.mark.parametrize("stage", ["WRITE", "VOTE", "DISCUSS"])
def test_a_page_of_a_board_that_hides_costs_two_rounds_in_every_stage(stage):
    """Notes written while hidden carry the meeting's revision; a page whose board read is not
    older than them shows what its stage shows, in the page's two rounds."""
    with moto_store() as store:
        board, owner, member, first = _hiding_board(store)
        if stage != "WRITE":
            services.set_stage(store, owner, board.id, "VOTE")
            services.vote(store, member, board.id, first)
        if stage == "DISCUSS":
            services.set_stage(store, owner, board.id, "DISCUSS")
        page, log = _page(_Seeded(board.id, member), HIDING_PAGE)
    current = page["currentVersion"]
    assert current["stage"] == stage
    texts = [n["text"] for n in current["notes"]]
    assert texts == ([None] * 3 if stage == "WRITE" else ["n0", "n1", "n2"])
    votes = [n["votes"] for n in current["notes"]]
    assert votes == ([None] * 3 if stage == "VOTE" else [1 if stage == "DISCUSS" else 0, 0, 0])
    assert log.sequential == 2


def test_a_stage_racing_the_page_costs_a_round_more_only_then(monkeypatch):
    """The board read beside the notes is older than a note written hidden (the stage moved to
    WRITE and a note was written between the board read and the notes read: here the board read
    answers what it would have found a moment before): the board is read again — one GetItem,
    one round more — and the page is the newer stage's, whole."""
    with moto_store() as store:
        board, owner, member, _ = _hiding_board(store)
        services.set_stage(store, owner, board.id, "DISCUSS")  # every text shown
        real_board = store.visible_board
        before = real_board(owner, board.id)
        services.set_stage(store, owner, board.id, "WRITE")
        services.add_note(store, member, board.id, "BAD", "hidden")
        reads: list[Any] = []

        def read_before_the_change(*args: Any) -> Any:
            found = real_board(*args)  # the request all the same
            reads.append(found)
            return before if len(reads) == 1 else found

        monkeypatch.setattr(store, "visible_board", read_before_the_change)
        page, log = _page(_Seeded(board.id, member), HIDING_PAGE)
    current = page["currentVersion"]
    assert current["stage"] == "WRITE"
    assert [n["text"] for n in current["notes"]] == [None] * 4
    assert len(reads) == 2
    assert log.sequential == 3
    assert log.calls[-1] == ("GetItem", 3)


def test_a_board_whose_mirror_predates_the_revision_shows_its_texts_in_a_round_more():
    """A board item written before `cv_meeting_rev` existed reads as revision 0 while its live
    version has moved on: a note written since is stamped with the version's revision, so the
    page reads the version item beside the board again and shows what its stage shows."""
    with moto_store() as store:
        owner = services.create_user(store, "Olga")[0].id
        board = services.create_board(store, owner, "Before the mirror")
        services.set_stage(store, owner, board.id, "WRITE")  # revision 1; texts shown here
        store.table.update(keys.board(owner, board.id), set_={"cv_meeting_rev": None})
        services.add_note(store, owner, board.id, "GOOD", "shown")  # stamped 1 (made again)
        page, log = _page(_Seeded(board.id, owner), HIDING_PAGE)
    assert [n["text"] for n in page["currentVersion"]["notes"]] == ["shown"]
    assert log.sequential == 3


# -- what the stamp costs a write -----------------------------------------------------------------
def test_a_write_the_stage_hides_costs_the_requests_of_one_it_shows(monkeypatch):
    """The revision pinned and stamped rides on the write's own transaction: a note added in a
    WRITE that hides texts costs what one added in FREE costs. A meeting change between the
    write's reads and its transaction (a timer started) sends it round again."""
    with moto_store() as store:
        board, owner, member, _ = _hiding_board(store)  # WRITE, texts hidden
        free = services.create_board(store, owner, "Free")
        with record_requests() as shown:
            services.add_note(store, member, free.id, "GOOD", "shown")
        with record_requests() as hidden:
            services.add_note(store, member, board.id, "GOOD", "hidden")
        real = store.add_note
        raced: list[Any] = []

        def timer_first(*args: Any) -> Any:
            if not raced:
                with record_requests() as owners:  # the owner's own requests, taken out below
                    services.start_timer(store, owner, board.id, 60)
                raced.append(owners)
            return real(*args)

        monkeypatch.setattr(store, "add_note", timer_first)
        with record_requests() as again:
            services.add_note(store, member, board.id, "GOOD", "made again")
    assert sorted(hidden.operations) == sorted(shown.operations)
    assert hidden.sequential == shown.sequential
    extra = sorted(again.operations)
    for operation in [*hidden.operations, *raced[0].operations]:
        extra.remove(operation)
    # the refused transaction's look at the version (is it full?), the version and the board
    # read again side by side, the transaction again: three rounds, only in that race
    assert sorted(extra) == ["GetItem", "GetItem", "GetItem", "TransactWriteItems"]
    assert again.sequential == hidden.sequential + 3
