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

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

__all__ = ["Settings", "settings"]


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    table_name: str = Field(
        default="retro", min_length=3, max_length=255, pattern=r"^[A-Za-z0-9_.-]+$"
    )
    region: str = Field(default="us-east-1", pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")
    dynamodb_endpoint: HttpUrl | None = None
    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")
    dynamodb_read_timeout: float = Field(default=5, gt=0, le=600)
    dynamodb_max_attempts: int = Field(default=3, ge=1, le=10)

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
        return cls.model_validate({k: v for k, v in values.items() if v is not None})


@functools.cache
def settings() -> Settings:
    """The process's settings, read once (Lambda keeps them for the container's life)."""
    return Settings.from_env()
