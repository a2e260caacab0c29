"""Sign-in, sessions, CSRF and logout of the console, through the real app in process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from console.conftest import PASSWORD, client_for, csrf_of, sign_in
from embargo.console import passwords
from embargo.console.sessions import SessionStore, digest
from embargo.console.tables import console_sessions, user_passwords
from embargo.errors import NotFoundError, UsageError
from embargo.settings import Settings
from embargo.store import Store
from embargo.store.alerts import AlertStore
from embargo.store.keys import KeyStore
from embargo.store.users import UserStore


def test_pages_need_a_session_and_come_back_after_sign_in(ui: TestClient) -> None:
    for path in ("/ui/alerts", "/ui/alerts/1", "/ui/approvals", "/ui/good-guys"):
        response = ui.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/ui/login?next=")
    form = ui.get("/ui/login?next=/ui/approvals")
    done = ui.post("/ui/login", data={"name": "ann", "password": PASSWORD,
                                      "csrf": csrf_of(form.text), "next": "/ui/approvals"})
    assert done.status_code == 303 and done.headers["location"] == "/ui/approvals"
    assert ui.get("/ui/approvals").status_code == 200


def test_wrong_password_or_unknown_user_is_refused_alike(ui: TestClient) -> None:
    for name, password in (("ann", "wrong password"), ("nobody", PASSWORD), ("ann", "")):
        form = ui.get("/ui/login")
        response = ui.post("/ui/login", data={"name": name, "password": password,
                                              "csrf": csrf_of(form.text)})
        assert response.status_code == 401
        assert "Unknown user or wrong password." in response.text
        assert "embargo_session" not in response.cookies
    assert ui.get("/ui/alerts").status_code == 303


def test_session_cookie_is_httponly_samesite_and_secure_over_https(
        ui_settings: Settings) -> None:
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        with client_for(ui_settings, base) as client:
            form = client.get("/ui/login")
            response = client.post("/ui/login", data={"name": "ann", "password": PASSWORD,
                                                      "csrf": csrf_of(form.text)})
            header = next(h for h in response.headers.get_list("set-cookie")
                          if h.startswith("embargo_session=")).lower()
            assert "httponly" in header and "samesite=lax" in header and "path=/ui" in header
            assert ("secure" in header.split("; ")) is secure


def test_sign_in_form_without_its_csrf_token_is_refused(ui: TestClient) -> None:
    ui.get("/ui/login")
    for token in ("", "forged"):
        response = ui.post("/ui/login", data={"name": "ann", "password": PASSWORD,
                                              "csrf": token})
        assert response.status_code == 403 and "embargo_session" not in response.cookies


def test_posts_without_or_with_a_wrong_csrf_token_are_refused_and_change_nothing(
        ui: TestClient, ui_settings: Settings) -> None:
    sign_in(ui, "ann")
    with Store.open(ui_settings.store_url) as store:
        alert = AlertStore(store.engine).list()[0]
        before = AlertStore(store.engine).events(alert.id)
    form = {"decision": "cleared", "reason": "different_person"}
    for extra in ({}, {"csrf": "forged"}):
        for action in ("decision", "take", "assign", "approve"):
            response = ui.post(f"/ui/alerts/{alert.id}/{action}", data={**form, **extra})
            assert response.status_code == 403, (action, extra)
            assert "CSRF" in response.text
    with Store.open(ui_settings.store_url) as store:
        assert AlertStore(store.engine).events(alert.id) == before
        assert AlertStore(store.engine).get(alert.id).state == "open"


def test_logout_ends_the_session(ui: TestClient) -> None:
    token = sign_in(ui, "ann")
    cookie = ui.cookies.get("embargo_session")
    assert ui.post("/ui/logout", data={}).status_code == 403  # a form without its token
    assert ui.post("/ui/logout", data={"csrf": token}).status_code == 303
    ui.cookies.set("embargo_session", cookie or "", path="/ui")
    assert ui.get("/ui/alerts").status_code == 303


def test_idle_sessions_end(ui_settings: Settings) -> None:
    with Store.open(ui_settings.store_url) as store:
        sessions = SessionStore(store.engine, timedelta(minutes=30))
        user = UserStore(store.engine).get("ann")
        token, session = sessions.create(user)
        assert sessions.get(token) is not None and sessions.get("other") is None
        with store.engine.begin() as conn:
            conn.execute(update(console_sessions).where(console_sessions.c.id == digest(token))
                         .values(last_seen=datetime.now(UTC) - timedelta(minutes=31)))
        assert sessions.get(token) is None
        assert session.csrf != token and session.id == digest(token)


def test_open_redirects_are_refused(ui: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/ui/", "/ui/login", "/other"):
        form = ui.get("/ui/login")
        done = ui.post("/ui/login", data={"name": "ann", "password": PASSWORD,
                                          "csrf": csrf_of(form.text), "next": target})
        assert done.headers["location"] == "/ui/alerts", target


def test_api_keys_keep_working_and_a_session_cookie_is_no_api_key(
        ui: TestClient, ui_settings: Settings) -> None:
    with Store.open(ui_settings.store_url) as store:
        _, token = KeyStore(store.engine).create("reader", ["read"])
    assert ui.get("/alerts", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    sign_in(ui, "ann")
    assert ui.get("/alerts").status_code == 401


def test_passwords_are_hashed_and_checked(ui_settings: Settings) -> None:
    with Store.open(ui_settings.store_url) as store:
        engine = store.engine
        with engine.connect() as conn:
            stored = conn.execute(user_passwords.select()).all()
        assert stored and all(r.hash.startswith("$argon2id$") and PASSWORD not in r.hash
                              for r in stored)
        assert passwords.verify(engine, "ann", PASSWORD) is not None
        assert passwords.verify(engine, "ann", PASSWORD + "x") is None
        with pytest.raises(UsageError):
            passwords.set_password(engine, "ann", "short")
        with pytest.raises(NotFoundError):
            passwords.set_password(engine, "nobody", PASSWORD)
        passwords.set_password(engine, "ann", "a new password")
        assert passwords.verify(engine, "ann", PASSWORD) is None
        assert passwords.verify(engine, "ann", "a new password") is not None


def test_repeated_failures_wait_without_the_password_being_checked(ui: TestClient) -> None:
    for _ in range(5):
        form = ui.get("/ui/login")
        response = ui.post("/ui/login", data={"name": "ann", "password": "guess",
                                              "csrf": csrf_of(form.text)})
        assert response.status_code == 401
    form = ui.get("/ui/login")
    response = ui.post("/ui/login", data={"name": "ann", "password": PASSWORD,
                                          "csrf": csrf_of(form.text)})
    assert response.status_code == 429 and "Too many failed sign-ins" in response.text
    assert "embargo_session" not in response.cookies
    assert ui.get("/ui/alerts").status_code == 303
