"""The good-guy list lapses when either side changes; delisted entries mark their alerts."""

from __future__ import annotations

from datetime import date

import pytest

from embargo.alerts import actions
from embargo.alerts.types import Alert, AlertFilter
from embargo.model.entity import Schema
from embargo.store.alerts import AlertStore
from embargo.store.customers import CustomerStore
from embargo.store.monitoring import save_config
from monitoring.conftest import BASE_CUSTOMERS, Env, add_snapshot, base_list, listed


def _alerts(env: Env, customer: str) -> list[Alert]:
    return AlertStore(env.store.engine).list(AlertFilter(customer_id=customer))


def _clear(env: Env, alert_id: int) -> None:
    save_config(env.store.engine, four_eyes_above=1.0)
    actions.decide(env.store, alert_id, "ann", "cleared", "other_person")


def test_cleared_pair_is_not_raised_again_while_nothing_changes(env: Env) -> None:
    env.run()
    (alert,) = _alerts(env, "c2")
    _clear(env, alert.id)
    env.customers(*BASE_CUSTOMERS)  # the same file again: no new version
    add_snapshot(env.store, "2024-02-01", [*base_list(), listed("9", "Ivan Petrov")])
    run = env.run()
    assert run.entries_changed == 1
    assert all(AlertStore(env.store.engine).get(i).customer_id != "c2" for i in run.raised)
    assert [a.state for a in _alerts(env, "c2")] == ["cleared"]
    assert CustomerStore(env.store.engine).get("c2").version == 1


def test_customer_change_lapses_the_good_guy_entry(env: Env) -> None:
    env.run()
    (alert,) = _alerts(env, "c2")
    _clear(env, alert.id)
    env.customers({"id": "c2", "schema": "Person", "name": "KIM Jong-un",
                   "birthDate": "1984-01-08"})
    run = env.run()
    assert run.customers_screened == 1
    old, new = _alerts(env, "c2")
    assert (old.state, new.state, new.seq, new.supersedes) == ("cleared", "open", 2, old.id)
    assert new.customer_version == 2 and old.customer_version == 1
    assert new.changes is not None and new.changes["customer"]["fields"] == ["birth_dates"]
    assert "entity" not in new.changes
    versions = CustomerStore(env.store.engine).versions("c2")
    assert [v.version for v in versions] == [1, 2]


def test_listing_change_lapses_the_good_guy_entry(env: Env) -> None:
    env.run()
    (alert,) = _alerts(env, "c3")
    _clear(env, alert.id)
    changed = [e for e in base_list() if e.native_id != "3"]
    changed.append(listed("3", "Bank Rossiya", schema=Schema.COMPANY, country="cy"))
    add_snapshot(env.store, "2024-02-01", changed)
    run = env.run()
    assert run.customers_screened == 0 and run.entries_changed == 1
    old, new = _alerts(env, "c3")
    assert new.state == "open" and new.supersedes == old.id
    assert new.changes is not None and new.changes["entity"]["fields"] == ["countries"]
    assert new.snapshot_id != old.snapshot_id and new.entity_hash != old.entity_hash


def test_open_alert_is_not_duplicated_when_a_side_changes(env: Env) -> None:
    env.run()
    env.customers({"id": "c2", "schema": "Person", "name": "KIM Jong-un",
                   "birthDate": "1984-01-08"})
    env.run()
    assert [a.seq for a in _alerts(env, "c2")] == [1]


@pytest.mark.parametrize("state", ["open", "review", "confirmed"])
def test_delisted_entry_marks_its_alerts(env: Env, state: str) -> None:
    env.run()
    (alert,) = _alerts(env, "c1")
    if state == "review":
        actions.take(env.store, alert.id, "ann")
    if state == "confirmed":
        actions.decide(env.store, alert.id, "ann", "confirmed", "same_person")
        actions.approve(env.store, alert.id, "bob")
    add_snapshot(env.store, "2024-03-15", [e for e in base_list() if e.native_id != "1"])
    run = env.run()
    assert run.delisted == [alert.id] and run.entries_removed == 1
    marked = AlertStore(env.store.engine).get(alert.id)
    assert marked.delisted_on == date(2024, 3, 15)
    assert marked.state == ("confirmed" if state == "confirmed" else "delisted")
    event = AlertStore(env.store.engine).events(alert.id)[-1]
    assert event.action == "delisted" and event.details == {"delisted_on": "2024-03-15",
                                                            "snapshot": run.snapshots["test-list"]}
    assert env.run().delisted == []  # marked once
    if state != "confirmed":
        save_config(env.store.engine, four_eyes_above=1.0)
        closed = actions.decide(env.store, alert.id, "ann", "cleared", "delisted")
        assert closed.state == "cleared"


def test_relisted_entry_reopens_a_delisted_alert(env: Env) -> None:
    env.run()
    (alert,) = _alerts(env, "c1")
    add_snapshot(env.store, "2024-03-15", [e for e in base_list() if e.native_id != "1"])
    env.run()
    add_snapshot(env.store, "2024-04-01", base_list())
    run = env.run()
    again = AlertStore(env.store.engine).get(alert.id)
    assert run.raised == [] and again.state == "open" and again.delisted_on is None
    assert [a.id for a in _alerts(env, "c1")] == [alert.id]


def test_removed_customer_keeps_history_and_is_not_screened(env: Env) -> None:
    env.run()
    customers = CustomerStore(env.store.engine)
    removed = customers.remove("c1")
    assert removed.removed_at is not None
    assert "c1" not in {c.id for c in customers.list()}
    assert _alerts(env, "c1")[0].state == "open"
    env.customers({"id": "c1", "schema": "Person", "name": "Vladimir Putin"})
    back = customers.get("c1")
    assert back.removed_at is None and back.version == 2
    env.run()
    assert [a.seq for a in _alerts(env, "c1")] == [1]


def test_an_alert_cleared_after_a_delisting_lapses_when_the_entry_is_listed_again(
        env: Env) -> None:
    env.run()
    (alert,) = _alerts(env, "c1")
    add_snapshot(env.store, "2024-03-15", [e for e in base_list() if e.native_id != "1"])
    env.run()
    _clear(env, alert.id)
    add_snapshot(env.store, "2024-04-01", base_list())
    run = env.run()
    old, new = _alerts(env, "c1")
    assert run.raised == [new.id] and new.supersedes == old.id and new.state == "open"
    assert new.changes is not None and new.changes["relisted"]["delisted_on"] == "2024-03-15"


def test_program_filter(env: Env) -> None:
    env.run()
    found = AlertStore(env.store.engine).list(AlertFilter(program="DPRK3"))
    assert [a.customer_id for a in found] == ["c2"]
    assert AlertStore(env.store.engine).list(AlertFilter(program="DPRK%")) == []
