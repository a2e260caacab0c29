"""Console fixtures: a store with lists, customers, alerts and users with passwords, an
in-process client, and sign-in helpers (SQLite, then PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from embargo.console.passwords import set_password
from embargo.customers.importer import import_customers
from embargo.monitoring.run import run_monitor
from embargo.service.app import create_app
from embargo.settings import Settings
from embargo.store import Store
from embargo.store.users import UserStore
from service.conftest import fill_store, make_config, make_settings

PASSWORD = "correct horse battery"
CUSTOMERS = [
    {"id": "k1", "schema": "Person", "name": "Vladimir Putin", "birthDate": "1952-10-07"},
    {"id": "k2", "schema": "Company", "name": "Sovcomflot"},
    {"id": "k3", "schema": "Company", "name": "Bank Rossiya", "country": "cy"},
    {"id": "k4", "schema": "Person", "name": "Anna Lindqvist"},
]
USERS = (("ann", "analyst"), ("alf", "analyst"), ("bob", "approver"), ("ada", "admin"))
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def customers_raw(rows: list[dict[str, object]]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


def prepare(store: Store, cache: Path, customers: list[dict[str, object]]) -> None:
    """Lists, users with passwords, customers, and a monitor run that raises alerts."""
    fill_store(store)
    users = UserStore(store.engine)
    for name, role in USERS:
        users.add(name, role)
        set_password(store.engine, name, PASSWORD)
    import_customers(store, customers_raw(customers), "test.jsonl")
    run_monitor(store, cache, False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ui_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_url")
    settings = make_settings(tmp_path / "home", url)
    with Store.open(settings.store_url) as store:
        prepare(store, tmp_path / "cache", CUSTOMERS)
    return settings


def client_for(settings: Settings, base_url: str = "http://testserver") -> TestClient:
    app = create_app(settings, make_config(settings.home), load_index=False)
    return TestClient(app, base_url=base_url, raise_server_exceptions=False,
                      follow_redirects=False)


@pytest.fixture
def ui(ui_settings: Settings) -> Iterator[TestClient]:
    with client_for(ui_settings) as client:
        yield client


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign in; the session's CSRF token (from the queue page)."""
    form = client.get("/ui/login")
    response = client.post("/ui/login", data={"name": name, "password": password,
                                              "csrf": csrf_of(form.text), "next": ""})
    assert response.status_code == 303, response.text[:500]
    return csrf_of(client.get("/ui/alerts").text)
