"""Figures for the dashboard, from the alerts and alert events tables, in a handful of queries.

API: :func:`dashboard_stats` ``(store, days=30, today=None) -> DashboardStats`` over the window
of ``days`` days ending with ``today`` (default: today in UTC; days are UTC days):

* ``opened``: alerts raised per day (every day of the window, zeros included);
* ``closed``: alerts that reached a final state (``cleared`` or ``confirmed``) per day;
* ``decision_weeks``: time to decision per ISO week (Monday first) of the window, and
  ``decision_all`` over the whole window: count, median and 90th percentile in hours from an
  alert being raised to the event that made its decision final (after four-eyes approval
  where needed), for alerts decided in the window;
* ``per_list`` / ``per_program``: alerts raised in the window per list (source) and per
  programme code (an alert under two programmes counts for both), largest first;
* ``by_state``: the count of every alert now in each state (all states listed, zeros
  included), and ``pending_approval``: how many await a second user's approval.

Four queries: alerts raised in the window grouped by (day, list), and by programmes; the
final decisions in the window (day and duration; the one query that returns a row per
alert, to compute exact percentiles); and the alerts grouped by state. SQLite and PostgreSQL
each get their own UTC-day and duration expressions. Figures for 10,000 alerts:
``bench/console_views.py`` and ``docs/benchmarks.md``.
:func:`series` turns a per-day tuple into the mapping :func:`~.charts.line_chart` takes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, extract, func, select
from sqlalchemy.sql.elements import ColumnElement

from embargo.alerts import workflow as wf
from embargo.errors import UsageError
from embargo.store import Store
from embargo.store.engine import guarded
from embargo.store.monitor_tables import alert_events, alerts

FINAL_STATES = tuple(sorted(wf.FINAL))
MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class DecisionTime:
    """Time to decision of the alerts decided in one period (hours; None when none were)."""

    start: date
    count: int
    median_hours: float | None
    p90_hours: float | None


@dataclass(frozen=True, slots=True)
class DashboardStats:
    """The dashboard's figures (see the module doc)."""

    start: date
    end: date
    opened: tuple[tuple[date, int], ...]
    closed: tuple[tuple[date, int], ...]
    decision_weeks: tuple[DecisionTime, ...]
    decision_all: DecisionTime
    per_list: tuple[tuple[str, int], ...]
    per_program: tuple[tuple[str, int], ...]
    by_state: tuple[tuple[str, int], ...]
    pending_approval: int


def series(per_day: Iterable[tuple[date, int]]) -> dict[date, float]:
    """A per-day tuple as a ``{day: value}`` mapping for :func:`~.charts.line_chart`."""
    return {day: float(count) for day, count in per_day}


def _utc_day(conn: Connection, column: Any) -> ColumnElement[Any]:
    if conn.dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)  # SQLite stores UTC wall time as text


def _hours(conn: Connection, start: Any, end: Any) -> ColumnElement[Any]:
    if conn.dialect.name == "postgresql":
        return extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def percentile(values: list[float], share: float) -> float | None:
    """The ``share`` quantile (0..1) by linear interpolation of sorted ``values``."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * share
    low, high = math.floor(pos), math.ceil(pos)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _decision(start: date, hours: list[float]) -> DecisionTime:
    return DecisionTime(start, len(hours), percentile(hours, 0.5), percentile(hours, 0.9))


def _decisions(conn: Connection, since: datetime, until: datetime, days: list[date]) -> tuple[
        tuple[tuple[date, int], ...], tuple[DecisionTime, ...], DecisionTime]:
    """Alerts closed per day, and time to decision per week and overall."""
    e, a = alert_events, alerts
    query = (select(_utc_day(conn, e.c.at), _hours(conn, a.c.created_at, e.c.at))
             .join(a, a.c.id == e.c.alert_id)
             .where(e.c.to_state.in_(FINAL_STATES), e.c.at >= since, e.c.at < until))
    closed: dict[date, int] = {}
    weeks: dict[date, list[float]] = {}
    every: list[float] = []
    for day, hours in conn.execute(query):
        d = _as_date(day)
        closed[d] = closed.get(d, 0) + 1
        # to the second (julianday's float error gone), never below 0 (two writers' clocks)
        value = max(round(float(hours) * 3600) / 3600, 0.0)
        weeks.setdefault(d - timedelta(days=d.weekday()), []).append(value)
        every.append(value)
    mondays = sorted({d - timedelta(days=d.weekday()) for d in days})
    return (tuple((d, closed.get(d, 0)) for d in days),
            tuple(_decision(m, weeks.get(m, [])) for m in mondays), _decision(days[0], every))


def _largest(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True, slots=True)
class _Raised:
    per_day: tuple[tuple[date, int], ...]
    per_list: tuple[tuple[str, int], ...]
    per_program: tuple[tuple[str, int], ...]


def _raised(conn: Connection, since: datetime, until: datetime, days: list[date]) -> _Raised:
    day = _utc_day(conn, alerts.c.created_at).label("day")
    window = (alerts.c.created_at >= since, alerts.c.created_at < until)
    per_day: dict[date, int] = {}
    per_list: dict[str, int] = {}
    per_program: dict[str, int] = {}
    query = select(day, alerts.c.source, func.count()).where(*window).group_by(
        day, alerts.c.source)
    for d, source, n in conn.execute(query):
        per_day[_as_date(d)] = per_day.get(_as_date(d), 0) + n
        per_list[source] = per_list.get(source, 0) + n
    query = select(alerts.c.programs, func.count()).where(*window).group_by(alerts.c.programs)
    for programs, n in conn.execute(query):
        for code in orjson.loads(programs) or ["(none)"]:
            per_program[code] = per_program.get(code, 0) + n
    return _Raised(tuple((d, per_day.get(d, 0)) for d in days), _largest(per_list),
                   _largest(per_program))


def _states(conn: Connection) -> tuple[tuple[tuple[str, int], ...], int]:
    pending = func.count(alerts.c.pending_decision)  # counts the non-null ones
    query = select(alerts.c.state, func.count(), pending).group_by(alerts.c.state)
    found = {state: (int(n), int(p)) for state, n, p in conn.execute(query)}
    extra = sorted(set(found) - set(wf.STATES))  # states unknown to this version: shown too
    return (tuple((s, found.get(s, (0, 0))[0]) for s in (*wf.STATES, *extra)),
            sum(p for _, p in found.values()))


def window(days: int, today: date | None) -> tuple[date, date]:
    """The first and last day of the window of ``days`` days ending ``today`` (UTC)."""
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(f"dashboard window of {days} days: use 1 to {MAX_DAYS}")
    end = today or datetime.now(UTC).date()
    return end - timedelta(days=days - 1), end


def dashboard_stats(store: Store, days: int = 30, today: date | None = None) -> DashboardStats:
    """The dashboard's figures over the ``days`` days ending ``today`` (see the module doc)."""
    start, end = window(days, today)
    since = datetime.combine(start, time(), UTC)
    until = datetime.combine(end + timedelta(days=1), time(), UTC)
    all_days = [start + timedelta(days=i) for i in range(days)]
    with guarded(store.engine, "dashboard figures"), store.engine.connect() as conn:
        raised = _raised(conn, since, until, all_days)
        closed, weeks, overall = _decisions(conn, since, until, all_days)
        by_state, pending = _states(conn)
    return DashboardStats(start, end, raised.per_day, closed, weeks, overall, raised.per_list,
                          raised.per_program, by_state, pending)
