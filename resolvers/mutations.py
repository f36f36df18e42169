"""Mutation fields (function `write`)."""

from typing import Any

from resolvers import views
from resolvers.arguments import (
    AddNoteArgs,
    CreateBoardArgs,
    CreateUserArgs,
    DeleteBoardArgs,
    ExtendTimerArgs,
    NoteRefArgs,
    NoteVoteArgs,
    SetStageArgs,
    SettingsInput,
    StartTimerArgs,
    StartVersionArgs,
    StopTimerArgs,
    UpdateBoardArgs,
    UpdateNoteArgs,
    parse,
)
from resolvers.router import Call, Router
from resolvers.specs import board_spec, version_spec
from retro import services
from retro.models import BoardVersion
from retro.services import default_store
from retro.services.pages import VersionSpec

__all__ = ["router"]

router = Router("mutations")


def _version_view(call: Call, version: BoardVersion, spec: VersionSpec) -> dict[str, Any]:
    """A version a mutation answers, with what its selection asks for under it (`spec`)."""
    page = services.load_versions(default_store(), [version], spec)[0]
    return views.version(page, call.selection)


@router.resolver("Mutation.createUser")
def create_user(call: Call) -> dict[str, Any]:
    args = parse(CreateUserArgs, call.arguments)
    user, token = services.create_user(default_store(), args.name)
    return views.session(user, token, call.selection)


# Each mutation that returns a board or a version makes its page spec before it writes: a
# selection refused after the write would fail a call whose change was made.
@router.resolver("Mutation.createBoard")
def create_board(call: Call) -> dict[str, Any]:
    data = parse(CreateBoardArgs, call.arguments).input
    spec = board_spec(call.selection)
    settings = data.settings or SettingsInput()
    board = services.create_board(
        default_store(),
        call.require_user(),
        data.title,
        settings.voteBudget,
        data.clientRequestId,
        hide_while_writing=settings.hideWhileWriting,
        secret_ballot=settings.secretBallot,
    )
    return views.board(services.load_boards(default_store(), [board], spec)[0], call.selection)


@router.resolver("Mutation.updateBoard")
def update_board(call: Call) -> dict[str, Any]:
    data = parse(UpdateBoardArgs, call.arguments).input
    spec = board_spec(call.selection)
    settings = data.settings or SettingsInput()
    board = services.update_board(
        default_store(),
        call.require_user(),
        data.id,
        data.title,
        settings.voteBudget,
        data.clientRequestId,
        hide_while_writing=settings.hideWhileWriting,
        secret_ballot=settings.secretBallot,
    )
    return views.board(services.load_boards(default_store(), [board], spec)[0], call.selection)


@router.resolver("Mutation.deleteBoard")
def delete_board(call: Call) -> dict[str, Any]:
    """The board as it was, with what the selection asks for under it: what just went."""
    args = parse(DeleteBoardArgs, call.arguments)
    spec = board_spec(call.selection)
    page = services.delete_board(
        default_store(), call.require_user(), args.id, spec, args.clientRequestId
    )
    return views.board(page, call.selection)


@router.resolver("Mutation.startNewVersion")
def start_new_version(call: Call) -> dict[str, Any]:
    data = parse(StartVersionArgs, call.arguments).input
    spec = version_spec(call.selection)
    version = services.start_new_version(
        default_store(),
        call.require_user(),
        data.boardId,
        data.title,
        data.clientRequestId,
        data.fromVersion,
    )
    return _version_view(call, version, spec)


@router.resolver("Mutation.addNote")
def add_note(call: Call) -> dict[str, Any]:
    data = parse(AddNoteArgs, call.arguments).input
    note = services.add_note(
        default_store(),
        call.require_user(),
        data.boardId,
        data.column,
        data.text,
        data.clientRequestId,
    )
    return views.note(note, call.selection)


@router.resolver("Mutation.updateNote")
def update_note(call: Call) -> dict[str, Any]:
    data = parse(UpdateNoteArgs, call.arguments).input
    note = services.update_note(
        default_store(),
        call.require_user(),
        data.boardId,
        data.id,
        data.text,
        data.column,
        data.clientRequestId,
    )
    return views.note(note, call.selection)


@router.resolver("Mutation.deleteNote")
def delete_note(call: Call) -> dict[str, Any]:
    args = parse(NoteRefArgs, call.arguments)
    return views.note(
        services.delete_note(
            default_store(), call.require_user(), args.boardId, args.id, args.clientRequestId
        ),
        call.selection,
    )


# A vote in a secret ballot answers null: AppSync sends the answer to every onNoteUpdated
# subscriber, and a null answer matches none of them (retro.services.votes).
@router.resolver("Mutation.vote")
def vote(call: Call) -> dict[str, Any] | None:
    args = parse(NoteVoteArgs, call.arguments)
    voted = services.vote(
        default_store(), call.require_user(), args.boardId, args.noteId, args.clientRequestId
    )
    return views.note(voted, call.selection) if voted is not None else None


@router.resolver("Mutation.unvote")
def unvote(call: Call) -> dict[str, Any] | None:
    args = parse(NoteVoteArgs, call.arguments)
    unvoted = services.unvote(
        default_store(), call.require_user(), args.boardId, args.noteId, args.clientRequestId
    )
    return views.note(unvoted, call.selection) if unvoted is not None else None


# The meeting's mutations answer the live version; AppSync sends it to every onVersionChanged
# subscriber, so it is the public version (what the stage hides is not in its notes).
@router.resolver("Mutation.setStage")
def set_stage(call: Call) -> dict[str, Any]:
    data = parse(SetStageArgs, call.arguments).input
    spec = version_spec(call.selection)
    version = services.set_stage(
        default_store(), call.require_user(), data.boardId, data.stage, data.clientRequestId
    )
    return _version_view(call, version, spec)


@router.resolver("Mutation.startTimer")
def start_timer(call: Call) -> dict[str, Any]:
    data = parse(StartTimerArgs, call.arguments).input
    spec = version_spec(call.selection)
    version = services.start_timer(
        default_store(),
        call.require_user(),
        data.boardId,
        data.seconds,
        data.advance,
        data.clientRequestId,
    )
    return _version_view(call, version, spec)


@router.resolver("Mutation.extendTimer")
def extend_timer(call: Call) -> dict[str, Any]:
    args = parse(ExtendTimerArgs, call.arguments)
    spec = version_spec(call.selection)
    version = services.extend_timer(
        default_store(), call.require_user(), args.boardId, args.seconds, args.clientRequestId
    )
    return _version_view(call, version, spec)


@router.resolver("Mutation.stopTimer")
def stop_timer(call: Call) -> dict[str, Any]:
    args = parse(StopTimerArgs, call.arguments)
    spec = version_spec(call.selection)
    version = services.stop_timer(
        default_store(), call.require_user(), args.boardId, args.clientRequestId
    )
    return _version_view(call, version, spec)
