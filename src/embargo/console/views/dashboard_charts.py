"""The dashboard's pictures: :class:`~.dashboard.DashboardStats` drawn with :mod:`.charts`.

API: :func:`dashboard_charts` ``(stats) -> DashboardCharts``, one SVG string per chart:
``per_day`` (alerts opened and closed per day, two lines), ``decision_time`` (median and 90th
percentile hours to decision per week, two lines; weeks without decisions are gaps),
``per_list`` and ``per_program`` (alerts raised in the window, bars, largest first) and
``by_state`` (every alert's current state, bars). Each is a complete accessible ``<svg>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from embargo.console.views.charts import bar_chart, line_chart
from embargo.console.views.dashboard import DashboardStats, DecisionTime, series


@dataclass(frozen=True, slots=True)
class DashboardCharts:
    per_day: str
    decision_time: str
    per_list: str
    per_program: str
    by_state: str


def _quantile(weeks: tuple[DecisionTime, ...], median: bool, per_hour: float) -> dict[date, float]:
    out: dict[date, float] = {}
    for week in weeks:
        value = week.median_hours if median else week.p90_hours
        if value is not None:
            out[week.start] = value * per_hour
    return out


def time_unit(weeks: tuple[DecisionTime, ...]) -> tuple[str, float]:
    """The unit that reads best for these decision times: minutes, hours or days."""
    values = [v for w in weeks for v in (w.median_hours, w.p90_hours) if v is not None]
    top = max(values, default=0.0)
    if 0 < top < 1:
        return "minutes", 60.0
    if top > 96:
        return "days", 1 / 24
    return "hours", 1.0


def dashboard_charts(stats: DashboardStats) -> DashboardCharts:
    """The dashboard's five charts (see the module doc)."""
    span = f"{stats.start.isoformat()} to {stats.end.isoformat()}"
    unit, per_hour = time_unit(stats.decision_weeks)
    return DashboardCharts(
        per_day=line_chart({"opened": series(stats.opened), "closed": series(stats.closed)},
                           title=f"Alerts opened and closed per day, {span}",
                           y_label="alerts", x_label="day (UTC)"),
        decision_time=line_chart(
            {"median": _quantile(stats.decision_weeks, True, per_hour),
             "90th percentile": _quantile(stats.decision_weeks, False, per_hour)},
            title="Time to decision per week (raised to final decision)", y_label=unit,
            x_label="week starting", step_days=7),
        per_list=bar_chart(stats.per_list, title=f"Alerts raised per list, {span}",
                           x_label="alerts", y_label="list"),
        per_program=bar_chart(stats.per_program, title=f"Alerts raised per programme, {span}",
                              x_label="alerts", y_label="programme"),
        by_state=bar_chart(stats.by_state, title="Alerts by current state",
                           x_label="alerts", y_label="state"),
    )
