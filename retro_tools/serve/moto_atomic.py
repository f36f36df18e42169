"""moto's DynamoDB server, answering one request at a time as DynamoDB's atomicity requires.

DynamoDB applies each request — a conditional write, a whole transaction — atomically. moto's
server handles requests in threads without a lock, so two concurrent transactions can both
pass a condition that only one should (a vote budget overspent). Here every request runs under
one lock: requests from many clients still interleave, their insides do not. TransactWriteItems'
`ClientRequestToken` is honoured as in DynamoDB (`moto_tokens.py`; moto ignores it): a retry of
a committed transaction is answered, not applied again.

With a data directory, its tables are kept there across restarts (`persistence.py`, inside the
lock). Run as `python -m retro_tools.serve.moto_atomic HOST PORT [DATA_DIR]` (the local server's
child process), or start in a thread with `AtomicMotoServer`.
"""

import logging
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server

from retro_tools.serve import moto_index, moto_rollback
from retro_tools.serve.moto_tokens import TokenApp
from retro_tools.serve.persistence import Persistence

__all__ = ["AtomicMotoServer", "main"]


class _OneAtATime:
    """A WSGI app that lets one request in at a time, its response read in full."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self._lock:
            return list(self._app(environ, start_response))


def _server(host: str, port: int, data_dir: Path | None = None) -> BaseWSGIServer:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access line per request
    moto_rollback.install()  # transactions cost what they touch, not the table's size
    moto_index.install()  # and queries what they can answer
    moto: Callable[..., Iterable[bytes]] = DomainDispatcherApplication(create_backend_app)
    if data_dir is not None:
        moto = Persistence(moto, data_dir)
    app = _OneAtATime(TokenApp(moto))
    return make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler)


class AtomicMotoServer:
    """The server in a daemon thread of this process; `start()` returns its endpoint."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, data_dir: Path | None = None
    ) -> None:
        self._server = _server(host, port, data_dir)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> str:
        self._thread.start()
        return f"http://{self._server.host}:{self._server.port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


def main(argv: list[str] | None = None) -> None:
    host, port, *data_dir = (argv or sys.argv[1:])[:3]
    _server(host, int(port), Path(data_dir[0]) if data_dir else None).serve_forever()


if __name__ == "__main__":
    main()
