"""The notes part of `Store`: a version's notes, and writes to notes of a live version only."""

from collections.abc import Collection
from dataclasses import replace

from retro.errors import ConflictError, NotFoundError, RetroError, UnavailableError
from retro.models import Column, Note, Stage
from retro.store import keys
from retro.store.actions import Action, Delete, Put, Update
from retro.store.base import StoreBase, Written, frozen
from retro.store.changes import Idempotency, NoteChanges
from retro.store.failures import TransactionFailed
from retro.store.gates import VersionClosed, with_room_for_a_note
from retro.store.pagereads import MAX_NOTES_PER_VERSION
from retro.store.records import Vote, ballot_step, note_changes, note_item, to_note, to_vote
from retro.store.tallies import changed, delta, note_state_is, version_step

__all__ = ["NotesStore"]

# Voters whose votes a note's delete gives back in its own transaction (two actions each, within
# a transaction's 100 with the delete, the live check and the idempotency record); more are
# given back right after it, resumably (`refund_votes`).
REFUNDS_IN_DELETE = 45
REFUND_ATTEMPTS = 5


class NotesStore(StoreBase):
    """Notes: read, added, changed, deleted (giving their votes back)."""

    def notes(
        self, version_id: str, column: Column | None = None, *, consistent: bool = False
    ) -> list[Note]:
        pid = keys.version_pid(version_id)
        items = self.table.children(pid, keys.NOTE, consistent=consistent).items
        notes = [to_note(i) for i in items]
        return [n for n in notes if column is None or n.column == column]

    def get_note(self, version_id: str, note_id: str, *, consistent: bool = False) -> Note | None:
        item = self.table.get(keys.note(version_id, note_id), consistent=consistent)
        return to_note(item) if item else None

    def version_of_note(self, note_id: str) -> str | None:
        """The version a note lives in, found by the note's id alone (`cid_si`)."""
        for key in self.table.find_keys(keys.note_cid(note_id)):
            if (version_id := keys.version_of(key)) is not None:
                return version_id
        return None

    def add_note(
        self,
        note: Note,
        once: Idempotency | None = None,
        stages: Collection[Stage] | None = None,
        hidden_at: int | None = None,
    ) -> Written:
        """Add a note to a live version (in one of `stages`, if given: else VersionClosed)
        that holds fewer than MAX_NOTES_PER_VERSION notes (else ConflictError naming the
        limit); on a replay, the earlier note's id.

        `hidden_at`: the version's meeting revision as read, where a setting may hide what
        the write answers; the write is made only at that revision and the note is stamped
        with it (`text_rev`).
        """
        if hidden_at is not None:
            note = replace(note, text_rev=hidden_at)
        step = version_step(note, stages, delta(None, note), hidden_at)
        assert step.condition is not None  # version_step always conditions it
        room = with_room_for_a_note(step.condition, MAX_NOTES_PER_VERSION)
        closed = frozen(note.version_id) if stages is None else VersionClosed(note.version_id)

        def refused(_: TransactionFailed) -> RetroError:
            version = self.table.get(keys.version(note.board_id, note.version_id), consistent=True)
            if version is not None and int(version.get("t_notes", 0)) >= MAX_NOTES_PER_VERSION:
                return ConflictError(
                    f"version {note.version_id} holds {MAX_NOTES_PER_VERSION} notes, the most "
                    f"a version may hold (MAX_NOTES_PER_VERSION = {MAX_NOTES_PER_VERSION}, so "
                    "that its page stays one response in two rounds): start a new version"
                )
            return closed

        return self.write_once(
            note.id,
            [Put(note_item(note), keys.not_exists()), step._replace(condition=room)],
            once,
            refused,
        )

    def update_note(
        self,
        note: Note,
        changes: NoteChanges,
        caller: str | None,
        once: Idempotency | None = None,
        stages: Collection[Stage] | None = None,
        hidden_at: int | None = None,
    ) -> Note:
        """Change a note of a live version (in one of `stages`, if given), if `caller` wrote it
        (None: whoever asks — ticking an action off); the note as it is afterwards. `hidden_at` as
        `add_note`.

        `note` is the note as read: the change is made only while it is still in that column
        and done state, so its version's counts move by exactly what the change makes of it.
        """

        def refused(failure: TransactionFailed) -> RetroError:
            if failure.failed(0):
                if self.get_note(note.version_id, note.id, consistent=True) is None:
                    return NotFoundError("note", note.id)
                return ConflictError(f"note {note.id} changed meanwhile; please retry")
            return frozen(note.version_id) if stages is None else VersionClosed(note.version_id)

        stamp = {"text_rev": hidden_at} if hidden_at is not None else {}
        update = Update(
            keys.note(note.version_id, note.id),
            set_={**note_changes(changes), **stamp},
            condition=note_state_is(note, keys.is_author(caller) if caller else None),
        )
        step = version_step(note, stages, delta(note, changed(note, changes)), hidden_at)
        self.write_once(note.id, [update, step], once, refused)
        updated = self.get_note(note.version_id, note.id, consistent=True)
        if updated is None:
            raise NotFoundError("note", note.id)
        return updated

    def delete_note(
        self,
        note: Note,
        caller: str,
        once: Idempotency | None = None,
        stages: Collection[Stage] | None = None,
        pinned_at: int | None = None,
    ) -> Note:
        """Delete a note of a live version (in one of `stages`, if given; at meeting revision
        `pinned_at`, if given), if `caller` wrote it, and give its votes back.

        Returns the note as it was deleted (on a replay, as the earlier delete recorded it).
        `note` must have been read (consistently) before this reads the votes on it: the delete
        is conditioned on the note's vote count and vote moves being what `note` shows, so a
        vote or unvote landing after that read cancels the delete (ConflictError) instead of
        refunding votes that were taken back or keeping ones that were spent on it.
        """
        votes = self._votes_on(note.version_id, note.id)
        refunds: list[Action] = []
        for vote in votes[:REFUNDS_IN_DELETE]:
            refunds.append(Delete(keys.vote(note.version_id, vote.voter, vote.note_id)))
            refunds.append(
                Update(keys.ballot(note.version_id, vote.voter), add=ballot_step(-vote.count))
            )

        def refused(failure: TransactionFailed) -> RetroError:
            if failure.failed(0):
                return ConflictError(f"note {note.id} changed while deleting it; please retry")
            return frozen(note.version_id) if stages is None else VersionClosed(note.version_id)

        condition = keys.is_untouched_own_note(caller, note.votes, note.vote_moves)
        delete = Delete(keys.note(note.version_id, note.id), note_state_is(note, condition))
        written = self.write_once(
            note.id,
            [delete, version_step(note, stages, delta(note, None), pinned_at), *refunds],
            once,
            refused,
            snapshot=note_item(note),
        )
        if written.replayed:
            return self.replayed_delete(written)
        if len(votes) > REFUNDS_IN_DELETE:
            self.refund_votes(note)
        return note

    def replayed_delete(self, earlier: Written) -> Note:
        """The note an earlier delete under the same key recorded, as it was deleted.

        Its votes are given back to the end first: that attempt may have stopped before.
        """
        if earlier.snapshot is None:
            raise NotFoundError("note", earlier.result_id)
        note = to_note(earlier.snapshot)
        self.refund_votes(note)
        return note

    def refund_votes(self, note: Note) -> None:
        """Give back the votes still recorded on a deleted note, each voter's exactly once.

        Resumable: each refund deletes a vote item on the condition that it still holds the
        count being refunded, so an attempt that stopped halfway (a crash, a lost answer) is
        finished by the next, and two attempts at once never refund a vote twice. Nothing can
        vote on a deleted note, so what is left only shrinks.
        """
        for _ in range(REFUND_ATTEMPTS):
            left = self._votes_on(note.version_id, note.id, consistent=True)
            if not left:
                return
            try:
                for i in range(0, len(left), REFUNDS_IN_DELETE):
                    self.table.transact(
                        [
                            action
                            for vote in left[i : i + REFUNDS_IN_DELETE]
                            for action in (
                                Delete(
                                    keys.vote(note.version_id, vote.voter, vote.note_id),
                                    keys.vote_count_is(vote.count),
                                ),
                                Update(
                                    keys.ballot(note.version_id, vote.voter),
                                    add=ballot_step(-vote.count),
                                ),
                            )
                        ]
                    )
            except TransactionFailed:
                continue  # another attempt refunded some of these meanwhile: read again
        raise UnavailableError(f"note {note.id}: its votes are being given back; please retry")

    def _votes_on(self, version_id: str, note_id: str, *, consistent: bool = True) -> list[Vote]:
        items = self.table.children(keys.version_pid(version_id), keys.VOTE, consistent=consistent)
        votes = map(to_vote, items.items)
        return [vote for vote in votes if vote.note_id == note_id and vote.count > 0]
