"""The local AppSync process: DynamoDB, engine, ASGI app and uvicorn, started and stopped.

`LocalServer` is used two ways:
- by `retro serve` (`run_forever`): in the main thread, where uvicorn turns Ctrl-C and SIGTERM
  into a clean shutdown;
- by tests (`start_in_thread`): in a background thread of the test process, so tests reach it
  over real sockets and still read its counters (`engine.invoker.counts`) in-process.
"""

import asyncio
import contextlib
import logging
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from retro.local.auth import new_api_key
from retro.local.config import load_resolver_map
from retro.local.dynamodb import EmbeddedDynamoDB, ensure_table, point_handlers_at
from retro.local.engine import Engine, Limits
from retro.local.graphiql import find_node_modules
from retro.local.realtime import RealtimeSettings
from retro.local.sdl import load_api
from retro.settings import settings

__all__ = ["LocalServer", "ServerOptions", "project_root"]

log = logging.getLogger("retro.local")


def project_root() -> Path:
    """The directory holding `schema/`: the current one if it has it, else this checkout's."""
    cwd = Path.cwd()
    if (cwd / "schema" / "schema.graphql").is_file():
        return cwd
    return Path(__file__).resolve().parents[2]


@dataclass
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 4000
    api_key: str | None = None
    dynamodb_endpoint: str | None = None
    demo: bool = False
    limits: Limits = field(default_factory=Limits)
    schema_path: Path | None = None
    resolvers_path: Path | None = None
    client_dir: Path | None = None
    # Where handler modules are imported from (Lambda's task root); default: the directory
    # above the one holding resolvers.json.
    handler_root: Path | None = None
    realtime: RealtimeSettings = field(default_factory=RealtimeSettings)
    moto_in_subprocess: bool = False


class LocalServer:
    def __init__(self, options: ServerOptions, *, out: TextIO | None = None) -> None:
        self.options = options
        self.out = out if out is not None else sys.stdout
        self.api_key = options.api_key or new_api_key()
        self.dynamodb: EmbeddedDynamoDB | None = None
        self.engine: Engine | None = None
        self.socket: socket.socket | None = None
        self.port = 0
        self.demo: tuple[str, str] | None = None  # (board id, user token)
        self._uvicorn: Any = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    # -- addresses ----------------------------------------------------------------------------
    @property
    def display_host(self) -> str:
        host = self.options.host
        if host in {"", "0.0.0.0"}:  # noqa: S104 — shown as the loopback address
            return "127.0.0.1"
        if host == "::":
            return "[::1]"
        return f"[{host}]" if ":" in host else host

    @property
    def url(self) -> str:
        return f"http://{self.display_host}:{self.port}"

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    @property
    def realtime_url(self) -> str:
        return f"ws://{self.display_host}:{self.port}/graphql/realtime"

    @property
    def graphiql_url(self) -> str:
        return f"{self.url}/graphiql"

    def public_config(self) -> dict[str, str]:
        """The client's `config.json`: exactly these three keys."""
        return {
            "graphqlUrl": self.graphql_url,
            "realtimeUrl": self.realtime_url,
            "apiKey": self.api_key,
        }

    # -- lifecycle ----------------------------------------------------------------------------
    def prepare(self) -> None:
        """Everything before serving: DynamoDB, the table, the engine, the listening socket."""
        options = self.options
        root = project_root()
        schema_path = options.schema_path or root / "schema" / "schema.graphql"
        resolvers_path = options.resolvers_path or schema_path.parent / "resolvers.json"
        handler_root = options.handler_root or resolvers_path.resolve().parent.parent
        if str(handler_root) not in sys.path:
            sys.path.insert(0, str(handler_root))
        api = load_api(schema_path.read_text(encoding="utf-8"))
        resolvers = load_resolver_map(resolvers_path)

        if options.dynamodb_endpoint:
            endpoint = options.dynamodb_endpoint
            loopback = any(h in endpoint for h in ("://127.", "://localhost", "://[::1]"))
            point_handlers_at(endpoint, dummy_credentials=loopback)
        else:
            self.dynamodb = EmbeddedDynamoDB(in_subprocess=options.moto_in_subprocess)
            endpoint = self.dynamodb.start()
            point_handlers_at(endpoint, dummy_credentials=True)
        self.table = ensure_table()
        self.dynamodb_endpoint = endpoint

        self.engine = Engine(
            api, resolvers, api_key=self.api_key, region=settings().region, limits=options.limits
        )
        self.engine.start()

        family = socket.AF_INET6 if ":" in options.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((options.host, options.port))
        sock.listen(128)
        self.socket = sock
        self.port = int(sock.getsockname()[1])

        client_dir = options.client_dir or root / "client"
        from retro.local.app import create_app  # noqa: PLC0415

        self.app = create_app(
            self.engine,
            public_config=self.public_config(),
            client_dir=client_dir,
            node_modules=find_node_modules(Path.cwd(), root),
            realtime_settings=options.realtime,
        )

    async def serve(self, on_ready: Callable[[], None] | None = None) -> None:
        import uvicorn  # noqa: PLC0415

        assert self.socket is not None
        assert self.engine is not None
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws_max_size=1024 * 1024,
            timeout_graceful_shutdown=3,
        )
        self._uvicorn = uvicorn.Server(config)
        task = asyncio.create_task(self._uvicorn.serve(sockets=[self.socket]))
        while not self._uvicorn.started and not task.done():
            await asyncio.sleep(0.01)
        if not task.done():
            if self.options.demo:
                from retro.local.demo import seed  # noqa: PLC0415 — Retro's own seed data

                self.demo = await seed(self.engine)
            if on_ready is not None:
                on_ready()
        await task

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
        if self.dynamodb is not None:
            self.dynamodb.stop()
        if self.socket is not None:
            with contextlib.suppress(OSError):
                self.socket.close()

    def banner(self) -> str:
        assert self.engine is not None
        where = (
            f"embedded (moto) at {self.dynamodb_endpoint}"
            if self.dynamodb
            else self.dynamodb_endpoint
        )
        lines = [
            "Retro: local AppSync",
            f"  app        {self.url}/",
            f"  GraphQL    {self.graphql_url}",
            f"  realtime   {self.realtime_url}",
            f"  GraphiQL   {self.graphiql_url}",
            f"  API key    {self.api_key}",
            f"  DynamoDB   {where}, table {self.table}",
        ]
        if self.demo is not None:
            board, token = self.demo
            lines += [f"  demo board {self.url}/#/board/{board}", f"  demo token {token}"]
        lines.append(f"Retro is ready at {self.url}")
        return "\n".join(lines)

    def print_banner(self) -> None:
        print(self.banner(), file=self.out, flush=True)

    def run_forever(self) -> None:
        """`retro serve`: prepare, serve until Ctrl-C or SIGTERM, clean up."""
        try:
            self.prepare()
            asyncio.run(self.serve(self.print_banner))
        finally:
            self.close()

    # -- in a thread (tests) ------------------------------------------------------------------
    def start_in_thread(self, timeout: float = 60.0) -> "LocalServer":
        def main() -> None:
            try:
                asyncio.run(self.serve(self._ready.set))
            except BaseException as error:
                self._failure = error
                self._ready.set()

        self.prepare()
        self._thread = threading.Thread(target=main, name="retro-local-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("the local server did not start in time")
        if self._failure is not None:
            raise RuntimeError("the local server failed to start") from self._failure
        return self

    def stop(self) -> None:
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.close()
