"""A version's counts — notes per column, votes, actions carried, done and open by age — kept on
its item by the very transactions that change them, so a trend reads them and never recounts.

Every count is a sum over the version's notes of what one note contributes (`tally`): a write
that changes notes moves the counts by the difference between what the notes contributed before
and after (`delta`). A note write already checks its version item in its own transaction (live,
in a stage that lets it in); `version_step` makes that check an Update of the same item with the
same condition, so the counts cost no extra item and no extra request, and cannot drift: the
write and its counts commit together or not at all.

The difference is computed from the note as read, so the note's write is conditioned on the
note's counted state being still that (`note_state_is`): a concurrent move or tick is refused
rather than counted twice.

Stored on the version item as `t_good`, `t_bad`, `t_action`, `t_notes` (the three together),
`t_votes`, `t_carried`, `t_done` and `t_open_<age>` (open ACTION notes by how many retros they
have been carried through).
"""

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import Any

from retro.models import Column, Note, Stage, Tally
from retro.store import keys
from retro.store.actions import Check, Update
from retro.store.changes import NoteChanges
from retro.store.codec import Condition, Item
from retro.store.gates import at_revision, is_open_in
from retro.store.reading import moment, optional_moment, optional_text
from retro.times import now

__all__ = [
    "COUNTS",
    "OPEN_PREFIX",
    "as_counts",
    "changed",
    "counts",
    "delta",
    "note_state_is",
    "tally",
    "to_tally",
    "version_step",
]

OPEN_PREFIX = "t_open_"
# Every count but the open actions by age (`t_open_<age>`, one attribute per age there is).
COUNTS = ("t_good", "t_bad", "t_action", "t_notes", "t_votes", "t_carried", "t_done")


def tally(note: Note) -> Counter[str]:
    """What one note contributes to its version's counts."""
    # t_notes: all its columns' notes in one attribute, which a condition can compare (the
    # add-note transaction keeps a version within MAX_NOTES_PER_VERSION: retro.store.notes)
    contributes: Counter[str] = Counter({f"t_{note.column.value.lower()}": 1, "t_notes": 1})
    contributes["t_votes"] = note.votes
    if note.column is Column.ACTION:
        if note.carried_count > 0:
            contributes["t_carried"] = 1
        if note.done:
            contributes["t_done"] = 1
        else:
            contributes[f"{OPEN_PREFIX}{note.carried_count}"] = 1
    return contributes


def counts(notes: Iterable[Note]) -> dict[str, int]:
    """The counts of a version holding `notes` (a new version's, with its carried copies)."""
    total: Counter[str] = Counter()
    for note in notes:
        total.update(tally(note))
    return {name: amount for name, amount in total.items() if amount}


def delta(before: Note | None, after: Note | None) -> dict[str, int]:
    """How a version's counts move when `before` becomes `after` (None: no note)."""
    moved: Counter[str] = Counter()
    if after is not None:
        moved.update(tally(after))
    if before is not None:
        moved.subtract(tally(before))
    return {name: amount for name, amount in moved.items() if amount}


def version_step(
    note: Note,
    stages: Collection[Stage] | None,
    moves: dict[str, int],
    hidden_at: int | None = None,
) -> Update | Check:
    """The transaction step on `note`'s version: let the write in only while the version is
    live (and in one of `stages`, if given; and at meeting revision `hidden_at`, if given: the
    write answers what a setting may hide), and move its counts by `moves` at once."""
    key = keys.version(note.board_id, note.version_id)
    condition = keys.is_live() if stages is None else is_open_in(stages, now())
    if hidden_at is not None:
        condition = at_revision(condition, hidden_at)
    if not moves:
        return Check(key, condition)
    return Update(key, add=moves, condition=condition)


def note_state_is(note: Note, also: Condition | None = None) -> Condition:
    """A note still in the column and done state `note` shows (what its counts were made of),
    and `also`."""
    done = "#t_done = :t_yes" if note.done else "(attribute_not_exists(#t_done) OR #t_done = :t_no)"
    expression = f"attribute_exists(pid) AND #t_column = :t_column AND {done}"
    names = {"#t_column": "column", "#t_done": "done"}
    values: dict[str, Any] = {":t_column": note.column.value}
    values |= {":t_yes": True} if note.done else {":t_no": False}
    if also is not None:
        expression = f"{expression} AND ({also.expression})"
        names |= dict(also.names)
        values |= dict(also.values)
    return Condition(expression, names=names, values=values)


def as_counts(tally: Tally) -> dict[str, int]:
    """A tally as the attributes `counts` gives (zeros left out), to compare with a recount."""
    found = {
        "t_good": tally.good,
        "t_bad": tally.bad,
        "t_action": tally.action,
        "t_notes": tally.good + tally.bad + tally.action,
        "t_votes": tally.votes or 0,
        "t_carried": tally.carried,
        "t_done": tally.done,
    } | {f"{OPEN_PREFIX}{age}": count for age, count in tally.open_by_age.items()}
    return {name: amount for name, amount in found.items() if amount}


def to_tally(item: Item, votes_hidden: bool = False) -> Tally:
    """A version item's counts (a version stored before counts existed reads zero)."""
    by_age = {
        int(name[len(OPEN_PREFIX) :]): int(value)
        for name, value in item.items()
        if name.startswith(OPEN_PREFIX) and int(value) > 0
    }
    return Tally(
        version_id=str(item["id"]),
        number=int(item["number"]),
        title=optional_text(item, "title"),
        created_at=moment(item, "created_at"),
        frozen_at=optional_moment(item, "frozen_at"),
        good=int(item.get("t_good", 0)),
        bad=int(item.get("t_bad", 0)),
        action=int(item.get("t_action", 0)),
        votes=None if votes_hidden else int(item.get("t_votes", 0)),
        carried=int(item.get("t_carried", 0)),
        done=int(item.get("t_done", 0)),
        open_by_age=by_age,
    )


def changed(note: Note, changes: NoteChanges) -> Note:
    """`note` as `changes` leave it (what its counts become)."""
    update: dict[str, Any] = {}
    if changes.column is not None:
        update["column"] = changes.column
    if changes.done is not None:
        update["done"] = changes.done
    return replace(note, **update)
