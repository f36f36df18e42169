"""A version's kept counts (the trend's numbers) against a recount of its notes.

Every write moves the counts in its own transaction, so they disagree only on versions stored
before counts existed (they read zero) or after damage no transaction makes. Only frozen
versions are checked: their notes never change, so a recount stays true and is written back. A
live version's notes change while the doctor reads (a false alarm during a meeting); it is
checked once the next start has frozen it.
"""

from retro.models import BoardVersion
from retro.services.trends import recount_frozen
from retro.store import Store, keys
from retro.store.codec import Item
from retro.store.records import to_note, to_version
from retro.store.tallies import as_counts, counts, to_tally
from retro_tools.doctor.findings import Finding

__all__ = ["check_counts"]


def check_counts(
    store: Store, where: str, board_id: str, items: list[Item], contents: dict[str, list[Item]]
) -> list[Finding]:
    """`items`: the board's version items; `contents`: each version's partition, already read."""
    frozen: list[BoardVersion] = []
    for item in items:
        version = to_version(item)
        notes = [to_note(i) for i in contents.get(version.id, []) if _is_note(i)]
        if version.is_frozen and counts(notes) != as_counts(to_tally(item)):
            frozen.append(version)
    if not frozen:
        return []
    numbers = ", ".join(str(v.number) for v in frozen)
    return [
        Finding(
            where,
            f"the kept counts of version(s) {numbers} disagree with their notes",
            lambda: f"recounted version(s) {recount_frozen(store, board_id)}",
        )
    ]


def _is_note(item: Item) -> bool:
    return str(item["cid"]).startswith(keys.NOTE)
