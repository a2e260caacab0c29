"""yente's client-facing edges in process: ApiKey auth, /match filters, algorithm names."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from embargo.matching.screen import Screener
from embargo.model.builder import EntityBuilder
from embargo.model.entity import Entity, NameKind, Program, Schema
from embargo.service.filters import FILTERED_CANDIDATES, PartyGroups, parse_since, widened
from embargo.service.os_datasets import embargo_datasets
from embargo.service.topics import entity_topics

H = dict[str, dict[str, str]]
PUTIN = {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}
SHOIGU = {"schema": "Person", "properties": {"name": ["Sergei Shoigu"]}}
ROSSIYA = {"schema": "Company", "properties": {"name": ["Bank Rossiya"]}}
SOVCOMFLOT = {"schema": "Company", "properties": {"name": ["Sovcomflot"]}}
YENTE_ALGORITHMS = ["best", "logic-v1", "logic-v2", "regression-v1", "name-based",
                    "name-qualified"]


def match(client: TestClient, headers: dict[str, str], query: dict[str, Any],
          body: dict[str, Any] | None = None, **params: Any) -> Any:
    return client.post("/match/default", json={"queries": {"q": query}, **(body or {})},
                       headers=headers, params=params)


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["responses"]["q"]["results"]]


# --- authentication ----------------------------------------------------------------------

@pytest.mark.parametrize("form", ["ApiKey {}", "apikey {}", "Bearer {}", "{}"])
def test_api_key_schemes(client: TestClient, tokens: dict[str, str], form: str) -> None:
    sent = {"Authorization": form.format(tokens["screen"])}
    assert ids(match(client, sent, PUTIN))[0] == "list-a:1"


@pytest.mark.parametrize("header", ["ApiKey", "Token {}", "Basic {}", "ApiKey  "])
def test_other_schemes_are_refused(client: TestClient, tokens: dict[str, str],
                                   header: str) -> None:
    r = match(client, {"Authorization": header.format(tokens["screen"])}, PUTIN)
    assert r.status_code == 401
    assert "ApiKey" in r.json()["error"]["message"] and "Bearer" in r.json()["error"]["message"]


def test_query_key_only_for_reconciliation(client: TestClient, tokens: dict[str, str]) -> None:
    r = client.post("/match/default", json={"queries": {"q": PUTIN}},
                    params={"api_key": tokens["screen"]})
    assert r.status_code == 401


# --- algorithms --------------------------------------------------------------------------

@pytest.mark.parametrize("name", [*YENTE_ALGORITHMS, "embargo"])
def test_yente_algorithm_names_are_mapped(client: TestClient, headers: H, name: str) -> None:
    r = match(client, headers["screen"], PUTIN, algorithm=name)
    assert ids(r)[0] == "list-a:1"
    assert r.json()["algorithm"] == {"requested": name, "name": "embargo"}


@pytest.mark.parametrize("name", ["magic", "logic-v9", ""])
def test_unknown_algorithm_is_a_400(client: TestClient, headers: H, name: str) -> None:
    r = match(client, headers["screen"], PUTIN, algorithm=name)
    assert r.status_code == 400 and "unknown algorithm" in r.json()["error"]["message"]


def test_algorithms_lists_yente_names(client: TestClient, headers: H) -> None:
    names = [a["name"] for a in client.get("/algorithms", headers=headers["read"])
             .json()["algorithms"]]
    assert names[0] == "embargo" and set(YENTE_ALGORITHMS) <= set(names)


# --- filters -----------------------------------------------------------------------------

def test_exclude_entity_ids(client: TestClient, headers: H) -> None:
    assert "list-a:1" in ids(match(client, headers["screen"], PUTIN))
    assert "list-a:1" not in ids(match(client, headers["screen"], PUTIN,
                                       exclude_entity_ids="list-a:1"))
    many = [f"other:{i}" for i in range(300)] + ["list-a:1"]  # yente caps at 50
    assert "list-a:1" not in ids(match(client, headers["screen"], PUTIN,
                                       body={"exclude_entity_ids": many}))
    assert "list-a:1" not in ids(match(client, headers["screen"], PUTIN,
                                       exclude_entity_ids=many[-120:]))


def test_exclude_schema(client: TestClient, headers: H) -> None:
    query = {"schema": "LegalEntity", "properties": {"name": ["Bank Rossiya"]}}
    assert ids(match(client, headers["screen"], query))[0] == "list-a:3"
    assert "list-a:3" not in ids(match(client, headers["screen"], query,
                                       exclude_schema="Company"))
    bad = match(client, headers["screen"], query, exclude_schema="Spaceship")
    assert bad.status_code == 400 and "Spaceship" in bad.json()["error"]["message"]


def test_topics_filter_and_property(client: TestClient, headers: H) -> None:
    r = match(client, headers["screen"], PUTIN, topics=["sanction", "debarment"])
    top = r.json()["responses"]["q"]["results"][0]
    assert top["id"] == "list-a:1" and top["properties"]["topics"] == ["sanction"]
    assert ids(match(client, headers["screen"], PUTIN, topics="debarment")) == []
    bad = match(client, headers["screen"], PUTIN, topics="sanctions")
    assert bad.status_code == 400 and "sanctions" in bad.json()["error"]["message"]


@pytest.mark.parametrize(("since", "query", "kept"), [
    ("2024-05-01", PUTIN, False),  # listed 2024-01-01, unchanged since
    ("2024-05-01", SHOIGU, True),  # added 2024-06-01
    ("2024-05-01", ROSSIYA, True),  # changed 2024-06-01
    ("2024-05-01", SOVCOMFLOT, False),  # list-b published 2024-03-01
    ("2024-02-01T10:00:00Z", SOVCOMFLOT, True),
    ("2024-01-01", PUTIN, True),
    ("2024-06-02", ROSSIYA, False),
])
def test_changed_since(client: TestClient, headers: H, since: str, query: dict[str, Any],
                       kept: bool) -> None:
    found = ids(match(client, headers["screen"], query))[:1]
    assert found
    assert (found[0] in ids(match(client, headers["screen"], query,
                                  changed_since=since))) is kept


def test_bad_changed_since(client: TestClient, headers: H) -> None:
    r = match(client, headers["screen"], PUTIN, changed_since="yesterday")
    assert r.status_code == 400 and "changed_since" in r.json()["error"]["message"]


def test_fuzzy_is_accepted(client: TestClient, headers: H) -> None:
    for value in ("false", "true"):
        assert ids(match(client, headers["screen"], PUTIN, fuzzy=value))[0] == "list-a:1"


def test_filtered_match_replays_the_same(client: TestClient, headers: H) -> None:
    r = match(client, headers["screen"], ROSSIYA, changed_since="2024-05-01",
              exclude_entity_ids="list-b:10", topics="sanction", exclude_schema="Person",
              algorithm="best")
    replay = client.post(f"/screenings/{r.json()['id']}/replay", headers=headers["read"])
    assert replay.json()["same"] is True


# --- the pieces --------------------------------------------------------------------------

def entry(source: str, native: str, notes: dict[str, str] | None = None,
          link: tuple[str, str] | None = None, programme: str = "SDGT") -> Entity:
    b = EntityBuilder(source, native, Schema.PERSON)
    b.add_name(f"Person {native}", NameKind.PRIMARY)
    for label, value in (notes or {}).items():
        b.add_note(label, value)
    if link:
        b.add_link(link[0], target_name="someone", target_id=link[1])
    b.add_program(Program(programme, programme))
    return b.build()


def test_party_groups_follow_cross_list_references() -> None:
    groups = PartyGroups([
        entry("un", "QDi.001"), entry("eu", "7", {"UN reference number": "QDi.001"}),
        entry("uk-fcdo", "9", {"UN reference": "qdi.001"}),
        entry("ofac-sdn", "5", link=("same_as", "uk-fcdo:9")),
        entry("ofac-sdn", "6", link=("linked_to", "ofac-sdn:5")),  # an associate: not the same
        entry("eu", "8", {"UN reference number": "QDi.002"}),
    ])
    party = {"un:QDi.001", "eu:7", "uk-fcdo:9", "ofac-sdn:5"}
    for member in party:
        assert groups.expand([member]) == party
    assert groups.expand(["un:QDi.002"]) == {"un:QDi.002", "eu:8"}  # UN entry not loaded
    assert groups.expand(["ofac-sdn:6"]) == {"ofac-sdn:6"}
    assert groups.expand(["nowhere:1"]) == {"nowhere:1"}
    assert "ofac-sdn:5" in groups.expand(["ofac-sdn-5"])  # the FtM form of the id


@pytest.mark.parametrize(("source", "programme", "topics"), [
    ("ofac-sdn", "SDGT", ["sanction"]),
    ("bis-dpl", "BIS-DPL", ["debarment", "export.control"]),
    ("un", "NO-SUCH-TAG", ["sanction"]),  # unknown tag: what being on the UN list means
    ("my-list", "NO-SUCH-TAG", []),  # nothing known: no topic (kept, with a warning)
])
def test_entity_topics(source: str, programme: str, topics: list[str]) -> None:
    assert entity_topics(entry(source, "1", programme=programme)) == topics


def test_opensanctions_dataset_names() -> None:
    assert embargo_datasets(["us_ofac_sdn", "us_ofac_cons", "un_sc_sanctions", "un"]) == (
        "ofac-sdn", "ofac-cons", "un")


@pytest.mark.parametrize(("text", "day"), [
    ("2024-05-03", date(2024, 5, 3)), ("2024-05-03T12:00:00", date(2024, 5, 3)),
    ("2024-05-03T12:00:00+02:00", date(2024, 5, 3)), (None, None), ("", None)])
def test_parse_since(text: str | None, day: date | None) -> None:
    assert parse_since(text) == day


def test_config_is_refused_and_weights_are_flagged(client: TestClient, headers: H) -> None:
    r = match(client, headers["screen"], PUTIN, body={"config": {"nm_number_mismatch": 0.5}})
    assert r.status_code == 400 and "nm_number_mismatch" in r.json()["error"]["message"]
    r = match(client, headers["screen"], PUTIN, body={"weights": {"name_literal_match": 2.0}})
    answer = r.json()["responses"]["q"]
    assert answer["results"][0]["id"] == "list-a:1"
    assert any("weights ignored" in w for w in answer["warnings"])
    plain = match(client, headers["screen"], PUTIN, body={"weights": {}, "config": {}})
    assert plain.json()["responses"]["q"]["warnings"] == []


def search_ids(client: TestClient, headers: H, q: str, **params: Any) -> list[str]:
    r = client.get("/search/default", params={"q": q, **params}, headers=headers["screen"])
    assert r.status_code == 200, r.text
    return [x["id"] for x in r.json()["results"]]


def test_search_filters(client: TestClient, headers: H) -> None:
    assert "list-a:3" in search_ids(client, headers, "bank rossiya")
    assert "list-a:3" in search_ids(client, headers, "bank rossiya", countries="CY",
                                    topics="sanction", datasets="list-a", fuzzy="true")
    assert "list-a:3" not in search_ids(client, headers, "bank rossiya", countries="ru")
    assert "list-a:3" not in search_ids(client, headers, "bank rossiya", datasets="list-b")
    assert "list-a:3" not in search_ids(client, headers, "bank rossiya", topics="debarment")
    assert search_ids(client, headers, "bank rossiya", target="false") == []
    r = client.get("/search/default", params={"q": "x", "sort": "caption:asc"},
                   headers=headers["screen"])
    assert r.status_code == 400
    r = client.get("/search/default", params={"q": "rossiya", "countries": "cy"},
                   headers=headers["screen"])
    replay = client.post(f"/screenings/{r.json()['id']}/replay", headers=headers["read"])
    assert replay.json()["same"] is True


def test_filtered_queries_score_more_candidates() -> None:
    screener = Screener.from_entities([entry("x", "1")])
    wide = widened(screener)
    assert (screener.candidates, wide.candidates) == (50, FILTERED_CANDIDATES)
    assert wide.index is screener.index and wide.coverage == screener.coverage
