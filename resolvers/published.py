"""Mutations whose answer AppSync publishes, and the names its subscription filters read.

A mutation named in a subscription's `@aws_subscribe` has its result sent to that
subscription's subscribers whose arguments equal the result's fields of the same names
(`onNoteAdded(boardId:)` gets the notes whose `boardId` is the board subscribed to). AppSync's
guide does not say whether "the same name" is the field's name or the response key the
mutation's caller chose, and AppSync is reported to key the result by response keys
(aws/aws-appsync-community#160). Then `addNote(...) { boardId: text }` on one's own board,
with another board's id as the text, would show that note live on the other board.

So a published mutation's selection may not give a filter argument's name to another field:
`boardId: text` is refused before anything is read or written; `boardId: boardId` and
`noteText: text` are fine. Only top-level fields count: the filters read nothing else.

`FILTERED` is what schema/schema.graphql's `@aws_subscribe` bindings say; the zips carry
modules only, not the schema, so tests/api/test_published.py derives it from the SDL and holds
this equal (a new binding or argument fails that test until it is here).
"""

from collections.abc import Callable, Mapping

from resolvers.selection import Selection
from retro.errors import ValidationError

__all__ = ["FILTERED", "refuse_renamed_filters"]

_BOARD_ID = frozenset({"boardId"})
_ID = frozenset({"id"})

# "Mutation.<field>" -> the argument names of the subscriptions it fires
FILTERED: Mapping[str, frozenset[str]] = {
    "Mutation.addNote": _BOARD_ID,
    "Mutation.updateNote": _BOARD_ID,
    "Mutation.vote": _BOARD_ID,
    "Mutation.unvote": _BOARD_ID,
    "Mutation.updateAction": _BOARD_ID,
    "Mutation.deleteNote": _BOARD_ID,
    "Mutation.updateBoard": _ID,
    "Mutation.deleteBoard": _ID,
    "Mutation.startNewVersion": _BOARD_ID,
    "Mutation.setStage": _BOARD_ID,
    "Mutation.startTimer": _BOARD_ID,
    "Mutation.extendTimer": _BOARD_ID,
    "Mutation.stopTimer": _BOARD_ID,
    "Mutation.groupNotes": _BOARD_ID,
    "Mutation.renameGroup": _BOARD_ID,
    "Mutation.ungroupNote": _BOARD_ID,
}


def refuse_renamed_filters(key: str, text: str, selection: Callable[[], Selection]) -> None:
    """Raise ValidationError if `key` is published and its selection (`text`, read by
    `selection` when it may hold an alias) names another field after a filter argument."""
    names = FILTERED.get(key)
    if not names or ":" not in text:  # no alias without a colon: nothing to read
        return
    for selected in selection().fields:
        if selected.alias in names and selected.alias != selected.name:
            raise ValidationError(
                "selection",
                f"`{selected.alias}` may only be the {selected.alias} field: subscriptions "
                f"deliver this answer to the board its `{selected.alias}` names, so "
                f"`{selected.alias}: {selected.name}` is refused (select `{selected.name}` "
                "under another name)",
            )
