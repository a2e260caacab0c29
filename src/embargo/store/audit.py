"""The audit trail of screening requests: what was asked, against what, and what came back.

One row per screening request: its id, the API key, the time, the request as received, the
snapshot ids and the algorithm version used, the threshold and limit, and the response body.
Rows are written in batches (:meth:`AuditStore.write_many`) and purged after the retention
period (:meth:`AuditStore.purge`).
"""

from __future__ import annotations

import json
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

from embargo.errors import NotFoundError
from embargo.store.engine import guarded
from embargo.store.tables import metadata

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
    """Screening records in the store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def write_many(self, records: Sequence[ScreeningRecord]) -> None:
        """Insert the records in one transaction (all or none)."""
        if not records:
            return
        with guarded(self.engine, "write audit records"), self.engine.begin() as conn:
            conn.execute(insert(screenings), [_row(r) for r in records])

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
