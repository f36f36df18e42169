"""Retro's models rendered in the schema's shape: rendering only, nothing is loaded here.

Each type is a `Shape` (`resolvers/project.py`): its fields in the schema's order, each read
from the model. A view renders only the fields the query selected (`project`), so what is not
asked for — a time to format, a note's other fields — costs nothing.

Nested fields without a resolver of their own — `Board.currentVersion`, `Board.versions`,
`BoardVersion.notes`, `Session.user` — are rendered with their parent from what the services
loaded (`retro.services.pages`; `resolvers/specs.py` says what the selection asks for). A nested
field is in a view only when it was loaded, so AppSync fills it from the parent's property.

No view renders an author or a voter: the models know them, the API never shows them. Notes
come as the services publish them (`PublicNote`): a text or count the stage hides is None here,
null on the wire.
"""

from collections.abc import Sequence
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any

from resolvers.project import ABSENT, Shape, View, project
from resolvers.selection import Selection
from retro.models import BoardVersion, NoteGroup, Participation, PublicNote, User
from retro.services.pages import BoardPage, VersionPage
from retro.times import iso

if TYPE_CHECKING:
    from retro.services.trends import Trend

__all__ = [
    "EMBEDDED",
    "board",
    "boards",
    "group",
    "note",
    "participation",
    "session",
    "trend",
    "user",
    "version",
]

# Fields with no resolver of their own: the resolver returning their parent renders them.
EMBEDDED = frozenset(
    {
        "Board.currentVersion",
        "Board.versions",
        "BoardVersion.notes",
        "BoardVersion.groups",  # from the notes loaded: each carries its group
        "Session.user",
    }
)


def _loaded(name: str) -> Any:
    """Reads `name`, which is None when it was not loaded: then the view leaves it out."""
    read = attrgetter(name)

    def loaded(model: Any) -> Any:
        value = read(model)
        return ABSENT if value is None else value

    return loaded


NOTE = Shape(  # PublicNote
    id=attrgetter("id"),
    boardId=attrgetter("board_id"),
    versionId=attrgetter("version_id"),
    column=attrgetter("column.value"),
    text=attrgetter("text"),
    votes=attrgetter("votes"),
    createdAt=lambda n: iso(n.created_at),
    updatedAt=lambda n: iso(n.updated_at),
    done=attrgetter("done"),
    who=attrgetter("who"),
    carriedFrom=attrgetter("carried_from"),
    carriedCount=attrgetter("carried_count"),
    groupId=attrgetter("group_id"),
)

GROUP = Shape(  # NoteGroup
    id=attrgetter("id"),
    boardId=attrgetter("board_id"),
    versionId=attrgetter("version_id"),
    column=attrgetter("column.value"),
    title=attrgetter("title"),
    votes=attrgetter("votes"),
    noteIds=attrgetter("note_ids"),
)

USER = Shape(  # User
    id=attrgetter("id"),
    name=attrgetter("name"),
    createdAt=lambda u: iso(u.created_at),
)

SESSION = Shape(  # (User, token)
    token=itemgetter(1),
    user=(itemgetter(0), USER),
)

PARTICIPATION = Shape(  # Participation
    boardId=attrgetter("board_id"),
    versionId=attrgetter("version_id"),
    isOwner=attrgetter("is_owner"),
    voteBudget=attrgetter("vote_budget"),
    votesUsed=attrgetter("votes_used"),
    votesLeft=attrgetter("votes_left"),
    myVotes=(
        lambda p: sorted(p.my_votes.items()),
        Shape(noteId=itemgetter(0), count=itemgetter(1)),  # (note id, count)
    ),
    myNoteIds=attrgetter("my_note_ids"),
    myNotes=(
        attrgetter("my_notes"),
        Shape(id=attrgetter("id"), column=attrgetter("column.value"), text=attrgetter("text")),
    ),
)

TIMER = Shape(  # TimerState
    endsAt=lambda t: iso(t.ends_at),
    remainingMs=attrgetter("remaining_ms"),
    durationSeconds=attrgetter("duration_seconds"),
    advances=attrgetter("advances"),
    running=attrgetter("running"),
    ended=attrgetter("ended"),
)

VERSION = Shape(  # VersionPage: a version (or the board's reference to its live one), its meeting
    id=attrgetter("version.id"),
    boardId=attrgetter("board_id"),
    number=attrgetter("version.number"),
    title=attrgetter("version.title"),
    createdAt=lambda p: iso(p.version.created_at),
    frozenAt=lambda p: iso(p.version.frozen_at) if isinstance(p.version, BoardVersion) else None,
    stage=attrgetter("meeting.stage.value"),
    timer=(attrgetter("meeting.timer"), TIMER),
    textsHidden=attrgetter("meeting.texts_hidden"),
    votesHidden=attrgetter("meeting.votes_hidden"),
    notes=(_loaded("notes"), NOTE),
    groups=(_loaded("groups"), GROUP),
)

BOARD = Shape(  # BoardPage: a board, its live version, a page of its versions
    id=attrgetter("board.id"),
    title=attrgetter("board.title"),
    createdAt=lambda p: iso(p.board.created_at),
    updatedAt=lambda p: iso(p.board.updated_at),
    settings=(
        attrgetter("board.settings"),
        Shape(
            voteBudget=attrgetter("vote_budget"),
            hideWhileWriting=attrgetter("hide_while_writing"),
            secretBallot=attrgetter("secret_ballot"),
        ),
    ),
    currentVersion=(attrgetter("current"), VERSION),
    versions=(
        _loaded("versions"),
        Shape(items=(attrgetter("items"), VERSION), nextToken=attrgetter("next_token")),
    ),
)

BOARDS = Shape(  # (boards, next token): the schema's BoardPage
    items=(itemgetter(0), BOARD),
    nextToken=itemgetter(1),
)

TREND = Shape(  # Trend
    boardId=attrgetter("board_id"),
    versions=(
        attrgetter("versions"),
        Shape(  # Tally
            versionId=attrgetter("version_id"),
            number=attrgetter("number"),
            title=attrgetter("title"),
            createdAt=lambda t: iso(t.created_at),
            frozenAt=lambda t: iso(t.frozen_at),
            goodNotes=attrgetter("good"),
            badNotes=attrgetter("bad"),
            actionNotes=attrgetter("action"),
            votesCast=attrgetter("votes"),
            actionsOpened=attrgetter("opened"),
            actionsCarried=attrgetter("carried"),
            actionsDone=attrgetter("done"),
            actionsOpen=attrgetter("open"),
            oldestOpenActionAge=attrgetter("oldest_open_age"),
        ),
    ),
)


def note(n: PublicNote, selection: Selection) -> View:
    return project(NOTE, n, selection)


def group(g: NoteGroup, selection: Selection) -> View:
    return project(GROUP, g, selection)


def user(u: User, selection: Selection) -> View:
    return project(USER, u, selection)


def session(u: User, token: str, selection: Selection) -> View:
    return project(SESSION, (u, token), selection)


def participation(p: Participation, selection: Selection) -> View:
    return project(PARTICIPATION, p, selection)


def version(page: VersionPage, selection: Selection) -> View:
    """A version, with its notes and groups if they were loaded."""
    return project(VERSION, page, selection)


def board(page: BoardPage, selection: Selection) -> View:
    """A board, with its live version and a page of its versions as far as they were loaded."""
    return project(BOARD, page, selection)


def boards(pages: Sequence[BoardPage], next_token: str | None, selection: Selection) -> View:
    """A page of boards (the schema's `BoardPage`)."""
    return project(BOARDS, (list(pages), next_token), selection)


def trend(t: "Trend", selection: Selection) -> View:
    """A board's counts, version by version."""
    return project(TREND, t, selection)
