"""The example operations of docs/API.md's reference, one per documented field.

`retro_tools.apidocs` renders them under their field and refuses to render if one is missing, does
not validate against the schema, or would not feed the documented subscriptions. The ids are
placeholders of the real shape (36 characters of Crockford base32); `tests/integrators` runs
every example against a local server with real ids put in their place.

Each mutation example selects every field the subscriptions it fires select, `boardId` first:
AppSync sends subscribers the mutation's own selection, so that is what integrators should copy.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["BOARD_ID", "EXAMPLES", "GROUP_ID", "NOTE_ID", "Example"]

BOARD_ID = "01m8fhagm700s6ct70phnfk6r90b7wn4cjrd"
NOTE_ID = "01m8fhagm745sr9r1d9q5wjh0k1b7m2a9xzt"
GROUP_ID = "01m8fhagm7r4c2x8q6mzkf3hv0d7p9s1wye5"


@dataclass(frozen=True)
class Example:
    """One operation as a client sends it.

    `path`: the field names from the operation's root down to the documented field.
    """

    path: tuple[str, ...]
    document: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""


_NOTE_FIELDS = "id boardId versionId column text votes createdAt updatedAt"
_GROUP_FIELDS = "id boardId versionId column title votes noteIds"
# What a client re-renders a meeting from; every mutation that fires onVersionChanged selects it.
_MEETING_FIELDS = """id
    boardId
    number
    stage
    textsHidden
    votesHidden
    timer { endsAt remainingMs durationSeconds advances running }"""

EXAMPLES: dict[str, Example] = {
    # -- queries ---------------------------------------------------------------------------------
    "Query.board": Example(
        ("board",),
        """
query BoardPage($id: ID!) {
  board(id: $id) {
    id
    title
    updatedAt
    settings { voteBudget hideWhileWriting secretBallot }
    currentVersion {
      id
      number
      title
      stage
      textsHidden
      votesHidden
      timer { remainingMs durationSeconds advances running }
      notes { id column text votes createdAt }
    }
    versions(limit: 20) {
      items { id number title frozenAt }
      nextToken
    }
  }
}
""",
        {"id": BOARD_ID},
        "The page a participant loads: one request, one Lambda invocation. `board` is null "
        "when no board has this id.",
    ),
    "Query.me": Example(
        ("me",),
        """
query Me {
  me { id name createdAt }
}
""",
    ),
    "Query.participation": Example(
        ("participation",),
        """
query Participation($boardId: ID!) {
  participation(boardId: $boardId) {
    boardId
    versionId
    isOwner
    voteBudget
    votesUsed
    votesLeft
    myVotes { noteId count }
    myNoteIds
    myNotes { id column text }
  }
}
""",
        {"boardId": BOARD_ID},
        "What the caller may do on the live version. Ask for it again after your own votes "
        "and notes; no subscription carries it. `myNotes` has your own texts while the board "
        "hides them.",
    ),
    "Query.trend": Example(
        ("trend",),
        """
query Trend($boardId: ID!) {
  trend(boardId: $boardId) {
    boardId
    versions {
      number
      title
      frozenAt
      goodNotes
      badNotes
      actionNotes
      votesCast
      actionsOpened
      actionsCarried
      actionsDone
      actionsOpen
      oldestOpenActionAge
    }
  }
}
""",
        {"boardId": BOARD_ID},
        "One request for the whole history, oldest version first: the counts are kept as "
        "notes and votes change, never recounted. `oldestOpenActionAge` is in retros.",
    ),
    # -- nested fields with arguments ------------------------------------------------------------
    "User.boards": Example(
        ("me", "boards"),
        """
query MyBoards($limit: Int, $nextToken: String) {
  me {
    boards(limit: $limit, nextToken: $nextToken) {
      items { id title updatedAt }
      nextToken
    }
  }
}
""",
        {"limit": 10},
        "Pass the returned `nextToken` back as `$nextToken` for the next page.",
    ),
    "Board.versions": Example(
        ("board", "versions"),
        """
query Versions($id: ID!, $nextToken: String) {
  board(id: $id) {
    versions(limit: 50, nextToken: $nextToken) {
      items { id number title createdAt frozenAt }
      nextToken
    }
  }
}
""",
        {"id": BOARD_ID},
    ),
    "Board.version": Example(
        ("board", "version"),
        """
query FirstRetro($id: ID!) {
  board(id: $id) {
    version(number: 1) {
      number
      title
      frozenAt
      notes(column: ACTION) { text votes }
    }
  }
}
""",
        {"id": BOARD_ID},
    ),
    "BoardVersion.notes": Example(
        ("board", "currentVersion", "notes"),
        """
query ActionItems($id: ID!) {
  board(id: $id) {
    currentVersion {
      notes(column: ACTION) { id text votes }
    }
  }
}
""",
        {"id": BOARD_ID},
        "Without `column`, all notes in creation order.",
    ),
    "BoardVersion.export": Example(
        ("board", "currentVersion", "export"),
        """
query ExportMarkdown($id: ID!) {
  board(id: $id) {
    currentVersion {
      number
      export(format: MARKDOWN)
    }
  }
}
""",
        {"id": BOARD_ID},
        "`examples/export_markdown.py` does this for any version.",
    ),
    # -- mutations -------------------------------------------------------------------------------
    "Mutation.createUser": Example(
        ("createUser",),
        """
mutation CreateUser($name: String) {
  createUser(name: $name) {
    token
    user { id name createdAt }
  }
}
""",
        {"name": "Action item bot"},
        "Send it with `Authorization: anonymous`. Keep the token: it is shown once.",
    ),
    "Mutation.createBoard": Example(
        ("createBoard",),
        """
mutation CreateBoard($input: CreateBoardInput!) {
  createBoard(input: $input) {
    id
    title
    createdAt
    settings { voteBudget }
    currentVersion { id number }
  }
}
""",
        {
            "input": {
                "title": "Team Falcon retro",
                "settings": {"voteBudget": 5},
                "clientRequestId": "falcon-board-2024-05-02",
            }
        },
    ),
    "Mutation.updateBoard": Example(
        ("updateBoard",),
        """
mutation RenameBoard($input: UpdateBoardInput!) {
  updateBoard(input: $input) {
    id
    title
    updatedAt
    settings { voteBudget }
  }
}
""",
        {"input": {"id": BOARD_ID, "title": "Team Falcon", "settings": {"voteBudget": 3}}},
    ),
    "Mutation.deleteBoard": Example(
        ("deleteBoard",),
        """
mutation DeleteBoard($id: ID!, $clientRequestId: String) {
  deleteBoard(id: $id, clientRequestId: $clientRequestId) { id title }
}
""",
        {"id": BOARD_ID, "clientRequestId": "falcon-goodbye"},
        "Returns the board as it was. There is no undo. The board is gone for everyone at once "
        "(one write hides it and closes it to writes); its contents are removed after that. If "
        "the answer is lost, send the same request again: it finishes a deletion that stopped "
        "half-way, and with the same `clientRequestId` it is answered with the board as it was "
        "even once nothing is left (without a key, a repeat after the end is `NotFoundError`).",
    ),
    "Mutation.startNewVersion": Example(
        ("startNewVersion",),
        """
mutation NextRetro($input: StartVersionInput!) {
  startNewVersion(input: $input) {
    id
    boardId
    number
    title
    createdAt
    notes { id column text }
  }
}
""",
        {
            "input": {
                "boardId": BOARD_ID,
                "title": "Sprint 43",
                "clientRequestId": "falcon-sprint-43",
                "fromVersion": 42,
            }
        },
        "The new version's notes are the ACTION notes carried over (new ids, zero votes), all "
        "of them, also after a failure: the version becomes live whole or not at all. "
        "`fromVersion` names the live version this start closes — the number the facilitator "
        "sees: every start naming it makes one version between them, and each is answered with "
        "it (a double click, a retry with a new key). Without `fromVersion`, a start within 5 "
        "seconds of the previous start is refused as a likely repeat (`ConflictError` saying "
        "which `fromVersion` to send to mean it).",
    ),
    "Mutation.addNote": Example(
        ("addNote",),
        f"""
mutation AddNote($input: AddNoteInput!) {{
  addNote(input: $input) {{ {_NOTE_FIELDS} }}
}}
""",
        {
            "input": {
                "boardId": BOARD_ID,
                "column": "GOOD",
                "text": "Pairing on the flaky test paid off",
                "clientRequestId": "note-7f3a",
            }
        },
        "Select `boardId`, or no `onNoteAdded` subscriber receives the note.",
    ),
    "Mutation.updateNote": Example(
        ("updateNote",),
        f"""
mutation EditNote($input: UpdateNoteInput!) {{
  updateNote(input: $input) {{ {_NOTE_FIELDS} }}
}}
""",
        {"input": {"boardId": BOARD_ID, "id": NOTE_ID, "text": "Pairing fixed the flaky test"}},
    ),
    "Mutation.deleteNote": Example(
        ("deleteNote",),
        f"""
mutation DeleteNote($boardId: ID!, $id: ID!) {{
  deleteNote(boardId: $boardId, id: $id) {{ {_NOTE_FIELDS} }}
}}
""",
        {"boardId": BOARD_ID, "id": NOTE_ID},
    ),
    "Mutation.vote": Example(
        ("vote",),
        f"""
mutation Vote($boardId: ID!, $noteId: ID!) {{
  vote(boardId: $boardId, noteId: $noteId) {{ {_NOTE_FIELDS} }}
}}
""",
        {"boardId": BOARD_ID, "noteId": NOTE_ID},
        "Call it again to put a second vote on the same note (dot voting).",
    ),
    "Mutation.unvote": Example(
        ("unvote",),
        f"""
mutation Unvote($boardId: ID!, $noteId: ID!) {{
  unvote(boardId: $boardId, noteId: $noteId) {{ {_NOTE_FIELDS} }}
}}
""",
        {"boardId": BOARD_ID, "noteId": NOTE_ID},
    ),
    "Mutation.updateAction": Example(
        ("updateAction",),
        f"""
mutation UpdateAction($input: UpdateActionInput!) {{
  updateAction(input: $input) {{ {_NOTE_FIELDS} done who carriedFrom carriedCount }}
}}
""",
        {
            "input": {
                "boardId": BOARD_ID,
                "id": NOTE_ID,
                "done": True,
                "who": "Sam",
                "clientRequestId": "falcon-done-1",
            }
        },
        "Anyone on the board may tick an action off (`done: false` opens it again) and name "
        'who takes it on (`who: ""` clears the name). A new version carries only open actions.',
    ),
    "Mutation.groupNotes": Example(
        ("groupNotes",),
        f"""
mutation GroupNotes($input: GroupNotesInput!) {{
  groupNotes(input: $input) {{ {_GROUP_FIELDS} }}
}}
""",
        {"input": {"boardId": BOARD_ID, "noteIds": [NOTE_ID], "title": "Documentation"}},
        "A new group (give `title`), or more notes for one (give `groupId`). Notes of one "
        "column, each in no other group.",
    ),
    "Mutation.renameGroup": Example(
        ("renameGroup",),
        f"""
mutation RenameGroup($input: RenameGroupInput!) {{
  renameGroup(input: $input) {{ {_GROUP_FIELDS} }}
}}
""",
        {"input": {"boardId": BOARD_ID, "id": GROUP_ID, "title": "Docs and examples"}},
    ),
    "Mutation.ungroupNote": Example(
        ("ungroupNote",),
        f"""
mutation UngroupNote($input: UngroupNoteInput!) {{
  ungroupNote(input: $input) {{ {_GROUP_FIELDS} }}
}}
""",
        {"input": {"boardId": BOARD_ID, "noteId": NOTE_ID}},
        "The answer is the group without the note; `noteIds: []` when it was the last (the "
        "group is gone).",
    ),
    "Mutation.setStage": Example(
        ("setStage",),
        f"""
mutation SetStage($input: SetStageInput!) {{
  setStage(input: $input) {{
    {_MEETING_FIELDS}
    notes {{ id column text votes }}
  }}
}}
""",
        {"input": {"boardId": BOARD_ID, "stage": "VOTE", "clientRequestId": "falcon-vote"}},
        "Moving on from WRITE reveals the texts: the answer (and every `onVersionChanged` "
        "subscriber's message) already carries them.",
    ),
    "Mutation.startTimer": Example(
        ("startTimer",),
        f"""
mutation StartTimer($input: StartTimerInput!) {{
  startTimer(input: $input) {{
    {_MEETING_FIELDS}
  }}
}}
""",
        {"input": {"boardId": BOARD_ID, "seconds": 300, "advance": True}},
        "Five minutes, then the stage moves on. Count down from when the answer arrived, "
        "by `remainingMs`.",
    ),
    "Mutation.extendTimer": Example(
        ("extendTimer",),
        f"""
mutation OneMoreMinute($boardId: ID!) {{
  extendTimer(boardId: $boardId, seconds: 60) {{
    {_MEETING_FIELDS}
  }}
}}
""",
        {"boardId": BOARD_ID},
    ),
    "Mutation.stopTimer": Example(
        ("stopTimer",),
        f"""
mutation StopTimer($boardId: ID!) {{
  stopTimer(boardId: $boardId) {{
    {_MEETING_FIELDS}
  }}
}}
""",
        {"boardId": BOARD_ID},
    ),
    # -- subscriptions ---------------------------------------------------------------------------
    "Subscription.onNoteAdded": Example(
        ("onNoteAdded",),
        f"""
subscription NoteAdded($boardId: ID!) {{
  onNoteAdded(boardId: $boardId) {{ {_NOTE_FIELDS} }}
}}
""",
        {"boardId": BOARD_ID},
    ),
    "Subscription.onNoteUpdated": Example(
        ("onNoteUpdated",),
        """
subscription NoteUpdated($boardId: ID!) {
  onNoteUpdated(boardId: $boardId) { id boardId column text votes updatedAt }
}
""",
        {"boardId": BOARD_ID},
        "Votes arrive here too: `votes` is the note's new total.",
    ),
    "Subscription.onNoteDeleted": Example(
        ("onNoteDeleted",),
        """
subscription NoteDeleted($boardId: ID!) {
  onNoteDeleted(boardId: $boardId) { id boardId }
}
""",
        {"boardId": BOARD_ID},
    ),
    "Subscription.onBoardUpdated": Example(
        ("onBoardUpdated",),
        """
subscription BoardUpdated($id: ID!) {
  onBoardUpdated(id: $id) { id title updatedAt settings { voteBudget } }
}
""",
        {"id": BOARD_ID},
    ),
    "Subscription.onBoardDeleted": Example(
        ("onBoardDeleted",),
        """
subscription BoardDeleted($id: ID!) {
  onBoardDeleted(id: $id) { id title }
}
""",
        {"id": BOARD_ID},
    ),
    "Subscription.onVersionStarted": Example(
        ("onVersionStarted",),
        """
subscription VersionStarted($boardId: ID!) {
  onVersionStarted(boardId: $boardId) { id boardId number title createdAt }
}
""",
        {"boardId": BOARD_ID},
        "Re-read the board when it arrives: the live version and its notes have changed.",
    ),
    "Subscription.onVersionChanged": Example(
        ("onVersionChanged",),
        f"""
subscription VersionChanged($boardId: ID!) {{
  onVersionChanged(boardId: $boardId) {{
    {_MEETING_FIELDS}
  }}
}}
""",
        {"boardId": BOARD_ID},
        "The stage or the timer changed. Re-read the board: a stage change may have revealed "
        "texts or counts.",
    ),
    "Subscription.onGroupChanged": Example(
        ("onGroupChanged",),
        f"""
subscription GroupChanged($boardId: ID!) {{
  onGroupChanged(boardId: $boardId) {{ {_GROUP_FIELDS} }}
}}
""",
        {"boardId": BOARD_ID},
        "Notes in `noteIds` are in the group; notes that were in it and are not listed left it.",
    ),
}
