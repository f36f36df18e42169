"""A board's trend: per version, notes per column, votes, actions opened, done and carried, and
how old its oldest open action is — the team's follow-through across its retros.

Read, never recounted: every write that changes a count moves it in its own transaction
(`retro.store.tallies`), so the trend is the versions' items — one Query, at the same time as the
board is looked up. A live version that hides its counts (a secret ballot while voting) shows
no vote total either: watching it move while notes change would tell a note's count.
"""

from dataclasses import dataclass

from retro.models import Tally
from retro.services import checks
from retro.services.stages import meeting_of
from retro.store import Store
from retro.times import now

__all__ = ["Trend", "trend"]


@dataclass(frozen=True)
class Trend:
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
        tally.model_copy(update={"votes": None})
        if meeting_of(settings, version, at).votes_hidden
        else tally
        for version, tally in counted.versions
    ]
    return Trend(counted.board.id, sorted(versions, key=lambda t: t.number))
