"""Arguments as the schema defines them, checked before any service runs.

AppSync has already type-checked them against the schema; this guards the Lambda against any
other caller and turns a wrong shape into a ValidationError that names the field
(`input.settings.voteBudget`). Content rules (lengths, characters) are the services' job.

Each input is a `SchemaInput` checked strictly by its annotations: a `str`
takes only a string, an `int` only a whole number (not a boolean), a `bool` only a boolean, a
list only a list, an input only an object without unknown fields. The errors read as pydantic's
did, which checked these before and is no longer imported by a handler (a third of a cold
start, docs/PERFORMANCE.md).
"""

import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

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
    "SchemaInput",
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

M = TypeVar("M", bound="SchemaInput")


class SchemaInput:
    """An input type of the schema, read-only once `parse` has checked and set its fields.

    Its fields are its annotations; a field with a class attribute (its default) may be left
    out. Not a dataclass: creating a dataclass runs generated code, ~0.5-1 ms a class, and a
    handler imports ~35 of these to check one or two per invocation.
    """

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")


class SettingsInput(SchemaInput):
    voteBudget: int | None = None
    hideWhileWriting: bool | None = None
    secretBallot: bool | None = None


class CreateBoardInput(SchemaInput):
    title: str
    settings: SettingsInput | None = None
    clientRequestId: str | None = None


class UpdateBoardInput(SchemaInput):
    id: str
    title: str | None = None
    settings: SettingsInput | None = None
    clientRequestId: str | None = None


class StartVersionInput(SchemaInput):
    boardId: str
    title: str | None = None
    clientRequestId: str | None = None
    fromVersion: int | None = None


class AddNoteInput(SchemaInput):
    boardId: str
    column: str
    text: str
    clientRequestId: str | None = None


class UpdateNoteInput(SchemaInput):
    boardId: str
    id: str
    text: str | None = None
    column: str | None = None
    clientRequestId: str | None = None


class SetStageInput(SchemaInput):
    boardId: str
    stage: str
    clientRequestId: str | None = None


class StartTimerInput(SchemaInput):
    boardId: str
    seconds: int
    advance: bool | None = None
    clientRequestId: str | None = None


class CreateUserArgs(SchemaInput):
    name: str | None = None


class CreateBoardArgs(SchemaInput):
    input: CreateBoardInput


class UpdateBoardArgs(SchemaInput):
    input: UpdateBoardInput


class StartVersionArgs(SchemaInput):
    input: StartVersionInput


class AddNoteArgs(SchemaInput):
    input: AddNoteInput


class UpdateNoteArgs(SchemaInput):
    input: UpdateNoteInput


class SetStageArgs(SchemaInput):
    input: SetStageInput


class StartTimerArgs(SchemaInput):
    input: StartTimerInput


class ExtendTimerArgs(SchemaInput):
    boardId: str
    seconds: int
    clientRequestId: str | None = None


class StopTimerArgs(SchemaInput):
    boardId: str
    clientRequestId: str | None = None


class IdArgs(SchemaInput):
    id: str


class BoardIdArgs(SchemaInput):
    boardId: str


class DeleteBoardArgs(SchemaInput):
    id: str
    clientRequestId: str | None = None


class NoteRefArgs(SchemaInput):
    boardId: str
    id: str
    clientRequestId: str | None = None


class NoteVoteArgs(SchemaInput):
    boardId: str
    noteId: str
    clientRequestId: str | None = None


class PageArgs(SchemaInput):
    limit: int | None = None
    nextToken: str | None = None


class VersionArgs(SchemaInput):
    number: int


class ExportArgs(SchemaInput):
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
    found = object.__new__(model)
    for name, checked in values.items():
        object.__setattr__(found, name, checked)  # read-only to everyone else
    return found


@functools.cache
def _fields(model: type[Any]) -> dict[str, tuple[Any, bool]]:
    """Each field of an input type: its annotation, and whether it must be given."""
    return {
        name: (kind, name not in vars(model)) for name, kind in typing.get_type_hints(model).items()
    }


def parse(model: type[M], arguments: Mapping[str, Any]) -> M:
    """`arguments` as `model`, or a ValidationError naming the first offending field."""
    try:
        return _input(model, dict(arguments), ())
    except _Refused as refused:
        raise ValidationError(".".join(refused.path) or "arguments", refused.problem) from None
