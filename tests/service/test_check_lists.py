"""``POST /check`` decides as ``embargo check`` does: stale lists and cross-list links.

The store holds real SDN entries (PJSC Alrosa, KOMID) and KOMID's UN entry: an SDN snapshot
of 1 March 2022 without Alrosa, the UN list of 1 May 2024 and the SDN list of 3 May 2024.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from embargo.model.entity import Entity
from embargo.rules.check import run_check, write_decisions
from embargo.rules.engine import Engine
from embargo.service.app import create_app
from embargo.service.config import ServiceConfig
from embargo.service.rule_models import CheckResponse
from embargo.settings import Settings
from embargo.sources.registry import detect
from embargo.store import Store

ALROSA, KOMID_SDN, KOMID_UN = "ofac-sdn:34644", "ofac-sdn:9345", "un:KPe.001"
FILLER = ("ofac-sdn:36", "ofac-sdn:306", "ofac-sdn:2674")
TODAY = date(2025, 12, 31)


def _pick(path: Path, ids: tuple[str, ...]) -> dict[str, Entity]:
    return {e.id: e for parsed in detect(path).parse(path) for e in parsed.entities
            if e.id in ids}


@pytest.fixture(scope="module")
def real(lists_dir: Path) -> dict[str, Entity]:
    found = _pick(lists_dir / "ofac-sdn" / "history" / "sdn_2024-05-03.csv",
                  (ALROSA, KOMID_SDN, *FILLER))
    found |= _pick(lists_dir / "un" / "consolidated_2025-04-19.xml", (KOMID_UN,))
    assert len(found) == 6
    return found


def add(store: Store, source: str, day: str, entities: list[Entity]) -> None:
    store.add_snapshot(source=source, kind="test", published=date.fromisoformat(day),
                       content_hash=uuid.uuid4().hex, parser_version="test",
                       entities=entities, counts={"entities": len(entities)})


@pytest.fixture
def client(settings: Settings, real: dict[str, Entity],
           token_maker: Callable[[Settings], dict[str, str]],
           config_factory: Callable[..., ServiceConfig],
           ready_waiter: Callable[..., None]) -> Iterator[tuple[TestClient, dict[str, str]]]:
    filler = [real[i] for i in FILLER]
    with Store.open(settings.store_url) as store:
        add(store, "ofac-sdn", "2022-03-01", filler)
        add(store, "un", "2024-05-01", [real[KOMID_UN]])
        add(store, "ofac-sdn", "2024-05-03", [*filler, real[ALROSA], real[KOMID_SDN]])
    tokens = token_maker(settings)
    app = create_app(settings, config_factory(settings.home, refresh_interval=0.0))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        ready_waiter(test_client.get)
        yield test_client, {"Authorization": f"Bearer {tokens['screen']}"}


def pay(id_: str, day: str, party: dict[str, Any]) -> dict[str, Any]:
    return {"id": id_, "date": day, "kind": "payment", "institution": {"jurisdiction": "us"},
            "parties": [party]}


ITEMS = [
    pay("alrosa", "2023-05-01", {"role": "beneficiary",
                                 "name": "Public Joint Stock Company Alrosa"}),
    pay("komid", "2024-05-10", {"role": "payee", "ids": [KOMID_UN]}),
    pay("bakery", "2024-05-10", {"role": "payee", "name": "Harmless Bakery"}),
]


def post(client: tuple[TestClient, dict[str, str]]) -> list[dict[str, Any]]:
    test_client, headers = client
    response = test_client.post("/check", json={"items": ITEMS, "as_of": TODAY.isoformat()},
                                headers=headers)
    assert response.status_code == 200, response.text
    CheckResponse.model_validate(response.json())
    decisions: list[dict[str, Any]] = response.json()["decisions"]
    return decisions


def test_a_stale_snapshot_is_review_with_the_bracket(
        client: tuple[TestClient, dict[str, str]]) -> None:
    alrosa = post(client)[0]
    assert alrosa["decision"] == "review"
    why = [r for r in alrosa["reasons"] if r.get("entity", {}).get("id") == ALROSA]
    assert why and why[0]["outcome"] == "review"
    assert "2022-03-01" in why[0]["message"] and "2024-05-03" in why[0]["message"]


def test_a_linked_party_reason_carries_the_link(
        client: tuple[TestClient, dict[str, str]]) -> None:
    komid = post(client)[1]
    assert komid["decision"] == "prohibited"
    linked = next(r for r in komid["reasons"] if r.get("rule") == "ofac-blocking")
    assert linked["match"]["method"] == "linked"
    assert KOMID_UN in linked["link"] and KOMID_SDN in linked["entity"]["id"]


def test_the_api_decides_as_the_cli(client: tuple[TestClient, dict[str, str]],
                                    settings: Settings) -> None:
    api = post(client)
    out = io.BytesIO()
    with Store.open(settings.store_url) as store:
        lines = [orjson.dumps(item) for item in ITEMS]
        write_decisions(run_check(store, lines, as_of=TODAY, engine=Engine(today=TODAY)), out)
    cli = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert api == cli


def test_the_openapi_reason_declares_the_link(
        client: tuple[TestClient, dict[str, str]]) -> None:
    schemas = client[0].get("/openapi.json").json()["components"]["schemas"]
    reason = schemas["ReasonModel"]["properties"]
    assert "link" in reason and "link" not in schemas["ReasonModel"].get("required", [])
    assert {"outcome", "message", "entity", "match"} <= set(reason)  # nothing dropped
