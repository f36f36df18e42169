"""`retro doctor`: check boards against Retro's invariants after an incident, and repair.

    retro doctor [--board ID] [--repair] [--grace SECONDS]

On the table the environment names (`RETRO_TABLE`, `AWS_REGION`, `RETRO_DYNAMODB_ENDPOINT`),
as `retro console`. For each board it checks (docs/RELIABILITY.md, "Whole after a crash"):

- a board whose deletion began (tombstoned) is invisible, and its cleanup finished;
- exactly one live version, the one the board's item points at; numbers 1 to n;
- no staging of a start that never went live; every started version's carry finished, with
  every ACTION note of the version before it carried exactly once;
- in every version, each note's vote count = its vote items, each ballot = its voter's vote
  items, no vote on a note that is gone; every note names its own board and version;
- the board item's mirror of its live version's meeting revision (`cv_meeting_rev`) is the
  version's (a board item written before the mirror existed lacks it);

and, without `--board`, that no version partition is left without a version or a staging
(found by scanning the key-only index: `retro_tools/doctor/walk.py` says why a Scan).

It prints each finding, and with `--repair` what it did about it: finish a deletion, drop an
abandoned staging, finish a carry, give back votes of a deleted note, correct a count or the
mirror (only if unchanged since read). Then it checks again. Exit status 0 when no problem
remains, 1 otherwise.
"""

import argparse
from datetime import timedelta

__all__ = ["DEFAULT_GRACE", "add_arguments", "run"]

DEFAULT_GRACE = 60.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--board", metavar="ID", help="check this board only (default: all)")
    parser.add_argument(
        "--repair", action="store_true", help="repair what can be repaired, then check again"
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=DEFAULT_GRACE,
        metavar="SECONDS",
        help="leave starts younger than this alone: they may still be running "
        f"(default {DEFAULT_GRACE:.0f}; 0 once nothing runs, e.g. after a crash)",
    )


def run(args: argparse.Namespace) -> int:
    """`retro doctor` on the environment's table; 0 when no problem remains."""
    # The store (boto3) loads only when the doctor runs: `retro --help` stays fast.
    from retro_tools.doctor.diagnose import diagnose, patient_store  # noqa: PLC0415

    grace = timedelta(seconds=max(args.grace, 0.0))
    remaining = diagnose(patient_store(), args.board, repair=args.repair, grace=grace)
    return 0 if remaining == 0 else 1
