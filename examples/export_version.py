"""Print a version of a board as Markdown (or CSV, or JSON).

    python examples/export_version.py BOARD_ID               # the live version
    python examples/export_version.py BOARD_ID --version 3   # version 3, live or frozen
    python examples/export_version.py BOARD_ID --format CSV > retro.csv

Anyone with the board's id may export it; the export carries no author and no voter. The
document goes to standard output as the API returns it, so it can be piped or redirected.
"""

import argparse
import sys

from retro_api import ApiError, Connection, add_connection_arguments, call, main_wrapper

# The live version needs no number: `currentVersion` is filled in the same call as the board.
EXPORT_CURRENT = """
query ExportCurrent($boardId: ID!, $format: ExportFormat!) {
  board(id: $boardId) {
    currentVersion { number export(format: $format) }
  }
}
"""

EXPORT_NUMBER = """
query ExportNumber($boardId: ID!, $number: Int!, $format: ExportFormat!) {
  board(id: $boardId) {
    version(number: $number) { number export(format: $format) }
  }
}
"""


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Print a version of a Retro board.")
    add_connection_arguments(parser)
    parser.add_argument("board_id", metavar="BOARD_ID", help="the board's id")
    parser.add_argument(
        "--version", type=int, help="the version's number (1 is the first); default: the live one"
    )
    parser.add_argument(
        "--format",
        default="MARKDOWN",
        type=str.upper,
        choices=("MARKDOWN", "CSV", "JSON"),
        help="MARKDOWN (default) or CSV for people, JSON for programs",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    api = Connection.from_arguments(args)
    variables: dict[str, object] = {"boardId": args.board_id, "format": args.format}
    with api.user_client() as session:
        if args.version is None:
            board = call(session, EXPORT_CURRENT, variables)["board"]
            version = board["currentVersion"] if board else None
        else:
            board = call(session, EXPORT_NUMBER, {**variables, "number": args.version})["board"]
            version = board["version"] if board else None
    if board is None:
        raise ApiError("NotFoundError", f"board {args.board_id} not found")
    if version is None:
        raise ApiError("NotFoundError", f"board {args.board_id} has no version {args.version}")
    sys.stdout.write(version["export"])
    return 0


if __name__ == "__main__":
    sys.exit(main_wrapper(main))
