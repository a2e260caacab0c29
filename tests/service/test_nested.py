"""``/entities/{id}?nested=true``: sanctions and relations nested as yente nests them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from embargo.model.builder import EntityBuilder
from embargo.model.entity import Program, Schema
from embargo.service.nested import nested_properties

H = dict[str, dict[str, str]]


def test_nested_sanctions(client: TestClient, headers: H) -> None:
    flat = client.get("/entities/list-a:1", headers=headers["read"]).json()
    assert "sanctions" not in flat["properties"]
    r = client.get("/entities/list-a:1", params={"nested": "true"}, headers=headers["read"])
    assert r.status_code == 200
    data = r.json()
    assert data["properties"]["name"] == flat["properties"]["name"]
    assert data["properties"]["topics"] == ["sanction"]
    [sanction] = data["properties"]["sanctions"]
    assert sanction["schema"] == "Sanction"
    assert sanction["properties"]["entity"] == ["list-a-1"]  # FtM refuses the colon
    assert sanction["properties"]["program"] == ["RUSSIA-EO14024"]
    assert sanction["properties"]["authority"] == ["OFAC"]


def test_nested_relations() -> None:
    b = EntityBuilder("ftm-x", "c1", Schema.COMPANY)
    b.add_name("Shell Co")
    b.add_program(Program("SDGT", "SDGT"))
    b.add_link("owned_by", target_name="Mr Owner", target_id="ftm-x:p1")
    b.add_link("associate", target_name="Mr Gone", target_id="ftm-x:p2")  # Company: no such
    b.add_link("linked_to", target_name="By name only")
    listed = {"ftm-x:p1": {"id": "ftm-x:p1", "schema": "Person", "properties": {}}}

    def lookup(entity_id: str) -> dict[str, Any] | None:
        return listed.get(entity_id)

    nested = nested_properties(b.build(), lookup)
    assert sorted(nested) == ["ownershipAsset", "sanctions"]
    [ownership] = nested["ownershipAsset"]
    assert ownership["schema"] == "Ownership"
    assert ownership["properties"] == {"asset": ["ftm-x-c1"], "owner": [listed["ftm-x:p1"]]}


def test_entities_take_the_ftm_form_of_ids(client: TestClient, headers: H) -> None:
    r = client.get("/entities/list-a-1", headers=headers["read"])
    assert r.status_code == 200 and r.json()["id"] == "list-a:1"
    assert client.get("/entities/list-a-99", headers=headers["read"]).status_code == 404
