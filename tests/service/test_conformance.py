"""Conformance: real yente clients against a live ``embargo serve`` on the shared lists.

One server for the module (a subprocess, SQLite store) holding the OFAC SDN list of
3 May 2024 and the UN consolidated list of 27 February 2026. The clients are the real ones:
nomenklatura's ``YenteEnricher`` (matching and ``/entities/{id}?nested=true`` expansion,
``Authorization: ApiKey``), OpenRefine's reconciliation calls (manifest, form-encoded queries,
the suggest and preview services the manifest names), and the request examples of yente's
and the OpenSanctions API's documentation, sent as written there.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from followthemoney import Dataset, StatementEntity
from nomenklatura.cache import Cache
from nomenklatura.db import Session
from nomenklatura.enrich.yente import YenteEnricher
from sqlalchemy import create_engine

from embargo.ingest.importer import import_path
from embargo.settings import load_settings
from embargo.store import Store
from embargo.store.keys import KeyStore

pytestmark = pytest.mark.shared
LISTS = ("ofac-sdn/history/sdn_2024-05-03.csv", "un/consolidated_2026-02-27.xml")
PUTIN, SOVCOMFLOT, ARTAVIL, AL_QAIDA = ("ofac-sdn:35096", "ofac-sdn:34741", "ofac-sdn:15036",
                                        "un:QDe.004")
ROTENBERG, STROYGAZMONTAZH, ZAKHAROV = "ofac-sdn:16669", "ofac-sdn:16828", "ofac-sdn:45937"


@dataclass
class Live:
    url: str
    key: str
    home: Path

    def client(self, scheme: str = "ApiKey") -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60,
                            headers={"Authorization": f"{scheme} {self.key}".strip()})


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"embargo serve exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise AssertionError("embargo serve did not become ready")


@pytest.fixture(scope="module")
def live(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    home = tmp_path_factory.mktemp("conformance") / "home"
    settings = replace(load_settings(home), database_url=None)  # SQLite in home
    with Store.open(settings.store_url) as store:
        for name in LISTS:
            import_path(store, lists_dir / name)
        key = KeyStore(store.engine).create("conformance", ["screen", "read"])[1]
    env = {k: v for k, v in os.environ.items() if k != "EMBARGO_DATABASE_URL"}
    env.update({"EMBARGO_HOME": str(home), "EMBARGO_RATE_LIMIT": "0",
                "EMBARGO_REFRESH_INTERVAL": "0", "EMBARGO_LOG_LEVEL": "WARNING"})
    port = _port()
    process = subprocess.Popen(
        [sys.executable, "-m", "embargo.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url, process)
        yield Live(url, key, home)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


# --- nomenklatura's YenteEnricher ----------------------------------------------------------

def enricher(live: Live, tmp_path: Path, dataset: str = "default") -> YenteEnricher[Dataset]:
    ds = Dataset.make({"name": "conformance", "title": "Conformance"})
    cache = Cache(Session(create_engine(f"sqlite:///{tmp_path / 'nk.db'}")), ds, create=True)
    config = {"api": f"{live.url}/", "api_key": live.key, "dataset": dataset, "cache_days": 0}
    return YenteEnricher(ds, cache, config)


@pytest.mark.parametrize(("dataset", "schema", "props", "expected", "schemata"), [
    ("default", "Person", {"name": ["Vladimir Putin"]}, PUTIN, "Person"),
    ("default", "Person", {"name": ["Владимир Путин"], "birthDate": ["1952-10-07"]}, PUTIN,
     "Person"),
    ("default", "Company", {"name": ["Sovcomflot"], "jurisdiction": ["ru"]}, SOVCOMFLOT,
     "Organization"),
    ("default", "Vessel", {"name": ["Artavil"], "imoNumber": ["IMO 9187629"]}, ARTAVIL,
     "Vessel"),
    ("un", "Organization", {"name": ["Al Qaeda"]}, AL_QAIDA, "Organization"),
])
def test_yente_enricher_matches_and_expands(live: Live, tmp_path: Path, dataset: str,
                                            schema: str, props: dict[str, list[str]],
                                            expected: str, schemata: str) -> None:
    client = enricher(live, tmp_path, dataset)
    query = StatementEntity.from_data(client.dataset, {"id": "q1", "schema": schema,
                                                       "properties": props})
    matches = list(client.match(query))
    assert matches, "no candidates"
    top = matches[0]
    assert top.id == expected and top.schema.name == schemata
    assert top.get("topics") == ["sanction"]
    assert top.get("sourceUrl") == [f"{live.url}/entities/{expected}"]
    expanded = list(client.expand(query, top))
    assert expanded[0].id == expected and expanded[0].get("name") == top.get("name")
    sanctions = [e for e in expanded if e.schema.name == "Sanction"]
    ftm_form = expected.replace(":", "-")  # FtM refuses the colon in references
    assert sanctions and all(s.get("entity") == [ftm_form] for s in sanctions)
    assert all(s.get("program") and s.get("authority") for s in sanctions)


def test_keys_are_checked(live: Live) -> None:
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}}}
    wrong = httpx.post(f"{live.url}/match/default", headers={"Authorization": "ApiKey nope"},
                       json=body)
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthorized"
    missing = httpx.post(f"{live.url}/match/default", json=body)
    assert missing.status_code == 401 and "ApiKey <key>" in missing.json()["error"]["message"]
    for scheme in ("ApiKey", "Bearer", ""):
        assert live.client(scheme).get("/algorithms").status_code == 200


# --- OpenRefine reconciliation ------------------------------------------------------------

def openrefine_get(url: str, **params: str) -> httpx.Response:
    """OpenRefine calls the URLs the manifest gives (adding its own parameters), with no
    headers."""
    if params:
        url += ("&" if "?" in url else "?") + urlencode(params)
    return httpx.get(url, timeout=60)


def test_reconciliation_service(live: Live) -> None:
    service = f"{live.url}/reconcile/default?api_key={live.key}"
    manifest = openrefine_get(service).json()
    assert manifest["versions"] == ["0.2"] and manifest["identifierSpace"]
    assert manifest["schemaSpace"] and "{{id}}" in manifest["view"]["url"]
    assert {"id": "Vessel", "name": "Vessels"}.items() <= next(
        t for t in manifest["defaultTypes"] if t["id"] == "Vessel").items()
    queries = {
        "q0": {"query": "Vladimir Putin", "type": "Person",
               "properties": [{"pid": "birthDate", "v": "1952-10-07"}]},
        "q1": {"query": "Sovcomflot", "type": "Company", "limit": 3},
        "q2": {"query": "Artavil", "type": "Vessel",
               "properties": [{"pid": "Vessel:imoNumber", "v": "9187629"}]},
        "q3": {"query": "Frobozz Widgets Trading Plc"},
    }
    r = httpx.post(service, data={"queries": json.dumps(queries)}, timeout=60)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert set(answer) == set(queries)
    for key, expected in (("q0", PUTIN), ("q1", SOVCOMFLOT), ("q2", ARTAVIL)):
        top = answer[key]["result"][0]
        assert top["id"] == expected and top["match"] is True
        assert set(top) == {"id", "name", "description", "type", "score", "match"}
        assert top["type"][0]["id"] in ("Person", "Organization", "Vessel")
    assert len(answer["q1"]["result"]) <= 3
    assert not any(c["match"] for c in answer["q3"]["result"])
    got = openrefine_get(service.split("?")[0], queries=json.dumps({"q": queries["q0"]}),
                         api_key=live.key).json()
    assert got["q"]["result"][0]["id"] == PUTIN
    preview = openrefine_get(manifest["preview"]["url"].replace("{{id}}", PUTIN))
    assert preview.status_code == 200 and "PUTIN, Vladimir Vladimirovich" in preview.text


def test_reconciliation_data_extension(live: Live) -> None:
    """Add columns from reconciled entries, as OpenRefine's "Add columns from ..." does."""
    service = f"{live.url}/reconcile/default?api_key={live.key}"
    propose = openrefine_get(service).json()["extend"]["propose_properties"]
    proposed = openrefine_get(propose["service_url"] + propose["service_path"],
                              type="Person").json()
    assert {"birthDate", "nationality", "topics", "program"} <= {
        p["id"] for p in proposed["properties"]}
    extend = {"ids": [PUTIN, ARTAVIL], "properties": [
        {"id": "birthDate"}, {"id": "program"}, {"id": "imoNumber"}, {"id": "topics"}]}
    r = httpx.post(service, data={"extend": json.dumps(extend)}, timeout=60)
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert rows[PUTIN]["birthDate"] == [{"str": "1952-10-07"}]
    assert rows[PUTIN]["program"] == [{"str": "RUSSIA-EO14024"}]
    assert rows[ARTAVIL]["imoNumber"][0]["str"].endswith("9187629")
    assert rows[ARTAVIL]["topics"] == [{"str": "Sanctioned"}]


@pytest.mark.parametrize(("kind", "prefix", "expected"), [
    ("entity", "sovcomfl", SOVCOMFLOT), ("type", "vess", "Vessel"),
    ("property", "imo", "Vessel:imoNumber")])
def test_reconciliation_suggest(live: Live, kind: str, prefix: str, expected: str) -> None:
    manifest = openrefine_get(f"{live.url}/reconcile/default?api_key={live.key}").json()
    suggest = manifest["suggest"][kind]
    r = openrefine_get(suggest["service_url"] + suggest["service_path"], prefix=prefix)
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    data = r.json()
    assert data["prefix"] == prefix and expected in [s["id"] for s in data["result"]]


# --- the documentation's request examples --------------------------------------------------

def results(response: httpx.Response, key: str = "q") -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    answer = response.json()["responses"][key]
    assert answer["status"] == 200
    return list(answer["results"])


def test_yente_match_docstring_example(live: Live) -> None:
    """The query example of yente's ``/match`` documentation."""
    queries = {"entity1": {"schema": "Person", "properties": {
                   "name": ["John Doe"], "birthDate": ["1975-04-21"], "nationality": ["us"]}},
               "entity2": {"schema": "Company", "properties": {
                   "name": ["Brilliant Amazing Limited"], "jurisdiction": ["hk"],
                   "registrationNumber": ["84BA99810"]}}}
    r = live.client().post("/match/default", json={"queries": queries})
    assert r.headers["x-batch-size"] == "2"
    for key in queries:
        assert not any(hit["match"] for hit in results(r, key))
        assert r.json()["responses"][key]["query"]["schema"] == queries[key]["schema"]
    assert r.json()["limit"] == 5 and r.json()["matcher"]


def test_opensanctions_request_example(live: Live) -> None:
    """docs/api/request: topics, OpenSanctions dataset names, algorithm, threshold."""
    params = {"topics": ["sanction", "sanction.linked", "debarment"],
              "include_dataset": ["us_ofac_sdn", "us_ofac_cons"], "algorithm": "logic-v2",
              "threshold": 0.8}
    person = {"schema": "Person", "properties": {
        "firstName": ["Arkadii"], "fatherName": ["Romanovich"],
        "lastName": ["Rotenberg", "Ротенберг"], "birthDate": ["1951"]}}
    company = {"schema": "Company", "properties": {"name": ["Stroygazmontazh"],
                                                   "jurisdiction": ["Russia"]}}
    session = live.client("ApiKey")
    for query, expected in ((person, ROTENBERG), (company, STROYGAZMONTAZH)):
        r = session.post("/match/default", json={"queries": {"q": query}}, params=params)
        top = results(r)[0]
        assert top["id"] == expected and top["match"] is True and top["score"] >= 0.8
        assert "sanction" in top["properties"]["topics"]
        assert r.json()["algorithm"] == {"requested": "logic-v2", "name": "embargo"}
        # us_ofac_cons is a list Embargo knows but this store does not hold: said, not hidden
        warnings = r.json()["responses"]["q"]["warnings"]
        assert any("'ofac-cons' is not in force" in w for w in warnings), warnings
    un_only = session.post("/match/default", json={"queries": {"q": company}},
                           params={**params, "include_dataset": "un_sc_sanctions"})
    assert results(un_only) == []


def test_matching_tutorial_and_quickstart_examples(live: Live) -> None:
    """docs/api/matching (a single string where a list is expected) and the quickstart."""
    session = live.client()
    tutorial = {"schema": "Person", "properties": {
        "name": ["Arkadiii Romanovich Rotenberg", "Ротенберг Аркадий"], "birthDate": ["1951"],
        "nationality": "Russia"}}
    assert results(session.post("/match/default",
                                json={"queries": {"q": tutorial}}))[0]["id"] == ROTENBERG
    quickstart = {"schema": "Person", "properties": {
        "firstName": ["Aleksandr"], "lastName": ["Zacharov"], "birthDate": ["1965"]}}
    hits = results(session.post("/match/default", json={"queries": {"q": quickstart}}))
    assert hits[0]["id"] == ZAKHAROV and hits[0]["properties"]["topics"] == ["sanction"]


def test_curl_example_with_a_bare_key(live: Live) -> None:
    """The OpenSanctions curl examples send the key without a scheme."""
    r = httpx.post(f"{live.url}/match/default", headers={"Authorization": live.key},
                   json={"queries": {"q1": {"schema": "Person", "properties": {
                       "name": ["Barack Obama"], "birthDate": ["1961-08-04"]}}}}, timeout=60)
    assert not any(hit["match"] for hit in results(r, "q1"))


def test_whitelist_and_rescreening_parameters(live: Live) -> None:
    """Marble-style whitelisting (exclude_entity_ids) and re-screening (changed_since)."""
    session = live.client()
    body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}}}
    assert results(session.post("/match/default", json=body))[0]["id"] == PUTIN
    whitelist = [PUTIN, *(f"ofac-sdn:{n}" for n in range(1, 200))]
    hits = results(session.post("/match/default", json=body,
                                params={"exclude_entity_ids": whitelist}))
    assert PUTIN not in [h["id"] for h in hits]
    recent = session.post("/match/default", json={"queries": {"q": {
        "schema": "Organization", "properties": {"name": ["Al-Qaida"]}}}},
        params={"changed_since": "2026-01-01"})
    assert [h["id"] for h in results(recent)][:1] == [AL_QAIDA]
    assert results(session.post("/match/default", json=body,
                                params={"changed_since": "2026-01-01"})) == []
    assert session.post("/match/default", json=body,
                        params={"algorithm": "magic"}).status_code == 400


def test_whitelisting_one_id_excludes_the_party_on_every_list(live: Live) -> None:
    """KOMID is on the UN list (KPe.001) and the SDN list (9345): whitelisting either id
    excludes both entries, as the rules engine links them (embargo.linking)."""
    session = live.client()
    body = {"queries": {"q": {"schema": "Organization", "properties": {
        "name": ["Korea Mining Development Trading Corporation"]}}}}
    found = {h["id"] for h in results(session.post("/match/default", json=body))}
    assert {"un:KPe.001", "ofac-sdn:9345"} <= found
    for whitelisted in ("un:KPe.001", "ofac-sdn:9345"):
        hits = results(session.post("/match/default", json=body,
                                    params={"exclude_entity_ids": whitelisted}))
        assert not {"un:KPe.001", "ofac-sdn:9345"} & {h["id"] for h in hits}
