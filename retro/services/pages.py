"""The read model: a board or a version with the nested data a page asks for, loaded at once.

A page spec says what to load under a board (its live version's notes, a page of its versions
and maybe their notes) or under a version (its notes). Loads of one level run in parallel with
`store.parallel`, so the board page — a board, its live notes, its versions — costs the board's
two reads and then one round for the rest, whatever its size.

Pages are what clients see: each version comes with its meeting as of the answer (stage, timer,
what is hidden) and its notes in their public form (`retro.services.stages.public`) — no
author, and no text or count the stage hides. The board item carries its live version's stage
and timer, so none of this costs a read.

A spec made from what a client sent goes through `of`, which checks it and raises the
ValidationError naming the argument: a spec that exists is valid, so a mutation makes its spec
before it writes and never fails on it after the write (a client retrying that "failure" would
write twice).

What a spec costs is known before anything is read: `reads` is the DynamoDB reads (each a
Query, of one or more 1 MB pages) it asks for under one board or version, and `check_reads`
refuses more than `MAX_READS` for one call. AppSync's resolver-count limit never sees these
loads — the nested fields have no resolver — so without this one aliased field could ask for
`versions(limit: 100) { items { notes } }`: 101 reads in one invocation.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from retro.errors import ValidationError
from retro.models import (
    Board,
    BoardSettings,
    BoardVersion,
    Column,
    Note,
    NoteGroup,
    PublicNote,
    VersionRef,
)
from retro.services import checks
from retro.services.grouping import groups_of
from retro.services.stages import MeetingState, meeting_of, public_as_read
from retro.store import Store
from retro.times import now

__all__ = [
    "MAX_READS",
    "BoardPage",
    "BoardSpec",
    "NotesSpec",
    "VersionPage",
    "VersionSpec",
    "VersionsPage",
    "VersionsSpec",
    "check_reads",
    "load_boards",
    "load_versions",
    "version_page",
]


# The most DynamoDB reads one call's selection may prefetch. The board page takes 2 (the live
# notes, a page of versions), a page of 20 versions with their notes and the live notes 22; a
# hundred versions' notes (101) is refused: page it. Reads of one level run 8 side by side
# (retro.store.parallel), so 25 is at most 4 rounds of waiting.
MAX_READS = 25


# -- what to load --------------------------------------------------------------------------------
class NotesSpec(NamedTuple):
    """Load a version's notes: of one column, or of all (None)."""

    column: Column | None = None

    @classmethod
    def of(cls, column: object) -> "NotesSpec":
        return cls(checks.column(column) if column is not None else None)


class VersionSpec(NamedTuple):
    """What to load under a version: its notes, or nothing; `groups`: show the groups among
    those notes (each note carries its group: they cost no read of their own)."""

    notes: NotesSpec | None = None
    groups: bool = False

    @property
    def reads(self) -> int:
        """Reads under one version: its notes are one Query."""
        return 0 if self.notes is None else 1


class VersionsSpec(NamedTuple):
    """Load a page of a board's versions (oldest first), and under each what `items` says."""

    limit: int = checks.DEFAULT_PAGE
    next_token: str | None = None
    items: VersionSpec = VersionSpec()

    @classmethod
    def of(cls, limit: object, next_token: object, items: VersionSpec) -> "VersionsSpec":
        if next_token is not None and not isinstance(next_token, str):
            raise ValidationError("nextToken", "must be a string")
        return cls(checks.page_size(limit), next_token, items)

    @property
    def reads(self) -> int:
        """The page's Query, then what `items` asks under each version the page may hold."""
        return 1 + self.limit * self.items.reads


class BoardSpec(NamedTuple):
    """What to load under a board: under its live version, and a page of its versions."""

    current: VersionSpec = VersionSpec()
    versions: VersionsSpec | None = None

    @property
    def reads(self) -> int:
        """Reads under one board (the board carries its live version: reading that is free)."""
        return self.current.reads + (self.versions.reads if self.versions else 0)


def check_reads(reads: int) -> None:
    """Refuse a selection whose prefetching would take more than MAX_READS reads, before any."""
    if reads > MAX_READS:
        raise ValidationError(
            "selection",
            f"would take {reads} database reads to prefetch, over the limit of {MAX_READS} per "
            "field: each version's notes is one read, so ask for fewer versions with their "
            "notes (versions(limit:), boards(limit:)) and page through the rest",
        )


# -- what was loaded -----------------------------------------------------------------------------
class VersionPage(NamedTuple):
    """A version (the board's live one as the board carries it, or a stored one), its meeting
    as of the answer, and its notes as anyone may see them then (None: not asked for)."""

    board_id: str
    version: BoardVersion | VersionRef
    meeting: MeetingState
    notes: list[PublicNote] | None = None
    groups: list[NoteGroup] | None = None  # None: not asked for


class VersionsPage(NamedTuple):
    items: list[VersionPage]
    next_token: str | None


class BoardPage(NamedTuple):
    """A board, its live version, and a page of its versions (None: not asked for)."""

    board: Board
    current: VersionPage
    versions: VersionsPage | None = None


# -- loading -------------------------------------------------------------------------------------
def load_boards(store: Store, boards: Sequence[Board], spec: BoardSpec) -> list[BoardPage]:
    """`boards` with what `spec` asks for under each, in one parallel round (two when the
    listed versions' notes are asked for too)."""
    notes = spec.current.notes
    versions = spec.versions
    calls: list[Callable[[], Any]] = []
    if notes is not None:
        calls += [_notes_load(store, b.current_version.id, notes) for b in boards]
    if versions is not None:
        calls += [_versions_load(store, b, versions) for b in boards]
    results = iter(_parallel(store, calls))
    current_notes = [next(results) if notes is not None else None for _ in boards]
    pages = [next(results) if versions is not None else None for _ in boards]
    at = now()
    return [
        BoardPage(
            board,
            version_page(
                board.id, board.current_version, board.settings, found, at, spec.current.groups
            ),
            listed,
        )
        for board, found, listed in zip(boards, current_notes, pages, strict=True)
    ]


def load_versions(
    store: Store,
    versions: Sequence[BoardVersion],
    spec: VersionSpec,
    board: Board | None = None,
) -> list[VersionPage]:
    """`versions` (of one board) with their notes if `spec` asks for them, in one parallel round.

    What a live version hides depends on its board's settings: give `board` if it is at hand,
    or it is read (only when one of `versions` is live).
    """
    settings, live = _settings(store, versions, board)
    notes = spec.notes
    found = (
        _parallel(store, [_notes_load(store, v.id, notes) for v in versions])
        if notes is not None
        else [None] * len(versions)
    )
    at = now()
    return [
        version_page(v.board_id, v, settings, n, at, spec.groups, _shown_up_to(v, live))
        for v, n in zip(versions, found, strict=True)
    ]


def _settings(
    store: Store, versions: Sequence[BoardVersion], board: Board | None
) -> tuple[BoardSettings, VersionRef | None]:
    """The settings a live version among `versions` hides by, and the board's reference to
    its live version as read with them (None: no board read)."""
    if board is not None or all(v.is_frozen for v in versions):
        return (
            (board.settings, board.current_version)
            if board is not None
            else (
                BoardSettings(),
                None,
            )
        )
    found = store.find_board(versions[0].board_id)
    # a board gone meanwhile: hide all a live version could hide rather than guess
    if found is None:
        return BoardSettings(hide_while_writing=True, secret_ballot=True), None
    return found.settings, found.current_version


def _shown_up_to(version: BoardVersion, live: VersionRef | None) -> int:
    """The meeting revision up to which a version's notes may show what its meeting shows.

    The settings come from the board's item, read apart from the version (before it, or by an
    eventually consistent GetItem that may answer the item as it was a moment ago): a read
    older than the version may miss a setting turned on since, which moved the revision on —
    on the version and on the board's mirror of it. So a live version shows only what was
    written up to the revision the board read mirrors; what was written hidden after it is
    shown hidden (`stages.public_as_read`). A board read naming another live version (a start
    came between) vouches for none of this version's hidden writes."""
    if live is None or version.is_frozen:
        return version.meeting_rev
    if live.id != version.id:
        return -1
    return min(version.meeting_rev, live.meeting_rev)


def version_page(
    board_id: str,
    version: BoardVersion | VersionRef,
    settings: BoardSettings,
    notes: list[Note] | None,
    at: datetime,
    groups: bool = False,
    revision: int | None = None,
) -> VersionPage:
    """`version` as shown with `settings` at `at`; a note written hidden after meeting
    `revision` (the version's own if not given) is shown hidden."""
    meeting = meeting_of(settings, version, at)
    if revision is None:
        revision = version.meeting_rev
    shown = [public_as_read(n, meeting, revision) for n in notes] if notes is not None else None
    grouped = groups_of(shown) if groups and shown is not None else None
    return VersionPage(board_id, version, meeting, shown, grouped)


def _notes_load(store: Store, version_id: str, spec: NotesSpec) -> Callable[[], list[Note]]:
    return lambda: store.notes(version_id, spec.column)


def _versions_load(store: Store, board: Board, spec: VersionsSpec) -> Callable[[], VersionsPage]:
    def load() -> VersionsPage:
        found, token = store.versions(board.id, spec.limit, spec.next_token)
        return VersionsPage(load_versions(store, found, spec.items, board), token)

    return load


def _parallel(store: Store, calls: Sequence[Callable[[], Any]]) -> list[Any]:
    return store.parallel(*calls) if calls else []
