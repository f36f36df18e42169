"""A version's meeting in the table: its stage and timer as attributes, and the conditions that
gate writes on them.

The version item holds `stage`, the timer (`timer_ends_at`, `timer_seconds`, `timer_advances`,
`timer_stopped`, `timer_moved_on`) and `meeting_rev`, a counter every meeting change bumps. The
board item mirrors the stage and timer of its live version as `cv_stage`, `cv_timer_*`, like the
rest of `cv_*`, so the board page reads nothing more; both change in one transaction. An item
without `stage` was stored before stages existed: it is FREE.

A write a stage may refuse (a note, a vote) checks the version in its own transaction with
`is_open_in`: live, in one of the stages that allow it, and without a timer that has ended with a
stage change still pending — so a stage change racing the write cannot let it in afterwards.
"""

from collections.abc import Collection
from datetime import datetime
from typing import Any

from retro.errors import ConflictError
from retro.models import Note, Stage, Timer
from retro.store import keys
from retro.store.actions import Check
from retro.store.codec import Condition, Item
from retro.times import iso, now

__all__ = [
    "BOARD_MIRROR",
    "VersionClosed",
    "at_revision",
    "is_open_in",
    "meeting_attributes",
    "meeting_fields",
    "meeting_rev",
    "meeting_unchanged",
    "mirror_unchanged",
    "version_check",
    "with_room_for_a_note",
]

BOARD_MIRROR = "cv_"  # the prefix of the live version's attributes on the board item

_NAMES = {
    "#stage": "stage",
    "#ends": "timer_ends_at",
    "#advances": "timer_advances",
    "#rev": "meeting_rev",
}


class VersionClosed(ConflictError):
    """A gated write's version check failed: the version froze, or its stage moved on.

    The services read the version again and say which, naming the stage; should this escape,
    it is still a ConflictError to the client.
    """

    def __init__(self, version_id: str) -> None:
        super().__init__(f"version {version_id} is frozen or its stage has changed; please retry")

    @property
    def error_type(self) -> str:
        return "ConflictError"


def version_check(note: Note, stages: Collection[Stage] | None) -> Check:
    """The transaction step that lets a write to `note` in only while its version is live and,
    if `stages` are given, in one of them."""
    key = keys.version(note.board_id, note.version_id)
    return Check(key, keys.is_live() if stages is None else is_open_in(stages, now()))


def meeting_attributes(stage: Stage, timer: Timer | None, prefix: str = "") -> Item:
    """The attributes of a stage and timer (None values: absent, or removed by an update)."""
    return {
        f"{prefix}stage": stage.value,
        f"{prefix}timer_ends_at": iso(timer.ends_at) if timer else None,
        f"{prefix}timer_seconds": timer.seconds if timer else None,
        f"{prefix}timer_advances": timer.advances if timer else None,
        f"{prefix}timer_stopped": timer.stopped if timer else None,
        f"{prefix}timer_moved_on": timer.moved_on if timer else None,
    }


def meeting_fields(item: Item, prefix: str = "") -> dict[str, Any]:
    """The `stage` and `timer` fields of a model from an item's attributes."""
    ends_at = item.get(f"{prefix}timer_ends_at")
    timer = None
    if ends_at is not None:
        timer = {
            "ends_at": ends_at,
            "seconds": item.get(f"{prefix}timer_seconds") or 1,
            "advances": bool(item.get(f"{prefix}timer_advances")),
            "stopped": bool(item.get(f"{prefix}timer_stopped")),
            "moved_on": bool(item.get(f"{prefix}timer_moved_on")),
        }
    return {"stage": item.get(f"{prefix}stage") or Stage.FREE.value, "timer": timer}


def meeting_rev(item: Item) -> int:
    """How many times a version's meeting has changed (0 for a version never changed)."""
    return int(item.get("meeting_rev") or 0)


def is_open_in(stages: Collection[Stage], at: datetime) -> Condition:
    """A live version in one of `stages`, with no stage change pending from a timer ended by
    `at`."""
    allowed = sorted(stages)
    values: dict[str, Any] = {f":stage{i}": stage.value for i, stage in enumerate(allowed)}
    in_stage = f"#stage IN ({', '.join(values)})"
    if Stage.FREE in stages:
        in_stage = f"(attribute_not_exists(#stage) OR {in_stage})"
    values |= {":yes": True, ":now": iso(at)}
    return Condition(
        "attribute_exists(pid) AND attribute_not_exists(frozen_at) AND "
        f"{in_stage} AND NOT (#advances = :yes AND #ends <= :now)",
        names={k: _NAMES[k] for k in ("#stage", "#advances", "#ends")},
        values=values,
    )


def meeting_unchanged(rev: int) -> Condition:
    """A live version whose meeting is still at revision `rev` (nobody changed it meanwhile)."""
    return Condition(
        "attribute_exists(pid) AND attribute_not_exists(frozen_at) AND "
        "(attribute_not_exists(#rev) OR #rev = :rev)"
        if rev == 0
        else "attribute_exists(pid) AND attribute_not_exists(frozen_at) AND #rev = :rev",
        names={"#rev": _NAMES["#rev"]},
        values={":rev": rev},
    )


def mirror_unchanged(version_id: str, rev: int) -> Condition:
    """An open board whose live version is still `version_id` and whose mirror of its meeting
    revision is still `rev` (0: absent, as on a board item written before `cv_meeting_rev`)."""
    at = "(attribute_not_exists(#mirror) OR #mirror = :mirror)" if rev == 0 else "#mirror = :mirror"
    return Condition(
        f"attribute_exists(pid) AND cv_id = :v AND attribute_not_exists(deleted_at) AND {at}",
        names={"#mirror": f"{BOARD_MIRROR}meeting_rev"},
        values={":v": version_id, ":mirror": rev},
    )


def at_revision(condition: Condition, rev: int) -> Condition:
    """`condition` on a version item, and its meeting still at revision `rev` — what a write
    made while the stage hides it is stamped with (`text_rev`, `votes_rev`), so the stamp is
    exact."""
    at = "(attribute_not_exists(#rev) OR #rev = :rev)" if rev == 0 else "#rev = :rev"
    return Condition(
        f"({condition.expression}) AND {at}",
        names={**condition.names, "#rev": _NAMES["#rev"]},
        values={**condition.values, ":rev": rev},
    )


def with_room_for_a_note(condition: Condition, limit: int) -> Condition:
    """`condition` on a version item, and fewer than `limit` notes counted on it (a version
    counted before `t_notes` existed has no count: it is let in)."""
    return Condition(
        f"({condition.expression}) AND (attribute_not_exists(#t_notes) OR #t_notes < :t_limit)",
        names={**condition.names, "#t_notes": "t_notes"},
        values={**condition.values, ":t_limit": limit},
    )
