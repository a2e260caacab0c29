"""Dashboard figures: per-day counts, time to decision, hits per list/programme, states."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from embargo.alerts import actions
from embargo.alerts.types import AlertFilter
from embargo.console.views.dashboard import (
    DecisionTime,
    dashboard_stats,
    percentile,
    series,
    window,
)
from embargo.console.views.dashboard_charts import dashboard_charts, time_unit
from embargo.errors import UsageError
from embargo.store import Store
from embargo.store.alerts import AlertStore
from embargo.store.monitoring import save_config
from embargo.store.users import UserStore
from monitoring.conftest import BASE_CUSTOMERS, Env, base_list
from monitoring.conftest import add_snapshot as add_monitored_list

from .conftest import AlertSeeder, at, check_svg, texts

TODAY = date(2026, 11, 10)  # a Tuesday: the 7-day window is Wed 4th .. Tue 10th


@pytest.fixture
def seeded(store: Store) -> Store:
    s = AlertSeeder(store)
    s.alert(at("2026-11-05", 10), state="cleared", events=((at("2026-11-05", 14), "cleared"),))
    s.alert(at("2026-11-05", 23, 30), source="ofac-sdn", state="confirmed",
            programs=("RUSSIA-EO14024", "UKRAINE-EO13662"),
            events=((at("2026-11-06", 1, 0), "review"), (at("2026-11-07", 1, 30), "confirmed")))
    s.alert(at("2026-11-09", 8), state="review", pending="confirmed",
            events=((at("2026-11-09", 9), "review"),))
    s.alert(at("2026-11-01"), state="cleared", events=((at("2026-11-04"), "cleared"),))
    s.alert(at("2026-11-10", 23, 59))
    s.alert(at("2026-11-11", 0, 0))  # tomorrow: outside the window
    s.alert(at("2026-11-06"), state="escalated", programs=(),
            events=((at("2026-11-06", 13), "escalated"),))
    s.alert(at("2026-10-01"), state="cleared", events=((at("2026-11-03", 23, 59), "cleared"),))
    return store


def test_figures_over_a_week(seeded: Store) -> None:
    stats = dashboard_stats(seeded, days=7, today=TODAY)
    assert (stats.start, stats.end) == (date(2026, 11, 4), TODAY)
    days = [date(2026, 11, d) for d in range(4, 11)]
    assert stats.opened == tuple(zip(days, [0, 2, 1, 0, 0, 1, 1], strict=True))
    assert stats.closed == tuple(zip(days, [1, 1, 0, 1, 0, 0, 0], strict=True))
    assert stats.per_list == (("test-list", 4), ("ofac-sdn", 1))
    assert stats.per_program == (("RUSSIA-EO14024", 4), ("(none)", 1), ("UKRAINE-EO13662", 1))
    assert stats.by_state == (("open", 2), ("review", 1), ("cleared", 3), ("confirmed", 1),
                              ("escalated", 1), ("delisted", 0))
    assert stats.pending_approval == 1


def test_time_to_decision(seeded: Store) -> None:
    stats = dashboard_stats(seeded, days=7, today=TODAY)
    hours = [4.0, 26.0, 72.0]  # raised -> cleared / confirmed / cleared
    overall = stats.decision_all
    assert (overall.start, overall.count) == (date(2026, 11, 4), 3)
    assert overall.median_hours == pytest.approx(26.0, abs=1e-3)
    assert overall.p90_hours == pytest.approx(62.8, abs=1e-3)
    assert percentile(hours, 0.9) == pytest.approx(62.8)
    (week1, week2) = stats.decision_weeks
    assert (week1.start, week1.count) == (date(2026, 11, 2), 3)
    assert week1.median_hours == pytest.approx(26.0, abs=1e-3)
    assert week2 == DecisionTime(date(2026, 11, 9), 0, None, None)


def test_one_day_window_and_series(seeded: Store) -> None:
    stats = dashboard_stats(seeded, days=1, today=date(2026, 11, 5))
    assert stats.opened == ((date(2026, 11, 5), 2),)
    assert stats.closed == ((date(2026, 11, 5), 1),)
    assert stats.decision_all.count == 1
    assert series(stats.opened) == {date(2026, 11, 5): 2.0}


def test_empty_store(store: Store) -> None:
    stats = dashboard_stats(store, days=3, today=TODAY)
    assert [n for _, n in stats.opened] == [0, 0, 0]
    assert stats.per_list == () and stats.per_program == () and stats.pending_approval == 0
    assert stats.decision_all == DecisionTime(date(2026, 11, 8), 0, None, None)
    assert all(n == 0 for _, n in stats.by_state)


@pytest.mark.parametrize("days", [0, -1, 367])
def test_bad_window(days: int) -> None:
    with pytest.raises(UsageError):
        window(days, TODAY)


def test_default_today_is_utc() -> None:
    start, end = window(30, None)
    assert end == datetime.now(UTC).date() and (end - start) == timedelta(days=29)


def test_real_monitoring_run(store: Store, tmp_path: Path) -> None:
    """Alerts raised by a monitoring run and decided through the workflow."""
    add_monitored_list(store, "2024-01-01", base_list())
    users = UserStore(store.engine)
    for name, role in (("ann", "analyst"), ("bob", "approver")):
        users.add(name, role)
    env = Env(store, tmp_path / "index")
    env.customers(*BASE_CUSTOMERS)
    raised = env.run().raised
    save_config(store.engine, four_eyes_above=1.0)
    alerts = AlertStore(store.engine).list(AlertFilter())
    first, second = alerts[0], alerts[1]
    actions.decide(store, first.id, "ann", "cleared", "other_entity")
    actions.decide(store, second.id, "ann", "confirmed", "same_entity")  # waits for approval
    stats = dashboard_stats(store, days=2)
    assert stats.opened[-1][1] == len(raised) == len(alerts) >= 2
    assert stats.closed[-1][1] == 1 and stats.pending_approval == 1
    assert stats.decision_all.count == 1 and (stats.decision_all.median_hours or 0) >= 0
    assert stats.per_list == (("test-list", len(alerts)),)
    actions.approve(store, second.id, "bob")
    after = dashboard_stats(store, days=2)
    assert after.closed[-1][1] == 2 and after.pending_approval == 0
    assert dict(after.by_state)["confirmed"] == 1 and dict(after.by_state)["cleared"] == 1


def test_days_are_utc_whatever_the_session_zone(seeded: Store) -> None:
    if seeded.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL sessions have a time zone; SQLite keeps UTC text")
    url = seeded.engine.url
    options = f"{url.query.get('options', '')} -ctimezone=Pacific/Kiritimati"  # UTC+14
    with Store.open(url.update_query_dict({"options": options}).render_as_string(
            hide_password=False)) as shifted:
        with shifted.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW timezone").scalar() == "Pacific/Kiritimati"
        assert dashboard_stats(shifted, days=7, today=TODAY) == dashboard_stats(
            seeded, days=7, today=TODAY)


@pytest.mark.parametrize("count", [1, 2, 5, 11, 40])
def test_percentiles_match_python(store: Store, count: int) -> None:
    """The ranked rows the SQL keeps give the same quantiles as sorting everything."""
    rng = random.Random(count)
    s = AlertSeeder(store)
    hours: dict[date, list[float]] = {}
    for _ in range(count):
        created = at("2026-11-02") + timedelta(minutes=rng.randrange(7 * 24 * 60))
        decided = created + timedelta(minutes=rng.choice([30, 90, rng.randrange(1, 5000)]))
        if decided >= at("2026-11-16", 0):
            continue
        s.alert(created, state="cleared", events=((decided, "cleared"),))
        monday = decided.date() - timedelta(days=decided.date().weekday())
        hours.setdefault(monday, []).append((decided - created).total_seconds() / 3600)
    stats = dashboard_stats(store, days=14, today=date(2026, 11, 15))
    every = [h for values in hours.values() for h in values]
    assert stats.decision_all.count == len(every)
    assert stats.decision_all.median_hours == pytest.approx(percentile(every, 0.5))
    assert stats.decision_all.p90_hours == pytest.approx(percentile(every, 0.9))
    for week in stats.decision_weeks:
        values = hours.get(week.start, [])
        assert week.count == len(values)
        assert week.median_hours == pytest.approx(percentile(values, 0.5))
        assert week.p90_hours == pytest.approx(percentile(values, 0.9))


def test_dashboard_charts(seeded: Store) -> None:
    charts = dashboard_charts(dashboard_stats(seeded, days=7, today=TODAY))
    per_day = check_svg("dashboard_per_day", charts.per_day)
    assert "opened, 2026-11-05: 2" in texts(per_day) and "closed, 2026-11-07: 1" in texts(per_day)
    decision = check_svg("dashboard_decision_time", charts.decision_time)
    assert "median, 2026-11-02: 26" in texts(decision)
    assert "90th percentile, 2026-11-02: 62.8" in texts(decision)
    lists = ET.fromstring(charts.per_list)
    assert [t for t in texts(lists) if ": " in t] == ["test-list: 4", "ofac-sdn: 1"]
    states = ET.fromstring(charts.by_state)
    assert "delisted: 0" in texts(states) and "cleared: 3" in texts(states)
    assert "RUSSIA-EO14024: 4" in texts(ET.fromstring(charts.per_program))


@pytest.mark.parametrize(("hours", "unit"), [((0.2, 0.7), "minutes"), ((0.5, 30.0), "hours"),
                                              ((20.0, 200.0), "days"), ((), "hours")])
def test_decision_times_in_the_unit_that_reads(hours: tuple[float, ...], unit: str) -> None:
    weeks = tuple(DecisionTime(date(2026, 1, 5) + timedelta(7 * i), 1, h, h)
                  for i, h in enumerate(hours))
    assert time_unit(weeks)[0] == unit
