"""Alerts: raised once, the reviewed lifecycle, four-eyes approval and conflicts (409)."""

from __future__ import annotations

import threading

import pytest

from embargo.alerts import actions
from embargo.alerts.types import Alert, AlertFilter
from embargo.errors import ConflictError, NotFoundError, PermissionDenied, UsageError
from embargo.store.alerts import AlertStore
from embargo.store.monitoring import save_config
from monitoring.conftest import CLEAN, Env


def _alert(env: Env, customer: str) -> Alert:
    (found,) = AlertStore(env.store.engine).list(AlertFilter(customer_id=customer))
    return found


def test_run_raises_one_alert_per_pair_and_never_twice(env: Env) -> None:
    first = env.run()
    assert first.customers_screened == 7
    alerts = AlertStore(env.store.engine).list()
    pairs = {(a.customer_id, a.entity_id) for a in alerts}
    assert ("c1", "test-list:1") in pairs and ("c2", "test-list:2") in pairs
    assert ("c3", "test-list:3") in pairs
    assert not {a.customer_id for a in alerts} & {str(r["id"]) for r in CLEAN}
    assert len(pairs) == len(alerts) == len(first.raised)
    again = env.run()
    again_full = env.run(full=True)
    assert again.raised == again_full.raised == []
    assert len(AlertStore(env.store.engine).list()) == len(alerts)
    alert = _alert(env, "c1")
    assert alert.state == "open" and alert.customer_version == 1
    assert alert.hit["explanation"]["features"] and alert.snapshot_id > 0
    events = AlertStore(env.store.engine).events(alert.id)
    assert [e.action for e in events] == ["raised"]


def test_lifecycle_review_escalate_clear_low_score(env: Env) -> None:
    env.run()
    save_config(env.store.engine, four_eyes_above=1.0)  # nothing needs a second user to clear
    alert = _alert(env, "c3")
    taken = actions.take(env.store, alert.id, "ann")
    assert taken.state == "review"
    escalated = actions.decide(env.store, alert.id, "ann", "escalated", "unsure")
    assert escalated.state == "escalated"
    cleared = actions.decide(env.store, alert.id, "bob", "cleared", "other_entity",
                             comment="different bank")
    assert cleared.state == "cleared" and cleared.pending_decision is None
    with pytest.raises(ConflictError, match="already cleared"):
        actions.decide(env.store, alert.id, "ann", "confirmed", "x")
    events = AlertStore(env.store.engine).events(alert.id)
    assert [(e.action, e.user, e.to_state) for e in events] == [
        ("raised", None, "open"), ("review", "ann", "review"),
        ("decide", "ann", "escalated"), ("decide", "bob", "cleared")]
    assert events[-1].reason == "other_entity" and events[-1].comment == "different bank"


def test_confirm_needs_a_second_user_never_the_same(env: Env) -> None:
    env.run()
    alert = _alert(env, "c1")
    pending = actions.decide(env.store, alert.id, "bob", "confirmed", "same_person")
    assert pending.state == "review" and pending.pending_decision == "confirmed"
    with pytest.raises(PermissionDenied, match="cannot approve"):
        actions.approve(env.store, alert.id, "bob")
    with pytest.raises(PermissionDenied, match="analyst"):
        actions.approve(env.store, alert.id, "ann")
    with pytest.raises(ConflictError, match="awaits approval"):
        actions.decide(env.store, alert.id, "ann", "cleared", "x")
    done = actions.approve(env.store, alert.id, "bea", comment="agreed")
    assert done.state == "confirmed" and done.pending_decision is None
    last = AlertStore(env.store.engine).events(alert.id)[-1]
    assert (last.action, last.user, last.details and last.details["decided_by"]) == (
        "approve", "bea", "bob")


def test_clearing_above_the_level_needs_approval_and_can_be_rejected(env: Env) -> None:
    env.run()
    save_config(env.store.engine, four_eyes_above=0.5)
    alert = _alert(env, "c2")
    assert alert.score > 0.5
    pending = actions.decide(env.store, alert.id, "ann", "cleared", "name_only")
    assert pending.pending_decision == "cleared" and pending.state == "review"
    back = actions.reject(env.store, alert.id, "ada", comment="check the birth date")
    assert back.state == "review" and back.pending_decision is None
    with pytest.raises(ConflictError, match="no decision awaiting"):
        actions.approve(env.store, alert.id, "bob")
    save_config(env.store.engine, four_eyes_above=1.0)
    assert actions.decide(env.store, alert.id, "ann", "cleared", "name_only").state == "cleared"


def test_unknown_user_reason_and_alert_are_errors(env: Env) -> None:
    env.run()
    alert = _alert(env, "c1")
    with pytest.raises(NotFoundError, match="unknown user 'zed'"):
        actions.decide(env.store, alert.id, "zed", "cleared", "x")
    with pytest.raises(UsageError, match="reason"):
        actions.decide(env.store, alert.id, "ann", "cleared", " ")
    with pytest.raises(UsageError, match="unknown decision"):
        actions.decide(env.store, alert.id, "ann", "maybe", "x")
    with pytest.raises(NotFoundError, match="no alert 999"):
        actions.take(env.store, 999, "ann")


def test_stale_revision_is_a_conflict(env: Env) -> None:
    env.run()
    alert = _alert(env, "c3")
    actions.take(env.store, alert.id, "ann", revision=alert.revision)
    with pytest.raises(ConflictError, match="changed by someone else") as err:
        actions.decide(env.store, alert.id, "alf", "escalated", "x", revision=alert.revision)
    assert err.value.http_status == 409 and err.value.exit_code == 9


def test_two_users_at_once_one_wins_the_other_gets_a_conflict(env: Env) -> None:
    env.run()
    alert = _alert(env, "c3")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(user: str) -> None:
        barrier.wait()
        try:
            outcomes[user] = actions.decide(env.store, alert.id, user, "escalated", "unsure",
                                            revision=alert.revision).state
        except ConflictError as exc:
            outcomes[user] = exc

    threads = [threading.Thread(target=act, args=(u,)) for u in ("ann", "alf")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    states = [v for v in outcomes.values() if v == "escalated"]
    conflicts = [v for v in outcomes.values() if isinstance(v, ConflictError)]
    assert len(states) == 1 and len(conflicts) == 1
    decisions = [e for e in AlertStore(env.store.engine).events(alert.id)
                 if e.action == "decide"]
    assert len(decisions) == 1
