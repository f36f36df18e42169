"""A board's trend: per version, notes per column, votes, actions opened, done and carried, and
how old its oldest open action is — the team's follow-through across its retros.

Read, never recounted: every write that changes a count moves it in its own transaction
(`retro.store.tallies`), so the trend is the versions' items — one Query, at the same time as the
board is looked up. A live version that hides its counts (a secret ballot while voting) shows
no vote total either: watching it move while notes change would tell a note's count.
"""

from dataclasses import replace
from typing import NamedTuple

from retro.models import Tally
from retro.services import checks
from retro.services.stages import meeting_of
from retro.store import Store
from retro.store.tallies import OPEN_PREFIX, as_counts, counts
from retro.times import now

__all__ = ["Trend", "recount_frozen", "trend"]


class Trend(NamedTuple):
    board_id: str
    versions: list[Tally]  # oldest first


def trend(store: Store, board_id: str) -> Trend | None:
    """The board's counts over all its versions; None if there is no such board."""
    checks.ident(board_id, "boardId")
    counted = store.counted(board_id)
    if counted is None:
        return None
    at = now()
    settings = counted.board.settings
    versions = [
        replace(tally, votes=None) if meeting_of(settings, version, at).votes_hidden else tally
        for version, tally in counted.versions
    ]
    return Trend(counted.board.id, sorted(versions, key=lambda t: t.number))


def recount_frozen(store: Store, board_id: str) -> list[int]:
    """Correct the counts of a board's frozen versions from their notes; the numbers of the
    versions corrected. For versions stored before counts existed (they read zero) — an
    operator's repair, never part of an answer: the trend itself never recounts. Frozen
    versions only, because nothing changes their notes while they are read."""
    checks.ident(board_id, "boardId")
    counted = store.counted(board_id)
    if counted is None:
        return []
    corrected = []
    for version, tally in counted.versions:
        if not version.is_frozen:
            continue
        recounted = counts(store.notes(version.id, consistent=True))
        kept = as_counts(tally)
        if recounted != kept:
            stale = [name for name in kept if name.startswith(OPEN_PREFIX)]
            if store.set_counts(board_id, version.id, recounted, stale):
                corrected.append(version.number)
    return corrected
