"""Ownership holdings in the store, dated, so the 50% rule can be applied as of a date.

Rows are never updated: a later ``as_of`` for the same (owner, asset, source)
supersedes an earlier one; a percentage of 0 records a disposal.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    insert,
    or_,
    select,
)

from embargo.ownership.graph import Holding
from embargo.store.engine import guarded
from embargo.store.store import Store
from embargo.store.tables import metadata

log = logging.getLogger(__name__)

ownership_holdings = Table(
    "ownership_holdings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner_id", String(300), nullable=False),
    Column("asset_id", String(300), nullable=False),
    Column("percentage", Float, nullable=False),
    Column("source", String(200), nullable=False),
    Column("as_of", Date),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Index("ix_ownership_asset", "asset_id"),
    Index("ix_ownership_owner", "owner_id"),
)


def _row(holding: Holding, now: datetime) -> dict[str, Any]:
    return {"owner_id": holding.owner_id, "asset_id": holding.asset_id,
            "percentage": holding.percentage, "source": holding.source,
            "as_of": holding.as_of, "imported_at": now}


def save_holdings(store: Store, holdings: Iterable[Holding]) -> int:
    """Store holdings atomically; the number stored."""
    now = datetime.now(UTC)
    rows = [_row(h, now) for h in holdings]
    if not rows:
        return 0
    with guarded(store.engine, "ownership import"), store.engine.begin() as conn:
        conn.execute(insert(ownership_holdings), rows)
    log.info("stored %d ownership holdings", len(rows))
    return len(rows)


def load_holdings(store: Store, as_of: date | None = None) -> list[Holding]:
    """The holdings in force on ``as_of`` (None: the newest): per (owner, asset, source),
    the row with the latest ``as_of`` on or before the date; disposals (0%) dropped."""
    t = ownership_holdings
    query = select(t.c.owner_id, t.c.asset_id, t.c.percentage, t.c.source, t.c.as_of)
    if as_of is not None:
        query = query.where(or_(t.c.as_of.is_(None), t.c.as_of <= as_of))
    query = query.order_by(t.c.id)
    latest: dict[tuple[str, str, str], Holding] = {}
    with guarded(store.engine, "ownership read"), store.engine.connect() as conn:
        for owner, asset, pct, source, day in conn.execute(query):
            key = (owner, asset, source)
            known = latest.get(key)
            if known is None or (day or date.min) >= (known.as_of or date.min):
                latest[key] = Holding(owner, asset, float(pct), source, day)
    return [h for h in latest.values() if h.percentage > 0]
