"""The audit trail of screening requests: what was asked, against what, and what came back.

One row per screening request: its id, the API key, the time, the request as received, the
snapshot ids and the algorithm version used, the threshold and limit, and the response body.
Rows are written in batches (:meth:`AuditStore.write_many`) and purged after the retention
period (:meth:`AuditStore.purge`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from embargo.errors import NotFoundError, StoreError
from embargo.store.engine import describe, guarded, safe_url
from embargo.store.tables import metadata
from embargo.store.writelock import WriteLock

log = logging.getLogger(__name__)
# When a commit of the audit trail returns (EMBARGO_AUDIT_SYNC; docs/service.md):
# "flush": once the database has flushed it to disk (survives a power cut);
# "stored": once the database holds it (survives the service being killed, not the database
# server or the machine going down before its next flush). Default: flush on PostgreSQL,
# stored on a SQLite file (WAL, synchronous=NORMAL).
AUDIT_SYNCS = ("flush", "stored")

screenings = Table(
    "screenings",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("key_id", String(64)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("endpoint", String(100), nullable=False),
    Column("dataset", String(100)),
    Column("snapshot_ids", Text, nullable=False),  # JSON array of ints
    Column("algorithm", String(200), nullable=False),
    Column("threshold", Float),
    Column("result_limit", Integer, nullable=False),
    Column("as_of", Date),
    Column("request", Text, nullable=False),  # JSON, as received
    Column("response", Text, nullable=False),  # JSON, as returned
    Index("ix_screenings_created", "created_at"),
)


@dataclass(frozen=True, slots=True)
class ScreeningRecord:
    """One audited screening request."""

    id: str
    key_id: str | None
    created_at: datetime
    endpoint: str
    dataset: str | None
    snapshot_ids: tuple[int, ...]
    algorithm: str
    threshold: float | None
    limit: int
    as_of: date | None
    request: Any
    response: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "key_id": self.key_id,
            "created_at": self.created_at.isoformat(), "endpoint": self.endpoint,
            "dataset": self.dataset, "snapshot_ids": list(self.snapshot_ids),
            "algorithm": self.algorithm, "threshold": self.threshold, "limit": self.limit,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "request": self.request, "response": self.response,
        }


def dump_json(value: Any) -> str:
    """JSON text of a request or response, always storable.

    Integers beyond 64 bits and text that is not valid Unicode (a lone surrogate, which no
    UTF-8 encoder can write) fall back to stdlib json with every non-ASCII character escaped:
    the record keeps exactly what was received, and :func:`load_json` reads it back.
    """
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError: an integer over 64 bits, a lone surrogate
        return json.dumps(value, ensure_ascii=True, default=str)


def load_json(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _row(record: ScreeningRecord) -> dict[str, Any]:
    return {
        "id": record.id, "key_id": record.key_id, "created_at": record.created_at,
        "endpoint": record.endpoint, "dataset": record.dataset,
        "snapshot_ids": orjson.dumps(list(record.snapshot_ids)).decode(),
        "algorithm": record.algorithm, "threshold": record.threshold,
        "result_limit": record.limit, "as_of": record.as_of,
        "request": dump_json(record.request),
        "response": dump_json(record.response),
    }


def _record(row: Any) -> ScreeningRecord:
    created = row.created_at
    created = created.replace(tzinfo=UTC) if created.tzinfo is None else created.astimezone(UTC)
    return ScreeningRecord(
        id=row.id, key_id=row.key_id, created_at=created, endpoint=row.endpoint,
        dataset=row.dataset, snapshot_ids=tuple(orjson.loads(row.snapshot_ids)),
        algorithm=row.algorithm, threshold=row.threshold, limit=row.result_limit,
        as_of=row.as_of, request=load_json(row.request), response=load_json(row.response),
    )


class AuditStore:
    """Screening records in the store's database.

    Batches are written through one database connection kept for the purpose and a statement
    compiled once (:class:`_FastInsert`): the generic execution path cost more CPU per batch
    than the insert itself. On a SQLite file, writers of several processes (the service's
    workers) take turns through a lock file (:class:`~embargo.store.writelock.WriteLock`) and
    then ``BEGIN IMMEDIATE``: a process waiting for SQLite's write lock in SQLite's own busy
    handler sleeps 1, 2, 5, 10 ... 100 ms between tries instead of waking when the lock is
    free, so a commit could wait for far longer than the commits ahead of it.
    """

    def __init__(self, engine: Engine, sync: str = "") -> None:
        self.engine = engine
        self.sync = sync or ("stored" if engine.dialect.name == "sqlite" else "flush")
        self._lock = WriteLock.for_engine(engine)
        self._idle: list[_FastInsert] = []  # one per writing thread, kept between batches
        self._idle_lock = threading.Lock()

    def write_many(self, records: Sequence[ScreeningRecord]) -> None:
        """Insert the records in one transaction (all or none); StoreError if that failed.

        Several threads may write at once, each on a connection of its own (PostgreSQL
        commits them together); on a SQLite file they take turns.
        """
        if not records:
            return
        rows = [_row(r) for r in records]
        with self._idle_lock:
            inserter = self._idle.pop() if self._idle else None
        inserter = inserter or _FastInsert(self.engine, self.sync)
        try:
            with self._lock:
                inserter.run(rows)
        finally:
            with self._idle_lock:
                self._idle.append(inserter)

    def close(self) -> None:
        """Release the writing connections (the next write opens another)."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for inserter in idle:
            inserter.close()

    def get(self, screening_id: str) -> ScreeningRecord:
        query = select(screenings).where(screenings.c.id == screening_id)
        with guarded(self.engine, "read audit record"), self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFoundError(f"no screening {screening_id!r} in the audit trail",
                                screening_id=screening_id)
        return _record(row)

    def purge(self, before: datetime) -> int:
        """Delete the records created before ``before``; how many were deleted."""
        with guarded(self.engine, "purge audit records"), self.engine.begin() as conn:
            result = conn.execute(delete(screenings).where(screenings.c.created_at < before))
            return int(result.rowcount or 0)

    def count(self) -> int:
        with guarded(self.engine, "count audit records"), self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(screenings)) or 0)


class _FastInsert:
    """``INSERT INTO screenings`` on a connection of its own, compiled once per dialect."""

    def __init__(self, engine: Engine, sync: str = "flush") -> None:
        self.engine = engine
        dialect = engine.dialect
        compiled = insert(screenings).compile(dialect=dialect)
        self.sql = str(compiled)
        self.names = list(compiled.positiontup or []) if dialect.positional else None
        self.processors = {c.name: c.type._cached_bind_processor(dialect)
                           for c in screenings.columns}
        self.begin = "BEGIN IMMEDIATE" if dialect.name == "sqlite" else None
        self.setup = _SYNC_SQL[dialect.name == "sqlite", sync]
        self.conn: Any = None

    def _params(self, row: dict[str, Any]) -> Any:
        values = {k: (p(v) if (p := self.processors[k]) is not None and v is not None else v)
                  for k, v in row.items()}
        return values if self.names is None else tuple(values[n] for n in self.names)

    def run(self, rows: list[dict[str, Any]]) -> None:
        params = [self._params(r) for r in rows]
        error_type = self.engine.dialect.loaded_dbapi.Error
        try:
            if self.conn is None:
                self.conn = self.engine.raw_connection()
                if self.begin and self.setup:  # SQLite: for this connection
                    self.conn.cursor().execute(self.setup)
            cursor = self.conn.cursor()
            try:
                if self.begin:
                    cursor.execute(self.begin)
                elif self.setup:  # PostgreSQL: for this transaction, not the pooled session
                    cursor.execute(self.setup)
                if len(params) == 1:  # cheaper than executemany's set-up (psycopg)
                    cursor.execute(self.sql, params[0])
                else:
                    cursor.executemany(self.sql, params)
                if self.begin:
                    cursor.execute("COMMIT")
                else:
                    self.conn.commit()
            finally:
                cursor.close()
        except error_type as exc:
            self._reset()
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"database {safe_url(self.engine.url)}: write audit records failed: "
                             f"{message}", database=safe_url(self.engine.url)) from exc
        except SQLAlchemyError as exc:
            self._reset()
            raise StoreError(f"database {safe_url(self.engine.url)}: write audit records failed: "
                             f"{describe(exc)}", database=safe_url(self.engine.url)) from exc

    def _reset(self) -> None:
        """After a failure: roll back, and drop the connection (it may be broken)."""
        conn, self.conn = self.conn, None
        if conn is None:
            return
        try:
            if self.begin:
                conn.cursor().execute("ROLLBACK")
            else:
                conn.rollback()
        except Exception:  # the connection is discarded anyway
            log.debug("rollback after a failed audit write failed", exc_info=True)
        conn.invalidate()

    def close(self) -> None:
        if self.conn is not None:
            if self.begin and self.setup:  # back to the engine's setting before the pool
                self.conn.cursor().execute("PRAGMA synchronous=NORMAL")
            self.conn.close()
            self.conn = None


# (SQLite?, sync) -> the statement that sets it; None: the connection's default does
_SYNC_SQL: dict[tuple[bool, str], str | None] = {
    (True, "stored"): None,  # the engine's WAL + synchronous=NORMAL
    (True, "flush"): "PRAGMA synchronous=FULL",
    (False, "flush"): None,  # PostgreSQL's synchronous_commit=on
    (False, "stored"): "SET LOCAL synchronous_commit = off",
}
