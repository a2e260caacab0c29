"""The monitoring API: customers, monitor runs, alerts acted on as the key's user, 409s."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from embargo.service.app import create_app
from embargo.settings import Settings
from embargo.store import Store
from embargo.store.keys import KeyStore
from embargo.store.monitoring import save_config
from embargo.store.users import UserStore
from service.conftest import auth, fill_store, make_config, wait_ready

CUSTOMERS = [
    {"id": "k1", "schema": "Person", "properties": {"name": ["Vladimir Putin"],
                                                     "birthDate": ["1952-10-07"]}},
    {"id": "k2", "schema": "Company", "properties": {"name": ["Sovcomflot"]}},
    {"id": "k3", "schema": "Person", "properties": {"name": ["Anna Lindqvist"]}},
]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def api_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    chosen = settings if request.param == "sqlite" else request.getfixturevalue("pg_settings")
    with Store.open(chosen.store_url) as store:
        fill_store(store)
        users = UserStore(store.engine)
        users.add("ann", "analyst")
        users.add("bob", "approver")
    return chosen


@pytest.fixture
def keys(api_settings: Settings) -> dict[str, dict[str, str]]:
    with Store.open(api_settings.store_url) as store:
        users, plain = UserStore(store.engine), KeyStore(store.engine)
        return {"ann": auth(users.create_key("ann", ["alerts", "read"], "ann")[1]),
                "bob": auth(users.create_key("bob", ["alerts"], "bob")[1]),
                "admin": auth(plain.create("ops", ["admin"])[1]),
                "read": auth(plain.create("viewer", ["read"])[1])}


@pytest.fixture
def api(api_settings: Settings) -> Iterator[TestClient]:
    app = create_app(api_settings, make_config(api_settings.home))
    with TestClient(app, raise_server_exceptions=False) as client:
        wait_ready(client.get)
        yield client


def _alert(api: TestClient, keys: dict[str, dict[str, str]], customer: str) -> dict[str, object]:
    found = api.get("/alerts", params={"customer": customer}, headers=keys["read"]).json()
    (alert,) = found["alerts"]
    assert isinstance(alert, dict)
    return alert


def test_customers_monitor_and_four_eyes_over_http(api: TestClient,
                                                   keys: dict[str, dict[str, str]]) -> None:
    posted = api.post("/customers", json={"customers": CUSTOMERS}, headers=keys["admin"])
    assert posted.status_code == 200 and posted.json()["added"] == ["k1", "k2", "k3"]
    assert api.post("/customers", json={"customers": CUSTOMERS},
                    headers=keys["read"]).status_code == 403
    run = api.post("/monitor/run", json={}, headers=keys["admin"]).json()
    assert run["customers_screened"] == 3 and len(run["raised"]) >= 2
    alert = _alert(api, keys, "k1")
    assert alert["state"] == "open" and alert["entity_id"] == "list-a:1"

    url = f"/alerts/{alert['id']}"
    decided = api.post(f"{url}/decision", headers=keys["ann"],
                       json={"decision": "confirmed", "reason": "same_person"})
    assert decided.status_code == 200 and decided.json()["pending_decision"] == "confirmed"
    own = api.post(f"{url}/approval", headers=keys["ann"], json={})
    assert own.status_code == 403 and own.json()["error"]["code"] == "forbidden"
    approved = api.post(f"{url}/approval", headers=keys["bob"], json={"comment": "ok"})
    assert approved.status_code == 200 and approved.json()["state"] == "confirmed"
    events = approved.json()["events"]
    assert [(e["action"], e["user"]) for e in events] == [
        ("raised", None), ("decide", "ann"), ("approve", "bob")]
    no_user = api.post(f"{url}/review", headers=keys["admin"], json={})
    assert no_user.status_code == 403 and "acts as no user" in no_user.json()["error"]["message"]
    scope = api.post(f"{url}/review", headers=keys["read"], json={})
    assert scope.status_code == 403


def test_two_users_on_one_alert_the_second_gets_409(api: TestClient,
                                                    keys: dict[str, dict[str, str]]) -> None:
    api.post("/customers", json={"customers": CUSTOMERS}, headers=keys["admin"])
    api.post("/monitor/run", json={}, headers=keys["admin"])
    alert = _alert(api, keys, "k2")
    body = {"decision": "escalated", "reason": "unsure", "revision": alert["revision"]}
    first = api.post(f"/alerts/{alert['id']}/decision", headers=keys["ann"], json=body)
    second = api.post(f"/alerts/{alert['id']}/decision", headers=keys["bob"], json=body)
    assert first.status_code == 200 and first.json()["state"] == "escalated"
    assert second.status_code == 409 and second.json()["error"]["code"] == "conflict"
    missing = api.post("/alerts/999999/review", headers=keys["ann"], json={})
    assert missing.status_code == 404


def test_exports_and_audit(api: TestClient, keys: dict[str, dict[str, str]]) -> None:
    api.post("/customers", json={"customers": CUSTOMERS}, headers=keys["admin"])
    api.post("/monitor/run", json={}, headers=keys["admin"])
    alert = _alert(api, keys, "k2")
    api.post(f"/alerts/{alert['id']}/review", headers=keys["ann"], json={"comment": "looking"})
    csv = api.get("/alerts/export", params={"format": "csv"}, headers=keys["read"])
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("id,customer_id,entity_id")
    audit = api.get("/alerts/audit", params={"format": "jsonl"}, headers=keys["read"])
    records = [orjson.loads(line) for line in audit.text.splitlines()]
    assert {(r["action"], r["user"]) for r in records} >= {("raised", None), ("review", "ann")}
    status = api.get("/monitor/status", headers=keys["read"]).json()
    assert status["customers"] == 3 and status["alerts"]["review"] == 1
    removed = api.delete("/customers/k3", headers=keys["admin"]).json()
    assert removed["removed_at"] is not None
    shown = api.get("/customers/k3", headers=keys["read"]).json()
    assert shown["versions"][0]["version"] == 1


def test_openapi_documents_the_monitoring_endpoints(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for path in ("/customers", "/customers/{customer_id}", "/monitor/run", "/monitor/status",
                 "/alerts", "/alerts/{alert_id}", "/alerts/{alert_id}/decision",
                 "/alerts/{alert_id}/approval", "/alerts/export", "/alerts/audit", "/users"):
        assert path in paths, path
    assert "409" in paths["/alerts/{alert_id}/decision"]["post"]["responses"]


def test_list_import_over_http_runs_the_monitor_when_on(api: TestClient, api_settings: Settings,
                                                        keys: dict[str, dict[str, str]]) -> None:
    imports = api_settings.home / "imports"
    imports.mkdir(parents=True, exist_ok=True)
    demo = Path(__file__).resolve().parents[2] / "src/embargo/data/demo/lists/ofac-sdn/history"
    shutil.copy(demo / "sdn_2021-08-18.csv.xz", imports / "sdn_2021-08-18.csv.xz")
    with Store.open(api_settings.store_url) as store:
        save_config(store.engine, enabled=True)
    kim = {"id": "k9", "schema": "Person", "properties": {"name": ["Kim Jong Un"]}}
    posted = api.post("/customers", json={"customers": [kim]}, headers=keys["admin"]).json()
    assert posted["monitor"]["customers_screened"] == 1
    assert api.get("/alerts", headers=keys["read"]).json()["alerts"] == []  # delisted from list-a
    done = api.post("/lists/import", json={"path": str(imports / "sdn_2021-08-18.csv.xz")},
                    headers=keys["admin"])
    assert done.status_code == 200, done.text
    found = {a["entity_id"] for a in api.get("/alerts", headers=keys["read"]).json()["alerts"]}
    assert found == {"ofac-sdn:20157"}
