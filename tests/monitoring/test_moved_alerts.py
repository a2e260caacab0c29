"""A change behind a still-active alert moves it on, with an event; decisions keep their rules."""

from __future__ import annotations

import pytest

from embargo.alerts import actions
from embargo.alerts.types import Alert, AlertFilter
from embargo.model.entity import Schema
from embargo.monitoring.views import alert_text, alert_view
from embargo.store.alerts import AlertStore
from embargo.store.monitoring import save_config
from monitoring.conftest import Env, add_snapshot, base_list, listed


def _alerts(env: Env, customer: str) -> list[Alert]:
    return AlertStore(env.store.engine).list(AlertFilter(customer_id=customer))


def _changed_events(env: Env, alert_id: int) -> list[dict[str, object]]:
    return [e.details or {} for e in AlertStore(env.store.engine).events(alert_id)
            if e.action == "changed"]


def _changed_list(*, bank: str = "Bank Rossiya", kim_dob: str = "1984-01-08") -> list:  # type: ignore[type-arg]
    out = base_list()
    out[1] = listed("2", "Kim Jong Un", dob=kim_dob, program="DPRK3")
    out[2] = listed("3", bank, schema=Schema.COMPANY, country="ru")
    return out


@pytest.mark.parametrize("state", ["open", "review", "escalated"])
def test_an_entry_change_behind_an_active_alert_moves_it_on(env: Env, state: str) -> None:
    env.run()
    (alert,) = _alerts(env, "c2")
    if state == "review":
        actions.take(env.store, alert.id, "ann")
    elif state == "escalated":
        actions.decide(env.store, alert.id, "ann", "escalated", "needs_kyc")
    add_snapshot(env.store, "2024-03-01", _changed_list(kim_dob="1983-01-08"))
    run = env.run()
    assert run.raised == [] and run.moved == [alert.id]
    (now,) = _alerts(env, "c2")
    assert now.state == state and now.snapshot_id != alert.snapshot_id
    assert now.entity_hash != alert.entity_hash and now.revision > alert.revision
    (event,) = _changed_events(env, alert.id)
    assert event["entity"]["fields"] == ["birth_dates"]  # type: ignore[index]
    assert event["entity"]["changed_on"] == "2024-03-01"  # type: ignore[index]
    assert event["score"] == {"from": alert.score, "to": now.score}
    assert "entry changed on 2024-03-01 (birth_dates)" in str(event["summary"])
    view = alert_view(env.store, alert.id)
    origin = view["raised_on"]
    assert origin["moved"] and origin["snapshot"] == alert.snapshot_id
    assert origin["entity_hash"] == alert.entity_hash and origin["score"] == alert.score
    assert "entry changed on 2024-03-01" in alert_text(view)
    assert env.run().moved == []  # idempotent


def test_a_customer_change_behind_an_open_alert_moves_it_on(env: Env) -> None:
    env.run()
    (alert,) = _alerts(env, "c3")
    env.customers({"id": "c3", "schema": "Company", "name": "Bank Rossija", "country": "ru",
                   "registrationNumber": "1027800000084"})
    run = env.run()
    assert run.customers_screened == 1 and run.moved == [alert.id] and run.raised == []
    (now,) = _alerts(env, "c3")
    assert (now.state, now.customer_version, now.seq) == ("open", 2, 1)
    (event,) = _changed_events(env, alert.id)
    assert event["customer"] == {"from_version": 1, "to_version": 2,
                                 "fields": ["identifiers"]}
    assert AlertStore(env.store.engine).raised_on(alert.id)["customer_version"] == 1


def test_a_change_that_takes_the_pair_under_the_threshold_still_moves_the_alert(
        env: Env) -> None:
    env.run()
    (alert,) = _alerts(env, "c3")
    add_snapshot(env.store, "2024-03-01", _changed_list(bank="Bank Rossiya Holding Trust Group"))
    run = env.run()
    assert run.moved == [alert.id]
    (now,) = _alerts(env, "c3")
    (event,) = _changed_events(env, alert.id)
    assert now.score < alert.score and event["score"] == {"from": alert.score, "to": now.score}
    assert now.state == "open"  # never closed silently: an analyst decides


def test_a_cleared_pair_stays_under_the_good_guy_rule(env: Env) -> None:
    env.run()
    (alert,) = _alerts(env, "c2")
    save_config(env.store.engine, four_eyes_above=1.0)
    actions.decide(env.store, alert.id, "ann", "cleared", "other_person")
    add_snapshot(env.store, "2024-03-01", _changed_list(kim_dob="1983-01-08"))
    run = env.run()
    old, new = _alerts(env, "c2")
    assert run.moved == [] and run.raised == [new.id]
    assert (old.state, new.state, new.supersedes) == ("cleared", "open", old.id)
    assert _changed_events(env, old.id) == []
