"""The snapshot log: a hash chain of what was stored, held and released.

Every snapshot appends one record (its row, the digest of its source files, the digest of
its parsed content and, when fetched, where from and when); every release of a held
snapshot appends another (who, when). Each record's digest covers its body and the digest
of the record before it, so a record edited, removed or inserted by hand breaks the chain
from there on. The content digest of a snapshot is SHA-256 over its membership
(``entity id TAB version hash LF``, in entity id order); each version's hash is the SHA-1 of
its stored data, so together they pin every entity a snapshot lists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    text,
)

from embargo.store.tables import metadata, snapshot_members, snapshots

GENESIS = "0" * 64  # the "previous digest" of the first record
DIGEST_VERSION = 1  # how content digests are computed (recorded in each snapshot record)
SNAPSHOT, RELEASE = "snapshot", "release"
_LOCK_KEY = 0x656D6C67  # "emlg": advisory lock serialising appends (PostgreSQL)

snapshot_log = Table(
    "snapshot_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("event", String(20), nullable=False),
    Column("snapshot_id", Integer, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("body", Text, nullable=False),  # canonical JSON (sorted keys)
    Column("prev_digest", String(64), nullable=False),
    Column("digest", String(64), nullable=False),
    UniqueConstraint("prev_digest", name="uq_snapshot_log_prev"),
    Index("ix_snapshot_log_snapshot", "snapshot_id", "seq"),
)


@dataclass(frozen=True, slots=True)
class LogRecord:
    seq: int
    event: str
    snapshot_id: int
    body: dict[str, Any]
    prev_digest: str
    digest: str


def canonical(body: dict[str, Any]) -> bytes:
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def record_digest(prev_digest: str, body: dict[str, Any]) -> str:
    return hashlib.sha256(prev_digest.encode() + b"\n" + canonical(body)).hexdigest()


def membership_digest(rows: Iterable[tuple[str, str]]) -> str:
    """SHA-256 over (entity id, version hash) pairs, which must come in entity id order."""
    digest = hashlib.sha256()
    for entity_id, content_hash in rows:
        digest.update(f"{entity_id}\t{content_hash}\n".encode())
    return digest.hexdigest()


def snapshot_content_digest(conn: Connection, snapshot_id: int) -> tuple[str, int]:
    """The membership digest of a stored snapshot and its number of members."""
    query = (select(snapshot_members.c.entity_id, snapshot_members.c.content_hash)
             .where(snapshot_members.c.snapshot_id == snapshot_id)
             .order_by(snapshot_members.c.entity_id))
    rows = [(r.entity_id, r.content_hash) for r in conn.execute(query)]
    rows.sort(key=lambda r: r[0].encode())  # byte order, whatever the database's collation
    return membership_digest(rows), len(rows)


def _iso(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")
    return value.isoformat() if hasattr(value, "isoformat") else value


def row_fields(row: Any) -> dict[str, Any]:
    """The snapshot row as the log records it (JSON columns parsed, dates as ISO text)."""
    return {
        "id": row.id, "source": row.source, "kind": row.kind,
        "published": _iso(row.published), "imported_at": _iso(row.imported_at),
        "content_hash": row.content_hash, "parser_version": row.parser_version,
        "entity_count": row.entity_count, "counts": orjson.loads(row.counts),
        "label": row.label, "files": orjson.loads(row.files),
    }


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def head(conn: Connection) -> tuple[int, str]:
    """(seq, digest) of the last record; (0, GENESIS) for an empty log."""
    row = conn.execute(select(snapshot_log.c.seq, snapshot_log.c.digest)
                       .order_by(snapshot_log.c.seq.desc()).limit(1)).first()
    return (int(row.seq), str(row.digest)) if row is not None else (0, GENESIS)


def append(conn: Connection, event: str, snapshot_id: int, body: dict[str, Any]) -> LogRecord:
    """Append one record inside the caller's transaction (appends are serialised)."""
    _lock(conn)
    last_seq, prev = head(conn)
    now = datetime.now(UTC)
    full = dict(body, seq=last_seq + 1, event=event, snapshot_id=snapshot_id,
                recorded_at=_iso(now))
    digest = record_digest(prev, full)
    conn.execute(insert(snapshot_log).values(
        seq=last_seq + 1, event=event, snapshot_id=snapshot_id, recorded_at=now,
        body=canonical(full).decode(), prev_digest=prev, digest=digest))
    return LogRecord(last_seq + 1, event, snapshot_id, full, prev, digest)


def snapshot_body(conn: Connection, snapshot_id: int, *, held: str | None,
                  provenance: dict[str, Any] | None) -> dict[str, Any]:
    """The body of a snapshot's record, computed from what is stored."""
    row = conn.execute(select(snapshots).where(snapshots.c.id == snapshot_id)).one()
    content, members = snapshot_content_digest(conn, snapshot_id)
    return {"snapshot": row_fields(row), "content_digest": content, "members": members,
            "digest_version": DIGEST_VERSION, "held": held, "provenance": provenance or {}}


def append_snapshot(conn: Connection, snapshot_id: int, *, held: str | None,
                    provenance: dict[str, Any] | None) -> LogRecord:
    body = snapshot_body(conn, snapshot_id, held=held, provenance=provenance)
    return append(conn, SNAPSHOT, snapshot_id, body)


def records(conn: Connection) -> list[LogRecord]:
    query = select(snapshot_log).order_by(snapshot_log.c.seq)
    return [LogRecord(int(r.seq), r.event, int(r.snapshot_id), orjson.loads(r.body),
                      r.prev_digest, r.digest) for r in conn.execute(query)]


def snapshot_records(conn: Connection, snapshot_id: int) -> list[LogRecord]:
    query = (select(snapshot_log).where(snapshot_log.c.snapshot_id == snapshot_id)
             .order_by(snapshot_log.c.seq))
    return [LogRecord(int(r.seq), r.event, int(r.snapshot_id), orjson.loads(r.body),
                      r.prev_digest, r.digest) for r in conn.execute(query)]


def backfill(conn: Connection) -> int:
    """Log every snapshot not logged yet (stores created before the log existed)."""
    logged = set(conn.scalars(select(snapshot_log.c.snapshot_id)
                              .where(snapshot_log.c.event == SNAPSHOT)))
    ids = [i for i in conn.scalars(select(snapshots.c.id).order_by(snapshots.c.id))
           if i not in logged]
    for snapshot_id in ids:
        append_snapshot(conn, snapshot_id, held=None,
                        provenance={"note": "logged when the store was upgraded"})
    return len(ids)
