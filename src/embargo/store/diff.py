"""Pure change detection between entity versions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import fields

from embargo.model.codec import to_dict
from embargo.model.entity import Entity
from embargo.store.types import ADDED, CHANGED, REMOVED, HistoryEvent, Snapshot

_FIELDS = tuple(f.name for f in fields(Entity))


def changed_fields(a: Entity, b: Entity) -> tuple[str, ...]:
    """Top-level entity fields whose values differ, in model order."""
    da, db = to_dict(a), to_dict(b)
    return tuple(name for name in _FIELDS if da.get(name) != db.get(name))


def history_events(
    steps: Iterable[tuple[Snapshot, str | None]], load: Callable[[str], Entity]
) -> list[HistoryEvent]:
    """Events from an entity's content hash (``None``: absent) per snapshot, oldest first.

    ``load`` fetches a version by its hash; it is called only for changed versions.
    """
    events: list[HistoryEvent] = []
    previous: str | None = None
    for snapshot, current in steps:
        if current is None and previous is not None:
            events.append(HistoryEvent(snapshot, REMOVED))
        elif current is not None and previous is None:
            events.append(HistoryEvent(snapshot, ADDED))
        elif current is not None and previous is not None and current != previous:
            fields_ = changed_fields(load(previous), load(current))
            events.append(HistoryEvent(snapshot, CHANGED, fields_))
        previous = current
    return events
