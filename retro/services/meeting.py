"""Running a meeting: the owner sets the stage and the timer; writes pass the stage's gate.

The owner's changes (`set_stage`, `start_timer`, `extend_timer`, `stop_timer`) each read the
live version's meeting consistently, decide the new stage and timer from it — a timer that ended
and advances counts as having moved the stage on — and write both, conditioned on nobody having
changed the meeting meanwhile (then they look again). Each returns the live version as it is
afterwards, once per `clientRequestId`; AppSync sends it to every `onVersionChanged` subscriber.

A write the stage may refuse (`gated`: notes, votes, deletes) first stores a stage change a
timer's end left pending, refuses with an error naming the stage, and otherwise writes with the
version's stage pinned in its transaction: had the stage moved since, the write is looked at
again, so what its answer hides is what the stage hid when it was made.

A write made where a setting may hide what it answers (WRITE: texts, VOTE: counts) also pins
the meeting's revision, which a stage change and a setting that begins to hide move on, and
stamps the note with it (`Note.text_rev`, `Note.votes_rev`): had either come between the
write's reads and its transaction, it is made again under what they made; and a page that read
the stage at an older revision than a note's stamp read it too early to show what the stamp
covers (`retro.services.stages.public_as_read`; docs/ARCHITECTURE.md "The board page").
"""

import contextlib
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import NamedTuple, TypeVar

from retro.errors import ConflictError, NotFoundError, ValidationError
from retro.models import (
    Board,
    BoardSettings,
    BoardVersion,
    Note,
    PublicNote,
    Stage,
    Timer,
    VersionRef,
)
from retro.services.boards import require_board, require_owner
from retro.services.once import idempotency, or_replay
from retro.services.stages import (
    NEXT,
    MeetingState,
    effective_stage,
    meeting_in,
    public_as_read,
    settled_timer,
)
from retro.store import Store, VersionClosed
from retro.times import now

__all__ = [
    "MAX_TIMER_SECONDS",
    "MIN_TIMER_SECONDS",
    "Gate",
    "extend_timer",
    "gated",
    "set_stage",
    "start_timer",
    "stop_timer",
]

MIN_TIMER_SECONDS = 10
MAX_TIMER_SECONDS = 3600
_ATTEMPTS = 3

T = TypeVar("T")
# What an owner's change makes of the version (as it is now, its pending advance made) at a moment.
Decision = Callable[[BoardVersion, datetime], tuple[Stage, Timer | None]]


def set_stage(
    store: Store, caller: str, board_id: str, stage: str, client_request_id: str | None = None
) -> BoardVersion:
    """Move the live version to `stage` (any to any). Owner only. A change stops the timer."""
    chosen = _stage(stage)

    def decide(version: BoardVersion, _at: datetime) -> tuple[Stage, Timer | None]:
        if chosen is version.stage:
            return version.stage, version.timer
        return chosen, _stopped(version.timer)

    return _change(store, caller, board_id, "setStage", client_request_id, decide)


def start_timer(
    store: Store,
    caller: str,
    board_id: str,
    seconds: int,
    advance: bool | None = None,
    client_request_id: str | None = None,
) -> BoardVersion:
    """(Re)start the live version's countdown: `seconds` from now by the server's clock.

    `advance`: move the stage on when it ends (where there is a next stage). Owner only.
    """
    length = _seconds(seconds, MIN_TIMER_SECONDS, "input.seconds")

    def decide(version: BoardVersion, at: datetime) -> tuple[Stage, Timer | None]:
        moves_on = bool(advance) and version.stage in NEXT
        timer = Timer(ends_at=at + timedelta(seconds=length), seconds=length, advances=moves_on)
        return version.stage, timer

    return _change(store, caller, board_id, "startTimer", client_request_id, decide)


def extend_timer(
    store: Store, caller: str, board_id: str, seconds: int, client_request_id: str | None = None
) -> BoardVersion:
    """Add `seconds` to the running countdown. Owner only."""
    extra = _seconds(seconds, 1, "seconds")

    def decide(version: BoardVersion, at: datetime) -> tuple[Stage, Timer | None]:
        timer = version.timer
        if timer is None or timer.stopped or timer.ends_at <= at:
            raise ConflictError(f"no timer is running on version {version.number}: start one")
        ends_at = timer.ends_at + timedelta(seconds=extra)
        if ends_at - at > timedelta(seconds=MAX_TIMER_SECONDS):
            raise ValidationError(
                "seconds", f"the timer would run more than {MAX_TIMER_SECONDS} s from now"
            )
        extended = replace(timer, ends_at=ends_at, seconds=timer.seconds + extra)
        return version.stage, extended

    return _change(store, caller, board_id, "extendTimer", client_request_id, decide)


def stop_timer(
    store: Store, caller: str, board_id: str, client_request_id: str | None = None
) -> BoardVersion:
    """Stop the countdown (it moves nothing on any more). Owner only."""

    def decide(version: BoardVersion, _at: datetime) -> tuple[Stage, Timer | None]:
        if version.timer is None:
            raise ConflictError(f"no timer was started on version {version.number}")
        return version.stage, _stopped(version.timer)

    return _change(store, caller, board_id, "stopTimer", client_request_id, decide)


def _change(
    store: Store,
    caller: str,
    board_id: str,
    operation: str,
    client_request_id: str | None,
    decide: Decision,
) -> BoardVersion:
    once = idempotency(caller, operation, client_request_id, board_id)

    def write() -> BoardVersion:
        board = require_board(store, board_id)
        require_owner(board, caller, "run its meeting (stages and timer)")
        for _attempt in range(_ATTEMPTS):
            seen = store.meeting(board.id, board.current_version.id)
            if seen is None or seen.version.is_frozen:
                board = require_board(store, board_id)  # a version started meanwhile
                continue
            at = now()
            current = _settled(seen.version, at)
            stage, timer = decide(current, at)
            if (stage, timer) == (seen.version.stage, seen.version.timer):
                return seen.version  # nothing to change
            try:
                written = store.change_meeting(board, seen, stage, timer, once, owner=caller)
            except ConflictError:
                board = require_board(store, board_id)  # a version may have started: look again
                continue
            if written.replayed:
                return _version(store, board.id, written.result_id)
            return replace(seen.version, stage=stage, timer=timer, meeting_rev=seen.revision + 1)
        raise ConflictError(f"the meeting on board {board_id} kept changing; please retry")

    return or_replay(
        store, once, write, lambda earlier: _version(store, board_id, earlier.result_id)
    )


# Stages in which a board's settings may hide something a write answers: its texts (WRITE) or
# its counts (VOTE). Writes made in them pin the meeting's revision (`Gate.pin`).
_HIDEABLE = frozenset({Stage.WRITE, Stage.VOTE})


class Gate(NamedTuple):
    """What a gated write is let in under: the live version's stage, its meeting's revision
    and the board's settings, as read (the revision exact when the write pins it: `pin`)."""

    stage: Stage
    revision: int
    settings: BoardSettings

    @property
    def meeting(self) -> MeetingState:
        """What the stage hides on this board: what the write's answer leaves out."""
        return meeting_in(self.settings, self.stage)

    def shown(self, note: Note) -> PublicNote:
        """`note` as the write's answer shows it: without what the stage hides, nor what was
        written hidden after the gate's read (a replay is answered without the transaction
        that would have met the newer revision: the note's stamp tells)."""
        return public_as_read(note, self.meeting, self.revision)

    @property
    def pin(self) -> int | None:
        """The revision a write pins in its transaction and stamps its note with, in a stage
        where a setting may hide what it answers (WRITE, VOTE) — this board's, or one turned
        on meanwhile: that moves the revision on, and the write is made again under it. None
        elsewhere: nothing can hide it there, the write need not pin the revision."""
        return self.revision if self.stage in _HIDEABLE else None


Allowed = frozenset[Stage] | Callable[[BoardSettings], frozenset[Stage]]


def gated(
    store: Store,
    board: Board,
    allowed: Allowed,
    refusal: Callable[[Stage], ConflictError],
    write: Callable[[Gate], T],
) -> tuple[T, Gate]:
    """`write(gate)` if the live version's stage is one of `allowed` (a set, or the set for
    the board's settings), else `refusal(stage)`.

    `write` must pin `gate.stage` in its transaction (`stages=[stage]` in the store) and
    `gate.pin`, and raise VersionClosed if either has moved; then the version and the board's
    settings are read again and the write retried. Returns what `write` returned and the gate
    it was made under (its `meeting` is what the write's answer may show).
    """
    version: VersionRef | BoardVersion = board.current_version
    settings = board.settings
    for _attempt in range(_ATTEMPTS):
        stage = _settle(store, board, version)
        if stage not in (allowed if isinstance(allowed, frozenset) else allowed(settings)):
            raise refusal(stage)
        gate = Gate(stage, version.meeting_rev, settings)
        try:
            return write(gate), gate
        except VersionClosed:
            seen, now_board = store.parallel(
                lambda: store.meeting(board.id, board.current_version.id),
                lambda: store.visible_board(board.owner_id, board.id),
            )
            if now_board is None:
                raise NotFoundError("board", board.id) from None
            if seen is None or seen.version.is_frozen:
                raise ConflictError(
                    f"version {board.current_version.id} is frozen: a newer version has been "
                    "started"
                ) from None
            version, settings = seen.version, now_board.settings
    raise ConflictError(f"the stage of board {board.id} kept changing; please retry")


def _settle(store: Store, board: Board, version: VersionRef | BoardVersion) -> Stage:
    """The stage `version` is in now, stored first if a timer's end moved it on."""
    at = now()
    stage = effective_stage(version, at)
    if stage is version.stage:
        return stage
    seen = store.meeting(board.id, version.id)
    if seen is None or seen.version.is_frozen:
        return stage  # the write will find it frozen
    stage = effective_stage(seen.version, at)
    if stage is not seen.version.stage:
        # settled or changed by someone else meanwhile: then the write's own check decides
        with contextlib.suppress(ConflictError):
            store.change_meeting(board, seen, stage, settled_timer(seen.version.timer))
    return stage


def _settled(version: BoardVersion, at: datetime) -> BoardVersion:
    """`version` with the stage change its ended timer left pending made."""
    stage = effective_stage(version, at)
    if stage is version.stage:
        return version
    return replace(version, stage=stage, timer=settled_timer(version.timer))


def _version(store: Store, board_id: str, version_id: str) -> BoardVersion:
    seen = store.meeting(board_id, version_id)
    if seen is None:
        raise NotFoundError("version", version_id)
    return seen.version


def _stopped(timer: Timer | None) -> Timer | None:
    return replace(timer, stopped=True, advances=False) if timer else None


def _stage(value: str, field: str = "input.stage") -> Stage:
    try:
        return Stage(value)
    except ValueError as error:
        raise ValidationError(field, f"must be one of {', '.join(Stage)}") from error


def _seconds(value: object, least: int, field: str) -> int:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not least <= value <= MAX_TIMER_SECONDS
    ):
        raise ValidationError(field, f"must be a whole number from {least} to {MAX_TIMER_SECONDS}")
    return value
