"""The DynamoDB the local server's handlers talk to: embedded moto, or any endpoint.

The handlers create their boto3 client from Retro's settings, exactly as in Lambda, so the
faithful way to point them somewhere is the environment: `RETRO_DYNAMODB_ENDPOINT` (and, for
moto, dummy credentials) is set before any handler is imported.

- Embedded (default): moto's DynamoDB server on 127.0.0.1 and a free port, in this process,
  or in a child process (`in_subprocess=True`: moto keeps its data in process-global state,
  which a test's own `mock_aws` would reset). Either way it answers one request at a time,
  as DynamoDB's per-request atomicity requires (`retro_tools/serve/moto_atomic.py`). With a
  data directory its tables are kept there across restarts (`persistence.py`).
- `--dynamodb-endpoint URL`: DynamoDB Local or AWS itself; nothing is changed but the endpoint.

Either way the table is created if missing, with exactly the keys and index `infra/` declares
(`retro.store.table.TABLE_DEFINITION`).
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = [
    "EMBEDDED_READ_TIMEOUT",
    "DynamoDBError",
    "EmbeddedDynamoDB",
    "ensure_table",
    "point_handlers_at",
]

EMBEDDED_READ_TIMEOUT = 20  # seconds; botocore's standard retries still try 3 times

_DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "local",
    "AWS_SECRET_ACCESS_KEY": "local",
    "AWS_SESSION_TOKEN": "local",
}


class DynamoDBError(RuntimeError):
    """The table could not be found or created (DynamoDB's message included)."""


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def _wait_for_port(
    host: str, port: int, process: "subprocess.Popen[bytes] | None", timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(
                f"moto's server exited with status {process.returncode} before it listened"
            )
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"moto's server did not listen on {host}:{port} within {timeout:.0f} s")


class EmbeddedDynamoDB:
    """moto's DynamoDB on 127.0.0.1; `endpoint` once started."""

    def __init__(self, *, in_subprocess: bool = False, data_dir: Path | None = None) -> None:
        self.in_subprocess = in_subprocess
        self.data_dir = data_dir
        self.endpoint = ""
        self._thread_server: Any = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        host = "127.0.0.1"
        if self.in_subprocess:
            port = _free_port(host)
            data = [str(self.data_dir)] if self.data_dir is not None else []
            self._process = subprocess.Popen(  # noqa: S603 — our own interpreter and module
                [sys.executable, "-m", "retro_tools.serve.moto_atomic", host, str(port), *data],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            _wait_for_port(host, port, self._process)
            self.endpoint = f"http://{host}:{port}"
        else:
            from retro_tools.serve.moto_atomic import AtomicMotoServer  # noqa: PLC0415 — loads moto

            self._thread_server = AtomicMotoServer(host, data_dir=self.data_dir)
            self.endpoint = self._thread_server.start()
        return self.endpoint

    def stop(self) -> None:
        if self._thread_server is not None:
            with contextlib.suppress(Exception):
                self._thread_server.stop()
            self._thread_server = None
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._process = None


def point_handlers_at(endpoint: str, *, dummy_credentials: bool) -> None:
    """Set the environment the handlers read, and forget settings read before."""
    os.environ["RETRO_DYNAMODB_ENDPOINT"] = endpoint
    if dummy_credentials:
        os.environ.update(_DUMMY_CREDENTIALS)
        # The embedded DynamoDB shares this machine's cores with everything else on it: a call
        # may wait for them well past the 5 s that fail a stuck call in Lambda. Waiting longer
        # (within the local AppSync's 30 s per request) beats answering UnavailableError.
        os.environ.setdefault("RETRO_DYNAMODB_READ_TIMEOUT", str(EMBEDDED_READ_TIMEOUT))
    if not (os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")):
        os.environ["AWS_REGION"] = "us-east-1"
    from retro import settings as settings_module  # noqa: PLC0415

    settings_module.settings.cache_clear()
    store = sys.modules.get("retro.store")
    default_store = getattr(store, "default_store", None)
    if default_store is not None and hasattr(default_store, "cache_clear"):
        default_store.cache_clear()


def ensure_table() -> str:
    """Create the settings' table if it does not exist; return its name."""
    import boto3  # noqa: PLC0415
    from botocore.config import Config  # noqa: PLC0415
    from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

    from retro.settings import Settings  # noqa: PLC0415
    from retro.store.table import Table  # noqa: PLC0415

    settings = Settings.from_env()
    endpoint = str(settings.dynamodb_endpoint) if settings.dynamodb_endpoint else None
    # Creating the table in a kept embedded DynamoDB restores its items (persistence.py): it
    # may outlast the handlers' 5 s read timeout, and a retried CreateTable would fail.
    client = boto3.session.Session().client(
        "dynamodb",
        region_name=settings.region,
        endpoint_url=endpoint,
        config=Config(read_timeout=600, retries={"mode": "standard", "max_attempts": 1}),
    )
    table = Table(settings, client)
    try:
        if not table.exists():
            table.create()
    except (BotoCoreError, ClientError) as error:
        where = endpoint or f"AWS ({settings.region})"
        raise DynamoDBError(f"DynamoDB at {where}, table {table.name}: {error}") from error
    return table.name
