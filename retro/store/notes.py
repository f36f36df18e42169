"""The notes part of `Store`: a version's notes, and writes to notes of a live version only."""

from collections.abc import Sequence

from retro.errors import ConflictError, NotFoundError
from retro.models import Column, Note
from retro.store import keys
from retro.store.actions import Action, Delete, Put, Update
from retro.store.base import TRANSACTION_ROOM, StoreBase, frozen, version_is_live
from retro.store.changes import Idempotency, NoteChanges
from retro.store.failures import TransactionFailed
from retro.store.records import ballot_step, note_changes, note_item, to_note, to_vote

__all__ = ["NotesStore"]


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

    def add_note(self, note: Note, once: Idempotency | None = None) -> str:
        """Add a note to a live version; returns the id that exists afterwards."""
        return self.create_once(
            note.id,
            [Put(note_item(note), keys.not_exists()), version_is_live(note)],
            once,
            refused=frozen(note.version_id),
        )

    def put_notes(self, notes: Sequence[Note]) -> None:
        """Write notes outright (carried notes beyond a transaction's room, or carried late).

        Each put is keyed by the note's own new id, so writing one twice changes nothing.
        """
        for note in notes:
            self.table.put(note_item(note))

    def update_note(self, note: Note, changes: NoteChanges, caller: str) -> Note:
        """Change a note of a live version, if `caller` wrote it."""
        try:
            self.table.transact(
                [
                    Update(
                        keys.note(note.version_id, note.id),
                        set_=note_changes(changes),
                        condition=keys.is_author(caller),
                    ),
                    version_is_live(note),
                ]
            )
        except TransactionFailed as failure:
            if failure.failed(0):
                raise NotFoundError("note", note.id) from failure
            raise frozen(note.version_id) from failure
        updated = self.get_note(note.version_id, note.id, consistent=True)
        if updated is None:
            raise NotFoundError("note", note.id)
        return updated

    def delete_note(self, note: Note, caller: str) -> None:
        """Delete a note of a live version, if `caller` wrote it, and give its votes back.

        `note` must have been read (consistently) before this reads the votes on it: the delete
        is conditioned on the note's vote count and vote moves being what `note` shows, so a
        vote or unvote landing after that read cancels the delete (ConflictError) instead of
        refunding votes that were taken back or keeping ones that were spent on it.
        """
        pid = keys.version_pid(note.version_id)
        votes = [
            vote
            for vote in map(to_vote, self.table.children(pid, keys.VOTE, consistent=True).items)
            if vote.note_id == note.id and vote.count > 0
        ]
        refunds: list[Action] = []
        for vote in votes:
            refunds.append(Delete(keys.vote(note.version_id, vote.voter, vote.note_id)))
            refunds.append(
                Update(keys.ballot(note.version_id, vote.voter), add=ballot_step(-vote.count))
            )
        condition = keys.is_untouched_own_note(caller, note.votes, note.vote_moves)
        first, rest = refunds[:TRANSACTION_ROOM], refunds[TRANSACTION_ROOM:]
        try:
            self.table.transact(
                [
                    Delete(keys.note(note.version_id, note.id), condition),
                    version_is_live(note),
                    *first,
                ]
            )
        except TransactionFailed as failure:
            if failure.failed(0):
                raise ConflictError(
                    f"note {note.id} changed while deleting it; please retry"
                ) from failure
            raise frozen(note.version_id) from failure
        for i in range(0, len(rest), TRANSACTION_ROOM):
            self.table.transact(rest[i : i + TRANSACTION_ROOM])
