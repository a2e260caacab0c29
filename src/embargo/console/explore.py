"""The entity, lists and dashboard pages' data, over the view library (:mod:`.views`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from embargo.alerts.types import Alert, AlertFilter
from embargo.console.records import record
from embargo.console.views.charts import bar_chart, line_chart
from embargo.console.views.dashboard import DashboardStats, dashboard_stats, series
from embargo.console.views.dashboard_charts import time_unit
from embargo.console.views.history import HistoryEvent, entity_history, entity_state
from embargo.console.views.ownership_svg import ownership_svg
from embargo.errors import UsageError
from embargo.store import Snapshot, Store
from embargo.store.alerts import AlertStore
from embargo.store.types import EntityState


def parse_day(text: str) -> date | None:
    """A YYYY-MM-DD date from a query parameter ("" or missing: None)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"invalid date {text!r}: use YYYY-MM-DD") from None


@dataclass(frozen=True, slots=True)
class EntityPage:
    entity_id: str
    as_of: date | None
    state: EntityState
    rows: dict[str, list[str]]
    history: list[HistoryEvent]
    ownership: str  # SVG
    alerts: list[Alert]


def entity_page(store: Store, entity_id: str, as_of: date | None) -> EntityPage:
    state = entity_state(store, entity_id, as_of)
    return EntityPage(entity_id, as_of, state, record(state.entity),
                      entity_history(store, entity_id), ownership_svg(store, entity_id, as_of),
                      AlertStore(store.engine).list(AlertFilter(entity_id=entity_id,
                                                                limit=200)))


def snapshots_by_source(store: Store) -> dict[str, list[Snapshot]]:
    """Every snapshot, newest first, per source."""
    out: dict[str, list[Snapshot]] = {}
    for snap in store.snapshots():
        out.setdefault(snap.source, []).append(snap)
    return {source: snaps[::-1] for source, snaps in sorted(out.items())}


@dataclass(frozen=True, slots=True)
class Dashboard:
    stats: DashboardStats
    flow: str  # SVG: alerts opened and closed per day
    decisions: str  # SVG: median hours to decision per week
    per_list: str
    per_program: str
    by_state: str


def dashboard(store: Store, days: int) -> Dashboard:
    if not 1 <= days <= 366:
        raise UsageError("the dashboard covers 1 to 366 days")
    stats = dashboard_stats(store, days)
    unit, per_hour = time_unit(stats.decision_weeks)  # minutes when all are under an hour
    weeks = [(w.start.isoformat(), (w.median_hours or 0.0) * per_hour)
             for w in stats.decision_weeks]
    return Dashboard(
        stats=stats,
        flow=line_chart({"opened": series(stats.opened), "closed": series(stats.closed)},
                        title=f"Alerts opened and closed per day, last {days} days",
                        y_label="alerts"),
        decisions=bar_chart(weeks, title=f"Median {unit} to a final decision, per week",
                            x_label=unit),
        per_list=bar_chart(stats.per_list, title="Alerts raised per list", x_label="alerts"),
        per_program=bar_chart(stats.per_program, title="Alerts raised per programme",
                              x_label="alerts"),
        by_state=bar_chart(stats.by_state, title="Alerts now, by state", x_label="alerts"))
