"""The approvals queue (decisions awaiting a second user) and the good-guy list.

A good-guy entry is a pair an analyst cleared as a false positive: it stays quiet while
neither side changes. It lapses when the customer's screened fields or the listed entry change,
or the entry is listed again after a delisting; the monitor then raises the pair again, and the
new alert's ``changes`` say why: that is what the list shows for each lapsed entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Engine, select

from embargo.alerts import workflow as wf
from embargo.store.customers import utc
from embargo.store.engine import guarded
from embargo.store.monitor_tables import alert_events, alerts, customers


@dataclass(frozen=True, slots=True)
class Pending:
    id: int
    customer: str
    caption: str
    score: float
    state: str
    decision: str
    by: str
    reason: str | None
    since: datetime


@dataclass(frozen=True, slots=True)
class GoodGuy:
    alert_id: int
    customer_id: str
    customer: str
    entity_id: str
    caption: str
    score: float
    cleared_by: str | None
    reason: str | None
    cleared_at: datetime | None
    lapsed_by: int | None  # the alert raised again on the pair
    why: str  # why it lapsed ("" while in force)


def approvals(engine: Engine) -> list[Pending]:
    """Alerts whose decision awaits approval, oldest first."""
    query = (select(alerts.c.id, customers.c.caption.label("customer"), alerts.c.caption,
                    alerts.c.score, alerts.c.state, alerts.c.pending_decision,
                    alerts.c.pending_by, alerts.c.pending_reason, alerts.c.updated_at)
             .join(customers, customers.c.id == alerts.c.customer_id)
             .where(alerts.c.pending_decision.is_not(None)).order_by(alerts.c.updated_at))
    with guarded(engine, "read approvals"), engine.connect() as conn:
        return [Pending(r.id, r.customer, r.caption, r.score, r.state, r.pending_decision,
                        r.pending_by, r.pending_reason, utc(r.updated_at) or datetime.now(UTC))
                for r in conn.execute(query)]


def lapse_reason(changes: dict[str, Any] | None) -> str:
    """Why a cleared pair was raised again, in words."""
    if not changes:
        return "raised again"
    parts = []
    if "customer" in changes:
        c = changes["customer"]
        fields = ", ".join(c.get("fields") or []) or "its record"
        parts.append(f"the customer changed ({fields}; version {c.get('from_version')} "
                     f"to {c.get('to_version')})")
    if "entity" in changes:
        fields = ", ".join(changes["entity"].get("fields") or []) or "its record"
        parts.append(f"the listed entry changed ({fields})")
    if "relisted" in changes:
        parts.append(f"the entry was listed again after its delisting on "
                     f"{changes['relisted'].get('delisted_on')}")
    return "; ".join(parts) or "raised again"


def _clearings(conn: Any, ids: list[int]) -> dict[int, Any]:
    """The event that cleared each alert (the decision, or its approval)."""
    found: dict[int, Any] = {}
    for start in range(0, len(ids), 500):
        query = (select(alert_events).where(alert_events.c.alert_id.in_(ids[start:start + 500]),
                                            alert_events.c.to_state == wf.CLEARED)
                 .order_by(alert_events.c.id))
        for row in conn.execute(query):
            found.setdefault(row.alert_id, row)
    return found


def _decider(event: Any) -> tuple[str | None, str | None]:
    """Who cleared and with which reason (an approval names the deciding user's reason)."""
    if event is None:
        return None, None
    details = orjson.loads(event.details) if event.details else {}
    if event.action == "approve":
        return details.get("decided_by"), details.get("decision_reason")
    return event.user_name, event.reason


def good_guys(engine: Engine) -> list[GoodGuy]:
    """Every cleared pair, in force or lapsed (with why), newest first."""
    query = (select(alerts.c.id, alerts.c.customer_id, customers.c.caption.label("customer"),
                    alerts.c.entity_id, alerts.c.caption, alerts.c.score)
             .join(customers, customers.c.id == alerts.c.customer_id)
             .where(alerts.c.state == wf.CLEARED).order_by(alerts.c.id.desc()))
    later = select(alerts.c.id, alerts.c.supersedes, alerts.c.changes).where(
        alerts.c.supersedes.is_not(None))
    with guarded(engine, "read good-guy list"), engine.connect() as conn:
        rows = conn.execute(query).all()
        lapsed = {r.supersedes: r for r in conn.execute(later)}
        cleared = _clearings(conn, [r.id for r in rows])
    out = []
    for r in rows:
        by, reason = _decider(cleared.get(r.id))
        at = utc(cleared[r.id].at) if r.id in cleared else None
        nxt = lapsed.get(r.id)
        why = lapse_reason(orjson.loads(nxt.changes) if nxt.changes else None) if nxt else ""
        out.append(GoodGuy(r.id, r.customer_id, r.customer, r.entity_id, r.caption, r.score,
                           by, reason, at, nxt.id if nxt else None, why))
    return out
