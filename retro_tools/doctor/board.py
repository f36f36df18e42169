"""One board against Retro's invariants: its item, versions, stagings, carries and partitions.

Every read is consistent, and every repair is conditioned on what was read, so a doctor run
during a meeting corrects nothing someone changed meanwhile (that repair fails, and the next
run looks again). Work that may still be in flight — a start staging its notes, a carry being
finished — counts as a problem only once it is older than `grace` (AppSync ends any request
after 30 s, so the default of 60 s cannot catch a live one).
"""

import functools
from collections import Counter
from datetime import datetime, timedelta

from retro.models import Board, BoardVersion, Column
from retro.services.versions import finish_carry
from retro.store import Store, keys
from retro.store.actions import Delete, Update
from retro.store.codec import Item
from retro.store.failures import StoreFailure
from retro.store.marks import CARRY_PENDING, carry_state, previous_of
from retro.store.records import ballot_step, to_note, to_version, to_vote, used_of
from retro.times import now
from retro_tools.doctor.counts import check_counts
from retro_tools.doctor.findings import Finding
from retro_tools.doctor.mirror import check_mirror

__all__ = ["check_board"]


def check_board(store: Store, board_id: str, grace: timedelta) -> list[Finding]:
    where = f"board {board_id}"
    found = store.locate_board(board_id, consistent=True)
    if found is None:
        left = store.table.children(keys.board_pid(board_id), "", consistent=True).items
        if not left:
            return []
        return [
            Finding(
                where,
                f"{len(left)} versions or stagings of a board that does not exist",
                lambda: f"removed them: {store.finish_delete(board_id, '')} items",
            )
        ]
    board = found.board
    if found.deleting:
        visible = store.find_board(board_id) is not None or board.id in _listed(store, board)
        return [
            Finding(
                where,
                "its deletion began but did not finish (tombstoned, still holding data)"
                + (" — and it is still VISIBLE" if visible else ""),
                lambda: (
                    "finished the deletion: "
                    f"{store.finish_delete(board.id, board.owner_id)} items removed"
                ),
            )
        ]
    items = store.table.children(keys.board_pid(board.id), keys.VERSION, consistent=True).items
    versions = {item["id"]: item for item in items}
    # each version's partition read once, side by side: the carries and the counts use them
    contents = dict(
        zip(
            versions,
            store.parallel(*[functools.partial(_contents, store, v) for v in versions])
            if versions
            else [],
            strict=True,
        )
    )
    live = versions.get(board.current_version.id)
    return [
        *_versions(where, board, [to_version(i) for i in items]),
        # a board naming a frozen or missing version live has a finding of its own above
        *(check_mirror(store, where, board, live) if live and "frozen_at" not in live else []),
        *_stagings(store, where, board, versions, grace),
        *_carries(store, where, board, versions, contents, grace),
        *[f for item in items for f in _partition(store, to_version(item), contents[item["id"]])],
        *check_counts(store, where, board.id, items, contents),
    ]


def _contents(store: Store, version_id: str) -> list[Item]:
    return store.table.children(keys.version_pid(version_id), "", consistent=True).items


def _listed(store: Store, board: Board) -> set[str]:
    listed, token = store.boards_of(board.owner_id, 100, None)
    ids = {b.id for b in listed}
    while token:
        listed, token = store.boards_of(board.owner_id, 100, token)
        ids |= {b.id for b in listed}
    return ids


def _versions(where: str, board: Board, versions: list[BoardVersion]) -> list[Finding]:
    findings = []
    live = sorted(v.number for v in versions if not v.is_frozen)
    current = board.current_version
    points_at = [v for v in versions if v.id == current.id and not v.is_frozen]
    if len(live) != 1 or not points_at or points_at[0].number != current.number:
        findings.append(
            Finding(
                where,
                f"live versions {live}, but the board shows version {current.number} "
                f"({current.id}) as its live one",
                why_not="a person must decide which version is live",
            )
        )
    numbers = sorted(v.number for v in versions)
    if numbers != list(range(1, len(numbers) + 1)):
        findings.append(
            Finding(where, f"version numbers {numbers} are not 1 to {len(numbers)}", why_not="")
        )
    return findings


def _stagings(
    store: Store, where: str, board: Board, versions: dict[str, Item], grace: timedelta
) -> list[Finding]:
    findings = []
    for staged in store.staged(board.id):
        age = now() - datetime.fromisoformat(staged.created_at)
        follows_live = staged.from_id == board.current_version.id
        if staged.version_id not in versions and follows_live and age < grace:
            continue  # a start in flight: its own request finishes or drops it
        findings.append(
            Finding(
                where,
                f"a start of version {staged.number} staged {age.total_seconds():.0f} s ago "
                "never went live (abandoned staging)",
                functools.partial(_drop, store, board.id, staged.version_id),
            )
        )
    return findings


def _carries(
    store: Store,
    where: str,
    board: Board,
    versions: dict[str, Item],
    contents: dict[str, list[Item]],
    grace: timedelta,
) -> list[Finding]:
    findings = []
    for item in versions.values():
        previous, state = previous_of(item), carry_state(item)
        if previous is None or state is None:
            continue  # version 1, or started before carries left receipts
        version = to_version(item)
        finish = functools.partial(_finish, store, board.id, version.id)
        if state == CARRY_PENDING:
            if now() - version.created_at < grace:
                continue  # its start is finishing it
            findings.append(
                Finding(where, f"the carry into version {version.number} is unfinished", finish)
            )
            continue
        receipts = {
            keys.stem(str(i["cid"]))
            for i in contents.get(version.id, [])
            if str(i["cid"]).startswith(keys.CARRY)
        }
        before = contents.get(previous)
        if before is None:  # the version it follows is gone: nothing to carry from
            continue
        missing = [
            n
            for n in (to_note(i) for i in before if str(i["cid"]).startswith(keys.NOTE))
            if n.column is Column.ACTION and not n.done and n.id not in receipts
        ]
        if missing:
            findings.append(
                Finding(
                    where,
                    f"{len(missing)} ACTION notes of the version before {version.number} were "
                    "never carried into it",
                    finish,
                )
            )
    return findings


def _drop(store: Store, board_id: str, version_id: str) -> str:
    return f"removed the staging: {store.drop_staged(board_id, version_id)} items"


def _finish(store: Store, board_id: str, version_id: str) -> str:
    copied, taken_back = finish_carry(store, board_id, version_id)
    return f"finished the carry: {copied} notes copied, {taken_back} copies taken back"


def _partition(store: Store, version: BoardVersion, items: list[Item]) -> list[Finding]:
    """A version's notes, votes and ballots agree: note counts = vote items = ballots."""
    where = f"board {version.board_id} version {version.number}"
    notes = {n.id: n for n in (to_note(i) for i in items if str(i["cid"]).startswith(keys.NOTE))}
    votes = [to_vote(i) for i in items if str(i["cid"]).startswith(keys.VOTE)]
    votes = [v for v in votes if v.count > 0]
    ballots = {keys.stem(str(i["cid"])): i for i in items if str(i["cid"]).startswith(keys.BALLOT)}
    findings = []
    for note in notes.values():
        if note.board_id != version.board_id or note.version_id != version.id:
            findings.append(
                Finding(where, f"note {note.id} names another board or version", why_not="")
            )
    sources = Counter(n.carried_from for n in notes.values() if n.carried_from)
    for source, count in sources.items():
        if count > 1:
            findings.append(Finding(where, f"note {source} is carried {count} times", why_not=""))
    recorded: Counter[str] = Counter()
    spent: Counter[str] = Counter()
    for vote in votes:
        spent[vote.voter] += vote.count
        if vote.note_id in notes:
            recorded[vote.note_id] += vote.count
            continue
        refund: list[Delete | Update] = [
            Delete(keys.vote(version.id, vote.voter, vote.note_id), keys.vote_count_is(vote.count)),
            Update(keys.ballot(version.id, vote.voter), add=ballot_step(-vote.count)),
        ]
        findings.append(
            Finding(
                where,
                f"{vote.count} vote(s) on note {vote.note_id}, which is gone, still count "
                "against a ballot",
                functools.partial(_apply, store, refund, f"gave back {vote.count} vote(s)"),
            )
        )
    for note in notes.values():
        if note.votes != recorded[note.id]:
            fix = Update(
                keys.note(version.id, note.id),
                set_={"votes": recorded[note.id]},
                condition=keys.is_untouched_own_note(note.author_id, note.votes, note.vote_moves),
            )
            findings.append(
                Finding(
                    where,
                    f"note {note.id} shows {note.votes} votes, {recorded[note.id]} recorded",
                    functools.partial(_apply, store, [fix], f"set to {recorded[note.id]}"),
                )
            )
    for voter in set(ballots) | set(spent):
        used = used_of(ballots.get(voter))
        if used != spent[voter]:
            # an orphan vote's refund moves both, so the ballot agrees after it
            fix = Update(
                keys.ballot(version.id, voter),
                set_={"used": spent[voter]},
                condition=keys.ballot_used_is(used),
            )
            findings.append(
                Finding(
                    where,
                    f"a ballot shows {used} votes spent, its vote items hold {spent[voter]}",
                    functools.partial(_apply, store, [fix], f"set to {spent[voter]}"),
                )
            )
    return findings


def _apply(store: Store, actions: list[Delete | Update], done: str) -> str:
    try:
        store.table.transact(actions)
    except StoreFailure:
        return "not repaired: it changed meanwhile (run again)"
    return done
