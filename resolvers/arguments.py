"""Arguments as the schema defines them, checked before any service runs.

AppSync has already type-checked them against the schema; this guards the Lambda against any
other caller and turns a wrong shape into a ValidationError that names the field
(`input.settings.voteBudget`). Content rules (lengths, characters) are the services' job.

Each input is a frozen dataclass (`schema_input`) checked strictly by its annotations: a `str`
takes only a string, an `int` only a whole number (not a boolean), a `bool` only a boolean, a
list only a list, an input only an object without unknown fields. The errors read as pydantic's
did, which checked these before and is no longer imported by a handler (a third of a cold
start, docs/PERFORMANCE.md).
"""

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar, dataclass_transform

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
    "schema_input",
]

M = TypeVar("M")


@dataclass_transform(frozen_default=True, kw_only_default=True)
def schema_input(cls: type[M]) -> type[M]:
    """An input type of the schema: a frozen dataclass that `parse` checks by its annotations."""
    return dataclasses.dataclass(frozen=True, slots=True, kw_only=True)(cls)


@schema_input
class SettingsInput:
    voteBudget: int | None = None
    hideWhileWriting: bool | None = None
    secretBallot: bool | None = None


@schema_input
class CreateBoardInput:
    title: str
    settings: SettingsInput | None = None
    clientRequestId: str | None = None


@schema_input
class UpdateBoardInput:
    id: str
    title: str | None = None
    settings: SettingsInput | None = None
    clientRequestId: str | None = None


@schema_input
class StartVersionInput:
    boardId: str
    title: str | None = None
    clientRequestId: str | None = None
    fromVersion: int | None = None


@schema_input
class AddNoteInput:
    boardId: str
    column: str
    text: str
    clientRequestId: str | None = None


@schema_input
class UpdateNoteInput:
    boardId: str
    id: str
    text: str | None = None
    column: str | None = None
    clientRequestId: str | None = None


@schema_input
class SetStageInput:
    boardId: str
    stage: str
    clientRequestId: str | None = None


@schema_input
class StartTimerInput:
    boardId: str
    seconds: int
    advance: bool | None = None
    clientRequestId: str | None = None


@schema_input
class CreateUserArgs:
    name: str | None = None


@schema_input
class CreateBoardArgs:
    input: CreateBoardInput


@schema_input
class UpdateBoardArgs:
    input: UpdateBoardInput


@schema_input
class StartVersionArgs:
    input: StartVersionInput


@schema_input
class AddNoteArgs:
    input: AddNoteInput


@schema_input
class UpdateNoteArgs:
    input: UpdateNoteInput


@schema_input
class SetStageArgs:
    input: SetStageInput


@schema_input
class StartTimerArgs:
    input: StartTimerInput


@schema_input
class ExtendTimerArgs:
    boardId: str
    seconds: int
    clientRequestId: str | None = None


@schema_input
class StopTimerArgs:
    boardId: str
    clientRequestId: str | None = None


@schema_input
class IdArgs:
    id: str


@schema_input
class BoardIdArgs:
    boardId: str


@schema_input
class DeleteBoardArgs:
    id: str
    clientRequestId: str | None = None


@schema_input
class NoteRefArgs:
    boardId: str
    id: str
    clientRequestId: str | None = None


@schema_input
class NoteVoteArgs:
    boardId: str
    noteId: str
    clientRequestId: str | None = None


@schema_input
class PageArgs:
    limit: int | None = None
    nextToken: str | None = None


@schema_input
class VersionArgs:
    number: int


@schema_input
class ExportArgs:
    format: str


class _Refused(Exception):
    def __init__(self, path: tuple[str, ...], problem: str) -> None:
        super().__init__(path, problem)
        self.path, self.problem = path, problem


_SCALARS: dict[Any, str] = {str: "string", int: "integer", bool: "boolean"}


def _value(kind: Any, value: Any, path: tuple[str, ...]) -> Any:
    """`value` checked as `kind` (an annotation), or _Refused at the first problem."""
    if isinstance(kind, types.UnionType):  # `X | None`: None, or an X
        if value is None:
            return None
        (kind,) = (k for k in typing.get_args(kind) if k is not type(None))
    if kind in _SCALARS:
        if type(value) is not kind:  # strict: no bool for int, no int for bool, no coercion
            raise _Refused(path, f"input should be a valid {_SCALARS[kind]}")
        return value
    if typing.get_origin(kind) is list:
        if not isinstance(value, list):
            raise _Refused(path, "input should be a valid list")
        (item,) = typing.get_args(kind)
        return [_value(item, v, (*path, str(i))) for i, v in enumerate(value)]
    return _input(kind, value, path)


def _input(model: type[M], value: Any, path: tuple[str, ...]) -> M:
    if not isinstance(value, Mapping):
        raise _Refused(
            path, f"input should be a valid dictionary or instance of {model.__name__.lower()}"
        )
    values = {}
    fields: dict[str, tuple[Any, bool]] = _fields(model)  # type: ignore[arg-type]  # a class
    for name, (kind, required) in fields.items():
        if name in value:
            values[name] = _value(kind, value[name], (*path, name))
        elif required:
            raise _Refused((*path, name), "is required")
    for name in value:
        if name not in values:
            raise _Refused((*path, str(name)), "is not a field of this input")
    return model(**values)


@functools.cache
def _fields(model: type[Any]) -> dict[str, tuple[Any, bool]]:
    """Each field of an input type: its annotation, and whether it must be given."""
    hints = typing.get_type_hints(model)
    return {
        f.name: (hints[f.name], f.default is dataclasses.MISSING) for f in dataclasses.fields(model)
    }


def parse(model: type[M], arguments: Mapping[str, Any]) -> M:
    """`arguments` as `model`, or a ValidationError naming the first offending field."""
    try:
        return _input(model, dict(arguments), ())
    except _Refused as refused:
        raise ValidationError(".".join(refused.path) or "arguments", refused.problem) from None
