"""``POST /check``: programme-rule decisions over the service's snapshots, audit and replay.

The store holds the Russian sovereign entities of the real OFAC consolidated list of
2025-03-28, with earlier states derived the way the list changed (as in tests/rules): from
2021-04-15 they carried Directive 1, from 2022-02-22 Directive 1A, from 2022-02-28 also
Directive 4; the real 2025-03-28 snapshot follows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from embargo.model.entity import Directive, Entity
from embargo.service.app import create_app
from embargo.service.checking import ListViews, Pin
from embargo.service.config import ServiceConfig
from embargo.service.holder import IndexHolder, Loaded
from embargo.service.rule_models import CheckResponse
from embargo.service.state import ServiceState
from embargo.settings import Settings
from embargo.sources.registry import detect
from embargo.store import Store

MINFIN = "MINISTRY OF FINANCE OF THE RUSSIAN FEDERATION"
CBR = "CENTRAL BANK OF THE RUSSIAN FEDERATION"
NWF = "NATIONAL WEALTH FUND OF THE RUSSIAN FEDERATION"
D1P = "ofac-eo14024-directive-1-primary"
D1A = "ofac-eo14024-directive-1a-secondary"
D4 = "ofac-eo14024-directive-4"
CRIMEA = "ofac-crimea-eo13685"
STAGES = (("2021-04-15", ("Directive 1",)), ("2022-02-22", ("Directive 1A",)),
          ("2022-02-28", ("Directive 1A", "Directive 4")))


@pytest.fixture(scope="module")
def sovereign(lists_dir: Path) -> list[Entity]:
    path = lists_dir / "ofac-consolidated" / "consolidated_2025-03-28.xml"
    found = [e for parsed in detect(path).parse(path) for e in parsed.entities
             if e.caption in (MINFIN, CBR, NWF)]
    assert len(found) == 3
    return found


def with_directives(entity: Entity, names: tuple[str, ...]) -> Entity:
    return replace(entity, directives=tuple(Directive("EO 14024", n) for n in names))


def add_snapshot(settings: Settings, day: str, entities: list[Entity]) -> int:
    with Store.open(settings.store_url) as store:
        snap = store.add_snapshot(source="ofac-cons", kind="test",
                                  published=date.fromisoformat(day),
                                  content_hash=uuid.uuid4().hex, parser_version="test",
                                  entities=entities, counts={"entities": len(entities)})
        return int(snap.id)


@dataclass
class Service:
    client: TestClient
    headers: dict[str, dict[str, str]]
    settings: Settings

    @property
    def state(self) -> ServiceState:
        state: ServiceState = self.client.app.state.embargo  # type: ignore[attr-defined]
        return state

    def check(self, items: list[Any], scope: str = "screen", **extra: Any) -> Any:
        return self.client.post("/check", json={"items": items, **extra},
                                headers=self.headers[scope])


@pytest.fixture
def service(settings: Settings, sovereign: list[Entity],
            token_maker: Callable[[Settings], dict[str, str]],
            config_factory: Callable[..., ServiceConfig],
            ready_waiter: Callable[..., None]) -> Iterator[Service]:
    for day, names in STAGES:
        add_snapshot(settings, day, [with_directives(e, names) for e in sovereign])
    add_snapshot(settings, "2025-03-28", sovereign)
    tokens = token_maker(settings)
    app = create_app(settings, config_factory(settings.home, refresh_interval=0.0))
    with TestClient(app, raise_server_exceptions=False) as client:
        ready_waiter(client.get)
        yield Service(client, {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()},
                      settings)


def bond(id_: str, day: str, market: str, issued: str, jurisdiction: str = "us") -> dict[str, Any]:
    return {"id": id_, "date": day, "kind": "purchase", "market": market,
            "instrument": {"kind": "bond", "issuer": {"name": MINFIN}, "issue_date": issued,
                           "currency": "RUB"},
            "institution": {"jurisdiction": jurisdiction}}


def payment(id_: str, day: str, name: str, jurisdiction: str = "us",
            address: str | None = None) -> dict[str, Any]:
    party: dict[str, Any] = {"role": "beneficiary", "name": name}
    if address:
        party["address"] = address
    return {"id": id_, "date": day, "kind": "payment",
            "institution": {"jurisdiction": jurisdiction}, "parties": [party]}


def deciding(decision: dict[str, Any], outcome: str) -> set[str]:
    return {r["rule"] for r in decision["reasons"] if r["outcome"] == outcome and "rule" in r}


# (item, expected decision, rule that must give it, publication date of the list used)
BONDS = [
    # Directive 1 takes effect on 14 June 2021
    (bond("d1-early", "2021-06-13", "primary", "2021-06-15"), "allowed", None, "2021-04-15"),
    (bond("d1", "2021-07-01", "primary", "2021-07-01"), "prohibited", D1P, "2021-04-15"),
    (bond("d1-old-bond", "2021-07-01", "primary", "2021-06-14"), "allowed", None, "2021-04-15"),
    (bond("d1-secondary", "2021-09-01", "secondary", "2021-07-01"), "allowed", None,
     "2021-04-15"),
    (bond("d1-de", "2021-07-01", "primary", "2021-07-01", "de"), "allowed", None, "2021-04-15"),
    # Directive 1A: primary still prohibited; secondary for bonds issued after 1 March 2022
    (bond("d1a-primary", "2022-02-25", "primary", "2022-02-24"), "prohibited", D1P,
     "2022-02-22"),
    (bond("d1a-secondary-early", "2022-02-25", "secondary", "2022-02-24"), "allowed", None,
     "2022-02-22"),
    (bond("d1a-secondary", "2022-03-02", "secondary", "2022-03-02"), "prohibited", D1A,
     "2022-02-28"),
    # Directive 4: any transaction, from 28 February 2022, once the list carries it
    (payment("d4-early", "2022-02-27", NWF.title()), "allowed", None, "2022-02-22"),
    (payment("d4", "2025-04-01", NWF.title()), "prohibited", D4, "2025-03-28"),
    (bond("d4-old-bond", "2025-04-01", "secondary", "2020-01-01"), "prohibited", D4,
     "2025-03-28"),
    (payment("d4-ch", "2025-04-01", CBR.title(), "ch"), "allowed", None, "2025-03-28"),
]


def test_directive_bonds_each_on_the_lists_of_its_date(service: Service) -> None:
    r = service.check([item for item, *_ in BONDS])
    assert r.status_code == 200, r.text
    CheckResponse.model_validate(r.json())  # the documented shape
    decisions = r.json()["decisions"]
    assert [d["id"] for d in decisions] == [item["id"] for item, *_ in BONDS]
    for decision, (item, expected, rule, published) in zip(decisions, BONDS, strict=True):
        assert decision["decision"] == expected, (item["id"], decision["reasons"])
        assert decision["date"] == item["date"]
        assert [s["published"] for s in decision["snapshots"]] == [published], item["id"]
        if rule:
            assert rule in deciding(decision, "prohibited"), item["id"]
            reason = next(x for x in decision["reasons"] if x.get("rule") == rule)
            assert reason["citation"] and reason["snapshot"]["published"] == published


def test_directive_4_comes_from_the_real_list(service: Service) -> None:
    (decision,) = service.check([payment("p", "2025-04-01", CBR)]).json()["decisions"]
    reason = next(x for x in decision["reasons"] if x.get("rule") == D4)
    assert reason["entity"]["caption"] == CBR
    assert "EO 14024 Directive 4" in " ".join(reason["entity"]["directives"])


def test_crimea_address_in_cyrillic(service: Service) -> None:
    items = [payment("sev", "2022-05-01", "ООО «Ромашка»", address="г. Севастополь, ул. Ленина, 5"),
             payment("msk", "2022-05-01", "ООО «Ромашка»", address="г. Москва, ул. Ленина, 5"),
             payment("sev-de", "2022-05-01", "ООО «Ромашка»", "de",
                     address="г. Севастополь, ул. Ленина, 5")]
    body = service.check(items).json()
    CheckResponse.model_validate(body)
    sev, msk, sev_de = body["decisions"]
    assert sev["decision"] == "prohibited", sev["reasons"]
    reason = next(x for x in sev["reasons"] if x.get("rule") == CRIMEA)
    assert reason["region"]["id"] == "crimea" and reason["citation"]
    assert msk["decision"] == "allowed", msk["reasons"]
    assert sev_de["decision"] == "allowed" and CRIMEA not in deciding(sev_de, "prohibited")


def test_unreadable_items_are_review_in_place(service: Service) -> None:
    items = [bond("ok", "2021-07-01", "primary", "2021-07-01"), "not an object", 42, None,
             {"id": "bad-date", "date": "2022-13-01", "kind": "payment", "parties": ["A"]},
             {"id": "no-parties", "kind": "payment", "date": "2022-01-01"},
             {"id": "bad-parties", "parties": "Acme"}, {"id": ["x"], "parties": [17]}]
    r = service.check(items)
    assert r.status_code == 200, r.text
    decisions = r.json()["decisions"]
    assert [d["id"] for d in decisions] == ["ok", "2", "3", "4", "bad-date", "no-parties",
                                            "bad-parties", "8"]
    assert decisions[0]["decision"] == "prohibited" and "error" not in decisions[0]
    for decision in decisions[1:]:
        assert decision["decision"] == "review" and decision["error"], decision
        assert decision["reasons"] == [] and decision["snapshots"] == []
    assert "not a JSON object" in decisions[1]["error"]
    assert "not a date" in decisions[4]["error"]
    assert "no parties" in decisions[5]["error"]


def test_undated_items_take_as_of(service: Service) -> None:
    item = bond("x", "2021-07-01", "primary", "2021-07-01")
    del item["date"]
    body = service.check([item], as_of="2021-07-01").json()
    assert body["as_of"] == "2021-07-01"
    assert body["decisions"][0]["decision"] == "prohibited"
    assert body["decisions"][0]["date"] == "2021-07-01"


def test_auth_and_limits(service: Service) -> None:
    item = [payment("p", "2025-04-01", CBR)]
    missing = service.client.post("/check", json={"items": item})
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
    assert service.check(item, "revoked").status_code == 401
    forbidden = service.check(item, "read")
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    assert service.check(item, "admin").status_code == 200
    too_many = service.check(item * (service.state.config.max_batch + 1))
    assert too_many.status_code == 422 and "EMBARGO_MAX_BATCH" in too_many.text
    assert service.check([]).status_code == 422
    assert service.check(item, as_of="2021-02-30").status_code == 422


def test_audit_and_replay_on_the_same_snapshots(service: Service,
                                                sovereign: list[Entity]) -> None:
    items = [bond("d1", "2021-07-01", "primary", "2021-07-01"),
             payment("d4", "2025-04-01", NWF), "junk"]
    data = service.check(items).json()
    record = service.client.get(f"/screenings/{data['id']}", headers=service.headers["read"])
    assert record.status_code == 200
    rec = record.json()
    used = sorted({s["id"] for d in data["decisions"] for s in d["snapshots"]})
    assert rec["endpoint"] == "check" and rec["snapshot_ids"] == used and rec["key_id"]
    assert rec["response"] == data and rec["request"]["body"]["items"][2] == "junk"
    assert set(rec["request"]["pins"]) == {"2021-07-01", "2025-04-01"}
    # an older snapshot imported later changes a fresh answer, not the replay
    add_snapshot(service.settings, "2021-06-01", [with_directives(e, ()) for e in sovereign])
    fresh = service.check(items[:1]).json()["decisions"][0]
    assert fresh["snapshots"][0]["published"] == "2021-06-01"
    assert fresh["decision"] != "prohibited"
    replay = service.client.post(f"/screenings/{data['id']}/replay",
                                 headers=service.headers["read"]).json()
    assert replay["same"] is True, (replay["original"], replay["replayed"])
    assert replay["replayed"]["decisions"][0]["decision"] == "prohibited"


def count_builds(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, ...]]:
    built: list[tuple[int, ...]] = []
    original = IndexHolder.build

    def build(self: IndexHolder, snapshots: tuple[Any, ...]) -> Loaded:
        built.append(tuple(s.id for s in snapshots))
        return original(self, snapshots)

    monkeypatch.setattr(IndexHolder, "build", build)
    return built


def test_fuzzy_names_use_the_index_in_force(service: Service,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    built = count_builds(monkeypatch)
    typo = payment("t", "2025-04-01", "Ministry of Finance of the Russian Federaton")
    (decision,) = service.check([typo]).json()["decisions"]
    reason = next(x for x in decision["reasons"] if x.get("rule") == D4)
    assert reason["match"]["method"] == "name" and reason["entity"]["caption"] == MINFIN
    assert decision["decision"] in ("prohibited", "review")
    assert built == []  # the screener in force was used, not rebuilt
    views = service.state.views
    assert views.built == 1
    service.check([typo])
    assert views.built == 1 and built == []  # the list view is cached too
    past = service.check([{**typo, "date": "2021-07-01"}]).json()["decisions"][0]
    assert past["snapshots"][0]["published"] == "2021-04-15"
    assert len(built) == 1 and views.built == 2  # an index of that day's snapshots, once
    service.check([{**typo, "date": "2021-07-02"}])
    assert len(built) == 1 and views.built == 2


def test_view_cache_dropped_when_the_index_swaps(service: Service,
                                                 sovereign: list[Entity]) -> None:
    views = service.state.views
    item = payment("p", "2025-06-01", NWF)
    service.check([item])
    assert len(views) == 1
    newer = add_snapshot(service.settings, "2025-05-01", sovereign[:1])
    assert service.state.holder.refresh() is True
    (decision,) = service.check([item]).json()["decisions"]
    assert [s["id"] for s in decision["snapshots"]] == [newer]
    assert len(views) == 1 and views.built == 2


def test_view_cache_is_bounded(service: Service) -> None:
    views = ListViews(service.state.store, service.state.holder, size=2)
    ids = [s.id for s in service.state.store.snapshots()]
    for snapshot_id in ids:
        views.view(Pin((snapshot_id,)))
    assert len(views) == 2 and views.built == len(ids)
    views.view(Pin((ids[-1],)))
    assert views.built == len(ids)
    views.view(Pin((ids[0],)))
    assert views.built == len(ids) + 1


def test_pin_round_trip() -> None:
    pin = Pin((3, 1), (("uk-ofsi", date(2022, 1, 5)),))
    assert Pin.from_dict(pin.as_dict()) == Pin((1, 3), pin.not_in_force)


@pytest.fixture
def service_on(store_url: str, sovereign: list[Entity],
               settings_maker: Callable[..., Settings], tmp_path: Path,
               token_maker: Callable[[Settings], dict[str, str]],
               config_factory: Callable[..., ServiceConfig],
               ready_waiter: Callable[..., None]) -> Iterator[Service]:
    """The service on SQLite, then on PostgreSQL, with one consolidated-list snapshot."""
    settings = settings_maker(tmp_path / "svc", store_url)
    add_snapshot(settings, "2022-02-28", [with_directives(e, ("Directive 1A", "Directive 4"))
                                          for e in sovereign])
    tokens = token_maker(settings)
    app = create_app(settings, config_factory(settings.home, refresh_interval=0.0))
    with TestClient(app, raise_server_exceptions=False) as client:
        ready_waiter(client.get)
        yield Service(client, {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()},
                      settings)


def test_replay_pins_the_history_the_stale_check_read(service_on: Service,
                                                      sovereign: list[Entity]) -> None:
    """The consolidated list (usual cadence 90 days) in force on 2023-06-01 is of 2022-02-28
    and no later one is held: ``review``. A newer snapshot imported afterwards shows no
    change for the party (a fresh check is ``allowed``); the replay reads the history
    recorded with the check and gives the same ``review``."""
    item = payment("clean", "2023-06-01", "Acme Trading GmbH")
    data = service_on.check([item]).json()
    (first,) = data["decisions"]
    assert first["decision"] == "review", first["reasons"]
    assert any("no later snapshot is held" in r["message"] for r in first["reasons"])
    record = service_on.client.get(f"/screenings/{data['id']}",
                                   headers=service_on.headers["read"]).json()
    assert len(record["request"]["pins"]["2023-06-01"]["held"]) == 1
    add_snapshot(service_on.settings, "2023-07-01",
                 [with_directives(e, ("Directive 1A", "Directive 4")) for e in sovereign])
    (fresh,) = service_on.check([item]).json()["decisions"]
    assert fresh["decision"] == "allowed", fresh["reasons"]
    assert any("shows no change" in r["message"] for r in fresh["reasons"])
    replay = service_on.client.post(f"/screenings/{data['id']}/replay",
                                    headers=service_on.headers["read"]).json()
    assert replay["same"] is True, (replay["original"], replay["replayed"])
    assert replay["replayed"]["decisions"][0]["decision"] == "review"


def test_pin_round_trip_and_old_records() -> None:
    pin = Pin((3, 1), (("un", date(2021, 1, 5)),), (1, 2, 3))
    assert Pin.from_dict(pin.as_dict()) == Pin((1, 3), (("un", date(2021, 1, 5)),), (1, 2, 3))
    # a record written before the history was pinned: the store's current snapshots
    assert Pin.from_dict({"snapshots": [2], "not_in_force": {}}).held is None
