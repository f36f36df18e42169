"""The groups part of `Store`: notes of one column of a live version gathered under a title.

A group is an item `V#<version>/G#<group>` (column, title, `rev`); membership is on the notes
(`group_id`), with the group's title copied onto each (`group_title`), so a page that reads a
version's notes has its groups too, at no extra read. The copies stay equal to the group's
title because every write that sets them goes through the group item: adding notes and renaming
bump its `rev`, each conditioned on the title (adding) or the `rev` (renaming) it read, so a
rename and an add never interleave. Taking a note out only clears the note.

Every write checks the version in its own transaction (live, in the stages the service allows),
and none of them changes a count (`retro.store.tallies`): a group moves no note and no vote.
The conditions here are on a group's own attributes and its notes' membership.
"""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import NamedTuple

from retro.errors import ConflictError, RetroError
from retro.models import Column, Note, Stage
from retro.store import keys
from retro.store.actions import Action, Put, Update
from retro.store.base import StoreBase, Written
from retro.store.changes import Idempotency
from retro.store.codec import Condition, Item
from retro.store.failures import TransactionFailed
from retro.store.gates import VersionClosed
from retro.store.tallies import version_step
from retro.times import iso

__all__ = ["MAX_GROUP", "Group", "GroupsStore"]

# A rename updates every note of the group in one transaction, with the group, the version's
# check and the idempotency record: 100 actions at most.
MAX_GROUP = 90


class Group(NamedTuple):
    """A group as stored: who made it is not kept."""

    id: str
    board_id: str
    version_id: str
    column: Column
    title: str
    rev: int
    created_at: datetime


def group_item(group: Group) -> Item:
    pid, cid = keys.group(group.version_id, group.id)
    return {
        "pid": pid,
        "cid": cid,
        "id": group.id,
        "board_id": group.board_id,
        "version_id": group.version_id,
        "column": group.column.value,
        "title": group.title,
        "rev": group.rev,
        "created_at": iso(group.created_at),
    }


def to_group(item: Item) -> Group:
    return Group(
        id=str(item["id"]),
        board_id=str(item["board_id"]),
        version_id=str(item["version_id"]),
        column=Column(item["column"]),
        title=str(item["title"]),
        rev=int(item.get("rev", 0)),
        created_at=datetime.fromisoformat(str(item["created_at"])),
    )


def _joins(group: Group) -> Condition:
    """A note of the group's column, in no group, or in this one already."""
    return Condition(
        "attribute_exists(pid) AND #g_column = :g_column"
        " AND (attribute_not_exists(group_id) OR group_id = :g_id)",
        names={"#g_column": "column"},
        values={":g_column": group.column.value, ":g_id": group.id},
    )


def _member_of(group_id: str) -> Condition:
    return Condition("attribute_exists(pid) AND group_id = :g_id", values={":g_id": group_id})


def _at_rev(rev: int) -> Condition:
    return Condition(
        "attribute_exists(pid) AND #g_rev = :g_rev", names={"#g_rev": "rev"}, values={":g_rev": rev}
    )


class GroupsStore(StoreBase):
    """Groups: made, joined, renamed, left."""

    def get_group(self, version_id: str, group_id: str) -> Group | None:
        item = self.table.get(keys.group(version_id, group_id), consistent=True)
        return to_group(item) if item else None

    def version_of_group(self, group_id: str) -> str | None:
        """The version a group lives in, found by the group's id alone (`cid_si`)."""
        for key in self.table.find_keys(keys.GROUP + group_id):
            if (version_id := keys.version_of(key)) is not None:
                return version_id
        return None

    def make_group(
        self,
        group: Group,
        notes: Sequence[Note],
        once: Idempotency | None,
        stages: Collection[Stage],
        pinned_at: int | None = None,
    ) -> Written:
        """Make `group` of `notes` (each of its column and in no other group). Each group write
        is made in one of `stages` (and at meeting revision `pinned_at`, if given) only."""
        made = Put(group_item(group), keys.not_exists())
        return self._write(group, made, notes, once, stages, pinned_at)

    def join_group(
        self,
        group: Group,
        notes: Sequence[Note],
        once: Idempotency | None,
        stages: Collection[Stage],
        pinned_at: int | None = None,
    ) -> Written:
        """Add `notes` to `group` as read (its title unchanged since)."""
        bumped = Update(
            keys.group(group.version_id, group.id), add={"rev": 1}, condition=_at_rev(group.rev)
        )
        return self._write(group, bumped, notes, once, stages, pinned_at)

    def rename_group(
        self,
        group: Group,
        title: str,
        members: Sequence[Note],
        once: Idempotency | None,
        stages: Collection[Stage],
        pinned_at: int | None = None,
    ) -> Written:
        """Rename `group` as read (no note joined since) and each of its `members`."""
        key = keys.group(group.version_id, group.id)
        renamed = Update(key, set_={"title": title}, add={"rev": 1}, condition=_at_rev(group.rev))
        copies: list[Action] = [
            Update(
                keys.note(n.version_id, n.id),
                set_={"group_title": title},
                condition=_member_of(group.id),
            )
            for n in members
        ]
        return self._transact(group, [renamed, *copies], members, once, stages, pinned_at)

    def leave_group(
        self,
        note: Note,
        group_id: str,
        once: Idempotency | None,
        stages: Collection[Stage],
        pinned_at: int | None = None,
    ) -> Written:
        """Take `note` out of `group_id` (still its group, as read)."""
        out = Update(
            keys.note(note.version_id, note.id),
            set_={"group_id": None, "group_title": None},
            condition=_member_of(group_id),
        )
        step = version_step(note, stages, {}, pinned_at)

        def refused(failure: TransactionFailed) -> RetroError:
            if failure.failed(0):
                return ConflictError(f"note {note.id} changed meanwhile; please retry")
            return VersionClosed(note.version_id)

        return self.write_once(group_id, [out, step], once, refused)

    def _write(
        self,
        group: Group,
        head: Action,
        notes: Sequence[Note],
        once: Idempotency | None,
        stages: Collection[Stage],
        pinned_at: int | None,
    ) -> Written:
        joined: list[Action] = [
            Update(
                keys.note(n.version_id, n.id),
                set_={"group_id": group.id, "group_title": group.title},
                condition=_joins(group),
            )
            for n in notes
        ]
        return self._transact(group, [head, *joined], notes, once, stages, pinned_at)

    def _transact(
        self,
        group: Group,
        actions: list[Action],
        notes: Sequence[Note],
        once: Idempotency | None,
        stages: Collection[Stage],
        pinned_at: int | None,
    ) -> Written:
        anchor = notes[0]  # any note of the version: the check is on the version item

        def refused(failure: TransactionFailed) -> RetroError:
            if failure.failed(len(actions)):
                return VersionClosed(group.version_id)
            return ConflictError(
                f"group {group.id} or one of its notes changed meanwhile; please retry"
            )

        step = version_step(anchor, stages, {}, pinned_at)
        return self.write_once(group.id, [*actions, step], once, refused)
