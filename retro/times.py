"""Moments as Retro keeps and shows them: UTC, to the millisecond, ISO-8601 with a `Z`.

One format for the table and the API (AppSync's `AWSDateTime`): "2026-11-27T22:03:08.123Z".
Strings of this shape sort as the moments compare.
"""

from datetime import UTC, datetime

__all__ = ["iso", "now", "parse"]


def now() -> datetime:
    """The current time in UTC, to the millisecond (what AWSDateTime carries)."""
    moment = datetime.now(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def iso(moment: datetime | None) -> str | None:
    """`moment` as stored and shown ("…T22:03:08.123Z"); None stays None."""
    if moment is None:
        return None
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse(value: object) -> datetime:
    """A moment as `iso` writes it (any ISO-8601 string), or ValueError."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValueError(f"is not a moment: {type(value).__name__}")
    return datetime.fromisoformat(value)
