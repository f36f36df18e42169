"""Mutation fields of the follow-through (function `write`): action items and groups.

Each answers what every subscriber may see — a `Note` (`onNoteUpdated`) or a `NoteGroup`
(`onGroupChanged`) — with no author and nothing the stage hides.
"""

from typing import Any

from resolvers import views
from resolvers.arguments import SchemaInput, parse
from resolvers.router import Call, Router
from retro import services
from retro.services import default_store

__all__ = ["router"]

router = Router("followup")


class UpdateActionInput(SchemaInput):
    boardId: str
    id: str
    done: bool | None = None
    who: str | None = None
    clientRequestId: str | None = None


class GroupNotesInput(SchemaInput):
    boardId: str
    noteIds: list[str]
    groupId: str | None = None
    title: str | None = None
    clientRequestId: str | None = None


class RenameGroupInput(SchemaInput):
    boardId: str
    id: str
    title: str
    clientRequestId: str | None = None


class UngroupNoteInput(SchemaInput):
    boardId: str
    noteId: str
    clientRequestId: str | None = None


class UpdateActionArgs(SchemaInput):
    input: UpdateActionInput


class GroupNotesArgs(SchemaInput):
    input: GroupNotesInput


class RenameGroupArgs(SchemaInput):
    input: RenameGroupInput


class UngroupNoteArgs(SchemaInput):
    input: UngroupNoteInput


@router.resolver("Mutation.updateAction")
def update_action(call: Call) -> dict[str, Any]:
    data = parse(UpdateActionArgs, call.arguments).input
    note = services.update_action(
        default_store(),
        call.require_user(),
        data.boardId,
        data.id,
        data.done,
        data.who,
        data.clientRequestId,
    )
    return views.note(note, call.selection)


@router.resolver("Mutation.groupNotes")
def group_notes(call: Call) -> dict[str, Any]:
    data = parse(GroupNotesArgs, call.arguments).input
    group = services.group_notes(
        default_store(),
        call.require_user(),
        data.boardId,
        data.noteIds,
        data.groupId,
        data.title,
        data.clientRequestId,
    )
    return views.group(group, call.selection)


@router.resolver("Mutation.renameGroup")
def rename_group(call: Call) -> dict[str, Any]:
    data = parse(RenameGroupArgs, call.arguments).input
    group = services.rename_group(
        default_store(),
        call.require_user(),
        data.boardId,
        data.id,
        data.title,
        data.clientRequestId,
    )
    return views.group(group, call.selection)


@router.resolver("Mutation.ungroupNote")
def ungroup_note(call: Call) -> dict[str, Any]:
    data = parse(UngroupNoteArgs, call.arguments).input
    group = services.ungroup_note(
        default_store(), call.require_user(), data.boardId, data.noteId, data.clientRequestId
    )
    return views.group(group, call.selection)
