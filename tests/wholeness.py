"""Boards for crash tests, and what "whole" means for them, read straight from the table.

A start is whole-old (the live version as it was: its actions all there, nothing staged left)
or whole-new (the next version live with every action of the frozen one carried exactly once,
receipts and all, the carry done). A delete is whole-old (the board, its notes, votes and
ballots agreeing) or whole-new (nothing of the board left anywhere).
"""

from collections import Counter
from dataclasses import dataclass

from retro import services
from retro.ids import new_id
from retro.models import Board, Column, Note
from retro.store import Store, keys
from retro.store.marks import CARRY_DONE
from retro.store.records import note_item, to_note, to_version
from retro.store.tallies import counts as kept_counts
from retro.times import now

__all__ = [
    "Seeded",
    "seed_actions",
    "seed_votes",
    "whole_delete",
    "whole_start",
]


@dataclass(frozen=True)
class Seeded:
    board: Board
    owner: str
    token: str
    notes: frozenset[str]  # the seeded notes' ids
    votes: int = 0


def _notes(board: Board, author: str, column: Column, count: int, votes: list[int]) -> list[Note]:
    moment = now()
    return [
        Note(
            id=new_id(),
            board_id=board.id,
            version_id=board.current_version.id,
            column=column,
            text=f"{column.value.lower()} {i}",
            votes=votes[i] if i < len(votes) else 0,
            vote_moves=votes[i] if i < len(votes) else 0,
            author_id=author,
            created_at=moment,
            updated_at=moment,
        )
        for i in range(count)
    ]


def seed_actions(store: Store, actions: int = 120, others: int = 3) -> Seeded:
    """A board whose live version holds `actions` ACTION notes and a few GOOD ones, written
    straight to the table (as `bench.common.seed_board` does)."""
    owner, token = services.create_user(store, "Facilitator")
    board = services.create_board(store, owner.id, "Crash retro")
    notes = _notes(board, owner.id, Column.ACTION, actions, [])
    every = [*notes, *_notes(board, owner.id, Column.GOOD, others, [])]
    store.table.put_many([note_item(n) for n in every])
    _count(store, board, every)
    return Seeded(board, owner.id, token, frozenset(n.id for n in notes))


def seed_votes(store: Store, notes: int = 200, voters: int = 10, each: int = 10) -> Seeded:
    """A board with `notes` notes and `voters` times `each` votes spread over them, ballots and
    counts agreeing, written straight to the table."""
    owner, token = services.create_user(store, "Owner")
    board = services.create_board(store, owner.id, "Doomed retro", vote_budget=each)
    version = board.current_version.id
    voter_ids = [new_id() for _ in range(voters)]
    picks = [
        (voter, (v * each + k) % notes) for v, voter in enumerate(voter_ids) for k in range(each)
    ]
    counts = Counter(index for _, index in picks)
    seeded = _notes(board, owner.id, Column.GOOD, notes, [counts[i] for i in range(notes)])
    rows = [note_item(n) for n in seeded]
    for voter in voter_ids:
        pid, cid = keys.ballot(version, voter)
        rows.append({"pid": pid, "cid": cid, "used": each})
    for voter, index in picks:
        pid, cid = keys.vote(version, voter, seeded[index].id)
        rows.append({"pid": pid, "cid": cid, "count": 1})
    store.table.put_many(rows)
    _count(store, board, seeded)
    return Seeded(board, owner.id, token, frozenset(n.id for n in seeded), voters * each)


def _count(store: Store, board: Board, notes: list[Note]) -> None:
    """The version's counts as the writes that add `notes` would have kept them."""
    version = board.current_version.id
    store.table.update(keys.version(board.id, version), set_=kept_counts(notes))


def whole_start(store: Store, seeded: Seeded, old_id: str) -> str:
    """ "old" or "new" — or an AssertionError saying how the board is not whole."""
    board_id = seeded.board.id
    found = store.locate_board(board_id, consistent=True)
    assert found is not None and not found.deleting
    items = store.table.children(keys.board_pid(board_id), "", consistent=True).items
    assert not [i for i in items if str(i["cid"]).startswith(keys.STAGE)], "staging left"
    versions = {str(i["id"]): i for i in items}
    live = [v for v in versions.values() if v.get("frozen_at") is None]
    assert [str(v["id"]) for v in live] == [found.board.current_version.id]
    old_actions = store.notes(old_id, Column.ACTION, consistent=True)
    if found.board.current_version.id == old_id:
        assert {n.id for n in old_actions} == seeded.notes
        return "old"
    new = to_version(live[0])
    assert new.number == to_version(versions[old_id]).number + 1
    assert versions[new.id].get("carry") == CARRY_DONE
    carried = store.table.children(keys.version_pid(new.id), "", consistent=True).items
    copies = [to_note(i) for i in carried if str(i["cid"]).startswith(keys.NOTE)]
    sources = sorted(n.carried_from or "" for n in copies)
    assert sources == sorted(n.id for n in old_actions), "not every action carried exactly once"
    receipts = {keys.stem(str(i["cid"])) for i in carried if str(i["cid"]).startswith(keys.CARRY)}
    assert receipts == {n.id for n in old_actions}
    return "new"


def whole_delete(store: Store, seeded: Seeded) -> str:
    """ "old" (all there and agreeing) or "new" (nothing left) — else an AssertionError."""
    board = seeded.board
    version = board.current_version.id
    found = store.locate_board(board.id, consistent=True)
    under_board = store.table.children(keys.board_pid(board.id), "", consistent=True).items
    under_version = store.table.children(keys.version_pid(version), "", consistent=True).items
    if found is None:
        assert under_board == [] and under_version == [], "a deleted board left items behind"
        assert board.id not in {b.id for b in store.boards_of(seeded.owner, 100, None)[0]}
        return "new"
    assert not found.deleting, "a board half deleted"
    notes = [to_note(i) for i in under_version if str(i["cid"]).startswith(keys.NOTE)]
    votes = [i for i in under_version if str(i["cid"]).startswith(keys.VOTE)]
    ballots = [i for i in under_version if str(i["cid"]).startswith(keys.BALLOT)]
    assert {n.id for n in notes} == seeded.notes
    assert sum(n.votes for n in notes) == sum(int(v["count"]) for v in votes) == seeded.votes
    assert sum(int(b["used"]) for b in ballots) == seeded.votes
    return "old"
