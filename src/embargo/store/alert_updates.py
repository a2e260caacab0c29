"""Changes behind an alert: what changed since an alert, and moving an active alert on.

An alert keeps what it was raised on. When the customer's screened fields or the listed entry
change while the alert is still active (open, in review, escalated), the monitor moves its
current hit, score, snapshot and versions on (:func:`move_on`), keeps the ones it was raised
on in ``alert_origins`` (once, at the first change) and appends a ``changed`` event naming
what changed (the fields of either side) with the old and new score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, insert, select, update

from embargo.alerts.types import PairHit
from embargo.model.codec import loads
from embargo.store.diff import changed_fields
from embargo.store.monitor_tables import alert_origins, alerts, customer_versions
from embargo.store.tables import entity_versions


@dataclass(frozen=True, slots=True)
class Latest:
    """The newest alert of a pair, as raising and moving on need it."""

    id: int
    seq: int
    state: str
    customer_version: int
    customer_hash: str
    entity_hash: str
    delisted_on: date | None


def what_changed(conn: Connection, old: Latest, hit: PairHit) -> dict[str, Any]:
    """What changed on either side since the alert ``old`` (its current versions)."""
    out: dict[str, Any] = {"supersedes": old.id}
    if old.delisted_on is not None:
        out["relisted"] = {"delisted_on": old.delisted_on.isoformat(),
                           "snapshot": hit.snapshot_id}
    if old.customer_hash != hit.customer_hash:
        before = conn.execute(select(customer_versions.c.data).where(
            customer_versions.c.customer_id == hit.customer_id,
            customer_versions.c.version == old.customer_version)).scalar_one()
        now = conn.execute(select(customer_versions.c.data).where(
            customer_versions.c.customer_id == hit.customer_id,
            customer_versions.c.version == hit.customer_version)).scalar_one()
        out["customer"] = {"from_version": old.customer_version,
                           "to_version": hit.customer_version,
                           "fields": list(changed_fields(loads(before), loads(now)))}
    if old.entity_hash != hit.entity_hash:
        versions = dict(conn.execute(select(entity_versions.c.content_hash,
                                            entity_versions.c.data).where(
            entity_versions.c.entity_id == hit.entity_id,
            entity_versions.c.content_hash.in_([old.entity_hash, hit.entity_hash]))).all())
        fields = (list(changed_fields(loads(versions[old.entity_hash]),
                                      loads(versions[hit.entity_hash])))
                  if len(versions) == 2 else [])
        out["entity"] = {"from_hash": old.entity_hash, "to_hash": hit.entity_hash,
                         "fields": fields}
    return out


def move_on(conn: Connection, old: Latest, hit: PairHit, now: datetime) -> bool:
    """Move an active alert on to the pair as it now stands; whether anything changed."""
    from embargo.store.alerts import add_event

    if old.customer_hash == hit.customer_hash and old.entity_hash == hit.entity_hash:
        return False
    changes = what_changed(conn, old, hit)
    changes.pop("supersedes", None)
    changes.pop("relisted", None)
    row = conn.execute(select(alerts).where(alerts.c.id == old.id)).one()
    _keep_origin(conn, row)
    conn.execute(update(alerts).where(alerts.c.id == old.id).values(
        score=hit.score, hit=_dumps(hit.hit), snapshot_id=hit.snapshot_id,
        published=hit.published, entity_hash=hit.entity_hash,
        customer_version=hit.customer_version, customer_hash=hit.customer_hash,
        updated_at=now, revision=alerts.c.revision + 1))
    if "entity" in changes:
        changes["entity"]["changed_on"] = hit.published.isoformat()
    add_event(conn, old.id, "changed", from_state=row.state, to_state=row.state, at=now,
              details={**changes, "summary": summary(changes, row.score, hit.score),
                       "score": {"from": row.score, "to": hit.score},
                       "snapshot": hit.snapshot_id})
    return True


def summary(changes: dict[str, Any], old_score: float, new_score: float) -> str:
    """One line: ``entry changed on D (fields); customer changed (fields); score a -> b``."""
    parts = []
    if "entity" in changes:
        fields = ", ".join(changes["entity"]["fields"]) or "content"
        parts.append(f"entry changed on {changes['entity']['changed_on']} ({fields})")
    if "customer" in changes:
        fields = ", ".join(changes["customer"]["fields"]) or "content"
        parts.append(f"customer changed (version {changes['customer']['from_version']} -> "
                     f"{changes['customer']['to_version']}: {fields})")
    parts.append(f"score {old_score:.3f} -> {new_score:.3f}")
    return "; ".join(parts)


def _keep_origin(conn: Connection, row: Any) -> None:
    """Record what the alert was raised on, before its first move."""
    known = conn.execute(select(alert_origins.c.alert_id).where(
        alert_origins.c.alert_id == row.id)).first()
    if known is None:
        conn.execute(insert(alert_origins).values(
            alert_id=row.id, score=row.score, hit=row.hit, snapshot_id=row.snapshot_id,
            published=row.published, entity_hash=row.entity_hash,
            customer_version=row.customer_version, customer_hash=row.customer_hash))


def origin_of(conn: Connection, alert_id: int) -> dict[str, Any] | None:
    """What a moved alert was raised on (None: it never moved)."""
    row = conn.execute(select(alert_origins).where(alert_origins.c.alert_id == alert_id)).first()
    if row is None:
        return None
    return {"score": row.score, "snapshot": row.snapshot_id,
            "published": row.published.isoformat(), "entity_hash": row.entity_hash,
            "customer_version": row.customer_version, "customer_hash": row.customer_hash,
            "hit": orjson.loads(row.hit)}


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
