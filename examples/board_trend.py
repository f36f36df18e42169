"""Print how a board's retros went, version by version, and the actions still open.

    python examples/board_trend.py BOARD_ID

One request asks for both: `trend` (every version's notes per column, votes, actions opened,
carried, done and open, and the age of the oldest open action, in retros) and the live
version's ACTION notes. The counts are kept by the server as the board changes, so the trend
costs the same for five versions or five hundred.

Output, for example:

    Sprint retro: 3 versions
    version  good  bad  actions  votes  opened  carried  done  open  oldest open
          1     2    1        2      4       2        0     1     1  0 retros
          2     0    0        2      0       1        1     0     2  1 retro
          3     0    0        2      -       0        2     0     2  2 retros

    Open actions (version 3):
    - Automate the release notes (Sam) — open for 2 retros
    - Fix the flaky test — open since this retro
"""

import argparse
import sys
from typing import Any

from retro_api import ApiError, Connection, add_connection_arguments, call, main_wrapper

TREND = """
query Trend($boardId: ID!) {
  board(id: $boardId) {
    title
    currentVersion {
      number
      notes(column: ACTION) { text done who carriedCount }
    }
  }
  trend(boardId: $boardId) {
    versions {
      number
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
"""

COLUMNS = (
    ("version", "number"),
    ("good", "goodNotes"),
    ("bad", "badNotes"),
    ("actions", "actionNotes"),
    ("votes", "votesCast"),
    ("opened", "actionsOpened"),
    ("carried", "actionsCarried"),
    ("done", "actionsDone"),
    ("open", "actionsOpen"),
)


def retros(count: int) -> str:
    return f"{count} retro{'' if count == 1 else 's'}"


def trend_table(versions: list[dict[str, Any]]) -> list[str]:
    """The trend as text columns; `-` where a count is hidden (a secret ballot while voting)."""
    lines = ["  ".join(name for name, _ in COLUMNS) + "  oldest open"]
    for version in versions:
        cells = [
            ("-" if version[key] is None else str(version[key])).rjust(len(name))
            for name, key in COLUMNS
        ]
        age = version["oldestOpenActionAge"]
        lines.append("  ".join(cells) + "  " + ("-" if age is None else retros(age)))
    return lines


def open_actions(version: dict[str, Any]) -> list[str]:
    lines = [f"Open actions (version {version['number']}):"]
    actions = [note for note in version["notes"] if not note["done"]]
    for note in actions:
        who = f" ({note['who']})" if note["who"] else ""
        age = note["carriedCount"]
        since = f"open for {retros(age)}" if age else "open since this retro"
        lines.append(f"- {note['text'] or '(hidden while writing)'}{who} — {since}")
    if not actions:
        lines.append("- none: every action is done")
    return lines


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Print a Retro board's trend and open actions.")
    add_connection_arguments(parser)
    parser.add_argument("board_id", metavar="BOARD_ID", help="the board's id")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    api = Connection.from_arguments(args)
    with api.user_client() as session:
        data = call(session, TREND, {"boardId": args.board_id})
    board, trend = data["board"], data["trend"]
    if board is None or trend is None:
        raise ApiError("NotFoundError", f"board {args.board_id} not found")
    versions = trend["versions"]
    print(f"{board['title']}: {len(versions)} version{'' if len(versions) == 1 else 's'}")
    print("\n".join(trend_table(versions)))
    print()
    print("\n".join(open_actions(board["currentVersion"])))
    return 0


if __name__ == "__main__":
    sys.exit(main_wrapper(main))
