"""The rules of a facilitated meeting: what each stage lets in, what it hides, how a timer ends it.

A live version is in one stage, set by the board's owner:

| stage | notes | votes | hidden |
|---|---|---|---|
| FREE (default) | all columns, added and edited | open | nothing |
| WRITE | all columns, added and edited | refused | texts, with the board's `hide_while_writing` |
| VOTE | ACTION only (GOOD and BAD stay fixed while people vote) | open | counts, `secret_ballot` |
| DISCUSS | ACTION only | refused | nothing |

Leaving WRITE reveals the texts and leaving VOTE the counts: hiding is a function of the stage at
the moment of an answer, so the next answer after a stage change shows everything. A frozen
version hides nothing (it keeps its last stage): the meeting is over, and nothing can change.

Hidden means hidden on the wire: every path that reaches a client — a query, a mutation's result
(which AppSync sends to every subscriber, so the author gets it too), an export — goes through
`public`, which leaves out what the stage hides. The caller's own texts are on `Participation`.

A page reads the stage beside (or before) the notes, so its stage may be older than a note it
reads: a text written a moment after the stage went to hiding, read with the stage from before.
Writes the stage hides stamp the note with the meeting's revision (`Note.text_rev`,
`Note.votes_rev`); `public_as_read` leaves out what a stamp newer than the stage's read covers,
and `read_too_early` tells the board page to read the stage again (docs/ARCHITECTURE.md).

A timer started with `advances` moves the stage on when it ends (WRITE → VOTE → DISCUSS). No
scheduler runs: the stage a version is in is computed at the moment of each answer by the
server's clock (`effective_stage`), and the first write that depends on it stores it
(`retro.services.meeting`).
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from retro.errors import ConflictError
from retro.models import (
    BoardSettings,
    BoardVersion,
    Column,
    Note,
    PublicNote,
    Stage,
    Timer,
    VersionRef,
)

__all__ = [
    "ALL_STAGES",
    "NEXT",
    "VOTING",
    "MeetingState",
    "TimerState",
    "add_refused",
    "edit_refused",
    "effective_stage",
    "meeting_in",
    "meeting_of",
    "note_stages",
    "public",
    "public_as_read",
    "read_too_early",
    "settled_timer",
    "vote_refused",
]

NEXT = {Stage.WRITE: Stage.VOTE, Stage.VOTE: Stage.DISCUSS}
ALL_STAGES = frozenset(Stage)
VOTING = frozenset({Stage.FREE, Stage.VOTE})
_WRITING = frozenset({Stage.FREE, Stage.WRITE})  # where GOOD and BAD notes are open


@dataclass(frozen=True)
class TimerState:
    """A timer as answered at one moment: the remaining time by the server's clock."""

    ends_at: datetime
    remaining_ms: int
    duration_seconds: int
    advances: bool
    running: bool
    ended: bool


@dataclass(frozen=True)
class MeetingState:
    """A version's meeting as answered at one moment: its stage, its timer and what is hidden."""

    stage: Stage
    timer: TimerState | None
    texts_hidden: bool
    votes_hidden: bool


def effective_stage(version: VersionRef | BoardVersion, at: datetime) -> Stage:
    """The stage `version` is in at `at`: its stored stage, or the next one once a timer that
    advances it has ended."""
    timer = version.timer
    if timer is not None and timer.advances and not timer.stopped and timer.ends_at <= at:
        return NEXT.get(version.stage, version.stage)
    return version.stage


def settled_timer(timer: Timer | None) -> Timer | None:
    """The timer once the stage change it carried has been made: it advances no more, and
    remembers it moved the stage on (every later reader is told so, as the first was)."""
    return replace(timer, advances=False, moved_on=True) if timer is not None else None


def meeting_of(
    settings: BoardSettings, version: VersionRef | BoardVersion, at: datetime
) -> MeetingState:
    """What a version's meeting looks like at `at` on a board with `settings`."""
    stage = effective_stage(version, at)
    if isinstance(version, BoardVersion) and version.is_frozen:
        return MeetingState(stage, _timer_state(version.timer, at), False, False)
    return meeting_in(settings, stage, _timer_state(version.timer, at))


def meeting_in(
    settings: BoardSettings, stage: Stage, timer: TimerState | None = None
) -> MeetingState:
    """What a live version in `stage` hides on a board with `settings`."""
    return MeetingState(
        stage=stage,
        timer=timer,
        texts_hidden=settings.hide_while_writing and stage is Stage.WRITE,
        votes_hidden=settings.secret_ballot and stage is Stage.VOTE,
    )


def _timer_state(timer: Timer | None, at: datetime) -> TimerState | None:
    if timer is None:
        return None
    left = 0 if timer.stopped else max(0, int((timer.ends_at - at).total_seconds() * 1000))
    return TimerState(
        ends_at=timer.ends_at,
        remaining_ms=left,
        duration_seconds=timer.seconds,
        # Before and after the stage change it made is stored, it is the timer that moved it on.
        advances=(timer.advances or timer.moved_on) and not timer.stopped,
        running=left > 0,
        ended=not timer.stopped and timer.ends_at <= at,
    )


def public(note: Note, meeting: MeetingState) -> PublicNote:
    """`note` as anyone may see it in `meeting`: never its author; no text or count it hides.

    An action carried from the last version, untouched since (as it was copied: its
    `updated_at` is its `created_at`), is not new writing — its frozen source shows the same
    text and who to everyone — so hiding texts leaves its text and who face up. Touched since
    (an edit, a who, a tick), it is hidden as any note; a group's title always is."""
    as_carried = note.carried_from is not None and note.updated_at == note.created_at
    texts_hidden = meeting.texts_hidden and not as_carried
    return PublicNote(
        id=note.id,
        board_id=note.board_id,
        version_id=note.version_id,
        column=note.column,
        text=None if texts_hidden else note.text,
        votes=None if meeting.votes_hidden else note.votes,
        created_at=note.created_at,
        updated_at=note.updated_at,
        done=note.done,
        who=None if texts_hidden else note.who,  # a name typed is text too
        carried_from=note.carried_from,
        carried_count=note.carried_count,
        group_id=note.group_id,
        group_title=None if meeting.texts_hidden else note.group_title,
    )


def read_too_early(note: Note, meeting: MeetingState, revision: int) -> bool:
    """Whether `meeting`, read at meeting revision `revision`, would show a text or count of
    `note` written while a later revision hid it — the stage was read before that write."""
    return (not meeting.texts_hidden and note.text_rev > revision) or (
        not meeting.votes_hidden and note.votes_rev > revision
    )


def public_as_read(note: Note, meeting: MeetingState, revision: int) -> PublicNote:
    """`note` as `public` shows it in `meeting` read at `revision`, and without a text or count
    written while hidden at a later revision: the read cannot tell whether that write has been
    revealed since, so it shows it hidden, as it was when written."""
    if read_too_early(note, meeting, revision):
        meeting = replace(
            meeting,
            texts_hidden=meeting.texts_hidden or note.text_rev > revision,
            votes_hidden=meeting.votes_hidden or note.votes_rev > revision,
        )
    return public(note, meeting)


def note_stages(columns: Iterable[Column]) -> frozenset[Stage]:
    """Stages in which notes of all these columns may be added or edited."""
    allowed = ALL_STAGES
    for column in columns:
        if column is not Column.ACTION:
            allowed &= _WRITING
    return allowed


def add_refused(column: Column, stage: Stage) -> ConflictError:
    return ConflictError(
        f"new {column.value} notes are closed after the WRITE stage: only ACTION notes may be "
        f"added now; the board is in {stage.value}"
    )


def edit_refused(column: Column, stage: Stage) -> ConflictError:
    return ConflictError(
        f"{column.value} notes are fixed after the WRITE stage: only ACTION notes may be edited "
        f"or moved now; the board is in {stage.value}"
    )


def vote_refused(stage: Stage) -> ConflictError:
    if stage is Stage.DISCUSS:
        return ConflictError(
            "voting has closed (votes are taken in the VOTE stage); the board is in DISCUSS"
        )
    return ConflictError(f"voting opens in the VOTE stage; the board is in {stage.value}")
