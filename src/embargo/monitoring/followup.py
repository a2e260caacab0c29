"""Active alerts whose pair changed: moved on even when the pair no longer reaches the threshold.

A hit on a changed pair moves its active alert on as it is raised
(:func:`embargo.store.alerts.raise_hits`). When the change takes the pair under the threshold
there is no hit, yet the analyst must see that the customer or the entry changed and how the
score moved: the pair is scored as it now stands (the same comparison screening makes) and
the alert moved on all the same. Runs at the end of every monitor run; idempotent.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, and_, select

from embargo.matching import compare, prepare
from embargo.matching.screen import Hit
from embargo.model.codec import loads
from embargo.monitoring.pairs import RunLists, pair
from embargo.store.alert_updates import Latest, move_on
from embargo.store.alerts import lock_monitor
from embargo.store.customers import CustomerStore
from embargo.store.engine import BEGIN_OPTION, guarded
from embargo.store.monitor_tables import alerts, customers
from embargo.store.tables import entity_versions

_STATES = ("open", "review", "escalated")


def _stale(conn: Connection, lists: RunLists) -> list[tuple[Latest, str, str, str]]:
    """Active alerts of active customers whose customer or listed entry moved on:
    (alert, customer id, entity id, the entry's current content hash)."""
    query = (select(alerts.c.id, alerts.c.seq, alerts.c.state, alerts.c.customer_id,
                    alerts.c.entity_id, alerts.c.source, alerts.c.customer_version,
                    alerts.c.customer_hash, alerts.c.entity_hash, alerts.c.delisted_on,
                    customers.c.content_hash.label("current_hash"))
             .select_from(alerts.join(customers, customers.c.id == alerts.c.customer_id))
             .where(alerts.c.state.in_(_STATES), customers.c.removed_at.is_(None))
             .order_by(alerts.c.id))
    out = []
    for r in conn.execute(query):
        entry = lists.members.get(r.source, {}).get(r.entity_id)
        if entry is None:
            continue  # no longer listed: the delisting marks it
        if r.current_hash != r.customer_hash or entry != r.entity_hash:
            out.append((Latest(r.id, r.seq, r.state, r.customer_version, r.customer_hash,
                               r.entity_hash, r.delisted_on), r.customer_id, r.entity_id,
                        entry))
    return out


def follow_up(engine: Engine, lists: RunLists) -> list[int]:
    """Move on every active alert whose pair changed without a hit; the alerts moved."""
    with guarded(engine, "read alerts to follow up"), engine.connect() as conn:
        stale = _stale(conn, lists)
        if not stale:
            return []
        entries = {(eid, digest): loads(data) for eid, digest, data in conn.execute(
            select(entity_versions.c.entity_id, entity_versions.c.content_hash,
                   entity_versions.c.data).where(and_(entity_versions.c.content_hash.in_(
                       sorted({digest for _, _, _, digest in stale})))))}
    found = {c.id: c for c in CustomerStore(engine).iter(ids={s[1] for s in stale})}
    moved: list[int] = []
    now = datetime.now(UTC)
    with guarded(engine, "move alerts on"), engine.connect() as conn:
        conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            lock_monitor(conn)
            for old, cid, eid, digest in stale:
                customer, entity = found[cid], entries[(eid, digest)]
                hit = Hit(entity, compare(prepare(customer.entity), prepare(entity)))
                if move_on(conn, old, pair(customer, hit, lists), now):
                    moved.append(old.id)
    return moved

