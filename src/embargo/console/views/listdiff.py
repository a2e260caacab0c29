"""What changed between two snapshots of one list, with field-level values for the lists page.

API: :func:`snapshot_diff` ``(store, a_id, b_id) -> SnapshotDiff``. ``a_id`` is the old side and
``b_id`` the new side, as given (a diff from a newer to an older snapshot simply shows the
reverse changes). Entries are sorted by entity id. ``changed`` entries carry one
:class:`~embargo.console.views.fields.FieldChange` per changed field (old → new values).
Snapshots of different lists raise :class:`~embargo.errors.UsageError`, unknown ids
:class:`~embargo.errors.NotFoundError`. The same queries serve ``embargo diff``
(:meth:`embargo.store.Store.diff`); this adds the values.
"""

from __future__ import annotations

from dataclasses import dataclass

from embargo.console.views.fields import FieldChange, field_changes
from embargo.errors import UsageError
from embargo.model.codec import loads
from embargo.store import Snapshot, Store
from embargo.store import queries as q
from embargo.store.engine import guarded


@dataclass(frozen=True, slots=True)
class DiffEntry:
    """One entry added, removed or changed between the two snapshots."""

    entity_id: str
    caption: str
    changes: tuple[FieldChange, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.changes)


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    """The difference from snapshot ``old`` to snapshot ``new`` of one list."""

    source: str
    old: Snapshot
    new: Snapshot
    added: tuple[DiffEntry, ...]
    removed: tuple[DiffEntry, ...]
    changed: tuple[DiffEntry, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Entries added, removed, changed, and unchanged (held by both in the same form)."""
        unchanged = self.new.entity_count - len(self.added) - len(self.changed)
        return {"added": len(self.added), "removed": len(self.removed),
                "changed": len(self.changed), "unchanged": unchanged}


def snapshot_diff(store: Store, a_id: int, b_id: int) -> SnapshotDiff:
    """Entries added, removed and changed from snapshot ``a_id`` to snapshot ``b_id``."""
    old, new = store.get_snapshot(a_id), store.get_snapshot(b_id)
    if old.source != new.source:
        raise UsageError(f"cannot diff snapshots of {old.source} (#{old.id}) and "
                         f"{new.source} (#{new.id})", old=old.id, new=new.id)
    with guarded(store.engine, "diff snapshots"), store.engine.connect() as conn:
        added = q.members_only(conn, new.id, old.id)
        removed = q.members_only(conn, old.id, new.id)
        changed = q.changed_pairs(conn, old.id, new.id)
    return SnapshotDiff(
        source=new.source, old=old, new=new,
        added=tuple(DiffEntry(eid, caption) for eid, caption in added),
        removed=tuple(DiffEntry(eid, caption) for eid, caption in removed),
        changed=tuple(DiffEntry(eid, caption, field_changes(loads(a), loads(b)))
                      for eid, caption, a, b in changed),
    )
