"""Plain-text and JSON renderings of snapshots, entities and diffs for the CLI."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from embargo.model import Entity
from embargo.model.codec import to_dict
from embargo.store import EntityState, HistoryEvent, Snapshot, SnapshotDiff


def snapshot_dict(s: Snapshot) -> dict[str, Any]:
    return {
        "id": s.id, "source": s.source, "kind": s.kind, "published": s.published.isoformat(),
        "imported_at": s.imported_at.isoformat(timespec="seconds"),
        "content_hash": s.content_hash, "parser_version": s.parser_version,
        "entity_count": s.entity_count, "counts": s.counts, "label": s.label,
        "files": list(s.files), "held": s.held,
    }


def snapshots_table(snapshots: Iterable[Snapshot]) -> str:
    rows = [("ID", "SOURCE", "PUBLISHED", "ENTITIES", "KIND", "PARSER", "HASH", "IMPORTED")]
    rows += [
        (str(s.id), s.source, s.published.isoformat(), str(s.entity_count), s.kind,
         s.parser_version, s.content_hash[:12], s.imported_at.isoformat(timespec="seconds"))
        for s in snapshots
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def diff_dict(diff: SnapshotDiff) -> dict[str, Any]:
    def changes(items: Iterable[Any]) -> list[dict[str, Any]]:
        return [{"id": c.entity_id, "caption": c.caption, "fields": list(c.fields)} for c in items]

    return {
        "source": diff.source, "from": snapshot_dict(diff.old), "to": snapshot_dict(diff.new),
        "added": changes(diff.added), "removed": changes(diff.removed),
        "changed": changes(diff.changed),
    }


def diff_text(diff: SnapshotDiff) -> str:
    lines = [
        f"{diff.source}: snapshot #{diff.old.id} ({diff.old.published}) -> "
        f"#{diff.new.id} ({diff.new.published}): {len(diff.added)} added, "
        f"{len(diff.removed)} removed, {len(diff.changed)} changed"
    ]
    lines += [f"+ {c.entity_id}  {c.caption}" for c in diff.added]
    lines += [f"- {c.entity_id}  {c.caption}" for c in diff.removed]
    lines += [f"~ {c.entity_id}  {c.caption}  [{', '.join(c.fields)}]" for c in diff.changed]
    return "\n".join(lines)


def history_dict(events: Iterable[HistoryEvent]) -> list[dict[str, Any]]:
    return [
        {"snapshot": e.snapshot.id, "published": e.snapshot.published.isoformat(),
         "change": e.change, "fields": list(e.fields)}
        for e in events
    ]


def state_dict(state: EntityState, as_of: date | None,
               history: list[HistoryEvent]) -> dict[str, Any]:
    return {
        "id": state.entity_id, "as_of": as_of.isoformat() if as_of else None,
        "listed": state.listed,
        "snapshot": snapshot_dict(state.snapshot) if state.snapshot else None,
        "entity": to_dict(state.entity) if state.entity and state.listed else None,
        "first_seen": snapshot_dict(state.first_seen) if state.first_seen else None,
        "last_seen": snapshot_dict(state.last_seen) if state.last_seen else None,
        "history": history_dict(history),
    }


def _entity_lines(entity: Entity) -> list[str]:
    lines = [f"{entity.caption}  [{entity.schema}]  {entity.id}"]
    for name in entity.names[1:]:
        lines.append(f"  {name.kind.value:8} {name.full}")
    if entity.birth_dates:
        lines.append("  born     " + "; ".join(str(d) for d in entity.birth_dates))
    for label, values in (("birthplace", entity.birth_places),
                          ("national", entity.nationalities), ("citizen", entity.citizenships),
                          ("country", entity.countries), ("position", entity.positions)):
        if values:
            lines.append(f"  {label:8} " + "; ".join(values))
    lines += [f"  id       {i.kind.value} {i.value}" + (f" ({i.country})" if i.country else "")
              for i in entity.identifiers]
    lines += [f"  address  {a.text()}" for a in entity.addresses]
    if entity.programs:
        lines.append("  programs " + ", ".join(p.code for p in entity.programs))
    lines += [f"  directive {d.authority} {d.name} effective {d.effective_on or '?'}"
              for d in entity.directives]
    lines += [f"  link     {k.relation}: {k.target_id or k.target_name}" for k in entity.links]
    if entity.listed_on:
        lines.append(f"  listed   {entity.listed_on}")
    if entity.remarks:
        lines.append(f"  remarks  {entity.remarks}")
    return lines


def state_text(state: EntityState, as_of: date | None, history: list[HistoryEvent]) -> str:
    when = as_of.isoformat() if as_of else "now"
    if state.listed and state.entity is not None and state.snapshot is not None:
        snap = state.snapshot
        lines = _entity_lines(state.entity)
        lines.append(f"  listed as of {when} in {snap.source} snapshot #{snap.id} "
                     f"({snap.published})")
    else:
        lines = [f"{state.entity_id}: not listed as of {when}"]
        if state.last_seen is not None:
            lines.append(f"  last listed in snapshot #{state.last_seen.id} "
                         f"({state.last_seen.published})")
    lines.append("  history:")
    lines += [f"    {e.snapshot.published}  #{e.snapshot.id}  {e.change}"
              + (f" [{', '.join(e.fields)}]" if e.fields else "") for e in history]
    return "\n".join(lines)
