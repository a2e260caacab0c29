"""When each listed entry took its current form: the building block of ``changed_since``.

For an entity in a source's snapshot, its *change date* is the publication date of the
earliest snapshot of an unbroken run of snapshots, ending with that one, that all hold the
entity in exactly its current version: the day it was added (or re-added), or last changed.
The first snapshot of a list counts as adding everything in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from embargo.store.engine import guarded
from embargo.store.store import Store
from embargo.store.tables import snapshot_members
from embargo.store.types import Snapshot


def _members(store: Store, snapshot_id: int) -> dict[str, str]:
    query = select(snapshot_members.c.entity_id, snapshot_members.c.content_hash).where(
        snapshot_members.c.snapshot_id == snapshot_id)
    with guarded(store.engine, "read snapshot members"), store.engine.connect() as conn:
        return {row.entity_id: row.content_hash for row in conn.execute(query)}


def _earlier(store: Store, snapshot: Snapshot) -> list[Snapshot]:
    """The source's snapshots before ``snapshot`` in publication order, newest first."""
    order = (snapshot.published, snapshot.id)
    older = [s for s in store.snapshots(snapshot.source) if (s.published, s.id) < order]
    return sorted(older, key=lambda s: (s.published, s.id), reverse=True)


def change_dates(store: Store, snapshot: Snapshot) -> dict[str, date]:
    """Entity id -> the date its version in ``snapshot`` appeared (see the module doc)."""
    current = _members(store, snapshot.id)
    dates = dict.fromkeys(current, snapshot.published)
    running = set(current)
    for older in _earlier(store, snapshot):
        if not running:
            break
        held = _members(store, older.id)
        running = {e for e in running if held.get(e) == current[e]}
        for entity_id in running:
            dates[entity_id] = older.published
    return dates


def changed_since(store: Store, snapshots: Iterable[Snapshot], day: date) -> frozenset[str]:
    """Ids of the entries of these snapshots added or changed in a snapshot published on or
    after ``day``."""
    found: set[str] = set()
    for snapshot in snapshots:
        if snapshot.published < day:
            continue  # nothing in it can have appeared since
        found.update(e for e, d in change_dates(store, snapshot).items() if d >= day)
    return frozenset(found)
