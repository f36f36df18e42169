"""`retro serve`'s data directory: what a local server keeps from one start to the next.

```
.retro/data/            (default: under the project root; `--data-dir PATH`, git-ignored)
  demo.json             the `--demo` board and its owner's token, reused while they exist
  dynamodb/             the embedded DynamoDB's tables (`retro_tools/serve/persistence.py`)
  .lock                 held while a server uses the directory
```

`--in-memory` uses none of it: an empty DynamoDB at each start, as before. With
`--dynamodb-endpoint` the data lives in that DynamoDB; the directory keeps the demo board.
(There is no API key to keep: the API authorizes every call with its Lambda authorizer.)
"""

import fcntl
import json
import os
from pathlib import Path
from typing import IO

__all__ = ["DataDir", "DataDirError"]


class DataDirError(RuntimeError):
    """The data directory cannot be used (in use, unreadable, not restorable): says why."""


def _write_private(path: Path, text: str) -> None:
    """Replace `path` atomically with `text`, readable by its owner only."""
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


class DataDir:
    """One data directory; `lock()` before the embedded DynamoDB writes into it."""

    def __init__(self, path: Path) -> None:
        self.path = path.expanduser().resolve()
        self._lock: IO[str] | None = None

    @property
    def dynamodb(self) -> Path:
        return self.path / "dynamodb"

    def create(self) -> None:
        try:
            self.dynamodb.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DataDirError(f"cannot create the data directory {self.path}: {error}") from error

    def lock(self) -> None:
        """Hold the directory for this process; a second server on it would corrupt it."""
        self.create()
        file = (self.path / ".lock").open("a+", encoding="utf-8")
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            file.seek(0)
            holder = file.read().strip() or "another process"
            file.close()
            raise DataDirError(
                f"the data directory {self.path} is in use by {holder}: stop that server, "
                "or start this one with --data-dir OTHER_PATH or --in-memory"
            ) from None
        file.seek(0)
        file.truncate()
        file.write(f"retro serve (pid {os.getpid()})\n")
        file.flush()
        self._lock = file

    def unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()  # closing the file releases the lock
            self._lock = None

    def demo(self) -> tuple[str, str] | None:
        """The demo board's id and its owner's token from an earlier `--demo`, if any."""
        try:
            saved = json.loads((self.path / "demo.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(saved, dict):
            return None
        board, token = saved.get("board"), saved.get("token")
        return (board, token) if isinstance(board, str) and isinstance(token, str) else None

    def save_demo(self, board: str, token: str) -> None:
        self.create()
        _write_private(self.path / "demo.json", json.dumps({"board": board, "token": token}))
