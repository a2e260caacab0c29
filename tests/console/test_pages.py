"""The console's pages over a real store: the queue, an alert, four eyes, the good-guy list."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from console.conftest import CUSTOMERS, client_for, customers_raw, sign_in
from embargo.customers.importer import import_customers
from embargo.monitoring.run import run_monitor
from embargo.settings import Settings
from embargo.store import Store
from embargo.store.alerts import AlertStore

ROW = re.compile(r'<tr data-href="/ui/alerts/(\d+)"')


def _ids(html: str) -> list[int]:
    return [int(x) for x in ROW.findall(html)]


def _alert_of(settings: Settings, customer: str) -> int:
    with Store.open(settings.store_url) as store:
        (alert,) = [a for a in AlertStore(store.engine).list() if a.customer_id == customer]
        return alert.id


def test_queue_counts_filters_sort_and_assign(ui: TestClient, ui_settings: Settings) -> None:
    token = sign_in(ui, "ann")
    page = ui.get("/ui/alerts")
    assert page.status_code == 200
    every = _ids(page.text)
    assert len(every) == 3  # k1, k2, k3 are listed; k4 is not
    scores = [float(s) for s in re.findall(r'class="score \w+">([\d.]+)<', page.text)]
    assert scores == sorted(scores, reverse=True)
    assert _ids(ui.get("/ui/alerts?sort=id").text) == sorted(every)
    only_b = _ids(ui.get("/ui/alerts?source=list-b").text)
    assert only_b == [_alert_of(ui_settings, "k2")]
    dprk = _ids(ui.get("/ui/alerts?program=RUSSIA-EO14024").text)
    assert dprk == [_alert_of(ui_settings, "k1")]
    assert _ids(ui.get("/ui/alerts?state=cleared").text) == []
    assert _ids(ui.get("/ui/alerts?age=30%2B").text) == []
    assert _ids(ui.get("/ui/alerts?age=1").text) != []
    assert _ids(ui.get("/ui/alerts?assignee=me").text) == []
    target = dprk[0]
    moved = ui.post(f"/ui/alerts/{target}/assign", data={"csrf": token,
                                                          "next": "/ui/alerts?sort=id"})
    assert moved.status_code == 303 and moved.headers["location"] == "/ui/alerts?sort=id"
    assert _ids(ui.get("/ui/alerts?assignee=me").text) == [target]
    assert target not in _ids(ui.get("/ui/alerts?assignee=none").text)
    with Store.open(ui_settings.store_url) as store:
        events = AlertStore(store.engine).events(target)
    assert [(e.action, e.user) for e in events][-1] == ("assigned", "ann")


@pytest.mark.parametrize("query", ["state=nonsense", "band=0.5-2", "age=forever",
                                   "sort=name", "page=0"])
def test_unknown_filters_are_errors_not_an_empty_queue(ui: TestClient, query: str) -> None:
    sign_in(ui, "ann")
    response = ui.get(f"/ui/alerts?{query}")
    assert response.status_code == 400
    assert "No alert matches" not in response.text


def test_alert_page_shows_both_sides_explanation_history_and_programmes(
        ui: TestClient, ui_settings: Settings) -> None:
    sign_in(ui, "ann")
    alert_id = _alert_of(ui_settings, "k1")
    html = ui.get(f"/ui/alerts/{alert_id}").text
    assert "Vladimir Putin" in html and "Vladimir Vladimirovich Putin" in html
    assert "1952-10-07" in html
    assert "Aligned name parts" in html and "<mark class=" in html
    assert "Features and their contributions" in html and "name" in html
    assert "RUSSIA-EO14024" in html
    assert re.search(r'<span class="change c-added">added</span>', html)
    assert "raised" in html and "monitor" in html
    assert ui.get("/ui/alerts/999999").status_code == 404


def test_four_eyes_through_the_console(ui_settings: Settings) -> None:
    alert_id = _alert_of(ui_settings, "k1")
    with client_for(ui_settings) as ann, client_for(ui_settings) as bob:
        ann_token, bob_token = sign_in(ann, "ann"), sign_in(bob, "bob")
        missing = ann.post(f"/ui/alerts/{alert_id}/decision",
                           data={"csrf": ann_token, "decision": "confirmed", "reason": ""})
        assert missing.status_code == 400 and "reason" in missing.text
        done = ann.post(f"/ui/alerts/{alert_id}/decision",
                        data={"csrf": ann_token, "decision": "confirmed",
                              "reason": "same_person", "comment": "same dob"})
        assert done.status_code == 303
        page = ann.get(f"/ui/alerts/{alert_id}").text
        assert "Awaiting approval" in page and "You made this decision" in page
        own = ann.post(f"/ui/alerts/{alert_id}/approve", data={"csrf": ann_token})
        assert own.status_code == 403 and "only an approver" in own.text
        assert "same_person" in bob.get("/ui/approvals").text
        approved = bob.post(f"/ui/alerts/{alert_id}/approve", data={"csrf": bob_token})
        assert approved.status_code == 303
        assert "confirmed" in bob.get(f"/ui/alerts/{alert_id}").text
        again = bob.post(f"/ui/alerts/{alert_id}/approve", data={"csrf": bob_token})
        assert again.status_code == 409


def test_an_approver_cannot_approve_their_own_decision(ui_settings: Settings) -> None:
    alert_id = _alert_of(ui_settings, "k2")
    with client_for(ui_settings) as bob:
        token = sign_in(bob, "bob")
        bob.post(f"/ui/alerts/{alert_id}/decision",
                 data={"csrf": token, "decision": "confirmed", "reason": "same_entity"})
        own = bob.post(f"/ui/alerts/{alert_id}/approve", data={"csrf": token})
        assert own.status_code == 403 and "cannot approve" in own.text


def test_stale_revision_is_a_conflict(ui: TestClient, ui_settings: Settings) -> None:
    token = sign_in(ui, "ann")
    alert_id = _alert_of(ui_settings, "k3")
    first = ui.post(f"/ui/alerts/{alert_id}/take", data={"csrf": token, "revision": "1"})
    second = ui.post(f"/ui/alerts/{alert_id}/decision",
                     data={"csrf": token, "decision": "escalated", "reason": "unsure",
                           "revision": "1"})
    assert first.status_code == 303 and second.status_code == 409


def test_good_guy_list_shows_cleared_pairs_and_why_they_lapsed(ui_settings: Settings,
                                                               tmp_path: object) -> None:
    alert_id = _alert_of(ui_settings, "k3")
    with client_for(ui_settings) as ann, client_for(ui_settings) as bob:
        token = sign_in(ann, "ann")
        ann.post(f"/ui/alerts/{alert_id}/decision",
                 data={"csrf": token, "decision": "cleared", "reason": "different_person"})
        assert "No cleared pair yet" in ann.get("/ui/good-guys").text  # awaits approval
        bob.post(f"/ui/alerts/{alert_id}/approve", data={"csrf": sign_in(bob, "bob")})
        html = ann.get("/ui/good-guys").text
        assert "different_person" in html and "in force" in html
        assert re.search(r"<td>ann</td><td>different_person</td>", html)
        with Store.open(ui_settings.store_url) as store:
            changed = [dict(c) for c in CUSTOMERS]
            changed[2]["country"] = "ru"
            import_customers(store, customers_raw(changed), "second.jsonl")
            run_monitor(store, ui_settings.home / "cache", False)
        html = ann.get("/ui/good-guys").text
        assert "lapsed" in html and "the customer changed (countries" in html


def test_names_render_as_text(ui_settings: Settings, tmp_path: object) -> None:
    hostile = [{"id": "x1", "schema": "Person",
                "name": ["<script>alert(1)</script>", "Vladimir Putin"],
                "birthDate": "1952-10-07"}]
    with Store.open(ui_settings.store_url) as store:
        import_customers(store, customers_raw(hostile), "hostile.jsonl")
        run_monitor(store, ui_settings.home / "cache", False)
    alert_id = _alert_of(ui_settings, "x1")
    with client_for(ui_settings) as ann:
        sign_in(ann, "ann")
        for path in ("/ui/alerts", f"/ui/alerts/{alert_id}"):
            html = ann.get(path).text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
            assert "<script>alert(1)" not in html
        assert "script-src 'self'" in ann.get("/ui/alerts").headers["content-security-policy"]




def test_entity_lists_diff_and_dashboard_pages(ui: TestClient, ui_settings: Settings) -> None:
    token = sign_in(ui, "ann")
    now = ui.get("/ui/entities/list-a:3")
    assert now.status_code == 200 and "Bank Rossiya" in now.text
    assert "<svg" in now.text and "changed" in now.text  # the 2024-06-01 country change
    before = ui.get("/ui/entities/list-a:3?as_of=2024-02-01").text
    assert "On 2024-02-01" in before and "listed" in before
    assert ui.get("/ui/entities/list-a:3?as_of=someday").status_code == 400
    assert ui.get("/ui/entities/list-a:4?as_of=2024-02-01").text.count("not listed yet") == 1
    assert ui.get("/ui/entities/nobody:1").status_code == 404
    lists = ui.get("/ui/lists").text
    assert "list-a" in lists and "list-b" in lists and "Show the differences" in lists
    with Store.open(ui_settings.store_url) as store:
        old, new = (s.id for s in store.snapshots("list-a"))
    diff = ui.get(f"/ui/lists/diff?a={old}&b={new}")
    assert diff.status_code == 200
    assert "Sergei Shoigu" in diff.text and "Kim Jong Un" in diff.text  # added, removed
    assert "<ins>" in diff.text or "<del>" in diff.text
    ann_alert = _alert_of(ui_settings, "k1")
    ui.post(f"/ui/alerts/{ann_alert}/decision",
            data={"csrf": token, "decision": "escalated", "reason": "needs_information"})
    board = ui.get("/ui/dashboard?days=7")
    assert board.status_code == 200 and board.text.count("<svg") >= 5
    assert ui.get("/ui/dashboard?days=0").status_code == 400
