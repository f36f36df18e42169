"""Retro's domain model: User 1—n Board 1—n BoardVersion 1—n Note, as in the original design.

Frozen dataclasses that check what enters the system (text rules live here, once) and what
comes back from the table. Field names are Python's; the resolver layer renders them in the
schema's names.
Author and voter ids exist on the models because rules need them, but no view ever renders them.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

__all__ = [
    "MAX_NOTE_TEXT",
    "MAX_TITLE",
    "MAX_VOTE_BUDGET",
    "MIN_VOTE_BUDGET",
    "Board",
    "BoardSettings",
    "BoardVersion",
    "Column",
    "MyNote",
    "Note",
    "NoteGroup",
    "Participation",
    "PublicNote",
    "Stage",
    "Tally",
    "Timer",
    "User",
    "VersionRef",
    "clean_text",
]

MAX_NOTE_TEXT = 2000
MAX_TITLE = 200
MAX_NAME = 80
MAX_WHO = 80
MIN_VOTE_BUDGET = 1
DEFAULT_VOTE_BUDGET = 5
MAX_VOTE_BUDGET = 100


def clean_text(value: str, *, max_length: int, multiline: bool) -> str:
    """Trim `value` and check it: 1..max_length characters, no control characters.

    Newlines and tabs are allowed in multi-line text (notes), nowhere else. Raises ValueError
    with a message meant for people; callers attach the field name.
    """
    text = value.strip()
    if not text:
        raise ValueError("must not be empty")
    if len(text) > max_length:
        raise ValueError(f"must be at most {max_length} characters (got {len(text)})")
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(text)
    if found:
        raise ValueError(f"must not contain control characters (found U+{ord(found.group()):04X})")
    return text


# Unicode's control (Cc) and surrogate (Cs) characters: exactly U+0000-001F, U+007F-009F and
# U+D800-DFFF (Cc is closed by Unicode's stability policy; tests/perf checks every code point).
# One regex search instead of unicodedata.category() per character: every note read from the
# table is validated, and the per-character loop was a quarter of a warm board page.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # tab, newline pass


def _clean(
    model: object, field: str, max_length: int, *, multiline: bool = False, optional: bool = False
) -> None:
    """Replace `model.field` by its `clean_text`, or raise ValueError naming the field."""
    value = getattr(model, field)
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise ValueError(f"{type(model).__name__}.{field}: must be a string")
    try:
        cleaned = clean_text(value, max_length=max_length, multiline=multiline)
    except ValueError as error:
        raise ValueError(f"{type(model).__name__}.{field}: {error}") from None
    if cleaned is not value:
        object.__setattr__(model, field, cleaned)  # frozen: set once, while being built


def _at_least(model: object, field: str, least: int, most: int | None = None) -> None:
    """Raise ValueError naming the field unless `model.field` is a whole number in range."""
    value = getattr(model, field)
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < least
        or (most is not None and value > most)
    ):
        bounds = f"from {least}" + (f" to {most}" if most is not None else "")
        raise ValueError(f"{type(model).__name__}.{field}: must be a whole number {bounds}")


class Column(StrEnum):
    GOOD = "GOOD"
    BAD = "BAD"
    ACTION = "ACTION"


class Stage(StrEnum):
    """How a version's meeting runs: FREE (everything open) or the guided WRITE → VOTE → DISCUSS.

    Items stored before stages existed have none: they read as FREE, today's behaviour.
    """

    FREE = "FREE"
    WRITE = "WRITE"
    VOTE = "VOTE"
    DISCUSS = "DISCUSS"


# Frozen, slotted dataclasses: a Lambda imports them in about a millisecond each (pydantic's
# validators were a third of a cold start, docs/PERFORMANCE.md). What a model refuses is checked
# in its `__post_init__`: texts by `clean_text`, counts by their bounds; types are the callers'
# (mypy strict), and `retro.store.records` converts what the table holds before building one.


class _Model:
    """Equality, hash and repr over a model's fields, as `@dataclass` would generate them, but
    written once: a dataclass compiles each method it generates with exec() when the class is
    created, and these three were a third of this module's import on a cold start
    (docs/PERFORMANCE.md). Each model's dataclass still generates `__init__` and the frozen
    `__setattr__`/`__delattr__`; `slots=True` gives it `__slots__`, its fields' names."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({fields})"


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class User(_Model):
    id: str
    name: str | None = None
    created_at: datetime

    def __post_init__(self) -> None:
        _clean(self, "name", MAX_NAME, optional=True)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class BoardSettings(_Model):
    vote_budget: int = DEFAULT_VOTE_BUDGET
    # Boards stored before these settings existed read as False: nothing hidden.
    hide_while_writing: bool = False
    secret_ballot: bool = False

    def __post_init__(self) -> None:
        _at_least(self, "vote_budget", MIN_VOTE_BUDGET, MAX_VOTE_BUDGET)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Timer(_Model):
    """A countdown on a version, as stored: when it ends by the server's clock, and how."""

    ends_at: datetime
    seconds: int  # as started, plus every extension (for a progress display)
    advances: bool = False  # the stage moves on when it ends (until it has, or is stopped)
    stopped: bool = False
    moved_on: bool = False  # it ended and moved the stage on (its end is the stage change's)

    def __post_init__(self) -> None:
        _at_least(self, "seconds", 1)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class VersionRef(_Model):
    """The live version as the board item carries it, so a board page needs no extra read."""

    id: str
    number: int
    title: str | None = None
    created_at: datetime
    stage: Stage = Stage.FREE
    timer: Timer | None = None
    # how many times its meeting has changed (the version's `meeting_rev`, mirrored)
    meeting_rev: int = 0

    def __post_init__(self) -> None:
        _clean(self, "title", MAX_TITLE, optional=True)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Board(_Model):
    id: str
    owner_id: str
    title: str
    settings: BoardSettings = BoardSettings()
    created_at: datetime
    updated_at: datetime
    current_version: VersionRef

    def __post_init__(self) -> None:
        _clean(self, "title", MAX_TITLE)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class BoardVersion(_Model):
    id: str
    board_id: str
    number: int
    title: str | None = None
    created_at: datetime
    frozen_at: datetime | None = None
    stage: Stage = Stage.FREE  # a frozen version keeps its last stage
    timer: Timer | None = None
    meeting_rev: int = 0  # how many times its meeting (stage, timer) has changed

    def __post_init__(self) -> None:
        _at_least(self, "number", 1)
        _clean(self, "title", MAX_TITLE, optional=True)

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Note(_Model):
    id: str
    board_id: str
    version_id: str
    column: Column
    text: str
    votes: int = 0
    # Grows by one with every vote and unvote, never shrinks: deleting a note refunds the votes
    # it read only while this is unchanged (a vote and an unvote can leave `votes` as it was).
    vote_moves: int = 0
    author_id: str
    created_at: datetime
    updated_at: datetime
    carried_from: str | None = None
    # Retros this action has been carried through open (0: written in its own version).
    carried_count: int = 0
    done: bool = False  # an ACTION note ticked off; never set on GOOD and BAD notes
    who: str | None = None
    # Its group in this version; the group's title rides on each of its notes so a page reads
    # no group item (retro.store.groups keeps the copies equal to the group's own title).
    group_id: str | None = None
    group_title: str | None = None
    # The meeting revision of its version when its text (or who) was last written while the
    # stage hid texts, and when a vote on it was last cast or taken back while the stage hid
    # counts; 0 if never. A page that read the stage at an older revision read it too early
    # to show that text or count (retro.services.stages.public_as_read).
    text_rev: int = 0
    votes_rev: int = 0

    def __post_init__(self) -> None:
        _clean(self, "text", MAX_NOTE_TEXT, multiline=True)
        for count in ("votes", "vote_moves", "carried_count", "text_rev", "votes_rev"):
            _at_least(self, count, 0)
        _clean(self, "who", MAX_WHO, optional=True)
        _clean(self, "group_title", MAX_TITLE, optional=True)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class PublicNote(_Model):
    """A note as anyone may see it now: no author ever; no text while the board hides texts
    (`text` None), no count while it hides votes (`votes` None). What every path to a client
    carries — mutation results reach every subscriber, so the author gets this too."""

    id: str
    board_id: str
    version_id: str
    column: Column
    text: str | None
    votes: int | None
    created_at: datetime
    updated_at: datetime
    done: bool = False
    who: str | None = None  # None too while the board hides texts: it is text
    carried_from: str | None = None
    carried_count: int = 0
    group_id: str | None = None
    group_title: str | None = None  # None too while the board hides texts


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class NoteGroup(_Model):
    """Notes of one column of one version under a title, as anyone may see them: no title
    while texts are hidden, no vote sum while counts are. No author: who grouped is not kept."""

    id: str
    board_id: str
    version_id: str
    column: Column
    title: str | None
    votes: int | None
    note_ids: list[str]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Tally(_Model):
    """A version's counts, kept on its item by each write that changes them (store.tallies)."""

    version_id: str
    number: int
    title: str | None = None
    created_at: datetime
    frozen_at: datetime | None = None
    good: int = 0
    bad: int = 0
    action: int = 0
    votes: int | None = 0  # None while the version hides counts
    carried: int = 0
    done: int = 0
    # open ACTION notes by their carried count: {0: opened here, 2: carried twice, ...}
    open_by_age: dict[int, int] = field(default_factory=dict)

    @property
    def opened(self) -> int:
        return self.action - self.carried

    @property
    def open(self) -> int:
        return sum(self.open_by_age.values())

    @property
    def oldest_open_age(self) -> int | None:
        ages = [age for age, count in self.open_by_age.items() if count > 0]
        return max(ages) if ages else None


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class MyNote(_Model):
    """One of the caller's own notes with its text, hidden or not (on Participation only)."""

    id: str
    column: Column
    text: str


@dataclass(frozen=True, slots=True, kw_only=True, eq=False, repr=False)
class Participation(_Model):
    """The caller's standing on a board's live version; never sent to other people."""

    board_id: str
    version_id: str
    is_owner: bool
    vote_budget: int
    votes_used: int
    my_votes: dict[str, int]
    my_note_ids: list[str]
    my_notes: list[MyNote] = field(default_factory=list)

    @property
    def votes_left(self) -> int:
        return max(self.vote_budget - self.votes_used, 0)
