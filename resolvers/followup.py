"""Mutation fields of the follow-through (function `write`): action items and groups.

Each answers what every subscriber may see — a `Note` (`onNoteUpdated`) or a `NoteGroup`
(`onGroupChanged`) — with no author and nothing the stage hides.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, StrictBool, StrictStr

from resolvers import views
from resolvers.arguments import parse
from resolvers.router import Call, Router
from retro import services
from retro.services import default_store

__all__ = ["router"]

router = Router("followup")


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class UpdateActionInput(_Args):
    boardId: StrictStr
    id: StrictStr
    done: StrictBool | None = None
    who: StrictStr | None = None
    clientRequestId: StrictStr | None = None


class GroupNotesInput(_Args):
    boardId: StrictStr
    noteIds: list[StrictStr]
    groupId: StrictStr | None = None
    title: StrictStr | None = None
    clientRequestId: StrictStr | None = None


class RenameGroupInput(_Args):
    boardId: StrictStr
    id: StrictStr
    title: StrictStr
    clientRequestId: StrictStr | None = None


class UngroupNoteInput(_Args):
    boardId: StrictStr
    noteId: StrictStr
    clientRequestId: StrictStr | None = None


class UpdateActionArgs(_Args):
    input: UpdateActionInput


class GroupNotesArgs(_Args):
    input: GroupNotesInput


class RenameGroupArgs(_Args):
    input: RenameGroupInput


class UngroupNoteArgs(_Args):
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
    return views.note(note)


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
    return views.group(group)


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
    return views.group(group)


@router.resolver("Mutation.ungroupNote")
def ungroup_note(call: Call) -> dict[str, Any]:
    data = parse(UngroupNoteArgs, call.arguments).input
    group = services.ungroup_note(
        default_store(), call.require_user(), data.boardId, data.noteId, data.clientRequestId
    )
    return views.group(group)
