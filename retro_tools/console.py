"""`retro console`: a Python shell on the configured table — the original design's console.

Loaded names: `settings`, `store` (a `retro.store.Store`), `table` (its generic `Table`),
`services` (`retro.services`), `models`, `keys`. Point it at a table with the environment
(`RETRO_TABLE`, `AWS_REGION`, `RETRO_DYNAMODB_ENDPOINT`), e.g. DynamoDB Local or AWS.
"""

import code

from retro import models, services
from retro.settings import settings
from retro.store import default_store, keys

__all__ = ["run_console"]


def run_console() -> int:
    config = settings()
    store = default_store()
    namespace = {
        "settings": config,
        "store": store,
        "table": store.table,
        "services": services,
        "models": models,
        "keys": keys,
    }
    banner = (
        f"Retro console — table {config.table_name!r} in {config.region}"
        f"{' at ' + str(config.dynamodb_endpoint) if config.dynamodb_endpoint else ''}\n"
        "Loaded: settings, store, table, services, models, keys. "
        "Try: services.boards_of(store, '<user id>')"
    )
    code.interact(banner=banner, local=namespace, exitmsg="")
    return 0
