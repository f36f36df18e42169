"""The meeting part of `Store`: a live version's stage and timer, changed whole.

A change writes the version item (conditioned on its meeting revision: nobody changed it since
it was read) and the board item's mirror of it (conditioned on the version still being the
board's live one) in one transaction, so the two never disagree and the board page can trust
the mirror.
"""

from dataclasses import dataclass

from retro.errors import ConflictError
from retro.models import Board, BoardVersion, Stage, Timer
from retro.store import keys
from retro.store.actions import Update
from retro.store.base import StoreBase, Written
from retro.store.changes import Idempotency
from retro.store.gates import BOARD_MIRROR, meeting_attributes, meeting_rev, meeting_unchanged
from retro.store.records import to_version

__all__ = ["Meeting", "MeetingStore"]


@dataclass(frozen=True)
class Meeting:
    """A version as read for a meeting change, with the revision the change is conditioned on."""

    version: BoardVersion
    revision: int


class MeetingStore(StoreBase):
    """Stages and timers of live versions."""

    def meeting(self, board_id: str, version_id: str) -> Meeting | None:
        """A version with its meeting's revision (a consistent read), or None if it is gone."""
        item = self.table.get(keys.version(board_id, version_id), consistent=True)
        return Meeting(to_version(item), meeting_rev(item)) if item else None

    def change_meeting(
        self,
        board: Board,
        seen: Meeting,
        stage: Stage,
        timer: Timer | None,
        once: Idempotency | None = None,
        *,
        owner: str | None = None,
    ) -> Written:
        """Set the version's stage and timer to these, if its meeting is still as `seen`.

        `owner`: the board's owner making the change (a change that follows from the meeting
        itself, a timer's end, has none). ConflictError if anything changed meanwhile: the
        meeting, the live version, the board (look again).
        """
        version = seen.version
        board_condition = (
            keys.is_owner_at(owner, version.id) if owner else keys.is_current(version.id)
        )
        return self.write_once(
            version.id,
            [
                Update(
                    keys.version(board.id, version.id),
                    set_={**meeting_attributes(stage, timer), "meeting_rev": seen.revision + 1},
                    condition=meeting_unchanged(seen.revision),
                ),
                Update(
                    keys.board(board.owner_id, board.id),
                    set_={
                        **meeting_attributes(stage, timer, BOARD_MIRROR),
                        # the revision too: a page compares it with its notes' stamps
                        f"{BOARD_MIRROR}meeting_rev": seen.revision + 1,
                    },
                    condition=board_condition,
                ),
            ],
            once,
            ConflictError(f"version {version.number} changed meanwhile; please retry"),
        )
