"""The votes part of `Store`: dot votes within a budget per person and version.

A vote or unvote is one transaction of four — the voter's ballot, the voter's vote item on the
note, the note's count, and a check that the version is live — so the budget holds under any
concurrency and a note's count always equals the votes recorded for it.
"""

from collections.abc import Collection

from retro.errors import ConflictError, NotFoundError, RetroError
from retro.models import Note, Stage
from retro.store import keys
from retro.store.actions import Update
from retro.store.base import StoreBase, Written, frozen
from retro.store.changes import Idempotency
from retro.store.codec import Condition
from retro.store.failures import TransactionFailed
from retro.store.gates import VersionClosed
from retro.store.records import ballot_step, note_vote_step, to_vote, used_of, vote_step
from retro.store.tallies import version_step

__all__ = ["VotesStore"]


class VotesStore(StoreBase):
    """Votes: spent, taken back, and counted per voter."""

    def vote(
        self,
        note: Note,
        voter: str,
        budget: int,
        once: Idempotency | None = None,
        stages: Collection[Stage] | None = None,
        hidden_at: int | None = None,
    ) -> Written:
        """Spend one of `voter`'s votes on `note`, within `budget`, atomically (once per key);
        only in one of `stages`, if given (else VersionClosed). `hidden_at`: the meeting revision
        read, where a setting may hide counts; the write is made only at it and stamps the note
        with it (`votes_rev`)."""
        return self._count_vote(
            note,
            voter,
            +1,
            once,
            stages,
            hidden_at,
            ballot_guard=keys.budget_left(budget),
            refused=f"no votes left: all {budget} are spent on this version",
        )

    def unvote(
        self,
        note: Note,
        voter: str,
        once: Idempotency | None = None,
        stages: Collection[Stage] | None = None,
        hidden_at: int | None = None,
    ) -> Written:
        """Take back one of `voter`'s votes on `note` (once per key; in one of `stages`;
        `hidden_at` as `vote`)."""
        return self._count_vote(
            note,
            voter,
            -1,
            once,
            stages,
            hidden_at,
            ballot_guard=keys.vote_to_take_back(),
            refused=f"note {note.id}: you have no vote on it to take back",
        )

    def _count_vote(
        self,
        note: Note,
        voter: str,
        step: int,
        once: Idempotency | None,
        stages: Collection[Stage] | None,
        hidden_at: int | None,
        *,
        ballot_guard: Condition,
        refused: str,
    ) -> Written:
        """Move one vote between `voter`'s ballot and `note`, in one transaction of four.

        The ballot counts the votes spent on the version (guarded by the budget, or by having
        one to take back); the vote item counts them per note; the note's count moves with
        them; and the version must still be live (and in one of `stages`, if given).
        """
        adding = step > 0

        def refusal(failure: TransactionFailed) -> RetroError:
            if failure.failed(0) or failure.failed(1):
                return ConflictError(refused)
            if failure.failed(2):
                return NotFoundError("note", note.id)
            return frozen(note.version_id) if stages is None else VersionClosed(note.version_id)

        return self.write_once(
            note.id,
            [
                Update(
                    keys.ballot(note.version_id, voter),
                    add=ballot_step(step),
                    condition=ballot_guard,
                ),
                Update(
                    keys.vote(note.version_id, voter, note.id),
                    add=vote_step(step),
                    condition=None if adding else keys.has_vote(),
                ),
                Update(
                    keys.note(note.version_id, note.id),
                    set_={"votes_rev": hidden_at} if hidden_at is not None else {},
                    add=note_vote_step(step),
                    condition=keys.exists() if adding else keys.note_has_votes(),
                ),
                # the version's count with it
                version_step(note, stages, {"t_votes": step}, hidden_at),
            ],
            once,
            refusal,
        )

    def votes_spent(self, version_id: str, voter: str) -> tuple[int, dict[str, int]]:
        """How many votes `voter` spent on a version, and on which notes."""
        pid = keys.version_pid(version_id)
        ballot, items = self.parallel(
            lambda: self.table.get(keys.ballot(version_id, voter), consistent=True),
            lambda: self.table.children(pid, keys.votes_of(voter), consistent=True).items,
        )
        votes = [to_vote(item) for item in items]
        return used_of(ballot), {v.note_id: v.count for v in votes if v.count > 0}
