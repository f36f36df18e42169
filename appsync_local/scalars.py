"""AppSync's AWS* scalars, checked the way AppSync checks them.

Values travel as AppSync sends them to a Lambda: strings for dates, times, e-mails, URLs,
phones and IP addresses; an integer for `AWSTimestamp` (seconds since the epoch). `AWSJSON` is a
JSON string on the wire; a handler receives it parsed and may return any JSON value, which is
sent to the client as a JSON string. A malformed input is a validation error naming the scalar.
"""

import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition, ScalarWrapper

from appsync_local.errors import ScalarError
from appsync_local.sdl import APPSYNC_SCALARS

__all__ = ["SCALAR_MAP", "SCALAR_TYPES"]

_TZ = r"(Z|[+-]\d{2}:\d{2}(:\d{2})?)"
_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?"
_PATTERNS: Mapping[str, re.Pattern[str]] = {
    "AWSDate": re.compile(rf"^\d{{4}}-\d{{2}}-\d{{2}}{_TZ}?$"),
    "AWSTime": re.compile(rf"^{_TIME}{_TZ}?$"),
    "AWSDateTime": re.compile(rf"^\d{{4}}-\d{{2}}-\d{{2}}T{_TIME}{_TZ}$"),
    "AWSEmail": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "AWSURL": re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s]+$"),
    "AWSPhone": re.compile(r"^\+?[0-9][0-9 ()\-.]{3,30}$"),
}


def _string(name: str) -> Callable[[Any], str]:
    pattern = _PATTERNS[name]

    def check(value: Any) -> str:
        if not isinstance(value, str) or not pattern.match(value):
            raise ScalarError(f"{name}: {value!r} is not a valid {name}")
        return value

    return check


def _ip(value: Any) -> str:
    try:
        ipaddress.ip_network(value, strict=False)
    except (TypeError, ValueError):
        raise ScalarError(f"AWSIPAddress: {value!r} is not an IP address") from None
    return str(value)


def _timestamp(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScalarError(f"AWSTimestamp: {value!r} is not a whole number of seconds")
    return value


def _json_in(value: Any) -> Any:
    if not isinstance(value, str):
        raise ScalarError("AWSJSON: expected a JSON string")
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        raise ScalarError("AWSJSON: the string is not valid JSON") from None


def _json_out(value: Any) -> str:
    if isinstance(value, str):
        _json_in(value)
        return value
    return json.dumps(value, separators=(",", ":"))


# One NewType per scalar: Strawberry maps Python types to GraphQL scalars through them.
_new_type: Any = NewType  # called with computed names, which linters misread as annotations
SCALAR_TYPES: Mapping[str, Any] = {
    name: _new_type(name, int if name == "AWSTimestamp" else str) for name in APPSYNC_SCALARS
}


def _definitions() -> dict[object, ScalarWrapper | ScalarDefinition]:
    out: dict[object, ScalarWrapper | ScalarDefinition] = {}
    for name, python_type in SCALAR_TYPES.items():
        if name == "AWSJSON":
            serialize: Callable[[Any], Any] = _json_out
            parse: Callable[[Any], Any] = _json_in
        elif name == "AWSTimestamp":
            serialize = parse = _timestamp
        elif name == "AWSIPAddress":
            serialize = parse = _ip
        else:
            serialize = parse = _string(name)
        out[python_type] = strawberry.scalar(
            name=name, serialize=serialize, parse_value=parse, description=None
        )
    return out


SCALAR_MAP = _definitions()
