"""The board item's mirror of its live version's meeting revision (`cv_meeting_rev`) against the
version's own (`meeting_rev`).

Every write that moves one moves the other in the same transaction (a meeting change, a setting
that begins to hide), and a start writes the new version's with it. They disagree only on a
board item written before `cv_meeting_rev` existed whose live version's meeting changed then:
absent, the mirror reads 0 (and a setting turned on since added 1 to that). Such a board pays
its page a third round each time a note's stamp is newer than the mirror, and its other pages
show the notes written since hidden (docs/ARCHITECTURE.md) — until its next meeting change, or
this repair.

The board is read before its versions, so a meeting change between the two reads looks like a
mirror that lags. Both only grow, together: a board read again after the version whose mirror
still lags what the version read lags for real (a mirror ahead of a version read after it is
real at once). The repair copies the version's revision onto the board in one transaction,
conditioned on the version's meeting still at it and the board's mirror still as read, still
naming it live: a meeting change made meanwhile wins (the repair fails, the next run looks
again), and a repair never writes over a newer value.
"""

import functools

from retro.models import Board
from retro.store import Store, keys
from retro.store.actions import Check, Update
from retro.store.codec import Item
from retro.store.failures import StoreFailure
from retro.store.gates import BOARD_MIRROR, meeting_rev, meeting_unchanged, mirror_unchanged
from retro.store.reading import whole
from retro_tools.doctor.findings import Finding

__all__ = ["check_mirror"]

_MIRROR = f"{BOARD_MIRROR}meeting_rev"


def check_mirror(store: Store, where: str, board: Board, live: Item) -> list[Finding]:
    """`board` as read before `live`, its live version's item."""
    revision = meeting_rev(live)
    mirrored = board.current_version.meeting_rev
    if mirrored < revision:
        again = store.table.get(keys.board(board.owner_id, board.id), consistent=True)
        if again is None or again.get("cv_id") != board.current_version.id:
            return []  # deleted or a version started meanwhile: the next run looks at it
        mirrored = whole(again, _MIRROR, 0)
        if mirrored >= revision:
            return []  # a meeting change came between the two reads
    elif mirrored == revision:
        return []
    shown = "absent (the board predates it)" if mirrored == 0 else f"{mirrored}"
    return [
        Finding(
            where,
            f"the board's mirror of its live version's meeting revision is {shown}, "
            f"the version's is {revision}",
            functools.partial(_copy, store, board, mirrored, revision),
        )
    ]


def _copy(store: Store, board: Board, mirrored: int, revision: int) -> str:
    live = board.current_version.id
    try:
        store.table.transact(
            [
                Check(keys.version(board.id, live), meeting_unchanged(revision)),
                Update(
                    keys.board(board.owner_id, board.id),
                    # 0 is stored absent, as a board's first version writes it
                    set_={_MIRROR: revision or None},
                    condition=mirror_unchanged(live, mirrored),
                ),
            ]
        )
    except StoreFailure:
        return "not repaired: it changed meanwhile (run again)"
    return f"set to {revision}"
