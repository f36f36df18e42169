"""Create a retro board and add notes to it.

    python examples/create_board.py "Team Falcon retro" \\
        --note "good:Pairing on the flaky test paid off" \\
        --note "action:Automate the release notes"

Prints the board's id (share it: knowing it is the invitation) and each note added. Without
RETRO_TOKEN it first creates a user with the anonymous credential and tells you how to reuse its
token; the board belongs to that user, who alone may rename it, start its next version or delete it.

Each create carries a `clientRequestId`, so a retry after a timeout or `UnavailableError`
cannot create the board or a note twice.
"""

import argparse
import sys
import uuid

from retro_api import Connection, add_connection_arguments, call, main_wrapper

CREATE_BOARD = """
mutation CreateBoard($input: CreateBoardInput!) {
  createBoard(input: $input) {
    id
    title
    settings { voteBudget }
    currentVersion { number }
  }
}
"""

# Selecting boardId (and every field a live client shows) is what lets subscribers of
# onNoteAdded receive this note: AppSync sends them the mutation's own selection.
ADD_NOTE = """
mutation AddNote($input: AddNoteInput!) {
  addNote(input: $input) { id boardId versionId column text votes createdAt updatedAt }
}
"""

COLUMNS = ("GOOD", "BAD", "ACTION")


def note_argument(text: str) -> tuple[str, str]:
    """`column:text`, e.g. `good:Pairing helped`, as (COLUMN, text)."""
    column, separator, body = text.partition(":")
    if not separator or column.strip().upper() not in COLUMNS:
        raise argparse.ArgumentTypeError(f"expected COLUMN:TEXT with COLUMN one of {COLUMNS}")
    return column.strip().upper(), body


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Create a Retro board and add notes to it.")
    add_connection_arguments(parser)
    parser.add_argument("title", help="the board's title (1 to 200 characters)")
    parser.add_argument(
        "--note",
        dest="notes",
        action="append",
        default=[],
        type=note_argument,
        metavar="COLUMN:TEXT",
        help="a note to add, e.g. 'good:Pairing helped' (repeat for more)",
    )
    parser.add_argument(
        "--vote-budget", type=int, help="votes per person per version (1 to 100; default 5)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    api = Connection.from_arguments(args)
    board_input: dict[str, object] = {"title": args.title, "clientRequestId": str(uuid.uuid4())}
    if args.vote_budget is not None:
        board_input["settings"] = {"voteBudget": args.vote_budget}
    with api.user_client() as session:
        board = call(session, CREATE_BOARD, {"input": board_input})["createBoard"]
        print(
            f"board {board['id']} {board['title']!r} "
            f"(version {board['currentVersion']['number']}, "
            f"{board['settings']['voteBudget']} votes each)"
        )
        for column, text in args.notes:
            note_input = {
                "boardId": board["id"],
                "column": column,
                "text": text,
                "clientRequestId": str(uuid.uuid4()),
            }
            note = call(session, ADD_NOTE, {"input": note_input})["addNote"]
            print(f"added {note['column']:<6} {note['text']}  (note {note['id']})")
    return 0


if __name__ == "__main__":
    sys.exit(main_wrapper(main))
