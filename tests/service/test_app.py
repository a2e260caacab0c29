"""The service in process (TestClient): every endpoint, auth failures, limits, replay, swap."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from embargo.service.app import create_app
from embargo.service.config import ServiceConfig
from embargo.settings import Settings

H = dict[str, dict[str, str]]
PUTIN = {"schema": "Person", "properties": {"name": ["Vladimir Putin"],
                                            "birthDate": ["1952-10-07"],
                                            "nationality": ["ru"]}}


def match(client: TestClient, headers: dict[str, str], queries: dict[str, Any],
          dataset: str = "default", **params: Any) -> Any:
    return client.post(f"/match/{dataset}", json={"queries": queries}, headers=headers,
                       params=params)


# --- yente dialect -----------------------------------------------------------------------

@pytest.mark.parametrize(("schema", "props", "expected"), [
    ("Person", {"name": ["Vladimir Putin"], "birthDate": ["1952-10-07"]}, "list-a:1"),
    ("Person", {"firstName": ["Vladimir"], "lastName": ["Putin"]}, "list-a:1"),
    ("Person", {"name": "Владимир Путин"}, "list-a:1"),
    ("Company", {"name": ["Bank Rossiya"], "jurisdiction": ["ru"]}, "list-a:3"),
    ("LegalEntity", {"name": ["SOVCOMFLOT"]}, "list-b:10"),
    ("Thing", {"name": ["Ali Khamenei"]}, "list-b:11"),
])
def test_match_yente_payloads(client: TestClient, headers: H, schema: str,
                              props: dict[str, Any], expected: str) -> None:
    r = match(client, headers["screen"], {"q1": {"schema": schema, "properties": props}})
    assert r.status_code == 200, r.text
    body = r.json()
    answer = body["responses"]["q1"]
    assert answer["status"] == 200
    top = answer["results"][0]
    assert top["id"] == expected
    assert top["match"] is True and top["score"] >= 0.75
    assert set(top) >= {"id", "caption", "schema", "properties", "datasets", "score", "match",
                        "explanations", "features"}
    assert top["properties"]["name"] and top["datasets"] == [expected.split(":")[0]]
    assert answer["total"]["value"] >= 1 and answer["query"]["schema"] == schema
    assert "name" in body["matcher"] and body["limit"] == 5 and len(body["id"]) == 32


def test_match_datasets_and_filters(client: TestClient, headers: H) -> None:
    q = {"q": PUTIN}
    assert match(client, headers["screen"], q, "list-a").json()["responses"]["q"]["results"]
    assert match(client, headers["screen"], q, "list-b").json()["responses"]["q"]["results"] == []
    excluded = match(client, headers["screen"], q, exclude_dataset="list-a").json()
    assert excluded["responses"]["q"]["results"] == []
    r = match(client, headers["screen"], q, "no-such-list")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_match_threshold_cutoff_limit_algorithm(client: TestClient, headers: H) -> None:
    q = {"q": {"schema": "Person", "properties": {"name": ["Vladimir Petrov"]}}}
    strict = match(client, headers["screen"], q, threshold=0.99).json()["responses"]["q"]
    assert strict["results"] == []
    loose = match(client, headers["screen"], q, threshold=0.99, cutoff=0.0).json()
    results = loose["responses"]["q"]["results"]
    assert results and all(not r["match"] for r in results)
    assert match(client, headers["screen"], q, algorithm="logic-v1").status_code == 200
    bad = match(client, headers["screen"], q, algorithm="magic")
    assert bad.status_code == 400 and "unknown algorithm" in bad.json()["error"]["message"]
    assert match(client, headers["screen"], q, limit=51).status_code == 422


def test_match_bad_query_is_per_query_error(client: TestClient, headers: H) -> None:
    queries = {"good": PUTIN, "empty": {"schema": "Person", "properties": {"name": [" "]}},
               "weird": {"schema": "Planet", "properties": {"name": ["Mars"]}},
               "nested": {"schema": "Person", "properties": {"name": [{"x": 1}]}},
               "huge": {"schema": "Person", "properties": {"name": [2**70]}}}
    r = match(client, headers["screen"], queries)
    assert r.status_code == 200, r.text
    responses = r.json()["responses"]
    assert responses["good"]["status"] == 200
    for key in ("empty", "weird", "nested"):
        assert responses[key]["status"] == 422
        assert responses[key]["error"]["code"] == "validation_error"


def test_search_catalog_algorithms(client: TestClient, headers: H) -> None:
    found = client.get("/search/default", params={"q": "khamenei"}, headers=headers["screen"])
    assert found.status_code == 200
    assert found.json()["results"][0]["id"] == "list-b:11"
    page = client.get("/search/default", params={"q": "khamenei", "offset": 5},
                      headers=headers["screen"]).json()
    assert page["results"] == [] and page["total"]["value"] >= 1
    catalog = client.get("/catalog", headers=headers["read"]).json()
    names = {d["name"] for d in catalog["datasets"]}
    assert {"list-a", "list-b", "default", "sanctions"} <= names
    algos = client.get("/algorithms", headers=headers["read"]).json()
    assert algos["default"] == "embargo" and algos["algorithms"][0]["version"]


# --- native ------------------------------------------------------------------------------

def test_screen_native_shape_and_audit(client: TestClient, headers: H) -> None:
    body = {"queries": [{"id": "c-1", "schema": "Person",
                         "properties": {"name": ["Putin, Vladimir"]}},
                        {"id": "c-2", "name": "Shoigu Sergei", "birthDate": "1955-05-21"},
                        {"id": "c-3", "properties": {"name": ["x"], "birthDate": ["1980-13-45"]}}],
            "threshold": 0.7, "limit": 3}
    r = client.post("/screen", json=body, headers=headers["screen"])
    assert r.status_code == 200, r.text
    data = r.json()
    first, second, third = data["results"]
    hit = first["hits"][0]
    assert (first["id"], hit["entity_id"], hit["source"]) == ("c-1", "list-a:1", "list-a")
    assert hit["programs"] == ["RUSSIA-EO14024"] and hit["snapshot"] in data["snapshots"]
    assert hit["explanation"]["features"] and first["error"] is None
    assert second["hits"][0]["entity_id"] == "list-a:4"
    assert third["hits"] == [] and "not a date" in third["error"]
    record = client.get(f"/screenings/{data['id']}", headers=headers["read"]).json()
    assert record["request"]["body"]["queries"][0]["id"] == "c-1"
    assert record["response"] == data and record["threshold"] == 0.7
    assert record["snapshot_ids"] == data["snapshots"] and record["key_id"]
    replay = client.post(f"/screenings/{data['id']}/replay", headers=headers["read"]).json()
    assert replay["same"] is True and replay["algorithm_changed"] is False


def test_screen_as_of_uses_old_snapshots_and_replays(client: TestClient, headers: H) -> None:
    body = {"queries": [{"id": "k", "properties": {"name": ["Kim Jong Un"]}}],
            "as_of": "2024-02-01"}
    then = client.post("/screen", json=body, headers=headers["screen"]).json()
    assert then["results"][0]["hits"][0]["entity_id"] == "list-a:2"
    now = client.post("/screen", json={"queries": body["queries"]},
                      headers=headers["screen"]).json()
    assert now["results"][0]["hits"] == []  # delisted in the 2024-06-01 snapshot
    replay = client.post(f"/screenings/{then['id']}/replay", headers=headers["read"]).json()
    assert replay["same"] is True and replay["snapshot_ids"] == then["snapshots"]


def test_match_and_search_replay(client: TestClient, headers: H) -> None:
    m = match(client, headers["screen"], {"q": PUTIN}, limit=2).json()
    s = client.get("/search/list-a", params={"q": "putin"}, headers=headers["screen"]).json()
    for screening in (m["id"], s["id"]):
        out = client.post(f"/screenings/{screening}/replay", headers=headers["read"]).json()
        assert out["same"] is True


def test_entities_lists_diff(client: TestClient, headers: H) -> None:
    then = client.get("/entities/list-a:2", params={"as_of": "2024-02-01"},
                      headers=headers["read"]).json()
    assert then["listed"] is True and then["caption"] == "Kim Jong Un"
    now = client.get("/entities/list-a:2", headers=headers["read"]).json()
    assert now["listed"] is False and [e["change"] for e in now["history"]] == ["added",
                                                                               "removed"]
    assert client.get("/entities/nope:1", headers=headers["read"]).status_code == 404
    lists = client.get("/lists", headers=headers["read"]).json()
    assert len(lists["snapshots"]) == 3 and len(lists["in_force"]) == 2
    diff = client.get("/lists/diff", params={"source": "list-a", "from": "2024-01-01",
                                             "to": "2024-06-01"}, headers=headers["read"]).json()
    assert [c["id"] for c in diff["added"]] == ["list-a:4"]
    assert [c["id"] for c in diff["removed"]] == ["list-a:2"]
    assert [c["id"] for c in diff["changed"]] == ["list-a:3"]
    missing = client.get("/lists/diff", params={"source": "list-a", "from": "1999-01-01",
                                                "to": "2024-06-01"}, headers=headers["read"])
    assert missing.status_code == 404


# --- access control and limits -----------------------------------------------------------

@pytest.mark.parametrize(("header", "status", "code"), [
    (None, 401, "unauthorized"),
    ("Bearer", 401, "unauthorized"),
    ("Basic abc", 401, "unauthorized"),
    ("Bearer emb_000000000000_notarealsecretatallnotreal", 401, "unauthorized"),
    ("revoked", 401, "unauthorized"),
    ("read", 403, "forbidden"),
])
def test_auth_failures(client: TestClient, headers: H, tokens: dict[str, str],
                       header: str | None, status: int, code: str) -> None:
    sent = {}
    if header in headers:
        sent = headers[header]
    elif header is not None:
        sent = {"Authorization": header}
    r = client.post("/match/default", json={"queries": {"q": PUTIN}}, headers=sent)
    assert r.status_code == status
    assert r.json() == {"error": {"code": code, "message": r.json()["error"]["message"],
                                  "details": r.json()["error"]["details"]}}
    if status == 401:
        assert r.headers["www-authenticate"] == "Bearer"


def test_scopes(client: TestClient, headers: H) -> None:
    assert client.get("/lists", headers=headers["screen"]).status_code == 403
    assert client.get("/lists", headers=headers["read"]).status_code == 200
    assert client.get("/lists", headers=headers["admin"]).status_code == 200  # admin: all
    assert client.post("/lists/import", json={"path": "x"},
                       headers=headers["read"]).status_code == 403
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["status"] == "ready"


@pytest.fixture
def small_client(filled: Settings, tokens: dict[str, str],
                 config_factory: Callable[..., ServiceConfig],
                 ready_waiter: Callable[..., None]) -> Iterator[TestClient]:
    config = config_factory(filled.home, rate_per_second=0.5, rate_burst=3, max_batch=2,
                            max_body_bytes=2048)
    with TestClient(create_app(filled, config)) as test_client:
        ready_waiter(test_client.get)
        yield test_client


def test_rate_limit_and_bounds(small_client: TestClient, headers: H) -> None:
    big = {"queries": {f"q{i}": PUTIN for i in range(3)}}
    r = small_client.post("/match/default", json=big, headers=headers["screen"])
    assert r.status_code == 422 and "EMBARGO_MAX_BATCH" in r.json()["error"]["message"]
    huge = {"queries": {"q": {"schema": "Person", "properties": {"name": ["x" * 5000]}}}}
    r = small_client.post("/match/default", json=huge, headers=headers["screen"])
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    statuses = [small_client.get("/lists", headers=headers["read"]).status_code
                for _ in range(4)]
    assert statuses[:2] == [200, 200] and statuses[-1] == 429
    limited = small_client.get("/lists", headers=headers["read"])
    assert limited.json()["error"]["code"] == "rate_limited" and limited.headers["retry-after"]
    assert small_client.get("/lists", headers=headers["admin"]).status_code == 200  # per key


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/match/default", {"queries": "nope"}),
    ("post", "/match/default", {"queries": {"q": {"properties": {"name": ["x"]}}}}),
    ("post", "/screen", {"queries": []}),
    ("post", "/screen", {"queries": [{"name": "x"}], "threshold": 2}),
    ("post", "/screen", {"queries": [{"name": "x"}], "as_of": "2024-13-45"}),
    ("post", "/screen", None),
    ("get", "/entities/list-a:1?as_of=yesterday", None),
    ("get", "/search/default", None),
])
def test_validation_errors_are_422(client: TestClient, headers: H, method: str, path: str,
                                   body: Any) -> None:
    kwargs: dict[str, Any] = {"headers": headers["admin"]}
    if body is not None:
        kwargs["json"] = body
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith("invalid")


def test_malformed_json_body(client: TestClient, headers: H) -> None:
    r = client.post("/screen", content=b"{not json", headers={
        **headers["screen"], "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"


# --- admin: import and swap --------------------------------------------------------------

def test_import_swaps_index(client: TestClient, headers: H, filled: Settings,
                            tmp_path: Path) -> None:
    before = client.get("/readyz").json()["snapshots"]
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "uk_ofsi" / "conlist_current.csv"
    r = client.post("/lists/import", json={"path": str(fixture), "published": "2024-07-01"},
                    headers=headers["admin"])
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["swapped"] is True and data["results"][0]["created"] is True
    new_id = data["results"][0]["snapshot"]["id"]
    after = client.get("/readyz").json()["snapshots"]
    assert new_id in [s["id"] for s in after] and len(after) == len(before) + 1
    again = client.post("/lists/import", json={"path": str(fixture)}, headers=headers["admin"])
    assert again.json()["swapped"] is False and again.json()["results"][0]["created"] is False
    outside = client.post("/lists/import", json={"path": str(tmp_path)}, headers=headers["admin"])
    assert outside.status_code == 403
