"""`retro serve`: its options (argparse only, so `retro --help` stays fast) and its run."""

import argparse
from pathlib import Path

__all__ = ["add_arguments", "run"]


def _positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=_positive, default=4000, help="port (default 4000; 0 = any free port)"
    )
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument(
        "--data-dir",
        type=Path,
        metavar="PATH",
        help="where the embedded DynamoDB's tables, the API key and the demo board are kept "
        "across restarts (default: .retro/data under the project root)",
    )
    kept.add_argument(
        "--in-memory",
        action="store_true",
        help="keep nothing: an empty DynamoDB and a new API key at each start",
    )
    parser.add_argument(
        "--dynamodb-endpoint",
        metavar="URL",
        help="use this DynamoDB (DynamoDB Local, AWS) instead of the embedded one; "
        "the table is created if missing, and the data stays there",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="seed a demo board (once per data directory) and print its link and its owner's "
        "token, with how to use it",
    )
    parser.add_argument(
        "--no-introspection", action="store_true", help="disable introspection, as in production"
    )
    parser.add_argument(
        "--query-depth-limit",
        type=_positive,
        default=10,
        help="most nesting levels per operation (default 10; 0 = none)",
    )
    parser.add_argument(
        "--resolver-count-limit",
        type=_positive,
        default=10_000,
        help="most resolver invocations per request (default 10000; 0 = none)",
    )
    parser.add_argument(
        "--schema", type=Path, help="the AppSync SDL (default schema/schema.graphql)"
    )
    parser.add_argument(
        "--resolvers",
        type=Path,
        help="the resolver map (default: resolvers.json beside the schema)",
    )


def run(args: argparse.Namespace) -> int:
    """Start the local AppSync and serve until Ctrl-C or SIGTERM; 0 on a clean stop."""
    import logging  # noqa: PLC0415 — the server's dependencies load only when it runs
    import signal  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from appsync_local.config import ConfigError  # noqa: PLC0415
    from appsync_local.engine import Limits  # noqa: PLC0415
    from appsync_local.sdl import SchemaError  # noqa: PLC0415
    from appsync_local.server import LocalServer  # noqa: PLC0415
    from retro_tools.serve.datadir import DataDirError  # noqa: PLC0415
    from retro_tools.serve.dynamodb import DynamoDBError  # noqa: PLC0415
    from retro_tools.serve.stack import default_data_dir, retro_options  # noqa: PLC0415

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    def _stop(_signum: int, _frame: object) -> None:
        # uvicorn shuts down gracefully on SIGTERM, then re-raises it: end as Ctrl-C does.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        options = retro_options(
            host=args.host,
            port=args.port,
            dynamodb_endpoint=args.dynamodb_endpoint,
            demo=args.demo,
            limits=Limits(
                query_depth=args.query_depth_limit,
                resolver_count=args.resolver_count_limit,
                introspection=not args.no_introspection,
            ),
            schema_path=args.schema,
            resolvers_path=args.resolvers,
            data_dir=None if args.in_memory else args.data_dir or default_data_dir(),
        )
        LocalServer(options).run_forever()
    except (SchemaError, ConfigError, OSError, DataDirError, DynamoDBError) as error:
        print(f"retro serve: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0
