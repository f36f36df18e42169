"""The `retro` command: `retro serve` (the local AppSync), `retro console`, `retro smoke`,
`retro doctor`."""

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _console(_args: argparse.Namespace) -> int:
    from retro_tools.console import run_console  # noqa: PLC0415 — keep `retro --help` fast

    result: int = run_console()
    return result


def _serve(args: argparse.Namespace) -> int:
    from retro_tools.serve.command import run  # noqa: PLC0415 — the local server's deps load on demand

    result: int = run(args)
    return result


def _smoke(args: argparse.Namespace) -> int:
    from retro_tools.smoke import run  # noqa: PLC0415 — gql loads on demand

    result: int = run(args)
    return result


def _doctor(args: argparse.Namespace) -> int:
    from retro_tools.doctor import run  # noqa: PLC0415 — the store loads on demand

    result: int = run(args)
    return result


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="retro",
        description="Retro: an open retrospective board on AppSync — local server and tools.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="run the local AppSync (GraphQL, realtime, GraphiQL, client) on embedded DynamoDB",
    )
    from retro_tools.serve.command import add_arguments  # noqa: PLC0415

    add_arguments(serve)
    serve.set_defaults(func=_serve)

    console = commands.add_parser(
        "console",
        help="interactive Python shell with settings, store and services loaded",
    )
    console.set_defaults(func=_console)

    smoke = commands.add_parser(
        "smoke",
        help="run a real meeting against a deployed stack or `retro serve`: PASS/FAIL per step",
        description="Two users, a board, notes and a vote arriving live over AppSync's realtime "
        "protocol, a new version and an export, against URL; exit 0 only if every step passes.",
    )
    from retro_tools.smoke import add_arguments as add_smoke_arguments  # noqa: PLC0415

    add_smoke_arguments(smoke)
    smoke.set_defaults(func=_smoke)

    doctor = commands.add_parser(
        "doctor",
        help="check boards against Retro's invariants after an incident, and repair",
        description="Check one board (--board) or every board of the environment's table: "
        "unfinished deletions, one live version, abandoned starts, unfinished carries, vote "
        "counts = vote items = ballots, partitions no board owns. Prints each finding; with "
        "--repair, what it did. Exit 0 when no problem remains.",
    )
    from retro_tools.doctor import add_arguments as add_doctor_arguments  # noqa: PLC0415

    add_doctor_arguments(doctor)
    doctor.set_defaults(func=_doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
