"""Held snapshots in the service: invisible to screening, released by an admin, source ages."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from embargo.service.routes.health import source_ages
from embargo.settings import Settings
from embargo.store import Store

H = dict[str, dict[str, str]]
PUTIN = {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _hits(client: TestClient, headers: H) -> list[str]:
    r = client.post("/match/list-a", json={"queries": {"q": PUTIN}},
                    headers=headers["screen"])
    assert r.status_code == 200, r.text
    return [hit["id"] for hit in r.json()["responses"]["q"]["results"]]


def _hold_without_putin(settings: Settings) -> int:
    with Store.open(settings.store_url) as store:
        current = store.latest_snapshot("list-a")
        assert current is not None
        rest = [e for e in store.iter_entities(current.id) if e.id != "list-a:1"]
        held = store.add_snapshot(source="list-a", kind="test", published=date(2024, 7, 1),
                                  content_hash="list-a-held", parser_version="test/1",
                                  entities=rest, counts={}, held="removes 1 of 3 (33.3%)")
    return held.id


def test_held_snapshot_is_not_served_until_released(client: TestClient, headers: H,
                                                    filled: Settings) -> None:
    assert "list-a:1" in _hits(client, headers)
    held_id = _hold_without_putin(filled)
    client.post("/lists/import", json={"path": str(FIXTURES / "uk_ofsi" / "conlist_current.csv"),
                                       "published": "2024-07-02"}, headers=headers["admin"])
    assert held_id not in [s["id"] for s in client.get("/readyz").json()["snapshots"]]
    assert "list-a:1" in _hits(client, headers)  # still screened against the old snapshot
    lists = client.get("/lists", headers=headers["read"]).json()
    assert {s["id"]: s["held"] for s in lists["snapshots"]}[held_id].startswith("removes")
    denied = client.post(f"/lists/release/{held_id}", json={"user": "eve"},
                         headers=headers["read"])
    assert denied.status_code == 403
    r = client.post(f"/lists/release/{held_id}", json={"user": "alice"},
                    headers=headers["admin"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["swapped"] is True and held_id in body["in_force"]
    assert body["released_by"] == "alice" and body["was_held"].startswith("removes")
    assert "list-a:1" not in _hits(client, headers)
    again = client.post(f"/lists/release/{held_id}", json={"user": "alice"},
                        headers=headers["admin"])
    assert again.status_code == 400 and "not held" in again.json()["error"]["message"]
    missing = client.post("/lists/release/999999", json={"user": "alice"},
                          headers=headers["admin"])
    assert missing.status_code == 404


def test_api_import_holds_a_rollback(client: TestClient, headers: H, filled: Settings) -> None:
    src = FIXTURES / "uk_ofsi" / "conlist_current.csv"
    imports = filled.home / "imports"
    imports.mkdir(parents=True, exist_ok=True)
    older = imports / "conlist_older.csv"
    shutil.copy(src, older)
    older.write_bytes(src.read_bytes() + b"\r\n")
    first = client.post("/lists/import", json={"path": str(src), "published": "2024-07-01"},
                        headers=headers["admin"]).json()
    assert first["results"][0]["held"] is None
    r = client.post("/lists/import", json={"path": str(older), "published": "2024-01-01"},
                    headers=headers["admin"])
    assert r.status_code == 200, r.text
    item: dict[str, Any] = r.json()["results"][0]
    assert item["held"].startswith("rollback") and r.json()["swapped"] is False
    future = client.post("/lists/import", json={"path": str(older), "published": "2099-01-01"},
                         headers=headers["admin"])
    assert future.status_code == 400 and "in the future" in future.json()["error"]["message"]


def test_readyz_reports_source_ages(client: TestClient) -> None:
    sources = client.get("/readyz").json()["sources"]
    assert [s["source"] for s in sources] == ["list-a", "list-b"]
    today = date.today()
    assert sources[0]["age_days"] == (today - date(2024, 6, 1)).days


def test_source_ages_are_days_since_publication() -> None:
    from embargo.store.types import Snapshot

    snap = Snapshot(3, "un", "un-xml", date(2026, 1, 1), None, "h", "1", 1, {}, None, ())  # type: ignore[arg-type]
    assert source_ages([snap], date(2026, 1, 31)) == [
        {"source": "un", "snapshot": 3, "published": "2026-01-01", "age_days": 30}]
