"""Every board of the table, and the partitions no board owns — found with a Scan.

Retro's runtime never scans (every access pattern is a key lookup; the tests fail on a Scan).
The doctor is an operator's tool run after an incident, and a walk of every board has no key
to start from, so it scans — the `cid_si` index, which holds only keys (KEYS_ONLY): the cheapest
read of the table's whole shape. Users cannot be walked instead: there is no list of users
either, and a partition whose board is gone has no user to be found from.
"""

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from retro.store import Store, keys
from retro.store.table import INDEX_BY_ID
from retro_tools.doctor.findings import Finding

__all__ = ["Shape", "orphan_partitions", "scan_shape"]


@dataclass
class Shape:
    """What a scan of the index saw: boards, and the versions and stagings of each."""

    boards: set[str] = field(default_factory=set)  # with a board item
    parents: set[str] = field(default_factory=set)  # with versions or stagings under them
    versions: set[str] = field(default_factory=set)  # version items and staged versions
    partitions: set[str] = field(default_factory=set)  # versions with items under them


def _keys(store: Store) -> Iterator[tuple[str, str]]:
    args: dict[str, Any] = {"TableName": store.table.name, "IndexName": INDEX_BY_ID}
    while True:
        page = store.table.client.scan(**args)
        for raw in page.get("Items", []):
            yield raw["pid"]["S"], raw["cid"]["S"]
        if not page.get("LastEvaluatedKey"):
            return
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def scan_shape(store: Store) -> Shape:
    shape = Shape()
    for pid, cid in _keys(store):
        if pid.startswith(keys.BOARD):
            shape.parents.add(keys.stem(pid))
            shape.versions.add(keys.stem(cid))
        elif pid.startswith(keys.VERSION):
            shape.partitions.add(keys.stem(pid))
        elif keys.board_owner((pid, cid)) is not None:
            shape.boards.add(keys.stem(cid))
    return shape


def orphan_partitions(store: Store, shape: Shape) -> list[Finding]:
    """Version partitions that neither a version nor a staging marker names (checked again
    with consistent reads: the index lags the table)."""
    findings = []
    for version_id in sorted(shape.partitions - shape.versions):
        items = store.table.children(keys.version_pid(version_id), "", consistent=True).items
        board_id = next((str(i["board_id"]) for i in items if "board_id" in i), None)
        if board_id is not None and (
            store.table.get(keys.version(board_id, version_id), consistent=True)
            or store.table.get(keys.stage(board_id, version_id), consistent=True)
        ):
            continue
        if not items:
            continue
        findings.append(
            Finding(
                f"version {version_id}",
                f"{len(items)} items under a version no board has",
                functools.partial(_empty, store, version_id),
            )
        )
    return findings


def _empty(store: Store, version_id: str) -> str:
    return f"removed them: {store.empty_versions([version_id])} items"
