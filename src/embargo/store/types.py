"""The plain, immutable values the store hands out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from embargo.model.entity import Entity

ADDED = "added"
CHANGED = "changed"
REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One imported publication of one list; never changes once stored."""

    id: int
    source: str
    kind: str
    published: date
    imported_at: datetime
    content_hash: str
    parser_version: str
    entity_count: int
    counts: dict[str, int]
    label: str | None
    files: tuple[str, ...]
    held: str | None = None  # why the snapshot is held (not in force), None when it is not


@dataclass(frozen=True, slots=True)
class EntityState:
    """An entity as of a date.

    ``snapshot`` is the source's snapshot that decides (the latest published on or
    before the date), ``None`` when the source had none yet. ``first_seen`` and
    ``last_seen`` are the earliest and latest snapshots up to that one that held
    the entity. ``entity`` is the version held by ``last_seen``: the listed
    version when ``listed``, else the last version seen before removal (``None``
    when the entity was not seen by then).
    """

    entity_id: str
    listed: bool
    entity: Entity | None
    snapshot: Snapshot | None
    first_seen: Snapshot | None
    last_seen: Snapshot | None


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """A change of one entity in one snapshot ("added" also covers relisting)."""

    snapshot: Snapshot
    change: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EntityChange:
    entity_id: str
    caption: str
    change: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    source: str
    old: Snapshot
    new: Snapshot
    added: tuple[EntityChange, ...]
    removed: tuple[EntityChange, ...]
    changed: tuple[EntityChange, ...]
