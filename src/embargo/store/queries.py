"""Read queries over the store's tables (each takes an open connection)."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

import orjson
from sqlalchemy import Connection, Row, Select, and_, exists, func, select

from embargo.model.codec import loads
from embargo.model.entity import Entity
from embargo.store.holds import not_held
from embargo.store.tables import entity_versions, snapshot_members, snapshots
from embargo.store.types import Snapshot

_MAX_ID = 2**31 - 1
_ORDER = (snapshots.c.published.desc(), snapshots.c.id.desc())


def to_snapshot(row: Row[Any]) -> Snapshot:
    imported = row.imported_at
    if imported.tzinfo is None:  # SQLite keeps no zone; everything is stored in UTC
        imported = imported.replace(tzinfo=UTC)
    imported = imported.astimezone(UTC)
    return Snapshot(
        id=row.id, source=row.source, kind=row.kind, published=row.published,
        imported_at=imported, content_hash=row.content_hash,
        parser_version=row.parser_version, entity_count=row.entity_count,
        counts=dict(orjson.loads(row.counts)), label=row.label,
        files=tuple(orjson.loads(row.files)),
    )


def snapshot_list(conn: Connection, query: Select[Any]) -> list[Snapshot]:
    return [to_snapshot(row) for row in conn.execute(query)]


def one_snapshot(conn: Connection, query: Select[Any]) -> Snapshot | None:
    row = conn.execute(query.limit(1)).first()
    return to_snapshot(row) if row is not None else None


def by_id(conn: Connection, snapshot_id: int) -> Snapshot | None:
    if not 0 < snapshot_id <= _MAX_ID:  # out of the column's range: cannot exist
        return None
    return one_snapshot(conn, select(snapshots).where(snapshots.c.id == snapshot_id))


# Every query below that picks snapshots in force leaves held snapshots out (not_held()).


def latest(conn: Connection, source: str, as_of: date | None) -> Snapshot | None:
    """The source's snapshot published last on or before ``as_of`` (latest import wins)."""
    query = select(snapshots).where(snapshots.c.source == source, not_held())
    if as_of is not None:
        query = query.where(snapshots.c.published <= as_of)
    return one_snapshot(conn, query.order_by(*_ORDER))


def latest_per_source(conn: Connection, as_of: date | None) -> list[Snapshot]:
    rank = func.row_number().over(partition_by=snapshots.c.source, order_by=_ORDER)
    inner = select(snapshots, rank.label("rank")).where(not_held())
    if as_of is not None:
        inner = inner.where(snapshots.c.published <= as_of)
    ranked = inner.subquery()
    query = select(ranked).where(ranked.c.rank == 1).order_by(ranked.c.source)
    return snapshot_list(conn, query)


def entity_source(conn: Connection, entity_id: str) -> str | None:
    """The source whose snapshots held ``entity_id`` (the latest-listing one if several)."""
    query = (
        select(snapshots.c.source)
        .join(snapshot_members, snapshot_members.c.snapshot_id == snapshots.c.id)
        .where(snapshot_members.c.entity_id == entity_id, not_held())
        .order_by(*_ORDER)
        .limit(1)
    )
    return conn.scalar(query)


def load_version(conn: Connection, entity_id: str, content_hash: str) -> Entity:
    query = select(entity_versions.c.data).where(
        entity_versions.c.entity_id == entity_id,
        entity_versions.c.content_hash == content_hash,
    )
    return loads(conn.execute(query).scalar_one())


def presence(conn: Connection, source: str, entity_id: str,
             as_of: date | None = None) -> list[tuple[Snapshot, str | None]]:
    """Each snapshot of ``source`` (oldest first) with the entity's hash there, or None."""
    member = and_(snapshot_members.c.snapshot_id == snapshots.c.id,
                  snapshot_members.c.entity_id == entity_id)
    query = (
        select(snapshots, snapshot_members.c.content_hash.label("member_hash"))
        .outerjoin(snapshot_members, member)
        .where(snapshots.c.source == source, not_held())
        .order_by(snapshots.c.published, snapshots.c.id)
    )
    if as_of is not None:
        query = query.where(snapshots.c.published <= as_of)
    return [(to_snapshot(row), row.member_hash) for row in conn.execute(query)]


def members_only(conn: Connection, inside: int, outside: int) -> list[tuple[str, str]]:
    """(entity id, caption) listed by snapshot ``inside`` but not by ``outside``."""
    other = snapshot_members.alias("other")
    query = (
        select(snapshot_members.c.entity_id, entity_versions.c.caption)
        .join(entity_versions, and_(
            entity_versions.c.entity_id == snapshot_members.c.entity_id,
            entity_versions.c.content_hash == snapshot_members.c.content_hash))
        .where(snapshot_members.c.snapshot_id == inside)
        .where(~exists().where(other.c.snapshot_id == outside,
                               other.c.entity_id == snapshot_members.c.entity_id))
        .order_by(snapshot_members.c.entity_id)
    )
    return [(row.entity_id, row.caption) for row in conn.execute(query)]


def changed_pairs(conn: Connection, old: int, new: int) -> list[tuple[str, str, str, str]]:
    """(entity id, caption, old data, new data) for entities whose version changed."""
    m_old, m_new = snapshot_members.alias("m_old"), snapshot_members.alias("m_new")
    v_old, v_new = entity_versions.alias("v_old"), entity_versions.alias("v_new")
    query = (
        select(m_new.c.entity_id, v_new.c.caption, v_old.c.data.label("old_data"),
               v_new.c.data.label("new_data"))
        .join(m_old, and_(m_old.c.entity_id == m_new.c.entity_id, m_old.c.snapshot_id == old))
        .join(v_old, and_(v_old.c.entity_id == m_old.c.entity_id,
                          v_old.c.content_hash == m_old.c.content_hash))
        .join(v_new, and_(v_new.c.entity_id == m_new.c.entity_id,
                          v_new.c.content_hash == m_new.c.content_hash))
        .where(m_new.c.snapshot_id == new, m_old.c.content_hash != m_new.c.content_hash)
        .order_by(m_new.c.entity_id)
    )
    return [(r.entity_id, r.caption, r.old_data, r.new_data) for r in conn.execute(query)]
