"""A board's trend: per version, notes per column, votes, actions opened, done and carried, and
how old its oldest open action is — the team's follow-through across its retros.

Read, never recounted: every write that changes a count moves it in its own transaction
(`retro.store.tallies`), so the trend is the versions' items — one Query, at the same time as the
board is looked up. A live version that hides its counts (a secret ballot while voting) shows
no vote total either: watching it move while notes change would tell a note's count.
"""

from dataclasses import replace
from typing import NamedTuple

from retro.models import Board, BoardSettings, BoardVersion, Tally
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
    settings = _settings_as_new_as(store, counted.board, [v for v, _ in counted.versions])
    versions = [
        replace(tally, votes=None) if meeting_of(settings, version, at).votes_hidden else tally
        for version, tally in counted.versions
    ]
    return Trend(counted.board.id, sorted(versions, key=lambda t: t.number))


def _settings_as_new_as(store: Store, board: Board, versions: list[BoardVersion]) -> BoardSettings:
    """The board's settings, read no earlier than `versions`.

    The board and its versions are read side by side: a board read before the owner turned a
    secret ballot on, beside a live version read after a vote cast in it, would show that vote
    in the total. Turning hiding on moves the live version's meeting revision on, on the
    version and the board's mirror of it: a live version ahead of the mirror read (or another
    than the board names: a start came between) was read after the board, so the board is read
    again (consistently, so after the version) — only in that race (or on a board whose mirror
    predates the revision)."""
    live = board.current_version
    ahead = any(
        not v.is_frozen and (v.id != live.id or v.meeting_rev > live.meeting_rev) for v in versions
    )
    if not ahead:
        return board.settings
    again = store.visible_board(board.owner_id, board.id)
    # gone meanwhile: hide all a live version could hide rather than guess
    return (
        again.settings
        if again is not None
        else BoardSettings(hide_while_writing=True, secret_ballot=True)
    )


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
