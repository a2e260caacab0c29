"""Alert reports: the alert list as CSV or JSON lines, and the audit trail of every decision.

CSV cells go through :mod:`embargo.csvsafe`, so no exported name runs as a spreadsheet formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

import orjson

from embargo.alerts.types import Alert, AlertEvent
from embargo.csvsafe import safe_row
from embargo.errors import UsageError

FORMATS = ("csv", "jsonl")
ALERT_COLUMNS = ("id", "customer_id", "entity_id", "seq", "state", "score", "source", "schema",
                 "caption", "programs", "snapshot", "published", "customer_version",
                 "delisted_on", "pending_decision", "pending_by", "supersedes", "created_at",
                 "updated_at", "revision")
AUDIT_COLUMNS = ("event_id", "at", "alert_id", "customer_id", "entity_id", "user", "action",
                 "from_state", "to_state", "reason", "comment", "score", "details")


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}; use {', '.join(FORMATS)}")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return "" if value is None else value


def write_alerts(alerts: Iterable[Alert], out: IO[str], fmt: str) -> int:
    """Write the alerts; how many."""
    _check(fmt)
    writer = csv.writer(out) if fmt == "csv" else None
    if writer:
        writer.writerow(ALERT_COLUMNS)
    count = 0
    for alert in alerts:
        data = alert.as_dict(with_hit=fmt == "jsonl")
        if writer:
            writer.writerow(safe_row(_cell(data[c]) for c in ALERT_COLUMNS))
        else:
            out.write(orjson.dumps(data).decode() + "\n")
        count += 1
    return count


def audit_record(event: AlertEvent, alert: Alert | None) -> dict[str, Any]:
    return {"event_id": event.id, "at": event.as_dict()["at"], "alert_id": event.alert_id,
            "customer_id": alert.customer_id if alert else None,
            "entity_id": alert.entity_id if alert else None, "user": event.user,
            "action": event.action, "from_state": event.from_state,
            "to_state": event.to_state, "reason": event.reason, "comment": event.comment,
            "score": alert.score if alert else None, "details": event.details}


def write_audit(events: Iterable[AlertEvent], alerts: dict[int, Alert], out: IO[str],
                fmt: str) -> int:
    """Write every event (raised, decisions, approvals, delistings) with its alert's pair."""
    _check(fmt)
    writer = csv.writer(out) if fmt == "csv" else None
    if writer:
        writer.writerow(AUDIT_COLUMNS)
    count = 0
    for event in events:
        record = audit_record(event, alerts.get(event.alert_id))
        if writer:
            writer.writerow(safe_row(_cell(record[c]) for c in AUDIT_COLUMNS))
        else:
            out.write(orjson.dumps(record).decode() + "\n")
        count += 1
    return count
