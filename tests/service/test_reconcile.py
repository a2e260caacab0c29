"""The OpenRefine reconciliation API in process: manifest, queries, suggest, preview."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from embargo.service.reconcile import match_prefix, query_example

H = dict[str, dict[str, str]]
QUERIES = {"q0": {"query": "Vladimir Putin", "type": "Person",
                  "properties": [{"pid": "Person:birthDate", "v": "1952-10-07"}]},
           "q1": {"query": "Sovcomflot", "limit": 2},
           "q2": {"query": "Nobody At All Whatsoever", "type": "Company"}}


def check_answer(data: dict[str, Any]) -> None:
    assert set(data) == set(QUERIES)
    top = data["q0"]["result"][0]
    assert top["id"] == "list-a:1" and top["match"] is True and top["score"] >= 0.75
    assert top["type"] == [{"id": "Person", "name": "People",
                            "description": top["type"][0]["description"]}]
    assert top["name"] == "Vladimir Vladimirovich Putin" and top["description"] == "Person"
    assert data["q1"]["result"][0]["id"] == "list-b:10" and len(data["q1"]["result"]) <= 2
    assert all(r["match"] is False for r in data["q2"]["result"])


def test_manifest(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.get("/reconcile/default", params={"api_key": tokens["screen"]})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    manifest = r.json()
    assert manifest["versions"] == ["0.2"] and manifest["name"]
    assert {t["id"] for t in manifest["defaultTypes"]} >= {"Person", "Company", "Vessel"}
    entity = manifest["suggest"]["entity"]
    assert entity["service_url"] == "http://testserver/reconcile/default"
    assert entity["service_path"] == f"/suggest/entity?api_key={tokens['screen']}"
    assert "{{id}}" in manifest["preview"]["url"] and manifest["view"]["url"]
    assert client.get("/reconcile/default").status_code == 401
    assert client.get("/reconcile/no-such-list", params={"api_key": tokens["screen"]}
                      ).status_code == 404


def test_queries_as_form_json_and_get(client: TestClient, headers: H,
                                      tokens: dict[str, str]) -> None:
    text = json.dumps(QUERIES)
    form = client.post("/reconcile/default", data={"queries": text},
                       params={"api_key": tokens["screen"]})
    assert form.status_code == 200, form.text
    check_answer(form.json())
    body = client.post("/reconcile/sanctions", json={"queries": QUERIES}, headers=headers["screen"])
    check_answer(body.json())
    got = client.get("/reconcile/default", params={"queries": text}, headers=headers["screen"])
    check_answer(got.json())
    record = client.get(f"/screenings/{form.headers['x-screening-id']}", headers=headers["read"])
    assert record.json()["endpoint"] == "reconcile"
    replay = client.post(f"/screenings/{form.headers['x-screening-id']}/replay",
                         headers=headers["read"])
    assert replay.json()["same"] is True


@pytest.mark.parametrize("queries", ["not json", "[1]", "{}", '{"q": "Putin"}',
                                     '{"q": {"query": "Putin", "limit": 0}}'])
def test_bad_queries(client: TestClient, headers: H, queries: str) -> None:
    r = client.post("/reconcile/default", data={"queries": queries}, headers=headers["screen"])
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"


def test_data_extension(client: TestClient, headers: H) -> None:
    proposed = client.get("/reconcile/default/extend/property", params={"type": "Person"},
                          headers=headers["screen"]).json()
    ids = [p["id"] for p in proposed["properties"]]
    assert proposed["type"] == "Person" and ids[:3] == ["birthDate", "name", "nationality"]
    assert "topics" in ids and "program" in ids
    extend = {"ids": ["list-a:1", "list-a-3", "nobody:1"],
              "properties": [{"id": "nationality"}, {"id": "topics"},
                             {"id": "country", "settings": {"render": "raw", "limit": 1}}]}
    r = client.post("/reconcile/default", data={"extend": json.dumps(extend)},
                    headers=headers["screen"])
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["meta"][0] == {"id": "nationality", "name": "Nationality"}
    rows = data["rows"]
    assert rows["list-a:1"]["nationality"] == [{"str": "Russia"}]
    assert rows["list-a:1"]["topics"] == [{"str": "Sanctioned"}]
    assert rows["list-a-3"]["country"] == [{"str": "cy"}]
    assert rows["nobody:1"] == {"nationality": [], "topics": [], "country": []}
    bad = client.post("/reconcile/default", data={"extend": '{"ids": "x"}'},
                      headers=headers["screen"])
    assert bad.status_code == 400
    assert client.get("/reconcile/default/extend/property", params={"type": "Spaceship"},
                      headers=headers["screen"]).status_code == 400


def test_suggest(client: TestClient, headers: H) -> None:
    entity = client.get("/reconcile/default/suggest/entity", params={"prefix": "bank ross"},
                        headers=headers["screen"]).json()
    assert entity["prefix"] == "bank ross" and entity["result"][0]["id"] == "list-a:3"
    assert entity["code"] == "/api/status/ok"
    types = client.get("/reconcile/default/suggest/type", params={"prefix": "comp"},
                       headers=headers["screen"]).json()
    assert [t["id"] for t in types["result"]] == ["Company"]
    props = client.get("/reconcile/default/suggest/property", params={"prefix": "birth"},
                       headers=headers["screen"]).json()
    assert "Person:birthDate" in [p["id"] for p in props["result"]]
    jsonp = client.get("/reconcile/default/suggest/type", params={"prefix": "vess",
                                                                   "callback": "cb_1"},
                       headers=headers["screen"])
    assert jsonp.text.startswith("/**/cb_1(") and "Vessel" in jsonp.text
    bad = client.get("/reconcile/default/suggest/type", params={"callback": "alert(1)"},
                     headers=headers["screen"])
    assert bad.status_code == 400


def test_preview(client: TestClient, headers: H) -> None:
    r = client.get("/reconcile/default/preview", params={"id": "list-a:1"},
                   headers=headers["screen"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Vladimir Vladimirovich Putin" in r.text and "RUSSIA-EO14024" in r.text
    missing = client.get("/reconcile/default/preview", params={"id": "list-a:999"},
                         headers=headers["screen"])
    assert missing.status_code == 404


def test_query_example_shapes() -> None:
    example = query_example({"query": "ACME", "type": [{"id": "Company", "name": "Companies"}],
                             "properties": [{"pid": "jurisdiction", "v": ["ru", {"id": "cy"}]},
                                            {"pid": "Company:registrationNumber", "v": "77"}]})
    assert example.schema_ == "Company"
    assert example.properties == {"name": ["ACME"], "jurisdiction": ["ru", "cy"],
                                  "registrationNumber": ["77"]}
    assert query_example({"query": "x"}).schema_ == "Thing"


@pytest.mark.parametrize(("prefix", "labels", "found"), [
    ("", ("Person",), True), ("pers", ("Person",), True), ("date", ("Birth date",), True),
    ("xyz", ("Person", "People"), False)])
def test_match_prefix(prefix: str, labels: tuple[str, ...], found: bool) -> None:
    assert match_prefix(prefix, *labels) is found
