"""The store: Retro's data access on the original single table.

`Store` (store.py, with its notes and votes parts) speaks in Retro's models and is what services
call; `Table` (table.py) is the generic layer — the original model wrapper's verbs on
(`pid`, `cid`) items. Key shapes and their parsing live in `keys`, item shapes in `records`,
the wire format in `codec`; `requests` counts DynamoDB calls for tests and benchmarks.
"""

from retro.store.base import Written
from retro.store.changes import BoardChanges, Idempotency, NoteChanges
from retro.store.gates import VersionClosed
from retro.store.meeting import Meeting
from retro.store.paging import Page
from retro.store.requests import RequestLog, record_requests
from retro.store.store import Store, default_store
from retro.store.table import TABLE_DEFINITION, Table

__all__ = [
    "TABLE_DEFINITION",
    "BoardChanges",
    "Idempotency",
    "Meeting",
    "NoteChanges",
    "Page",
    "RequestLog",
    "Store",
    "Table",
    "VersionClosed",
    "Written",
    "default_store",
    "record_requests",
]
