"""An entry's history over its list's snapshots, and the entry as the list held it on a date.

API (all pure reads of the store; unknown ids raise :class:`embargo.errors.NotFoundError`):

* :func:`entity_history` ``(store, entity_id) -> list[HistoryEvent]``, oldest first: one event
  per snapshot of the entry's source in which it was ``added`` (first listing), ``changed``
  (with :class:`~embargo.console.views.fields.FieldChange` per field: old → new values),
  ``removed`` (delisted), or ``re-added`` (listed again after a removal; ``changes`` then
  compare with the last version before the removal). Each event carries the snapshot id and
  publication date. Held snapshots (not in force) are left out, as everywhere in the store.
* :func:`entity_as_of` ``(store, entity_id, on) -> Entity | None``: the version the list held
  on that date (the newest snapshot published on or before it), ``None`` if not listed then.
* :func:`entity_state` ``(store, entity_id, on)``: the store's full
  :class:`~embargo.store.EntityState` (first/last seen snapshots) for the same question.

Which events happen is decided by :func:`embargo.store.diff.history_events` (the same code
behind ``embargo show``); this module adds the values that changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import Connection

from embargo.console.views.fields import FieldChange, field_changes
from embargo.errors import NotFoundError
from embargo.model.entity import Entity
from embargo.store import EntityState, Snapshot, Store
from embargo.store import queries as q
from embargo.store.diff import history_events
from embargo.store.engine import guarded
from embargo.store.types import ADDED, CHANGED, REMOVED
from embargo.store.types import HistoryEvent as StoreEvent

READDED = "re-added"


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One change of an entry in one snapshot of its list (see the module doc)."""

    entity_id: str
    change: str  # "added", "changed", "removed" or "re-added"
    snapshot_id: int
    published: date
    source: str
    caption: str  # the entry's name in this event's version (the last one when removed)
    changes: tuple[FieldChange, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.changes)


def _steps(conn: Connection, entity_id: str) -> list[tuple[Snapshot, str | None]]:
    source = q.entity_source(conn, entity_id)
    if source is None:
        raise NotFoundError(f"no entity {entity_id!r} in any snapshot", entity_id=entity_id)
    return q.presence(conn, source, entity_id)


def _hashes_before(steps: list[tuple[Snapshot, str | None]]) -> dict[int, tuple[str | None,
                                                                                 str | None]]:
    """Snapshot id -> (the last hash held before it, the hash it holds)."""
    out: dict[int, tuple[str | None, str | None]] = {}
    last: str | None = None
    for snapshot, digest in steps:
        out[snapshot.id] = (last, digest)
        last = digest if digest is not None else last
    return out


def _event(entity_id: str, event: StoreEvent, hashes: tuple[str | None, str | None],
           relisted: bool, load: Callable[[str], Entity]) -> HistoryEvent:
    before, now = hashes
    shown = load(now) if now is not None else load(before or "")
    change = event.change
    changes: tuple[FieldChange, ...] = ()
    if event.change == ADDED and relisted:
        change = READDED
    if before is not None and (event.change == CHANGED or change == READDED):
        changes = field_changes(load(before), shown)
    snap = event.snapshot
    return HistoryEvent(entity_id, change, snap.id, snap.published, snap.source,
                        shown.caption, changes)


def entity_history(store: Store, entity_id: str) -> list[HistoryEvent]:
    """The entry's added / changed / removed / re-added events, oldest first."""
    with guarded(store.engine, "entity history"), store.engine.connect() as conn:
        steps = _steps(conn, entity_id)

        @cache
        def load(digest: str) -> Entity:
            return q.load_version(conn, entity_id, digest)

        hashes = _hashes_before(steps)
        out: list[HistoryEvent] = []
        for event in history_events(steps, load):
            relisted = bool(out) and out[-1].change == REMOVED
            out.append(_event(entity_id, event, hashes[event.snapshot.id], relisted, load))
        return out


def entity_state(store: Store, entity_id: str, on: date | None = None) -> EntityState:
    """The store's answer for the entry on ``on`` (``None``: the newest snapshots)."""
    return store.entity_as_of(entity_id, on)


def entity_as_of(store: Store, entity_id: str, on: date) -> Entity | None:
    """The entry as its list held it on ``on``; ``None`` when it was not listed that day."""
    state = store.entity_as_of(entity_id, on)
    return state.entity if state.listed else None
