"""Pages of children and the `nextToken` that continues one.

A token is the last `cid` of a page with the `pid` it was listed under, base64url: opaque to
clients, and refused unless it could continue the very list it is given for.
"""

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any, NamedTuple

from retro.errors import ValidationError
from retro.store.codec import Item, key_args, load

__all__ = ["Page", "decode_token", "encode_token"]


class Page(NamedTuple):
    items: list[Item]
    next_token: str | None


def encode_token(pid: str, last_key: Mapping[str, Any]) -> str:
    """The token after `last_key` (DynamoDB's LastEvaluatedKey, in wire format)."""
    raw = json.dumps({"p": pid, "c": load(last_key)["cid"]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(pid: str, prefix: str, token: str) -> dict[str, Any]:
    """The ExclusiveStartKey inside `token`, if it was issued for this very list.

    Its `cid` must be one the list could have returned: DynamoDB refuses a start key outside
    the key condition (another prefix), empty, or longer than a sort key may be (1,024 bytes)
    with a ValidationException, which would reach the client as an InternalError.
    """
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        cid = raw["c"]
        if (
            raw["p"] == pid
            and isinstance(cid, str)
            and cid.startswith(prefix)
            and 0 < len(cid.encode()) <= 1024
        ):
            return key_args((pid, cid))
    except (ValueError, KeyError, TypeError, binascii.Error):
        pass
    raise ValidationError("nextToken", "is not a token issued for this list")
