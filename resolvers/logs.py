"""Structured (JSON) log lines, one per event worth telling, for CloudWatch Logs Insights."""

import json
import logging
import sys
from typing import Any

from retro.settings import settings

__all__ = ["log"]


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"level": record.levelname, "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def _logger() -> logging.Logger:
    logger = logging.getLogger("retro")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(_JsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(settings().log_level)
        logger.propagate = False
    return logger


def log(level: int, message: str, *, exc_info: bool = False, **fields: Any) -> None:
    """Log `message` with `fields` as one JSON object per line."""
    _logger().log(level, message, exc_info=exc_info, extra={"fields": fields})
