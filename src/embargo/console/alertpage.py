"""Everything the alert page shows, gathered from the library in one call.

The customer's record (as screened) beside the listed entry (as listed in the alert's snapshot),
the stored explanation (aligned name parts, feature contributions), the entry's history over
its list's snapshots, its programmes with what they mean (the catalogue, and the rules of
``embargo check`` that target the entry), the four-eyes state and every event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from embargo.alerts import workflow as wf
from embargo.alerts.types import Alert, AlertEvent
from embargo.console.assignments import assignee
from embargo.console.records import side_by_side
from embargo.console.views.history import HistoryEvent, entity_history
from embargo.errors import NotFoundError
from embargo.model.entity import Entity
from embargo.rules.catalogue import default_catalogue
from embargo.rules.definitions import default_rulebook
from embargo.rules.targets import listing_facts, targets_entity
from embargo.store import Store
from embargo.store.alerts import AlertStore
from embargo.store.customers import CustomerStore
from embargo.store.monitoring import load_config
from embargo.store.queries import load_version
from embargo.store.types import EntityState, Snapshot


@dataclass(frozen=True, slots=True)
class Meaning:
    """A programme of the listed entry and what it means."""

    code: str
    name: str
    authority: str
    measure: str
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AlertPage:
    alert: Alert
    customer_caption: str
    rows: list[tuple[str, list[str], list[str]]]
    explanation: dict[str, Any]
    snapshot: Snapshot
    now: EntityState
    history: list[HistoryEvent]
    programmes: list[Meaning]
    unknown_programmes: list[str]
    rules: list[dict[str, str]]
    events: list[AlertEvent]
    assignee: str | None
    four_eyes_above: float
    decisions: tuple[str, ...]


def _listed(store: Store, alert: Alert) -> Entity:
    with store.engine.connect() as conn:
        return load_version(conn, alert.entity_id, alert.entity_hash)


def meanings(entity: Entity | None, programs: tuple[str, ...]) -> tuple[list[Meaning],
                                                                         list[str]]:
    catalogue = default_catalogue()
    known, unknown = [], []
    for code in (p.raw for p in entity.programs) if entity else programs:
        found = catalogue.get(code)
        if found is None:
            unknown.append(code)
        else:
            known.append(Meaning(found.code, found.name, found.authority, found.measure,
                                 found.citations))
    return known, unknown


def rules_for(entity: Entity | None) -> list[dict[str, str]]:
    """The rules of ``embargo check`` that target this listed entry, with their reasons."""
    if entity is None:
        return []
    facts, _ = listing_facts(entity, default_catalogue())
    return [{"id": r.id, "title": r.title, "effect": r.effect, "citation": r.citation,
             "notes": r.notes or ""}
            for r in default_rulebook().rules if targets_entity(r, entity, facts)]


def alert_page(store: Store, alert_id: int) -> AlertPage:
    alerts = AlertStore(store.engine)
    alert = alerts.get(alert_id)
    customers = CustomerStore(store.engine)
    with store.engine.connect() as conn:
        customer = customers.version(conn, alert.customer_id, alert.customer_version)
    listed = _listed(store, alert)
    known, unknown = meanings(listed, alert.programs)
    return AlertPage(
        alert=alert, customer_caption=customer.caption,
        rows=side_by_side(customer, listed), explanation=alert.hit.get("explanation") or {},
        snapshot=store.get_snapshot(alert.snapshot_id),
        now=store.entity_as_of(alert.entity_id, None), history=_history(store, alert),
        programmes=known, unknown_programmes=unknown, rules=rules_for(listed),
        events=alerts.events(alert_id), assignee=assignee(store.engine, alert_id),
        four_eyes_above=load_config(store.engine).four_eyes_above, decisions=wf.DECISIONS)


def _history(store: Store, alert: Alert) -> list[HistoryEvent]:
    try:
        return entity_history(store, alert.entity_id)
    except NotFoundError:
        return []

