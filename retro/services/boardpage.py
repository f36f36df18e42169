"""The board page by the board's id: two rounds of DynamoDB requests, at any size a version may
reach (`retro.store.pagereads` says which requests and why).

Round 1 asks `cid_si` for the board's key and, at the same time, the board's own partition for
its newest version (the live one) and the page of versions the spec lists. Round 2 reads the
board item and, at the same time, the live version's notes (in key ranges when many) and the
listed versions' notes. Round 1's guess is checked against the board read in round 2:

- **Read after write.** `cid_si` is eventually consistent: in AWS a board created a moment ago
  may be missing from it. The versions Query is consistent, so a board that has a version
  exists: then the index is asked again, waiting a little longer each time (~1.5 s in all),
  and the request fails as unavailable (retry) rather than answer "no such board".
- **A start racing the page.** If the board's live version is not the one round 1 found (a
  version started between the rounds), its notes are read again: one round more, never a page
  that mixes two versions.
- **A stage racing the page.** The board item (its stage) is read beside the notes, so a note
  may have been written after the stage went to hiding it, and the board read from before that.
  Such a write stamps the note with the meeting's revision (`retro.services.meeting`); a note
  whose stamp is newer than the board read, with a text or count the page would show, has the
  board read again, and the version item beside it (its revision is the one the stamps come
  from, where a board's mirror predates `cv_meeting_rev`): one round more, only then.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from retro.errors import UnavailableError
from retro.models import Board, BoardVersion, Column, Note
from retro.services import checks, stages
from retro.services.pages import BoardPage, BoardSpec, VersionsPage, version_page
from retro.store import Store
from retro.store.pagereads import End
from retro.times import now

__all__ = ["INDEX_WAITS", "live_board_and", "load_board_page"]

# Seconds to wait before asking `cid_si` again for a board whose version exists (AWS documents
# the index's lag as a fraction of a second in normal operation).
INDEX_WAITS = (0.05, 0.1, 0.2, 0.4, 0.8)


def load_board_page(store: Store, board_id: str, spec: BoardSpec) -> BoardPage | None:
    """The board with what `spec` asks for, or None if there is no such board (or its
    deletion has begun)."""
    board_id = checks.ident(board_id, "id")
    listing = spec.versions
    first: list[Callable[[], Any]] = [
        lambda: store.board_owners(board_id),
        lambda: store.newest_version(board_id),
    ]
    if listing is not None:
        first.append(lambda: store.versions(board_id, listing.limit, listing.next_token))
    owners, probe, *listed = store.parallel(*first)
    if probe is None:  # no version, read consistently: no board
        return None
    listed_versions: list[BoardVersion] = listed[0][0] if listed else []
    column = spec.current.notes.column if spec.current.notes is not None else None
    back = probe.from_the_end
    ends = ([None] if back is None else [None, back]) if spec.current.notes else []
    under = listing.items.notes if listing is not None else None

    second: list[Callable[[], Any]] = [lambda: _board(store, board_id, owners)]
    second += [_end(store, probe.version.id, limit) for limit in ends]
    if under is not None:
        second += [_notes(store, v.id, under.column) for v in listed_versions]
    board, *found = store.parallel(*second)
    if board is None:
        return None
    current_notes: list[Note] | None = None
    if spec.current.notes is not None:
        if board.current_version.id != probe.version.id:  # a start raced this page
            current_notes = store.notes(board.current_version.id, column, consistent=True)
        else:
            current_notes = store.notes_between_ends(probe.version.id, found[: len(ends)], column)
        if _read_too_early(board, current_notes):  # a stage raced this page
            live = board.current_version.id
            again, seen = store.parallel(
                lambda: _board(store, board_id, owners), lambda: store.meeting(board_id, live)
            )
            if again is None:
                return None
            if again.current_version.id != live:  # and a start
                current_notes = store.notes(again.current_version.id, column, consistent=True)
            elif seen is not None and seen.revision > again.current_version.meeting_rev:
                # a board whose mirror predates `cv_meeting_rev`: the version's own revision
                ref = replace(again.current_version, meeting_rev=seen.revision)
                again = replace(again, current_version=ref)
            board = again
    listed_notes = found[len(ends) :] if under is not None else [None] * len(listed_versions)
    at = now()
    versions = None
    if listing is not None:
        items = [
            version_page(board.id, v, board.settings, n, at, listing.items.groups)
            for v, n in zip(listed_versions, listed_notes, strict=True)
        ]
        versions = VersionsPage(items, listed[0][1])
    current = version_page(
        board.id, board.current_version, board.settings, current_notes, at, spec.current.groups
    )
    return BoardPage(board, current, versions)


def _read_too_early(board: Board, notes: Sequence[Note]) -> bool:
    """Whether the board's stage was read before a note's text or count the page would show
    was written hidden (the stage read is older than the notes read)."""
    live = board.current_version
    meeting = stages.meeting_of(board.settings, live, now())
    return any(stages.read_too_early(n, meeting, live.meeting_rev) for n in notes)


def _board(store: Store, board_id: str, owners: Sequence[str]) -> Board | None:
    """The board item; if the index has not caught up with the board yet, after it has."""
    for wait in (None, *INDEX_WAITS):
        if wait is not None:
            time.sleep(wait)
            owners = store.board_owners(board_id)
        if owners:
            return store.visible_board(owners[0], board_id)
    raise UnavailableError(f"board {board_id} was created a moment ago; please retry")


def _end(store: Store, version_id: str, limit: int | None) -> Callable[[], End]:
    return lambda: store.notes_end(version_id, limit)


def _notes(store: Store, version_id: str, column: Column | None) -> Callable[[], list[Note]]:
    return lambda: store.notes(version_id, column)


def live_board_and(
    store: Store, board_id: str, *loads: Callable[[str], Any]
) -> tuple[Board, list[Any]] | None:
    """The board and what each of `loads` reads under its live version (given its id), in the
    page's two rounds; None if there is no such board. `Query.participation`, asked beside the
    page, takes them too."""
    owners, probe = store.parallel(
        lambda: store.board_owners(board_id), lambda: store.newest_version(board_id)
    )
    if probe is None:
        return None
    live = probe.version.id
    board, *found = store.parallel(
        lambda: _board(store, board_id, owners), *(_under(load, live) for load in loads)
    )
    if board is None:
        return None
    if board.current_version.id != live:  # a start raced this read
        found = store.parallel(*(_under(load, board.current_version.id) for load in loads))
    return board, found


def _under(load: Callable[[str], Any], version_id: str) -> Callable[[], Any]:
    return lambda: load(version_id)
