"""The store: immutable dated snapshots of each list with full entity history."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from embargo.errors import DuplicateSnapshotError, NotFoundError, UsageError
from embargo.model.codec import loads
from embargo.model.entity import Entity
from embargo.store import holds, ledger
from embargo.store import queries as q
from embargo.store.diff import changed_fields, history_events
from embargo.store.engine import BEGIN_OPTION, guarded, make_engine, safe_url
from embargo.store.migrations import current_version
from embargo.store.migrations import migrate as apply_migrations
from embargo.store.tables import entity_versions, snapshot_members, snapshots
from embargo.store.types import (
    ADDED,
    CHANGED,
    REMOVED,
    EntityChange,
    EntityState,
    HistoryEvent,
    Snapshot,
    SnapshotDiff,
)
from embargo.store.verify import VerifyReport
from embargo.store.verify import verify as verify_store
from embargo.store.writer import insert_members, insert_snapshot_row

log = logging.getLogger(__name__)

_DATE_REF = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Store:
    """Snapshots and entity versions in SQLite or PostgreSQL (SQLAlchemy Core)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, migrate: bool = True) -> Self:
        """Open (and by default migrate) the store at ``url``."""
        store = cls(make_engine(url))
        if migrate:
            try:
                applied = apply_migrations(store.engine)
            except BaseException:
                store.close()
                raise
            if applied:
                log.info("store %s migrated to %s", safe_url(store.engine.url), applied)
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _read(self, action: str) -> Iterator[Connection]:
        with guarded(self.engine, action), self.engine.connect() as conn:
            yield conn

    def schema_version(self) -> int:
        with self._read("schema version") as conn:
            return current_version(conn)

    # -- snapshots ---------------------------------------------------------

    def find_snapshot(self, source: str, content_hash: str) -> Snapshot | None:
        query = select(snapshots).where(snapshots.c.source == source,
                                        snapshots.c.content_hash == content_hash)
        with self._read("find snapshot") as conn:
            found = q.one_snapshot(conn, query)
            return self._with_holds(conn, [found])[0] if found else None

    def add_snapshot(self, *, source: str, kind: str, published: date, content_hash: str,
                     parser_version: str, entities: Iterable[Entity], counts: dict[str, int],
                     label: str | None = None, files: Iterable[str] = (),
                     held: str | None = None,
                     provenance: dict[str, Any] | None = None) -> Snapshot:
        """Store one snapshot, its entities and its log record atomically (all or nothing).

        ``held`` (a reason) stores it held: not in force until :meth:`release`. The same
        content stored meanwhile by another import raises :class:`DuplicateSnapshotError`.
        """
        if self.find_snapshot(source, content_hash) is not None:
            raise self._duplicate(source, content_hash)
        values = {"source": source, "kind": kind, "published": published,
                  "imported_at": datetime.now(UTC), "content_hash": content_hash,
                  "parser_version": parser_version, "counts": dict(counts), "label": label,
                  "files": tuple(files)}
        with guarded(self.engine, f"import of {source}"), self.engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            try:
                with conn.begin():
                    snapshot_id = insert_snapshot_row(conn, values)
                    count = insert_members(conn, snapshot_id, entities)
                    if held is not None:
                        holds.add_hold(conn, snapshot_id, held)
                    ledger.append_snapshot(conn, snapshot_id, held=held, provenance=provenance)
            except IntegrityError:
                if self.find_snapshot(source, content_hash) is None:
                    raise
                raise self._duplicate(source, content_hash) from None
        log.info("stored snapshot %d of %s (%s): %d entities%s", snapshot_id, source,
                 published, count, f", held: {held}" if held else "")
        return self.get_snapshot(snapshot_id)

    @staticmethod
    def _duplicate(source: str, content_hash: str) -> DuplicateSnapshotError:
        return DuplicateSnapshotError(f"snapshot of {source} with content hash {content_hash} "
                                      "already exists", source=source,
                                      content_hash=content_hash)

    def release(self, snapshot_id: int, user: str) -> Snapshot:
        """Put a held snapshot in force; the release is recorded in the snapshot log."""
        if not user.strip():
            raise UsageError("a release needs the name of the person releasing (--user)")
        snapshot = self.get_snapshot(snapshot_id)
        if snapshot.held is None:
            raise UsageError(f"snapshot #{snapshot_id} of {snapshot.source} is not held")
        now = datetime.now(UTC)
        with guarded(self.engine, "release snapshot"), self.engine.connect() as conn:
            conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            with conn.begin():
                if not holds.mark_released(conn, snapshot_id, user, now):
                    raise UsageError(f"snapshot #{snapshot_id} was released meanwhile")
                ledger.append(conn, ledger.RELEASE, snapshot_id, {
                    "released_by": user, "released_at": now.isoformat(timespec="microseconds"),
                    "reason": snapshot.held})
        log.warning("snapshot %d of %s released by %s (was held: %s)",
                    snapshot_id, snapshot.source, user, snapshot.held)
        return self.get_snapshot(snapshot_id)

    def verify(self) -> VerifyReport:
        """Recompute every digest and walk the snapshot log (see :mod:`embargo.store.verify`)."""
        with self._read("verify") as conn:
            return verify_store(conn)

    def log_records(self) -> list[ledger.LogRecord]:
        """The snapshot log, oldest first."""
        with self._read("read the snapshot log") as conn:
            return ledger.records(conn)

    def held_snapshots(self, source: str | None = None) -> list[Snapshot]:
        """Snapshots stored but held (not in force), with their reasons."""
        return [s for s in self.snapshots(source) if s.held is not None]

    def provenance(self, snapshot_id: int) -> dict[str, Any]:
        """Where the snapshot came from (URL, digests, fetch time), from its log record."""
        with self._read("snapshot provenance") as conn:
            found = [r for r in ledger.snapshot_records(conn, snapshot_id)
                     if r.event == ledger.SNAPSHOT]
        return dict(found[0].body.get("provenance") or {}) if found else {}

    def _with_holds(self, conn: Connection, found: list[Snapshot]) -> list[Snapshot]:
        reasons = holds.held_reasons(conn)
        return [replace(s, held=reasons[s.id]) if s.id in reasons else s for s in found]

    def snapshots(self, source: str | None = None) -> list[Snapshot]:
        query = select(snapshots)
        if source is not None:
            query = query.where(snapshots.c.source == source)
        query = query.order_by(snapshots.c.source, snapshots.c.published, snapshots.c.id)
        with self._read("list snapshots") as conn:
            return self._with_holds(conn, q.snapshot_list(conn, query))

    def get_snapshot(self, snapshot_id: int) -> Snapshot:
        with self._read("get snapshot") as conn:
            found = q.by_id(conn, snapshot_id)
            if found is None:
                raise NotFoundError(f"no snapshot with id {snapshot_id}",
                                    snapshot_id=snapshot_id)
            return self._with_holds(conn, [found])[0]

    def resolve_snapshot(self, source: str, ref: str) -> Snapshot:
        """A snapshot of ``source`` by numeric id or publication date (YYYY-MM-DD)."""
        found = self._resolve(source, ref.strip())
        if found is None or found.source != source:
            raise NotFoundError(f"no snapshot {ref!r} of {source}", source=source, ref=ref)
        return self.get_snapshot(found.id)

    def _resolve(self, source: str, ref: str) -> Snapshot | None:
        if ref.isascii() and ref.isdigit():
            with self._read("get snapshot") as conn:
                return q.by_id(conn, int(ref))
        if not _DATE_REF.fullmatch(ref):
            return None
        try:
            day = date.fromisoformat(ref)
        except ValueError:
            return None
        query = (select(snapshots).where(snapshots.c.source == source,
                                         snapshots.c.published == day)
                 .order_by(snapshots.c.id.desc()))
        with self._read("resolve snapshot") as conn:
            return q.one_snapshot(conn, query)

    def latest_snapshot(self, source: str, as_of: date | None = None) -> Snapshot | None:
        with self._read("latest snapshot") as conn:
            return q.latest(conn, source, as_of)

    def snapshots_as_of(self, as_of: date | None) -> list[Snapshot]:
        """For each source, its latest snapshot published on or before ``as_of``."""
        with self._read("snapshots as of") as conn:
            return q.latest_per_source(conn, as_of)

    def sources(self) -> list[str]:
        query = select(snapshots.c.source).distinct().order_by(snapshots.c.source)
        with self._read("list sources") as conn:
            return list(conn.scalars(query))

    # -- entities ----------------------------------------------------------

    def iter_entities(self, snapshot_id: int) -> Iterator[Entity]:
        """Stream the snapshot's entities, ordered by entity id."""
        self.get_snapshot(snapshot_id)
        query = (
            select(entity_versions.c.data)
            .join(snapshot_members, (snapshot_members.c.entity_id == entity_versions.c.entity_id)
                  & (snapshot_members.c.content_hash == entity_versions.c.content_hash))
            .where(snapshot_members.c.snapshot_id == snapshot_id)
            .order_by(snapshot_members.c.entity_id)
        )
        with guarded(self.engine, "read entities"), self.engine.connect() as conn:
            result = conn.execution_options(yield_per=1000).execute(query)
            for data in result.scalars():
                yield loads(data)

    def entity_ids(self, snapshot_id: int) -> set[str]:
        self.get_snapshot(snapshot_id)
        query = select(snapshot_members.c.entity_id).where(
            snapshot_members.c.snapshot_id == snapshot_id)
        with self._read("read entity ids") as conn:
            return set(conn.scalars(query))

    def _entity_source(self, conn: Connection, entity_id: str) -> str:
        source = q.entity_source(conn, entity_id)
        if source is None:
            raise NotFoundError(f"no entity {entity_id!r} in any snapshot", entity_id=entity_id)
        return source

    def entity_as_of(self, entity_id: str, as_of: date | None = None) -> EntityState:
        """Whether (and as what) the entity was listed on ``as_of`` (None: newest)."""
        with self._read("entity as of") as conn:
            steps = q.presence(conn, self._entity_source(conn, entity_id), entity_id, as_of)
            held = [(snap, digest) for snap, digest in steps if digest is not None]
            entity = q.load_version(conn, entity_id, held[-1][1]) if held else None
        snapshot = steps[-1][0] if steps else None
        return EntityState(
            entity_id=entity_id, listed=bool(steps) and steps[-1][1] is not None,
            entity=entity, snapshot=snapshot,
            first_seen=held[0][0] if held else None, last_seen=held[-1][0] if held else None,
        )

    def history(self, entity_id: str) -> list[HistoryEvent]:
        """Added / changed / removed events over the source's snapshots by date."""
        with self._read("entity history") as conn:
            steps = q.presence(conn, self._entity_source(conn, entity_id), entity_id)
            return history_events(steps, lambda digest: q.load_version(conn, entity_id, digest))

    def diff(self, old: Snapshot, new: Snapshot) -> SnapshotDiff:
        """What changed between two snapshots of one source."""
        if old.source != new.source:
            raise UsageError(f"cannot diff snapshots of {old.source} and {new.source}")
        with self._read("diff snapshots") as conn:
            added = q.members_only(conn, new.id, old.id)
            removed = q.members_only(conn, old.id, new.id)
            changed = q.changed_pairs(conn, old.id, new.id)
        return SnapshotDiff(
            source=new.source, old=old, new=new,
            added=tuple(EntityChange(eid, cap, ADDED) for eid, cap in added),
            removed=tuple(EntityChange(eid, cap, REMOVED) for eid, cap in removed),
            changed=tuple(EntityChange(eid, cap, CHANGED, changed_fields(loads(a), loads(b)))
                          for eid, cap, a, b in changed),
        )
