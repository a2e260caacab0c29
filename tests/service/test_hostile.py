"""Hostile input to the service (issue 15): unencodable text, bodies that are not JSON,
list names that do not exist. Each is refused clearly, audited, and harms no other request."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from embargo.service.app import create_app
from embargo.service.config import ServiceConfig
from embargo.settings import Settings
from embargo.store import Store
from embargo.store.audit import AuditStore

H = dict[str, dict[str, str]]
JSON = {"content-type": "application/json"}
POISON = "\\ud800Putin"  # as sent on the wire: a JSON escape of a lone surrogate


def screen_body(name: str) -> str:
    return '{"queries":[{"id":"a","schema":"Person","properties":{"name":["NAME"]}}]}'.replace(
        "NAME", name)


def match_body(name: str) -> str:
    return '{"queries":{"q":{"schema":"Person","properties":{"name":["NAME"]}}}}'.replace(
        "NAME", name)


def check_body(name: str) -> str:
    return ('{"items":[{"id":"t","kind":"payment","institution":{"jurisdiction":"us"},'
            '"parties":[{"role":"payee","name":"NAME"}]}]}').replace("NAME", name)


ENDPOINTS: dict[str, tuple[str, Callable[[str], str]]] = {
    "screen": ("/screen", screen_body), "match": ("/match/default", match_body),
    "check": ("/check", check_body)}


def audit_id(response: Any) -> str:
    """The audit record's id of an answer: the body's ``id``, or the error's details."""
    body = response.json()
    if response.status_code == 200:
        return str(body["id"])
    return str(body["error"]["details"]["screening_id"])


@pytest.fixture
def batching_client(filled: Settings, tokens: dict[str, str],
                    config_factory: Callable[..., ServiceConfig],
                    ready_waiter: Callable[..., None]) -> Iterator[TestClient]:
    """Audit batches of up to 20 ms, so that poisoned and clean records share batches."""
    config = config_factory(filled.home, audit_flush_ms=20.0, max_batch=500)
    with TestClient(create_app(filled, config), raise_server_exceptions=False) as client:
        ready_waiter(client.get)
        yield client


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_unencodable_text_is_422_and_audited(client: TestClient, headers: H,
                                             filled: Settings, endpoint: str) -> None:
    path, body = ENDPOINTS[endpoint]
    r = client.post(path, content=body(POISON), headers={**headers["screen"], **JSON})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error" and "surrogate" in error["message"]
    assert "properties.name.0" in error["message"] or "parties.0.name" in error["message"]
    with Store.open(filled.store_url) as store:
        record = AuditStore(store.engine).get(audit_id(r))
    assert record.endpoint == endpoint and record.snapshot_ids == ()
    assert POISON in record.request["received"]  # the body as it came
    assert record.response["error"]["code"] == "validation_error"
    # and the record can be read back through the API
    got = client.get(f"/screenings/{record.id}", headers=headers["read"])
    assert got.status_code == 200 and got.json()["response"]["error"]["code"] == "validation_error"


def test_poison_never_fails_other_requests(batching_client: TestClient, headers: H,
                                           filled: Settings) -> None:
    """40 threads, every fifth request carries a lone surrogate (the issue's probe)."""
    outcomes: list[tuple[bool, int, str]] = []
    lock = threading.Lock()
    names = sorted(ENDPOINTS)

    def worker(number: int) -> None:
        for i in range(5):
            poisoned = (number * 5 + i) % 5 == 0
            path, body = ENDPOINTS[names[(number + i) % 3]]
            r = batching_client.post(path, content=body(POISON if poisoned else "Vladimir Putin"),
                                     headers={**headers["screen"], **JSON})
            with lock:
                outcomes.append((poisoned, r.status_code, audit_id(r) if r.status_code in
                                 (200, 422) else r.text))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 200
    assert [s for p, s, _ in outcomes if not p] == [200] * 160, [o for o in outcomes if not o[0]
                                                                 and o[1] != 200][:3]
    assert [s for p, s, _ in outcomes if p] == [422] * 40
    with Store.open(filled.store_url) as store:
        audit = AuditStore(store.engine)
        records = [audit.get(i) for _, _, i in outcomes]
    assert len({r.id for r in records}) == 200
    assert all(("error" in r.response) == (r.snapshot_ids == ()) for r in records)


# --- bodies that are not JSON ------------------------------------------------------------

@pytest.mark.parametrize(("body", "words"), [
    (b'{"queries":[{"id":"\xff\xfe"}]}', "UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "nested"),
    (b'{"queries":[' + b"[" * 100 + b"]" * 100 + b"]}", "nested"),
    (b'{"queries": [', "JSON"),
])
@pytest.mark.parametrize("path", ["/screen", "/match/default", "/check"])
def test_unreadable_bodies_are_422(client: TestClient, headers: H, body: bytes, words: str,
                                   path: str) -> None:
    r = client.post(path, content=body, headers={**headers["screen"], **JSON})
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error" and words.lower() in error["message"].lower()
    assert set(r.json()) == {"error"} and error["details"]["screening_id"]


def test_unreadable_body_without_a_key_is_401(client: TestClient, headers: H) -> None:
    r = client.post("/screen", content=b'{"a":"\xff"}', headers=JSON)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    bad = client.post("/screen", content=b'{"a":"\xff"}', headers={**headers["revoked"], **JSON})
    assert bad.status_code == 401


# --- list names --------------------------------------------------------------------------

PUTIN = {"id": "p", "schema": "Person", "properties": {"name": ["Vladimir Putin"]}}


@pytest.mark.parametrize("sources", [["ofac_sdn"], ["zzz"], [], ["list-a", "list_b"]])
def test_screen_unknown_sources_are_an_error(client: TestClient, headers: H, filled: Settings,
                                             sources: list[str]) -> None:
    r = client.post("/screen", json={"queries": [PUTIN], "sources": sources},
                    headers=headers["screen"])
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert "list-a, list-b" in error["message"]  # names the lists in force
    with Store.open(filled.store_url) as store:
        record = AuditStore(store.engine).get(error["details"]["screening_id"])
    assert record.snapshot_ids == ()  # nothing was searched


def test_screen_as_of_a_day_without_the_list(client: TestClient, headers: H) -> None:
    r = client.post("/screen", json={"queries": [PUTIN], "sources": ["list-b"],
                                     "as_of": "2024-02-01"}, headers=headers["screen"])
    assert r.status_code == 422 and "lists in force: list-a" in r.json()["error"]["message"]


@pytest.mark.parametrize("params", [{"include_dataset": "zzz"}, {"exclude_dataset": "ofac_sdn"},
                                    {"include_dataset": ["list-a", "nope"]}])
def test_match_unknown_dataset_filters_are_an_error(client: TestClient, headers: H,
                                                    params: dict[str, Any]) -> None:
    r = client.post("/match/default", json={"queries": {"q": PUTIN}}, params=params,
                    headers=headers["screen"])
    assert r.status_code == 422, r.text
    assert "list-a, list-b" in r.json()["error"]["message"]


def test_match_filters_that_leave_nothing_are_an_error(client: TestClient, headers: H) -> None:
    r = client.post("/match/list-a", json={"queries": {"q": PUTIN}},
                    params={"include_dataset": "list-b"}, headers=headers["screen"])
    assert r.status_code == 422 and "no list to search" in r.json()["error"]["message"]
    ok = client.post("/match/default", json={"queries": {"q": PUTIN}},
                     params={"include_dataset": "all"}, headers=headers["screen"])
    assert ok.status_code == 200 and ok.json()["responses"]["q"]["results"]


def test_match_known_list_not_held_is_a_warning_or_an_error(client: TestClient,
                                                            headers: H) -> None:
    """ofac-cons is an official list Embargo knows; this store does not hold it."""
    alone = client.post("/match/default", json={"queries": {"q": PUTIN}},
                        params={"include_dataset": "ofac-cons"}, headers=headers["screen"])
    assert alone.status_code == 422 and "no list to search" in alone.json()["error"]["message"]
    both = client.post("/match/default", json={"queries": {"q": PUTIN}},
                       params={"include_dataset": ["list-a", "us_ofac_cons"]},
                       headers=headers["screen"])
    assert both.status_code == 200, both.text
    answer = both.json()["responses"]["q"]
    assert answer["results"]
    assert any("'ofac-cons' is not in force" in w for w in answer["warnings"])


def _snapshot_ids(settings: Settings) -> dict[str, int]:
    with Store.open(settings.store_url) as store:
        return {s.source: s.id for s in store.snapshots_as_of(None)}


def test_audit_names_only_the_snapshots_searched(client: TestClient, headers: H,
                                                 filled: Settings) -> None:
    ids = _snapshot_ids(filled)
    r = client.post("/screen", json={"queries": [PUTIN], "sources": ["list-b"]},
                    headers=headers["screen"])
    assert r.status_code == 200 and r.json()["snapshots"] == [ids["list-b"]]
    m = client.post("/match/list-a", json={"queries": {"q": PUTIN}}, headers=headers["screen"])
    e = client.post("/match/default", json={"queries": {"q": PUTIN}},
                    params={"exclude_dataset": "list-a"}, headers=headers["screen"])
    s = client.get("/search/list-b", params={"q": "Sovcomflot"}, headers=headers["screen"])
    with Store.open(filled.store_url) as store:
        audit = AuditStore(store.engine)
        assert audit.get(r.json()["id"]).snapshot_ids == (ids["list-b"],)
        assert audit.get(m.json()["id"]).snapshot_ids == (ids["list-a"],)
        assert audit.get(e.json()["id"]).snapshot_ids == (ids["list-b"],)
        assert audit.get(s.json()["id"]).snapshot_ids == (ids["list-b"],)
    replayed = client.post(f"/screenings/{r.json()['id']}/replay", headers=headers["read"])
    assert replayed.status_code == 200 and replayed.json()["same"] is True
    replayed = client.post(f"/screenings/{e.json()['id']}/replay", headers=headers["read"])
    assert replayed.status_code == 200 and replayed.json()["same"] is True




def test_a_refused_request_cannot_be_replayed(client: TestClient, headers: H) -> None:
    """Found by the stateful fuzzing: replaying a refusal's record failed with 500."""
    r = client.post("/screen", json={"queries": [PUTIN], "sources": ["zzz"]},
                    headers=headers["screen"])
    record = r.json()["error"]["details"]["screening_id"]
    replayed = client.post(f"/screenings/{record}/replay", headers=headers["read"])
    assert replayed.status_code == 400, replayed.text
    assert "refused" in replayed.json()["error"]["message"]
