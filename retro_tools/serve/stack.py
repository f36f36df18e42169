"""`retro serve`'s stack: the local AppSync with Retro's API, client and DynamoDB.

The emulator (`appsync_local`) knows AppSync and nothing of Retro; this module hands it Retro's
API definition (`schema/`), the client's files, a DynamoDB for the handlers (`RetroDynamoDB`),
its authorization as in the cloud (AWS_LAMBDA only, no API key: `infra/appsync.tf`) and, with
`--demo`, the demo board's seed. With a data directory (`datadir.py`) the embedded DynamoDB's
tables and the demo board are kept across restarts.
"""

from collections.abc import Awaitable, Callable
from pathlib import Path

from appsync_local.engine import Engine, Limits
from appsync_local.realtime import RealtimeSettings
from appsync_local.sdl import AWS_LAMBDA
from appsync_local.server import ServerOptions
from resolvers.authorizer import ANONYMOUS_TOKEN
from retro_tools.serve.datadir import DataDir
from retro_tools.serve.dynamodb import EmbeddedDynamoDB, ensure_table, point_handlers_at

__all__ = ["RetroDynamoDB", "default_data_dir", "project_root", "retro_options"]


def project_root() -> Path:
    """The directory holding `schema/`: the current one if it has it, else this checkout's."""
    cwd = Path.cwd()
    if (cwd / "schema" / "schema.graphql").is_file():
        return cwd
    return Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """`.retro/data` under the project root (git-ignored)."""
    return project_root() / ".retro" / "data"


class RetroDynamoDB:
    """The handlers' DynamoDB: embedded moto (kept in `data` if given), or the endpoint given."""

    def __init__(
        self,
        endpoint: str | None = None,
        *,
        in_subprocess: bool = False,
        data: DataDir | None = None,
    ) -> None:
        self.given = endpoint
        self.embedded: EmbeddedDynamoDB | None = None
        self.in_subprocess = in_subprocess
        self.data = data
        self.endpoint = ""

    def start(self) -> list[str]:
        if self.given:
            self.endpoint = self.given
            loopback = any(h in self.given for h in ("://127.", "://localhost", "://[::1]"))
            point_handlers_at(self.given, dummy_credentials=loopback)
            where = self.given
            kept = "in that DynamoDB"
        else:
            if self.data is not None:
                self.data.lock()
            self.embedded = EmbeddedDynamoDB(
                in_subprocess=self.in_subprocess,
                data_dir=self.data.dynamodb if self.data is not None else None,
            )
            self.endpoint = self.embedded.start()
            point_handlers_at(self.endpoint, dummy_credentials=True)
            where = f"embedded (moto) at {self.endpoint}"
            kept = f"{self.data.path} (kept across restarts)" if self.data else ""
        lines = [f"  DynamoDB   {where}, table {ensure_table()}"]
        return [*lines, f"  data       {kept or 'in memory: forgotten when the server stops'}"]

    def stop(self) -> None:
        if self.embedded is not None:
            self.embedded.stop()
            self.embedded = None
        if self.data is not None:
            self.data.unlock()


def _demo(data: DataDir | None) -> Callable[[Engine, str], Awaitable[list[str]]]:
    async def demo(engine: Engine, url: str) -> list[str]:
        from retro_tools.serve.demo import exists, explain, seed  # noqa: PLC0415 — only with --demo

        saved = data.demo() if data is not None else None
        if saved is not None and await exists(engine, *saved):
            return explain(url, *saved)
        board, token = await seed(engine)
        if data is not None:
            data.save_demo(board, token)
        return explain(url, board, token)

    return demo


def retro_options(
    *,
    host: str = "127.0.0.1",
    port: int = 4000,
    dynamodb_endpoint: str | None = None,
    demo: bool = False,
    limits: Limits | None = None,
    schema_path: Path | None = None,
    resolvers_path: Path | None = None,
    realtime: RealtimeSettings | None = None,
    moto_in_subprocess: bool = False,
    data_dir: Path | None = None,
) -> ServerOptions:
    """The local AppSync's options for Retro's API (defaults: this checkout's files).

    Without `data_dir` everything is in memory (tests); `retro serve` passes one by default.
    """
    from retro.settings import settings  # noqa: PLC0415 — read after the backend's env is set

    root = project_root()
    data = DataDir(data_dir) if data_dir is not None else None
    return ServerOptions(
        schema_path=schema_path or root / "schema" / "schema.graphql",
        resolvers_path=resolvers_path,
        name="Retro",
        host=host,
        port=port,
        authentication_type=AWS_LAMBDA,
        graphiql_headers={"Authorization": ANONYMOUS_TOKEN},
        region=settings().region,
        limits=limits or Limits(),
        client_dir=root / "client",
        realtime=realtime or RealtimeSettings(),
        backend=RetroDynamoDB(dynamodb_endpoint, in_subprocess=moto_in_subprocess, data=data),
        seed=_demo(data) if demo else None,
    )
