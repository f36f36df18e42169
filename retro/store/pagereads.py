"""The reads of the board page, shaped so that the page costs two rounds of waiting.

The page needs a board (found by its id alone), its live version's notes and maybe a page of
its versions. With the original keys the board's key comes from `cid_si` (`B#<board>` → its
owner), and its live version is the board's newest `V#` child: a version's item is written by
the very transaction that makes it live (`retro.store.versions`), so no newer one exists. So:

1. `Query` on `cid_si` ∥ `Query` of the board's versions, newest first, one item, consistent
   (∥ the page of versions the spec lists);
2. `GetItem` of the board, consistent ∥ the live version's notes, in parallel key ranges when
   there are many (∥ the listed versions' notes).

`retro.services.pages.load_board_page` checks what round 1 guessed against what round 2 read
(the board's own pointer to its live version) and pays a round more only when a start raced
the page, or when the eventually consistent index has not caught up with a board created a
moment ago — never a wrong or missing board.

Notes from both ends: a Query answers at most 1 MB, and the next MB waits for the answer. So a
version that may hold more than one answer's worth (its note counts, moved by every note write
in its own transaction — `retro.store.tallies` — say so) is read by two Queries side by side,
one answer from the oldest note forward and, from the newest backward, the notes one answer
may not hold: together they hold 2 MB whatever the notes' sizes and times, and
`MAX_NOTES_PER_VERSION` keeps a version under that. A version over it (stored before the limit)
is finished in further rounds: slower, never incomplete.
"""

from typing import NamedTuple

from retro.models import Board, BoardVersion, Column, Note
from retro.store import keys
from retro.store.base import StoreBase
from retro.store.codec import Item
from retro.store.marks import deleted_at
from retro.store.records import to_board, to_note, to_version

__all__ = ["MAX_NOTES_PER_VERSION", "ONE_ANSWER", "End", "PageReads", "Probe", "note_count"]

# Notes past which a version may not fit one Query's answer (1 MB): 100 of the largest note
# items (~9.6 KB: 2,000 four-byte characters, a name and a group title at their longest).
ONE_ANSWER = 100
# The most notes a version may hold: what the two ends' answers hold at the largest note items,
# so the page costs two rounds at any note size. The page of a full version is then under 2 MB,
# well within a Lambda response (6 MB). Kept by the add-note transaction.
MAX_NOTES_PER_VERSION = 2 * ONE_ANSWER
_COLUMN_COUNTS = ("t_good", "t_bad", "t_action")  # retro.store.tallies: notes per column


class Probe(NamedTuple):
    """A board's newest version as read in round 1, and how many notes it counts (None: an
    item older than the counts)."""

    version: BoardVersion
    note_count: int | None

    @property
    def from_the_end(self) -> int | None:
        """How many notes to read from the newest backward, beside one answer from the
        oldest: what one answer may not hold (None: one answer holds them all).

        One answer holds at least ONE_ANSWER notes whatever their size, so the two meet; if
        notes were added between the rounds, `notes_between_ends` reads the gap."""
        if self.note_count is None or self.note_count <= ONE_ANSWER:
            return None
        return self.note_count - ONE_ANSWER


def note_count(item: Item) -> int | None:
    """The notes a version item counts: the sum of its per-column counts; None on an item
    older than them."""
    if "t_notes" in item:
        return int(item["t_notes"])
    counted = [item[name] for name in _COLUMN_COUNTS if name in item]
    return sum(int(n) for n in counted) if counted else None


class End(NamedTuple):
    """One end's Query of a version's notes: its items in key order from that end, and
    whether the end reached the other one (no more pages)."""

    items: list[Item]
    complete: bool


class PageReads(StoreBase):
    """The board page's reads, each one request (or one range of notes)."""

    def board_owners(self, board_id: str) -> list[str]:
        """Who owns the board with this id, through `cid_si` (eventually consistent)."""
        return [
            owner
            for key in self.table.find_keys(keys.board_cid(board_id))
            if (owner := keys.board_owner(key)) is not None
        ]

    def newest_version(self, board_id: str) -> Probe | None:
        """The board's newest version: its live one (a consistent read: one created a moment
        ago is found). None if the board has no version: it does not exist."""
        page = self.table.children(
            keys.board_pid(board_id), keys.VERSION, limit=1, newest_first=True, consistent=True
        )
        if not page.items:
            return None
        item = page.items[0]
        return Probe(to_version(item), note_count(item))

    def visible_board(self, owner_id: str, board_id: str) -> Board | None:
        """The board item, read consistently; None if it is gone or its deletion has begun."""
        item = self.table.get(keys.board(owner_id, board_id), consistent=True)
        return to_board(item) if item is not None and deleted_at(item) is None else None

    def notes_end(self, version_id: str, limit: int | None = None) -> End:
        """One answer of a version's notes: from the oldest, or (with a `limit`) that many
        from the newest."""
        pid = keys.version_pid(version_id)
        page = self.table.children(
            pid, keys.NOTE, limit=limit, newest_first=limit is not None, one_page=True
        )
        return End(page.items, page.next_token is None)

    def notes_between_ends(
        self, version_id: str, ends: list[End], column: Column | None = None
    ) -> list[Note]:
        """A version's notes from what its ends' Queries read: the two meet (or one read all),
        else the notes between them are read now (a version over the limit)."""
        forward = ends[0]
        items = forward.items
        if not forward.complete:
            backward = ends[1] if len(ends) > 1 else End([], False)
            tail = list(reversed(backward.items))
            last = items[-1]["cid"] if items else keys.NOTE
            if not backward.complete and (not tail or tail[0]["cid"] > last):
                upper = tail[0]["cid"] if tail else keys.NOTE + "~"
                pid = keys.version_pid(version_id)
                middle = self.table.children(pid, keys.NOTE, between=(last, upper)).items
                items = items + middle
                last = items[-1]["cid"] if items else last
            items = [*items, *(i for i in tail if i["cid"] > last)]
        seen: set[str] = set()
        notes = []
        for item in items:
            if item["cid"] not in seen:
                seen.add(item["cid"])
                notes.append(to_note(item))
        return [n for n in notes if column is None or n.column == column]
