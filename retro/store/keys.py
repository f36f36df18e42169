"""Key shapes, their parsing, and condition expressions: the only place that knows how items
are addressed.

The original design, kept: `pid` is the parent's id, `cid` the item's own id. A short type prefix
on each id keeps a partition's kinds of children apart (a version's partition holds its notes,
ballots and votes) and lets `begins_with` select one kind.

| item | pid | cid |
|---|---|---|
| User | `U#<user>` (a root: its own parent) | `U#<user>` |
| Token (hash of a user's token) | `U#<user>` | `T#<sha256 of token>` |
| Idempotency record | `U#<user>` | `I#<operation>#<client key>` |
| Board | `U#<owner>` | `B#<board>` |
| BoardVersion | `B#<board>` | `V#<version>` |
| Note | `V#<version>` | `N#<note>` |
| Ballot (votes a user spent on a version) | `V#<version>` | `BALLOT#<user>` |
| Vote (a user's votes on one note) | `V#<version>` | `VOTE#<user>#<note>` |
| Staging marker (a version being started) | `B#<board>` | `STAGE#<new version>` |
| Carry receipt (an action note carried over) | `V#<new version>` | `CARRY#<source note>` |
"""

import hashlib

from retro.store.codec import Condition, Key

__all__ = [
    "BALLOT",
    "BOARD",
    "CARRY",
    "GROUP",
    "NOTE",
    "STAGE",
    "VERSION",
    "VOTE",
    "ballot",
    "ballot_used_is",
    "board",
    "board_cid",
    "board_owner",
    "board_pid",
    "budget_left",
    "exists",
    "group",
    "has_vote",
    "holds_no_votes",
    "idempotency",
    "is_author",
    "is_current",
    "is_deleting",
    "is_live",
    "is_owner",
    "is_owner_at",
    "is_untouched_own_note",
    "not_exists",
    "note",
    "note_cid",
    "note_has_votes",
    "owner_pid",
    "receipt",
    "request_token",
    "stage",
    "stem",
    "token",
    "user",
    "version",
    "version_of",
    "version_pid",
    "vote",
    "vote_count_is",
    "vote_parts",
    "vote_to_take_back",
    "votes_of",
]

USER, TOKEN, IDEMPOTENCY = "U#", "T#", "I#"
BOARD, VERSION, NOTE = "B#", "V#", "N#"
BALLOT, VOTE = "BALLOT#", "VOTE#"
STAGE, CARRY, GROUP = "STAGE#", "CARRY#", "G#"


def stem(cid: str) -> str:
    """The bare id inside a prefixed key part (`N#abc` → `abc`, `VOTE#u#n` → `n`)."""
    return cid.rsplit("#", 1)[-1]


def board_owner(key: Key) -> str | None:
    """The owner's id if `key` is a board item's (its parent is a user), else None."""
    pid, cid = key
    return stem(pid) if pid.startswith(USER) and cid.startswith(BOARD) else None


def version_of(key: Key) -> str | None:
    """The version's id if `key` is of an item in a version's partition, else None."""
    return stem(key[0]) if key[0].startswith(VERSION) else None


def vote_parts(cid: str) -> tuple[str, str]:
    """The voter's and the note's ids in a vote's `cid` (`VOTE#<user>#<note>`)."""
    voter, _, note_id = cid.removeprefix(VOTE).partition("#")
    return voter, note_id


def owner_pid(user_id: str) -> str:
    return USER + user_id


def board_pid(board_id: str) -> str:
    return BOARD + board_id


def version_pid(version_id: str) -> str:
    return VERSION + version_id


def board_cid(board_id: str) -> str:
    """A board's own id as `cid_si` holds it (finding a board by its id alone)."""
    return BOARD + board_id


def note_cid(note_id: str) -> str:
    """A note's own id as `cid_si` holds it (finding a note's version by the note's id)."""
    return NOTE + note_id


def user(user_id: str) -> Key:
    return (USER + user_id, USER + user_id)


def token(user_id: str, token_hash: str) -> Key:
    return (USER + user_id, TOKEN + token_hash)


def idempotency(user_id: str, operation: str, client_key: str) -> Key:
    return (USER + user_id, f"{IDEMPOTENCY}{operation}#{client_key}")


def request_token(user_id: str, operation: str, client_key: str) -> str:
    """The TransactWriteItems `ClientRequestToken` of a write under an idempotency key.

    Derived from what names the request (DynamoDB allows 1 to 36 characters): a retry of the
    request in a new invocation carries the same token, so DynamoDB itself answers an identical
    retry within 10 minutes as the success it was.
    """
    named = "\n".join((user_id, operation, client_key)).encode()
    return hashlib.sha256(named).hexdigest()[:32]


def board(owner_id: str, board_id: str) -> Key:
    return (USER + owner_id, BOARD + board_id)


def version(board_id: str, version_id: str) -> Key:
    return (BOARD + board_id, VERSION + version_id)


def note(version_id: str, note_id: str) -> Key:
    return (VERSION + version_id, NOTE + note_id)


def ballot(version_id: str, user_id: str) -> Key:
    return (VERSION + version_id, BALLOT + user_id)


def vote(version_id: str, user_id: str, note_id: str) -> Key:
    return (VERSION + version_id, f"{VOTE}{user_id}#{note_id}")


def stage(board_id: str, version_id: str) -> Key:
    """The marker of a version being started: its carried notes are staged, it is not live yet."""
    return (BOARD + board_id, STAGE + version_id)


def receipt(version_id: str, source_note_id: str) -> Key:
    """The receipt that `source_note_id` was carried into `version_id` (kept if the copy goes)."""
    return (VERSION + version_id, CARRY + source_note_id)


def group(version_id: str, group_id: str) -> Key:
    return (VERSION + version_id, GROUP + group_id)


def votes_of(user_id: str) -> str:
    """The `cid` prefix of one user's vote items in a version's partition."""
    return f"{VOTE}{user_id}#"


# -- conditions --------------------------------------------------------------------------------
def not_exists() -> Condition:
    """Create only: no item with this key yet."""
    return Condition("attribute_not_exists(pid)")


def exists() -> Condition:
    """Change only what is there: an id that leaks into another board's key matches nothing."""
    return Condition("attribute_exists(pid)")


def is_live() -> Condition:
    """A version that has not been frozen."""
    return Condition("attribute_exists(pid) AND attribute_not_exists(frozen_at)")


def is_owner(user_id: str) -> Condition:
    """A board `user_id` owns and has not begun to delete (a deleted board takes no change)."""
    return Condition(
        "attribute_exists(pid) AND owner_id = :me AND attribute_not_exists(deleted_at)",
        values={":me": user_id},
    )


def is_owner_at(user_id: str, version_id: str) -> Condition:
    """An open board `user_id` owns whose live version is still `version_id` (deleting it)."""
    return Condition(
        "attribute_exists(pid) AND owner_id = :me AND cv_id = :v"
        " AND attribute_not_exists(deleted_at)",
        values={":me": user_id, ":v": version_id},
    )


def is_deleting() -> Condition:
    """A board whose deletion has begun (its tombstone, `deleted_at`, is set)."""
    return Condition("attribute_exists(deleted_at)")


def is_author(user_id: str) -> Condition:
    return Condition("attribute_exists(pid) AND author_id = :me", values={":me": user_id})


def is_untouched_own_note(user_id: str, votes: int, vote_moves: int) -> Condition:
    """A note `user_id` wrote whose votes have not moved since it showed `votes`, `vote_moves`.

    `votes` alone is not enough: an unvote and another person's vote leave it as it was.
    """
    return Condition(
        "attribute_exists(pid) AND author_id = :me AND votes = :votes"
        " AND (attribute_not_exists(vote_moves) OR vote_moves = :moves)",
        values={":me": user_id, ":votes": votes, ":moves": vote_moves},
    )


def is_current(version_id: str) -> Condition:
    """An open board whose live version is still `version_id` (nobody started the next, nor
    began to delete the board, meanwhile)."""
    return Condition(
        "attribute_exists(pid) AND cv_id = :v AND attribute_not_exists(deleted_at)",
        values={":v": version_id},
    )


def holds_no_votes() -> Condition:
    """A note that is gone or has no vote on it (a carried copy that may be taken back)."""
    return Condition("attribute_not_exists(pid) OR votes = :zero", values={":zero": 0})


def budget_left(budget: int) -> Condition:
    """A ballot with fewer than `budget` votes spent (or none yet)."""
    return _below("used", budget)


def vote_to_take_back() -> Condition:
    """A ballot with a vote spent, to give back."""
    return _positive("used")


def has_vote() -> Condition:
    """A voter's vote item on a note with a vote on it."""
    return _positive("count")


def note_has_votes() -> Condition:
    """A note with a vote on it."""
    return _positive("votes")


def ballot_used_is(used: int) -> Condition:
    """A ballot still showing `used` votes spent (`retro doctor` corrects it only then)."""
    return Condition("attribute_exists(pid) AND used = :used", values={":used": used})


def vote_count_is(count: int) -> Condition:
    """A voter's vote item on a note still holding `count` votes (refunded at most once)."""
    return Condition(
        "attribute_exists(pid) AND #n = :count", names={"#n": "count"}, values={":count": count}
    )


def _below(attribute: str, limit: int) -> Condition:
    """A counter that may still grow: absent, or less than `limit`."""
    return Condition(
        "attribute_not_exists(#n) OR #n < :limit", names={"#n": attribute}, values={":limit": limit}
    )


def _positive(attribute: str) -> Condition:
    return Condition(
        "attribute_exists(#n) AND #n > :zero", names={"#n": attribute}, values={":zero": 0}
    )
