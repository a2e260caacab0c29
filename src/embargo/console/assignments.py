"""Who an alert is assigned to ("assign to me"): one row per alert, recorded as an event too."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select

from embargo.console.tables import alert_assignments
from embargo.store.alerts import AlertStore, add_event
from embargo.store.engine import BEGIN_OPTION, guarded
from embargo.store.users import UserStore


def assign(engine: Engine, alert_id: int, user: str) -> None:
    """Assign the alert to the user (replacing any assignee); the event names both."""
    UserStore(engine).get(user)
    alert = AlertStore(engine).get(alert_id)
    before = assignee(engine, alert_id)
    if before == user:
        return
    now = datetime.now(UTC)
    with guarded(engine, "assign alert"), engine.connect() as conn:
        conn = conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            conn.execute(delete(alert_assignments).where(
                alert_assignments.c.alert_id == alert_id))
            conn.execute(insert(alert_assignments).values(
                alert_id=alert_id, user_name=user, assigned_at=now))
            add_event(conn, alert_id, "assigned", user=user, from_state=alert.state,
                      to_state=alert.state, at=now,
                      details={"assignee": user, "previous": before})


def assignee(engine: Engine, alert_id: int) -> str | None:
    query = select(alert_assignments.c.user_name).where(alert_assignments.c.alert_id == alert_id)
    with guarded(engine, "read assignee"), engine.connect() as conn:
        found = conn.scalar(query)
    return None if found is None else str(found)
