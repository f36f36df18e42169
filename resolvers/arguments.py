"""Arguments as the schema defines them, checked with pydantic before any service runs.

AppSync has already type-checked them against the schema; this guards the Lambda against any
other caller and turns a wrong shape into a ValidationError that names the field
(`input.settings.voteBudget`). Content rules (lengths, characters) are the services' job.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr

from retro.errors import ValidationError

__all__ = [
    "AddNoteArgs",
    "BoardIdArgs",
    "CreateBoardArgs",
    "CreateUserArgs",
    "DeleteBoardArgs",
    "ExportArgs",
    "ExtendTimerArgs",
    "IdArgs",
    "NoteRefArgs",
    "NoteVoteArgs",
    "PageArgs",
    "SetStageArgs",
    "SettingsInput",
    "StartTimerArgs",
    "StartVersionArgs",
    "StopTimerArgs",
    "UpdateBoardArgs",
    "UpdateNoteArgs",
    "VersionArgs",
    "parse",
]

M = TypeVar("M", bound=BaseModel)


class _Args(BaseModel):
    # defer_build: an invocation checks one or two of these ~20 models, so each builds its
    # validator when first used instead of all at import (docs/PERFORMANCE.md, cold start).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class SettingsInput(_Args):
    voteBudget: StrictInt | None = None
    hideWhileWriting: StrictBool | None = None
    secretBallot: StrictBool | None = None


class CreateBoardInput(_Args):
    title: StrictStr
    settings: SettingsInput | None = None
    clientRequestId: StrictStr | None = None


class UpdateBoardInput(_Args):
    id: StrictStr
    title: StrictStr | None = None
    settings: SettingsInput | None = None
    clientRequestId: StrictStr | None = None


class StartVersionInput(_Args):
    boardId: StrictStr
    title: StrictStr | None = None
    clientRequestId: StrictStr | None = None
    fromVersion: StrictInt | None = None


class AddNoteInput(_Args):
    boardId: StrictStr
    column: StrictStr
    text: StrictStr
    clientRequestId: StrictStr | None = None


class UpdateNoteInput(_Args):
    boardId: StrictStr
    id: StrictStr
    text: StrictStr | None = None
    column: StrictStr | None = None
    clientRequestId: StrictStr | None = None


class SetStageInput(_Args):
    boardId: StrictStr
    stage: StrictStr
    clientRequestId: StrictStr | None = None


class StartTimerInput(_Args):
    boardId: StrictStr
    seconds: StrictInt
    advance: StrictBool | None = None
    clientRequestId: StrictStr | None = None


class CreateUserArgs(_Args):
    name: StrictStr | None = None


class CreateBoardArgs(_Args):
    input: CreateBoardInput


class UpdateBoardArgs(_Args):
    input: UpdateBoardInput


class StartVersionArgs(_Args):
    input: StartVersionInput


class AddNoteArgs(_Args):
    input: AddNoteInput


class UpdateNoteArgs(_Args):
    input: UpdateNoteInput


class SetStageArgs(_Args):
    input: SetStageInput


class StartTimerArgs(_Args):
    input: StartTimerInput


class ExtendTimerArgs(_Args):
    boardId: StrictStr
    seconds: StrictInt
    clientRequestId: StrictStr | None = None


class StopTimerArgs(_Args):
    boardId: StrictStr
    clientRequestId: StrictStr | None = None


class IdArgs(_Args):
    id: StrictStr


class BoardIdArgs(_Args):
    boardId: StrictStr


class DeleteBoardArgs(_Args):
    id: StrictStr
    clientRequestId: StrictStr | None = None


class NoteRefArgs(_Args):
    boardId: StrictStr
    id: StrictStr
    clientRequestId: StrictStr | None = None


class NoteVoteArgs(_Args):
    boardId: StrictStr
    noteId: StrictStr
    clientRequestId: StrictStr | None = None


class PageArgs(_Args):
    limit: StrictInt | None = None
    nextToken: StrictStr | None = None


class VersionArgs(_Args):
    number: StrictInt


class ExportArgs(_Args):
    format: StrictStr


def parse(model: type[M], arguments: Mapping[str, Any]) -> M:
    """`arguments` as `model`, or a ValidationError naming the first offending field."""
    try:
        return model.model_validate(dict(arguments))
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "arguments"
        problem = {
            "missing": "is required",
            "extra_forbidden": "is not a field of this input",
        }.get(first["type"], first["msg"].lower())
        raise ValidationError(field, problem) from error
