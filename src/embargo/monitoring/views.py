"""What ``customers show``, ``alerts show`` and ``monitor status`` print (and the API returns)."""

from __future__ import annotations

from typing import Any

from embargo.alerts.types import AlertFilter
from embargo.model.codec import to_dict
from embargo.store import Store
from embargo.store.alerts import AlertStore
from embargo.store.customers import CustomerStore
from embargo.store.monitoring import config_of, read_state, screened_snapshots


def customer_view(store: Store, customer_id: str) -> dict[str, Any]:
    """The customer, its versions (oldest first) and its alerts."""
    customers = CustomerStore(store.engine)
    customer = customers.get(customer_id)
    versions = [{"version": v.version, "content_hash": v.content_hash,
                 "created_at": v.created_at.isoformat(timespec="seconds"), "origin": v.origin,
                 "entity": to_dict(v.entity)} for v in customers.versions(customer_id)]
    alerts = AlertStore(store.engine).list(AlertFilter(customer_id=customer_id))
    return {**customer.as_dict(), "versions": versions,
            "alerts": [a.as_dict(with_hit=False) for a in alerts]}


def customer_text(view: dict[str, Any]) -> str:
    lines = [f"customer {view['id']}: {view['caption']} ({view['schema']}), "
             f"version {view['version']}"
             + (f", REMOVED {view['removed_at']}" if view["removed_at"] else ""),
             f"  screened version: {view['screened_version'] or 'not yet'}"]
    for v in view["versions"]:
        names = "; ".join(n["full"] for n in v["entity"].get("names", []))
        lines.append(f"  v{v['version']} {v['created_at']} from {v['origin'] or '-'}: {names}")
    for a in view["alerts"]:
        lines.append(f"  alert {a['id']}: {a['state']} {a['score']:.3f} {a['entity_id']} "
                     f"{a['caption']}")
    return "\n".join(lines)


def alert_view(store: Store, alert_id: int) -> dict[str, Any]:
    alerts = AlertStore(store.engine)
    alert = alerts.get(alert_id)
    return {**alert.as_dict(), "raised_on": alerts.raised_on(alert_id),
            "events": [e.as_dict() for e in alerts.events(alert_id)]}


def alert_text(view: dict[str, Any]) -> str:
    lines = [f"alert {view['id']}: {view['state']}"
             + (f" (awaiting approval of {view['pending_decision']} by someone other than "
                f"{view['pending_by']})" if view["pending_decision"] else ""),
             f"  customer {view['customer_id']} (version {view['customer_version']})",
             f"  listed   {view['entity_id']}: {view['caption']} [{view['source']}, "
             f"{', '.join(view['programs']) or '-'}]",
             f"  score    {view['score']:.4f} on snapshot {view['snapshot']} "
             f"({view['published']})"]
    origin = view.get("raised_on") or {}
    if origin.get("moved"):
        lines.append(f"  raised on score {origin['score']:.4f}, snapshot {origin['snapshot']} "
                     f"({origin['published']}), customer version "
                     f"{origin['customer_version']}; changed since (see the events)")
    if view["delisted_on"]:
        lines.append(f"  DELISTED on {view['delisted_on']}")
    if view["changes"]:
        lines.append(f"  raised again after alert {view['supersedes']} was cleared; "
                     f"changed: {_changes_text(view['changes'])}")
    explanation = view["hit"].get("explanation", {})
    lines.append(f"  names    {explanation.get('query_name')!r} ~ "
                 f"{explanation.get('candidate_name')!r}")
    for f in explanation.get("features", []):
        lines.append(f"    {f['name']}: {f['value']} ({f['contribution']:+}) {f['detail']}"
                     .rstrip())
    lines.append("  events:")
    for e in view["events"]:
        who = e["user"] or "monitor"
        move = f"{e['from_state'] or '-'} -> {e['to_state'] or '-'}"
        pending = (e["details"] or {}).get("pending")
        note = f"{pending}, awaiting approval" if pending else ""
        if e["action"] == "changed":
            note = (e["details"] or {}).get("summary", "")
        extra = " ".join(x for x in (note, e["reason"] or "", e["comment"] or "") if x)
        lines.append(f"    {e['at']} {who}: {e['action']} {move} {extra}".rstrip())
    return "\n".join(lines)


def _changes_text(changes: dict[str, Any]) -> str:
    parts = []
    if "customer" in changes:
        c = changes["customer"]
        parts.append(f"customer v{c['from_version']} -> v{c['to_version']} "
                     f"({', '.join(c['fields']) or 'content'})")
    if "relisted" in changes:
        parts.append(f"listed again after its delisting on {changes['relisted']['delisted_on']}")
    if "entity" in changes:
        parts.append(f"listed entry ({', '.join(changes['entity']['fields']) or 'content'})")
    return "; ".join(parts)


def status(store: Store) -> dict[str, Any]:
    with store.engine.connect() as conn:
        state = read_state(conn)
    customers = CustomerStore(store.engine)
    due = sum(1 for _ in customers.iter(unscreened_only=True))
    marks = screened_snapshots(state)
    in_force = {s.source: s.id for s in store.snapshots_as_of(None)}
    counts: dict[str, int] = {}
    for alert in AlertStore(store.engine).iter():
        counts[alert.state] = counts.get(alert.state, 0) + 1
    return {**config_of(state).as_dict(), "customers": len(customers.hashes()),
            "customers_due": due, "screened_snapshots": marks, "snapshots_in_force": in_force,
            "lists_due": sorted(s for s, i in in_force.items() if marks.get(s) != i),
            "alerts": counts}


def status_text(data: dict[str, Any]) -> str:
    lists_due = ", ".join(data["lists_due"]) or "none"
    alerts = ", ".join(f"{k} {v}" for k, v in sorted(data["alerts"].items())) or "none"
    return "\n".join([
        f"monitoring {'on' if data['enabled'] else 'off'}: threshold {data['threshold']}, "
        f"four-eyes above {data['four_eyes_above']}",
        f"customers: {data['customers']} monitored, {data['customers_due']} due for screening",
        f"lists changed since the last run: {lists_due}",
        f"alerts: {alerts}"])
