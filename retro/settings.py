"""Settings, read from the environment once and validated.

| variable | meaning | default |
|---|---|---|
| `RETRO_TABLE` | DynamoDB table name | `retro` |
| `AWS_REGION` (or `AWS_DEFAULT_REGION`) | region of the table | `us-east-1` |
| `RETRO_DYNAMODB_ENDPOINT` | endpoint URL (DynamoDB Local, moto); unset = AWS | unset |
| `RETRO_LOG_LEVEL` | level of the JSON log lines | `INFO` |
| `RETRO_DYNAMODB_READ_TIMEOUT` | seconds a DynamoDB call may wait for its answer | `5` |
| `RETRO_DYNAMODB_MAX_ATTEMPTS` | attempts per DynamoDB call (botocore's standard retries) | `3` |

The last two are for the local server: its embedded DynamoDB shares a laptop's cores, and a busy
laptop must not turn into UnavailableError (`retro serve` sets them). In Lambda the defaults
fail a stuck call well within AppSync's 30 s.
"""

import functools
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["Settings", "settings"]

# A frozen dataclass checked in `__post_init__`, not a pydantic model: every handler reads the
# settings, and pydantic's import was a third of a cold start (docs/PERFORMANCE.md). Each
# refusal is a ValueError naming the setting's field, as pydantic's was.
_TABLE = re.compile(r"[A-Za-z0-9_.-]{3,255}")
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")
_LEVEL = re.compile(r"DEBUG|INFO|WARNING|ERROR")


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    table_name: str = "retro"
    region: str = "us-east-1"
    dynamodb_endpoint: str | None = None  # an http(s) URL with a host
    log_level: str = "INFO"
    dynamodb_read_timeout: float = 5
    dynamodb_max_attempts: int = 3

    def __post_init__(self) -> None:
        for name, pattern in (
            ("table_name", _TABLE),
            ("region", _REGION),
            ("log_level", _LEVEL),
        ):
            value = getattr(self, name)
            if not isinstance(value, str) or not pattern.fullmatch(value):
                raise ValueError(f"{name}: {value!r} does not match {pattern.pattern}")
        if self.dynamodb_endpoint is not None:
            _check_url(self.dynamodb_endpoint)
        _set_number(self, "dynamodb_read_timeout", float, above=0, most=600)
        _set_number(self, "dynamodb_max_attempts", int, above=0, most=10)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ) if env is None else env
        values = {
            "table_name": env.get("RETRO_TABLE"),
            "region": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
            "dynamodb_endpoint": env.get("RETRO_DYNAMODB_ENDPOINT") or None,
            "log_level": env.get("RETRO_LOG_LEVEL"),
            "dynamodb_read_timeout": env.get("RETRO_DYNAMODB_READ_TIMEOUT"),
            "dynamodb_max_attempts": env.get("RETRO_DYNAMODB_MAX_ATTEMPTS"),
        }
        return cls(**{k: v for k, v in values.items() if v is not None})  # type: ignore[arg-type]


def _check_url(value: object) -> None:
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"dynamodb_endpoint: {value!r} is not an http(s) URL with a host")
    try:
        parts.port  # noqa: B018 — raises ValueError for a port out of range or not a number
    except ValueError as error:
        raise ValueError(f"dynamodb_endpoint: {value!r}: {error}") from None


def _set_number(
    config: Settings, name: str, kind: type[int] | type[float], *, above: int, most: int
) -> None:
    """Check `config.name` (a number, or its text from the environment) and keep it as `kind`."""
    value = getattr(config, name)
    try:
        if isinstance(value, bool):
            raise ValueError
        number = kind(value) if isinstance(value, str | int | float) else None
        if number is None or (kind is int and isinstance(value, float) and value != number):
            raise ValueError
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a {kind.__name__} number") from None
    if not above < number <= most:
        raise ValueError(f"{name}: must be greater than {above} and at most {most}")
    object.__setattr__(config, name, number)  # frozen: set once, while being built


@functools.cache
def settings() -> Settings:
    """The process's settings, read once (Lambda keeps them for the container's life)."""
    return Settings.from_env()
