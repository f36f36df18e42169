"""Identifiers: unguessable and time-ordered.

A board id is a capability — whoever knows it may join the board — so ids carry 128 random bits
(more than a UUIDv4's 122). They start with the creation time in milliseconds, so that sorting
ids sorts by creation: a partition's children come back from DynamoDB in the order they were
made without an extra sort attribute. Plain UUIDv7 was not enough: it keeps only 74 random bits.

Shape: 10 characters of time + 26 of randomness, in lower-case Crockford base32 (36 characters,
URL-safe, no ambiguous letters). Ids made in the same millisecond sort randomly among themselves.
"""

import re
import secrets
import time

__all__ = ["ID_PATTERN", "is_id", "new_id"]

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ID_PATTERN = re.compile(r"^[0-9a-hjkmnp-tv-z]{36}$")


def _base32(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def new_id(now_ms: int | None = None) -> str:
    """A new id: 48 bits of milliseconds since the epoch, then 128 random bits."""
    millis = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    return _base32(millis, 10) + _base32(secrets.randbits(128), 26)


def is_id(value: str) -> bool:
    """Whether `value` has the shape of an id made by `new_id`."""
    return ID_PATTERN.fullmatch(value) is not None  # fullmatch: `$` alone allows a final "\n"
