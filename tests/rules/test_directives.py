"""Directives 1, 1A and 4 under EO 14024, driven by the consolidated list's directive data.

Scenarios from the directives' text and OFAC's FAQs on them: effective dates, primary vs
secondary market, bonds issued before/after the cut-offs, lending, non-U.S. institutions,
and no 50% rule for the directives.
"""

from __future__ import annotations

import pytest

from embargo.model.entity import Entity
from embargo.ownership.graph import Holding, OwnershipGraph
from embargo.rules.definitions import default_rulebook
from embargo.rules.engine import Engine

from .conftest import TODAY, Decide

MINFIN = "MINISTRY OF FINANCE OF THE RUSSIAN FEDERATION"
D1P = "ofac-eo14024-directive-1-primary"
D1L = "ofac-eo14024-directive-1-lending"
D1A = "ofac-eo14024-directive-1a-secondary"
D4 = "ofac-eo14024-directive-4"
ONLY_D1 = Engine(default_rulebook().only(D1P, D1L, D1A), today=TODAY)


def bond(day: str, market: str, issued: str | None, jurisdiction: str = "us",
         kind: str = "purchase", issuer: str = MINFIN) -> dict:
    instrument = {"kind": "bond", "issuer": {"name": issuer}, "currency": "RUB"}
    if issued:
        instrument["issue_date"] = issued
    return {"id": "t", "date": day, "kind": kind, "market": market, "instrument": instrument,
            "institution": {"jurisdiction": jurisdiction}}


def rules_with(decision: dict, outcome: str) -> set[str]:
    return {r["rule"] for r in decision["reasons"] if r["outcome"] == outcome and "rule" in r}


# (transaction, engine, expected decision, rule that decides or None)
DIRECTIVE_1 = [
    # Directive 1 takes effect on 14 June 2021, for bonds issued after that day
    (bond("2021-06-13", "primary", "2021-06-15"), "allowed", None),
    (bond("2021-06-14", "primary", "2021-06-15"), "prohibited", D1P),
    (bond("2021-07-01", "primary", "2021-06-14"), "allowed", None),  # not *after* 14 June
    (bond("2021-07-01", "primary", "2021-06-15"), "prohibited", D1P),
    # the secondary market stayed open under Directive 1
    (bond("2021-09-01", "secondary", "2021-07-01"), "allowed", None),
    # subscription is participation in the primary market too
    (bond("2021-09-01", "primary", "2021-09-01", kind="subscription"), "prohibited", D1P),
    # a non-U.S. financial institution is not bound by the directive
    (bond("2021-07-01", "primary", "2021-07-01", jurisdiction="de"), "allowed", None),
    # Directive 1A keeps the primary-market prohibition
    (bond("2022-02-25", "primary", "2022-02-24"), "prohibited", D1P),
    # Directive 1A's secondary-market prohibition starts on 1 March 2022 ...
    (bond("2022-02-25", "secondary", "2022-02-24"), "allowed", None),
    # ... for bonds issued after 1 March 2022 only
    (bond("2022-03-02", "secondary", "2022-03-02"), "prohibited", D1A),
    (bond("2022-03-02", "secondary", "2022-03-01"), "allowed", None),
    (bond("2022-03-02", "secondary", "2021-01-01"), "allowed", None),
]


@pytest.mark.parametrize(("item", "expected", "rule"), DIRECTIVE_1)
def test_directive_1_and_1a(decide: Decide, item: dict, expected: str, rule: str | None) -> None:
    decision = decide(item, ONLY_D1)
    assert decision["decision"] == expected, decision["reasons"]
    if rule:
        assert rule in rules_with(decision, "prohibited")


def test_reason_names_rule_citation_entry_and_snapshot(decide: Decide) -> None:
    decision = decide(bond("2021-07-01", "primary", "2021-07-01"))
    reason = next(r for r in decision["reasons"] if r.get("rule") == D1P)
    assert "Directive 1 under Executive Order 14024" in reason["citation"]
    assert reason["entity"]["caption"] == MINFIN
    assert reason["entity"]["directives"] == ["EO 14024 Directive 1"]
    assert reason["snapshot"] == {"id": reason["snapshot"]["id"], "source": "ofac-cons",
                                  "published": "2021-04-15"}


def test_lending_to_the_entity_is_prohibited_but_not_lending_by_it(decide: Decide) -> None:
    loan = {"id": "l", "date": "2021-08-01", "kind": "loan", "institution": {"jurisdiction": "us"},
            "parties": [{"role": "borrower", "name": "Central Bank of the Russian Federation"}]}
    assert decide(loan, ONLY_D1)["decision"] == "prohibited"
    loan["parties"][0]["role"] = "lender"
    assert decide(loan, ONLY_D1)["decision"] == "allowed"


def test_directive_4_prohibits_any_transaction_from_28_february_2022(decide: Decide) -> None:
    payment = {"id": "p", "kind": "payment", "institution": {"jurisdiction": "us"},
               "parties": [{"role": "beneficiary", "name": "National Wealth Fund of the "
                                                         "Russian Federation"}]}
    # the list in force on 2022-02-27 does not yet carry Directive 4 for the entity
    assert decide({**payment, "date": "2022-02-27"})["decision"] == "allowed"
    decision = decide({**payment, "date": "2025-04-01"})
    assert decision["decision"] == "prohibited"
    assert D4 in rules_with(decision, "prohibited")
    # an old bond bought on the secondary market involves the issuer too
    assert D4 in rules_with(decide(bond("2025-04-01", "secondary", "2020-01-01")), "prohibited")
    # Directive 4 binds U.S. persons only
    assert decide({**payment, "date": "2025-04-01",
                   "institution": {"jurisdiction": "ch"}})["decision"] == "allowed"


def test_no_fifty_percent_rule_for_the_directives(decide: Decide,
                                                   sovereign: list[Entity]) -> None:
    bank = next(e for e in sovereign if e.caption.startswith("CENTRAL BANK"))
    graph = OwnershipGraph([Holding(bank.id, "company:sberbank", 100.0)])
    item = {"id": "s", "date": "2025-04-01", "kind": "payment",
            "institution": {"jurisdiction": "us"},
            "parties": [{"role": "beneficiary", "name": "Subsidiary JSC",
                         "ids": ["company:sberbank"]}]}
    decision = decide(item, graph=graph)
    assert decision["decision"] == "allowed", decision["reasons"]


def test_missing_market_or_issue_date_is_review_not_allowed(decide: Decide) -> None:
    no_market = bond("2021-07-01", "primary", "2021-07-01")
    del no_market["market"]
    assert decide(no_market, ONLY_D1)["decision"] == "review"
    assert decide(bond("2021-07-01", "primary", None), ONLY_D1)["decision"] == "review"


def test_unknown_instrument_kind_is_review(decide: Decide) -> None:
    item = bond("2021-07-01", "primary", "2021-07-01")
    item["instrument"]["kind"] = "sukuk-ish"
    decision = decide(item, ONLY_D1)
    assert decision["decision"] == "review"
    assert any("unknown instrument kind" in r["message"] for r in decision["reasons"])


def test_before_any_snapshot_is_review(decide: Decide) -> None:
    decision = decide(bond("2020-01-01", "primary", "2020-01-01"))
    assert decision["decision"] == "review"
    assert any("no list snapshot" in r["message"] for r in decision["reasons"])
