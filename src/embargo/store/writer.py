"""Writing one snapshot: batched inserts inside the caller's transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import orjson
from sqlalchemy import Connection, Insert, insert, select, update
from sqlalchemy.dialects import sqlite

from embargo.errors import StoreError
from embargo.model.codec import dumps
from embargo.model.entity import Entity
from embargo.store.tables import entity_versions, snapshot_members, snapshots

BATCH = 2000


def _version_row(entity: Entity) -> dict[str, Any]:
    raw = dumps(entity)  # content_hash(entity) is the SHA-1 of exactly these bytes
    return {
        "entity_id": entity.id,
        "content_hash": hashlib.sha1(raw).hexdigest(),
        "source": entity.source,
        "schema": str(entity.schema),
        "caption": entity.caption,
        "data": raw.decode("utf-8"),
    }


def _insert_versions(conn: Connection) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING: a version already stored is kept as is."""
    if conn.dialect.name == "postgresql":  # imported here: its import costs every command
        from sqlalchemy.dialects import postgresql  # ~0.05 s, SQLite stores included

        return postgresql.insert(entity_versions).on_conflict_do_nothing()
    return sqlite.insert(entity_versions).on_conflict_do_nothing()


def _unstored(conn: Connection, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows whose version is not stored yet (most are, on a re-import)."""
    query = select(entity_versions.c.entity_id, entity_versions.c.content_hash).where(
        entity_versions.c.entity_id.in_([row["entity_id"] for row in batch]))
    stored = {(eid, digest) for eid, digest in conn.execute(query)}
    return [row for row in batch if (row["entity_id"], row["content_hash"]) not in stored]


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


def insert_snapshot_row(conn: Connection, values: dict[str, Any]) -> int:
    """Insert the snapshot header (entity count 0 until members are in); its id."""
    row = dict(values, counts=orjson.dumps(values["counts"], option=orjson.OPT_SORT_KEYS)
               .decode(), files=orjson.dumps(list(values["files"])).decode(), entity_count=0)
    result = conn.execute(insert(snapshots).values(**row).returning(snapshots.c.id))
    return int(result.scalar_one())


def _insert_members(conn: Connection, snapshot_id: int, batch: list[dict[str, Any]]) -> None:
    """Membership rows: PostgreSQL's COPY where available (many times faster), else INSERT."""
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(  # type: ignore[union-attr]
                "COPY snapshot_members (snapshot_id, entity_id, content_hash) FROM STDIN") as copy:
            for row in batch:
                copy.write_row((snapshot_id, row["entity_id"], row["content_hash"]))
        return
    members = [{"snapshot_id": snapshot_id, "entity_id": r["entity_id"],
                "content_hash": r["content_hash"]} for r in batch]
    conn.execute(insert(snapshot_members), members)


def insert_members(conn: Connection, snapshot_id: int, entities: Iterable[Entity]) -> int:
    """Store versions (once each) and membership; the number of entities."""
    seen: set[str] = set()
    add_version = _insert_versions(conn)
    for batch in _batches(_version_row(e) for e in entities):
        for row in batch:
            if row["entity_id"] in seen:
                raise StoreError(f"duplicate entity id {row['entity_id']!r} in snapshot")
            seen.add(row["entity_id"])
        new = _unstored(conn, batch)
        if new:
            conn.execute(add_version, new)  # executemany (psycopg: pipelined)
        _insert_members(conn, snapshot_id, batch)
    conn.execute(update(snapshots).where(snapshots.c.id == snapshot_id)
                 .values(entity_count=len(seen)))
    return len(seen)
