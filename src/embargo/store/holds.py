"""Held snapshots: stored, but not in force until an admin releases them.

A snapshot is held when a row here names it and has no release yet. Every query that picks
the snapshots *in force* (the latest per list, an entity as of a date, its history) filters
held snapshots out with :func:`not_held`; listings show them with their reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)

from embargo.store.tables import metadata, snapshots

snapshot_holds = Table(
    "snapshot_holds",
    metadata,
    Column("snapshot_id", Integer, ForeignKey("snapshots.id"), primary_key=True,
           autoincrement=False),
    Column("reason", Text, nullable=False),
    Column("held_at", DateTime(timezone=True), nullable=False),
    Column("released_at", DateTime(timezone=True)),
    Column("released_by", String(200)),
)


def not_held() -> ColumnElement[bool]:
    """A WHERE clause on ``snapshots``: the snapshot is not held."""
    held = select(snapshot_holds.c.snapshot_id).where(snapshot_holds.c.released_at.is_(None))
    return snapshots.c.id.not_in(held)


def add_hold(conn: Connection, snapshot_id: int, reason: str) -> None:
    conn.execute(insert(snapshot_holds).values(
        snapshot_id=snapshot_id, reason=reason, held_at=datetime.now(UTC)))


def held_reasons(conn: Connection, ids: list[int] | None = None) -> dict[int, str]:
    """Reason of each snapshot held now (of ``ids``, or all)."""
    query = select(snapshot_holds.c.snapshot_id, snapshot_holds.c.reason).where(
        snapshot_holds.c.released_at.is_(None))
    if ids is not None:
        query = query.where(snapshot_holds.c.snapshot_id.in_(ids))
    return {int(r.snapshot_id): str(r.reason) for r in conn.execute(query)}


def hold_row(conn: Connection, snapshot_id: int) -> Any:
    return conn.execute(select(snapshot_holds)
                        .where(snapshot_holds.c.snapshot_id == snapshot_id)).first()


def mark_released(conn: Connection, snapshot_id: int, user: str, when: datetime) -> bool:
    """Release a held snapshot; False when it was not held."""
    result = conn.execute(update(snapshot_holds)
                          .where(snapshot_holds.c.snapshot_id == snapshot_id,
                                 snapshot_holds.c.released_at.is_(None))
                          .values(released_at=when, released_by=user))
    return bool(result.rowcount)
