"""The doctor's run: look, print each finding, repair if asked, look again."""

import sys
from datetime import timedelta
from typing import TextIO

import boto3
from botocore.config import Config

from retro.settings import settings
from retro.store import Store, Table
from retro_tools.doctor.board import check_board
from retro_tools.doctor.findings import Finding
from retro_tools.doctor.walk import orphan_partitions, scan_shape

__all__ = ["diagnose", "patient_store"]


def patient_store() -> Store:
    """A store on the environment's table whose client waits as an operator would: a request
    may take a minute and is tried 5 times (the handlers' 5 s and 3 tries suit a Lambda inside
    AppSync's 30 s, not a walk of a whole table after an incident)."""
    config = settings()
    client = boto3.session.Session().client(
        "dynamodb",
        region_name=config.region,
        endpoint_url=str(config.dynamodb_endpoint) if config.dynamodb_endpoint else None,
        config=Config(read_timeout=60, retries={"mode": "standard", "max_attempts": 5}),
    )
    return Store(Table(config, client=client))


def diagnose(
    store: Store,
    board_id: str | None = None,
    *,
    repair: bool = False,
    grace: timedelta = timedelta(seconds=60),
    out: TextIO | None = None,
) -> int:
    """Check (and repair) one board or all; print what was found and done. Returns how many
    problems remain."""
    out = out or sys.stdout
    findings, checked = _look(store, board_id, grace)
    for finding in findings:
        print(finding.line(), file=out)
        if finding.repair is None:
            print(f"  cannot repair{': ' + finding.why_not if finding.why_not else ''}", file=out)
        elif repair:
            print(f"  repaired: {finding.repair()}", file=out)
        else:
            print("  repairable: run with --repair", file=out)
    remaining = len(findings)
    if repair and findings:
        again, _ = _look(store, board_id, grace)
        for finding in again:
            print(f"still: {finding.line()}", file=out)
        remaining = len(again)
    print(
        f"checked {checked} board(s): {len(findings)} problem(s) found"
        + (f", {remaining} remaining" if repair else ""),
        file=out,
    )
    return remaining


def _look(store: Store, board_id: str | None, grace: timedelta) -> tuple[list[Finding], int]:
    if board_id is not None:
        return check_board(store, board_id, grace), 1
    shape = scan_shape(store)
    boards = sorted(shape.boards | shape.parents)
    findings = [f for b in boards for f in check_board(store, b, grace)]
    return findings + orphan_partitions(store, shape), len(boards)
