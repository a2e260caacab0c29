"""Immutable dated snapshots of each list, with full entity history.

One SQLAlchemy Core code path serves SQLite (embedded default) and PostgreSQL.
"""

from embargo.store.diff import changed_fields
from embargo.store.engine import normalise_url
from embargo.store.store import Store
from embargo.store.types import (
    EntityChange,
    EntityState,
    HistoryEvent,
    Snapshot,
    SnapshotDiff,
)

__all__ = [
    "EntityChange",
    "EntityState",
    "HistoryEvent",
    "Snapshot",
    "SnapshotDiff",
    "Store",
    "changed_fields",
    "normalise_url",
]
