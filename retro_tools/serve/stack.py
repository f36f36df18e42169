"""`retro serve`'s stack: the local AppSync with Retro's API, client and DynamoDB.

The emulator (`appsync_local`) knows AppSync and nothing of Retro; this module hands it Retro's
API definition (`schema/`), the client's files, a DynamoDB for the handlers (`RetroDynamoDB`)
and, with `--demo`, the demo board's seed.
"""

from pathlib import Path

from appsync_local.engine import Engine, Limits
from appsync_local.realtime import RealtimeSettings
from appsync_local.server import ServerOptions
from retro_tools.serve.dynamodb import EmbeddedDynamoDB, ensure_table, point_handlers_at

__all__ = ["RetroDynamoDB", "project_root", "retro_options"]


def project_root() -> Path:
    """The directory holding `schema/`: the current one if it has it, else this checkout's."""
    cwd = Path.cwd()
    if (cwd / "schema" / "schema.graphql").is_file():
        return cwd
    return Path(__file__).resolve().parents[2]


class RetroDynamoDB:
    """The handlers' DynamoDB: embedded moto by default, or the endpoint given."""

    def __init__(self, endpoint: str | None = None, *, in_subprocess: bool = False) -> None:
        self.given = endpoint
        self.embedded: EmbeddedDynamoDB | None = None
        self.in_subprocess = in_subprocess
        self.endpoint = ""

    def start(self) -> list[str]:
        if self.given:
            self.endpoint = self.given
            loopback = any(h in self.given for h in ("://127.", "://localhost", "://[::1]"))
            point_handlers_at(self.given, dummy_credentials=loopback)
            where = self.given
        else:
            self.embedded = EmbeddedDynamoDB(in_subprocess=self.in_subprocess)
            self.endpoint = self.embedded.start()
            point_handlers_at(self.endpoint, dummy_credentials=True)
            where = f"embedded (moto) at {self.endpoint}"
        return [f"  DynamoDB   {where}, table {ensure_table()}"]

    def stop(self) -> None:
        if self.embedded is not None:
            self.embedded.stop()


async def _demo(engine: Engine, url: str) -> list[str]:
    from retro_tools.serve.demo import seed  # noqa: PLC0415 — only with --demo

    board, token = await seed(engine)
    return [f"  demo board {url}/#/board/{board}", f"  demo token {token}"]


def retro_options(
    *,
    host: str = "127.0.0.1",
    port: int = 4000,
    api_key: str | None = None,
    dynamodb_endpoint: str | None = None,
    demo: bool = False,
    limits: Limits | None = None,
    schema_path: Path | None = None,
    resolvers_path: Path | None = None,
    realtime: RealtimeSettings | None = None,
    moto_in_subprocess: bool = False,
) -> ServerOptions:
    """The local AppSync's options for Retro's API (defaults: this checkout's files)."""
    from retro.settings import settings  # noqa: PLC0415 — read after the backend's env is set

    root = project_root()
    return ServerOptions(
        schema_path=schema_path or root / "schema" / "schema.graphql",
        resolvers_path=resolvers_path,
        name="Retro",
        host=host,
        port=port,
        api_key=api_key,
        region=settings().region,
        limits=limits or Limits(),
        client_dir=root / "client",
        realtime=realtime or RealtimeSettings(),
        backend=RetroDynamoDB(dynamodb_endpoint, in_subprocess=moto_in_subprocess),
        seed=_demo if demo else None,
    )
