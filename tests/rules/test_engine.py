"""The engine on SDN entries: blocking, the 50% rule, licences and waivers, regions, bad input."""

from __future__ import annotations

from datetime import date

import pytest

from embargo.model.entity import Entity
from embargo.ownership.graph import Holding, OwnershipGraph
from embargo.rules.engine import Context, Engine
from embargo.rules.resolve import ListView
from embargo.rules.transaction import parse_transaction
from embargo.store.store import Store

from .conftest import TODAY, Decide, add_snapshot

VEB = "STATE CORPORATION BANK FOR DEVELOPMENT AND FOREIGN ECONOMIC AFFAIRS VNESHECONOMBANK"


def pay(day: str, *parties: dict, purpose: str | None = None, jurisdiction: str = "us") -> dict:
    item = {"id": "p", "date": day, "kind": "payment", "parties": list(parties),
            "institution": {"jurisdiction": jurisdiction}}
    if purpose:
        item["purpose"] = purpose
    return item


def entity_id(entities: list[Entity], caption: str) -> str:
    return next(e.id for e in entities if e.caption == caption)


def test_sdn_is_blocked_with_entry_and_snapshot(decide: Decide) -> None:
    decision = decide(pay("2022-03-01", {"role": "beneficiary", "name": "Nord Stream 2 AG"}))
    assert decision["decision"] == "prohibited"
    reason = next(r for r in decision["reasons"] if r["outcome"] == "prohibited")
    assert reason["rule"] == "ofac-blocking"
    assert reason["entity"]["programmes"] == ["PEESA-EO14039"]
    assert reason["snapshot"]["published"] == "2022-02-24"


def test_sdn_by_identifier(decide: Decide) -> None:
    vessel = {"role": "carrier", "name": "MV Unknown", "ids": ["IMO 8674156"]}
    assert decide(pay("2022-03-01", vessel))["decision"] == "prohibited"


def test_fifty_percent_rule_two_blocked_owners_of_25(decide: Decide,
                                                      sdn_2022: list[Entity]) -> None:
    ns2, veb = entity_id(sdn_2022, "NORD STREAM 2 AG"), entity_id(sdn_2022, VEB)
    graph = OwnershipGraph([Holding(ns2, "reg:123", 25), Holding(veb, "reg:123", 25)])
    party = {"role": "beneficiary", "name": "Baltic Pipe Services GmbH", "ids": ["reg:123"]}
    decision = decide(pay("2022-05-01", party), graph=graph)
    assert decision["decision"] == "prohibited"
    reason = next(r for r in decision["reasons"] if r["outcome"] == "prohibited")
    assert sorted(reason["ownership"]) == sorted([f"{ns2} —25%→ reg:123", f"{veb} —25%→ reg:123"])
    assert "50%" in reason["message"]
    graph = OwnershipGraph([Holding(ns2, "reg:123", 25), Holding("someone", "reg:123", 25)])
    assert decide(pay("2022-05-01", party), graph=graph)["decision"] == "allowed"


def test_fifty_percent_rule_through_a_blocked_intermediary(decide: Decide,
                                                            sdn_2022: list[Entity]) -> None:
    veb = entity_id(sdn_2022, VEB)
    graph = OwnershipGraph([Holding(veb, "reg:mid", 50), Holding("reg:mid", "reg:leaf", 50)])
    party = {"role": "beneficiary", "name": "Leaf LLC", "ids": ["reg:leaf"]}
    decision = decide(pay("2022-05-01", party), graph=graph)
    assert decision["decision"] == "prohibited"
    paths = next(r for r in decision["reasons"] if r["outcome"] == "prohibited")["ownership"]
    assert paths == [f"{veb} —50%→ reg:mid —50%→ reg:leaf"]


def test_ownership_cycle_is_review(decide: Decide, sdn_2022: list[Entity]) -> None:
    veb = entity_id(sdn_2022, VEB)
    graph = OwnershipGraph([Holding(veb, "reg:a", 30), Holding("reg:a", "reg:b", 40),
                            Holding("reg:b", "reg:a", 40)])
    decision = decide(pay("2022-05-01", {"role": "payee", "name": "B", "ids": ["reg:b"]}),
                      graph=graph)
    assert decision["decision"] == "review"
    assert any("cycle" in r["message"] for r in decision["reasons"])


# general licence 3: wind-down with VEB until 23 March 2022 (expired 24 March)
@pytest.mark.parametrize(("day", "purpose", "expected"), [
    ("2022-03-01", "wind_down", "allowed_under_licence"),
    ("2022-03-23", "wind_down", "allowed_under_licence"),
    ("2022-03-24", "wind_down", "prohibited"),
    ("2022-03-01", None, "prohibited"),
    ("2022-03-01", "investment", "prohibited"),
])
def test_general_licence_3_wind_down(decide: Decide, day: str, purpose: str | None,
                                     expected: str) -> None:
    decision = decide(pay(day, {"role": "counterparty", "name": VEB}, purpose=purpose))
    assert decision["decision"] == expected
    if expected == "allowed_under_licence":
        licensed = [r for r in decision["reasons"] if r["outcome"] == expected]
        assert licensed[0]["licence"]["id"] == "ofac-russia-gl-3"


def test_general_licence_3_covers_entities_veb_owns(decide: Decide,
                                                    sdn_2022: list[Entity]) -> None:
    graph = OwnershipGraph([Holding(entity_id(sdn_2022, VEB), "reg:sub", 100)])
    party = {"role": "counterparty", "name": "VEB Sub LLC", "ids": ["reg:sub"]}
    assert decide(pay("2022-03-10", party, purpose="wind_down"),
                  graph=graph)["decision"] == "allowed_under_licence"


@pytest.mark.parametrize(("day", "purpose", "expected"), [
    ("2022-03-01", "tax", "prohibited"),  # Directive 4 in force, GL 13 not yet issued
    ("2022-04-01", "tax", "allowed_under_licence"),
    ("2022-04-01", "permit", "allowed_under_licence"),
    ("2022-04-01", "investment", "prohibited"),
    ("2022-12-07", "tax", "allowed_under_licence"),  # 13C onwards (issue 16)
    ("2025-07-10", "tax", "prohibited"),  # after the renewals encoded
])
def test_general_licence_13_directive_4_taxes(decide: Decide, day: str, purpose: str,
                                              expected: str) -> None:
    minfin = {"role": "beneficiary", "name": "Ministry of Finance of the Russian Federation"}
    assert decide(pay(day, minfin, purpose=purpose))["decision"] == expected


# the PEESA waiver: a list that identified Nord Stream 2 AG under PEESA in May 2021
@pytest.mark.parametrize(("day", "expected"), [
    ("2021-05-20", "prohibited"),  # identified, waiver not yet granted
    ("2021-07-01", "allowed_under_licence"),
    ("2022-02-22", "allowed_under_licence"),
    ("2022-02-23", "prohibited"),  # waiver terminated
])
def test_peesa_waiver_period(store: Store, sdn_2022: list[Entity], day: str,
                             expected: str) -> None:
    ns2 = next(e for e in sdn_2022 if e.caption == "NORD STREAM 2 AG")
    fortuna = next(e for e in sdn_2022 if e.caption == "FORTUNA")
    add_snapshot(store, "ofac-sdn", "2021-05-01", [ns2, fortuna])
    view = ListView([(e, None) for e in (ns2, fortuna)], date.fromisoformat(day))
    engine = Engine(today=TODAY)
    tx = parse_transaction(pay(day, {"role": "payee", "name": "Nord Stream 2 AG"}), "w")
    assert engine.check(tx, Context(view)).decision == expected
    tx = parse_transaction(pay(day, {"role": "carrier", "name": "FORTUNA"}), "f")
    assert engine.check(tx, Context(view)).decision == "prohibited"  # the ships stay sanctioned


@pytest.mark.parametrize(("day", "address", "country", "expected"), [
    ("2022-03-01", "ул. Ленина 1, Симферополь", None, "prohibited"),
    ("2014-12-18", "ул. Ленина 1, Симферополь", None, "allowed"),  # before EO 13685
    ("2022-02-20", "Донецьк, вул. Артема 1", None, "allowed"),  # before EO 14065
    ("2022-02-21", "Донецьк, вул. Артема 1", None, "prohibited"),
    ("2022-03-01", "Pervomaisk", None, "review"),
    ("2022-03-01", "Calle 23", "Cuba", "prohibited"),
    ("2025-05-22", "Damascus", None, "prohibited"),
    ("2025-06-30", "Damascus", None, "allowed_under_licence"),  # Syria GL 25 (23 May 2025)
    ("2025-07-01", "Damascus", None, "allowed"),  # EO 14312 ended the Syria programme
    ("2022-03-01", "Berlin", "Germany", "allowed"),
])
def test_regional_embargoes(sdn_2022: list[Entity], day: str, address: str,
                            country: str | None, expected: str) -> None:
    party = {"role": "beneficiary", "name": "Ivan Ivanenko Trading", "address": address}
    if country:
        party["country"] = country
    tx = parse_transaction(pay(day, party), "r")
    view = ListView([(e, None) for e in sdn_2022], date.fromisoformat(day))
    assert Engine(today=TODAY).check(tx, Context(view)).decision == expected


def test_regional_embargo_does_not_bind_a_non_us_bank(decide: Decide) -> None:
    party = {"role": "beneficiary", "name": "X", "address": "Sevastopol"}
    decision = decide(pay("2022-03-01", party, jurisdiction="fr"))
    assert decision["decision"] == "allowed"
    assert any("does not apply" in r["message"] for r in decision["reasons"])


@pytest.mark.parametrize(("change", "why"), [
    ({"date": None}, "transaction date missing"),
    ({"kind": "barter"}, "unknown transaction kind"),
    ({"date": "2026-07-01"}, "in the future"),
    ({"institution": None}, "jurisdiction missing"),
    ({"market": "grey"}, "unknown market"),
])
def test_bad_input_is_review_with_the_reason(decide: Decide, change: dict, why: str) -> None:
    item = {**pay("2022-03-01", {"role": "payee", "name": "Harmless Bakery Ltd"}), **change}
    decision = decide({k: v for k, v in item.items() if v is not None})
    assert decision["decision"] == "review"
    assert any(why in r["message"] for r in decision["reasons"]), decision["reasons"]


def test_unknown_programme_tag_is_review(store: Store, sdn_2022: list[Entity]) -> None:
    from dataclasses import replace

    from embargo.model.entity import Program
    odd = replace(sdn_2022[0], programs=(Program("NEW-EO99999", "NEW-EO99999"),))
    tx = parse_transaction(pay("2022-03-01", {"role": "payee", "ids": [odd.id]}), "u")
    decision = Engine(today=TODAY).check(tx, Context(ListView([(odd, None)])))
    assert decision.decision == "review"
    assert any("NEW-EO99999" in r.message for r in decision.reasons)
