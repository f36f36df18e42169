"""The local AppSync process: backend, engine, ASGI app and uvicorn, started and stopped.

`LocalServer` is used two ways:
- by `retro serve` (`run_forever`): in the main thread, where uvicorn turns Ctrl-C and SIGTERM
  into a clean shutdown;
- by tests (`start_in_thread`): in a background thread of the test process, so tests reach it
  over real sockets and still read its counters (`engine.invoker.counts`) in-process.

What the handlers talk to (a database) is the application's business: it comes in as a
`Backend`, started before the handlers are loaded and stopped after the server. Seed data, if
any, comes in as `seed`, run through the engine once the server listens.
"""

import asyncio
import contextlib
import logging
import socket
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TextIO

from appsync_local.auth import new_api_key
from appsync_local.config import load_resolver_map
from appsync_local.engine import Engine, Limits
from appsync_local.graphiql import find_node_modules
from appsync_local.realtime import RealtimeSettings
from appsync_local.sdl import API_KEY, AWS_LAMBDA, load_api

__all__ = ["Backend", "LocalServer", "ServerOptions"]

log = logging.getLogger("appsync_local")


class Backend(Protocol):
    """What the handlers read and write, run beside the server (e.g. an embedded database)."""

    def start(self) -> list[str]:
        """Start it and point the handlers at it; returns lines for the banner."""
        ...

    def stop(self) -> None: ...


# Seeds data through the engine once the server listens at the URL given; returns lines for the
# banner.
Seed = Callable[[Engine, str], Awaitable[list[str]]]


@dataclass
class ServerOptions:
    schema_path: Path
    resolvers_path: Path | None = None  # default: resolvers.json beside the schema
    name: str = "AppSync"  # shown in the banner
    host: str = "127.0.0.1"
    port: int = 4000
    # The API's default (primary) authorization mode, as AppSync's `authenticationType`:
    # API_KEY (a key is made unless `api_key` is given) or AWS_LAMBDA (no API key at all: every
    # caller goes through the authorizer of resolvers.json). No additional modes.
    authentication_type: str = API_KEY
    api_key: str | None = None
    region: str = "us-east-1"
    limits: Limits = field(default_factory=Limits)
    client_dir: Path | None = None  # static files served at `/`, if any
    # Where handler modules are imported from (Lambda's task root); default: the directory
    # above the one holding resolvers.json.
    handler_root: Path | None = None
    realtime: RealtimeSettings = field(default_factory=RealtimeSettings)
    backend: Backend | None = None
    seed: Seed | None = None
    # GraphiQL's initial headers (default: the API key, if the API has one)
    graphiql_headers: dict[str, str] | None = None


class LocalServer:
    def __init__(self, options: ServerOptions, *, out: TextIO | None = None) -> None:
        self.options = options
        self.out = out if out is not None else sys.stdout
        if options.authentication_type not in (API_KEY, AWS_LAMBDA):
            raise ValueError(f"authentication_type {options.authentication_type!r}: not emulated")
        if options.authentication_type == AWS_LAMBDA and options.api_key:
            raise ValueError("an AWS_LAMBDA API has no API key: drop api_key")
        self.api_key: str | None = (
            options.api_key or new_api_key() if options.authentication_type == API_KEY else None
        )
        self.engine: Engine | None = None
        self.socket: socket.socket | None = None
        self.port = 0
        self.notes: list[str] = []  # the backend's and the seed's lines for the banner
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
        """The client's `config.json`: the two URLs, and the API key if the API has one."""
        config = {"graphqlUrl": self.graphql_url, "realtimeUrl": self.realtime_url}
        if self.api_key is not None:
            config["apiKey"] = self.api_key
        return config

    # -- lifecycle ----------------------------------------------------------------------------
    def prepare(self) -> None:
        """Everything before serving: the backend, the engine, the listening socket."""
        options = self.options
        schema_path = options.schema_path
        resolvers_path = options.resolvers_path or schema_path.parent / "resolvers.json"
        handler_root = options.handler_root or resolvers_path.resolve().parent.parent
        if str(handler_root) not in sys.path:
            sys.path.insert(0, str(handler_root))
        api = load_api(
            schema_path.read_text(encoding="utf-8"), default_mode=options.authentication_type
        )
        resolvers = load_resolver_map(resolvers_path)

        if options.backend is not None:
            self.notes = options.backend.start()

        self.engine = Engine(
            api, resolvers, api_key=self.api_key, region=options.region, limits=options.limits
        )
        self.engine.start()

        family = socket.AF_INET6 if ":" in options.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((options.host, options.port))
        sock.listen(128)
        self.socket = sock
        self.port = int(sock.getsockname()[1])

        from appsync_local.app import create_app  # noqa: PLC0415

        self.app = create_app(
            self.engine,
            public_config=self.public_config(),
            client_dir=options.client_dir,
            node_modules=find_node_modules(Path.cwd(), schema_path.resolve().parent.parent),
            realtime_settings=options.realtime,
            graphiql_headers=options.graphiql_headers,
        )

    async def serve(self, on_ready: Callable[[], None] | None = None) -> None:
        import uvicorn  # noqa: PLC0415

        engine, sock = self.engine, self.socket
        if engine is None or sock is None:
            raise RuntimeError("prepare() the server before serving it")
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws_max_size=1024 * 1024,
            timeout_graceful_shutdown=3,
        )
        self._uvicorn = uvicorn.Server(config)
        task = asyncio.create_task(self._uvicorn.serve(sockets=[sock]))
        while not self._uvicorn.started and not task.done():
            await asyncio.sleep(0.01)
        if not task.done():
            if self.options.seed is not None:
                self.notes += await self.options.seed(engine, self.url)
            if on_ready is not None:
                on_ready()
        await task

    def close(self) -> None:
        if self.engine is not None:
            self.engine.close()
        if self.options.backend is not None:
            self.options.backend.stop()
        if self.socket is not None:
            with contextlib.suppress(OSError):
                self.socket.close()

    def banner(self) -> str:
        if self.engine is None:
            raise RuntimeError("prepare() the server before printing its banner")
        name = self.options.name
        lines = [
            f"{name}: local AppSync",
            f"  app        {self.url}/",
            f"  GraphQL    {self.graphql_url}",
            f"  realtime   {self.realtime_url}",
            f"  GraphiQL   {self.graphiql_url}",
            f"  API key    {self.api_key}"
            if self.api_key is not None
            else "  auth       AWS_LAMBDA (the authorizer of resolvers.json); no API key",
            *self.notes,
            f"{name} is ready at {self.url}",
        ]
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
