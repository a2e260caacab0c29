"""The General License 9 series under EO 14024 (dealings in debt or equity), from its own text:
GL 9/9A (interest, dividend and maturity payments on the banks' debt or equity issued before 24
February 2022, to 25 May 2022), GL 9A-9C for the Directive 4 entities (issued before 1 March
2022, to 25 May 2022) and the entity-specific extensions of GL 9B/9C (to 30 June / 1 July 2022),
whose entities and dates are not settled here: a review that names the licence, never allowed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from embargo.errors import ConfigError
from embargo.model.entity import Entity
from embargo.rules.definitions import parse_licence

from .conftest import SBER, VTB
from .test_measures import CBR, MINFIN, bond, item, party, view_entities  # noqa: F401
from .test_measures_oil_and_territories import decide, deciders

SERIES = "ofac-russia-gl-9-series"
DIVEST = "ofac-russia-gl-9a-divestment"
SOVEREIGN_PAYMENTS = "ofac-russia-gl-9a-9c-directive-4-payments"
EXTENSIONS = "ofac-russia-gl-9b-9c-extensions"
SBER_NAME = "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"
ALFA_NAME = "JOINT STOCK COMPANY ALFA-BANK"


def alfa_bank(real: dict[str, Entity]) -> Entity:
    """An SDN entry of EO 14024 only, named as the SDN list names Alfa-Bank (VTB's 2022 entry,
    renamed, without its EO 13662 directive)."""
    vtb = real["2022:ofac-sdn:17013"]
    return replace(vtb, id="ofac-sdn:alfa", native_id="alfa", directives=(),
                   names=(replace(vtb.names[0], full=ALFA_NAME),))


def receipt(day: str, payer: str, issued: str | None, purpose: str | None = "interest",
            kind: str = "payment") -> dict[str, Any]:
    """A payment on a bank's bond received from the bank (the issuer pays)."""
    tx = item(day, kind, party(payer, "originator"))
    tx["instrument"] = {"kind": "bond", "issuer": {"name": payer}}
    if issued:
        tx["instrument"]["issue_date"] = issued
    if purpose:
        tx["purpose"] = purpose
    return tx


# (scenario, item, expected decision, the rule or licence that decides)
BANKS: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("GL 9 interest from Sberbank", receipt("2022-04-20", SBER_NAME, "2021-01-01"),
     "allowed_under_licence", SERIES),
    ("GL 9 ended 25 May: an extension may cover Sberbank",
     receipt("2022-06-01", SBER_NAME, "2021-01-01"), "review", EXTENSIONS),
    ("last day of the extensions", receipt("2022-06-30", SBER_NAME, "2020-05-01",
                                           purpose="maturity"), "review", EXTENSIONS),
    ("the extensions ended", receipt("2022-07-01", SBER_NAME, "2021-01-01"), "prohibited",
     "ofac-blocking"),
    ("issued after the blocking", receipt("2022-06-01", SBER_NAME, "2022-04-10"), "prohibited",
     "ofac-blocking"),
    ("issued between 24 Feb and the blocking: not GL 9, maybe 9B",
     receipt("2022-04-20", SBER_NAME, "2022-03-10"), "review", EXTENSIONS),
    ("issue date unknown", receipt("2022-06-01", SBER_NAME, None), "prohibited",
     "ofac-blocking"),
    ("no purpose the licences name", receipt("2022-06-01", SBER_NAME, "2021-01-01",
                                             purpose=None), "prohibited", "ofac-blocking"),
    ("divestment of Sberbank stock under GL 9A", receipt("2022-05-02", SBER_NAME, "2019-01-01",
                                                         "divestment", "sale"),
     "allowed_under_licence", DIVEST),
    ("divestment after GL 9A", receipt("2022-06-15", SBER_NAME, "2019-01-01", "divestment",
                                       "sale"), "review", EXTENSIONS),
    ("interest from Alfa-Bank after its blocking", receipt("2022-04-20", ALFA_NAME,
                                                           "2021-01-01"), "review", EXTENSIONS),
    ("VTB is not among the entities extended", receipt("2022-06-01", "VTB Bank Public Joint "
                                                       "Stock Company", "2021-01-01"),
     "prohibited", "ofac-blocking"),
]


@pytest.mark.parametrize(("scenario", "tx", "expected", "decider"), BANKS,
                         ids=[c[0] for c in BANKS])
def test_general_licence_9_series_for_blocked_banks(real: dict[str, Entity], scenario: str,
                                                    tx: dict[str, Any], expected: str,
                                                    decider: str | None) -> None:
    # the entries' directives are dropped: Sberbank's EO 14024 Directive 2 and EO 13662
    # Directive 1 are prohibitions of their own, which GL 9/9A do not lift for payments
    sber, vtb = (replace(real[key], directives=()) for key in (SBER, "2022:ofac-sdn:17013"))
    decision = decide([sber, alfa_bank(real), vtb], tx)
    assert decision["decision"] == expected, decision["reasons"]
    if decider is not None:
        assert decider in deciders(decision, expected), decision["reasons"]
    if expected == "review":
        found = [r for r in decision["reasons"] if r["outcome"] == "review"
                 and (r.get("licence") or {}).get("id") == EXTENSIONS]
        assert found  # the payer and the issuer: one reason each
        for reason in found:
            assert "may be lifted by" in reason["message"] and "not settled" in reason["message"]
            assert "9B" in reason["licence"]["citation"]
        assert VTB not in {(r.get("entity") or {}).get("id") for r in decision["reasons"]}


SOVEREIGN_CASES: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("GL 9A interest on a MinFin bond", receipt("2022-04-01", MINFIN, "2021-06-01"),
     "allowed_under_licence", SOVEREIGN_PAYMENTS),
    ("issued on 28 February 2022", receipt("2022-04-01", MINFIN, "2022-02-28", "coupon"),
     "allowed_under_licence", SOVEREIGN_PAYMENTS),
    ("issued on 1 March 2022", receipt("2022-04-01", MINFIN, "2022-03-01"), "prohibited",
     "ofac-eo14024-directive-4"),
    ("9C not renewed after 25 May 2022", receipt("2022-05-25", CBR, "2021-06-01", "maturity"),
     "prohibited", "ofac-eo14024-directive-4"),
    ("issue date unknown", receipt("2022-04-01", MINFIN, None), "prohibited",
     "ofac-eo14024-directive-4"),
    ("other purposes", receipt("2022-04-01", MINFIN, "2021-06-01", "investment"), "prohibited",
     "ofac-eo14024-directive-4"),
]


@pytest.mark.parametrize(("scenario", "tx", "expected", "decider"), SOVEREIGN_CASES,
                         ids=[c[0] for c in SOVEREIGN_CASES])
def test_general_licence_9a_9c_for_the_directive_4_entities(
        view_entities: list[Entity], scenario: str, tx: dict[str, Any],  # noqa: F811
        expected: str, decider: str | None) -> None:
    decision = decide(view_entities, tx)
    assert decision["decision"] == expected, decision["reasons"]
    if decider is not None:
        assert decider in deciders(decision, expected), decision["reasons"]


LICENCE = {"id": "x", "version": 1, "kind": "general_licence", "title": "t", "authority": "a",
           "citation": "c", "scope": {"rules": ["ofac-blocking"]}}


@pytest.mark.parametrize(("extra", "error"), [
    ({"effect": "review"}, "says why in 'doubt'"),
    ({"doubt": "unclear"}, "says why in 'doubt'"),
    ({"effect": "maybe", "doubt": "unclear"}, "must be one of"),
])
def test_a_licence_in_doubt_says_why(extra: dict[str, str], error: str) -> None:
    with pytest.raises(ConfigError, match=error):
        parse_licence(LICENCE | extra, "x.toml")


def test_a_licence_in_doubt_loads() -> None:
    licence = parse_licence(LICENCE | {"effect": "review", "doubt": "unclear"}, "x.toml")
    assert not licence.certain and licence.doubt == "unclear"
    assert parse_licence(LICENCE, "x.toml").certain
