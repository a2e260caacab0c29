"""The 2022-2025 measures, each tested from its own text: directives, import, investment and
services bans, general licences; EU and UK measures. One table row per scenario:
(what the measure says, the item, the decision expected, the rule or licence that decides).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from embargo.model.entity import Directive, Entity
from embargo.rules.engine import Context, Engine
from embargo.rules.resolve import ListView
from embargo.rules.transaction import parse_transaction

from .conftest import SOVEREIGN, TODAY, with_directives

MINFIN, CBR = SOVEREIGN[1], SOVEREIGN[0]
VEB = "STATE CORPORATION BANK FOR DEVELOPMENT AND FOREIGN ECONOMIC AFFAIRS VNESHECONOMBANK"


@pytest.fixture(scope="module")
def view_entities(sovereign: list[Entity], sdn_2022: list[Entity],
                  real: dict[str, Entity]) -> list[Entity]:
    """MinFin/CBR/NWF with Directive 4, VEB (SDN), Sberbank (non-SDN: EO 14024 Directives 2 and
    3, EO 13662 Directive 1), VTB (non-SDN: EO 13662 Directive 1)."""
    d3_only = replace(real["ofac-cons:17018"], id="ofac-cons:d3", native_id="d3",
                      names=real["ofac-cons:17018"].names[:1],
                      directives=(Directive("EO 14024", "Directive 3"),))
    d3_only = replace(d3_only, names=(replace(d3_only.names[0], full="D3 TEST ENTERPRISE"),))
    energy = replace(d3_only, id="ofac-cons:ssi2", names=(replace(d3_only.names[0],
                                                                  full="SSI ENERGY TEST"),),
                     directives=(Directive("EO 13662", "Directive 2"),))
    defence = replace(energy, id="ofac-cons:ssi3", names=(replace(d3_only.names[0],
                                                                  full="SSI DEFENSE TEST"),),
                      directives=(Directive("EO 13662", "Directive 3"),))
    return [*(with_directives(e, "Directive 1A", "Directive 4") for e in sovereign),
            *(e for e in sdn_2022 if e.caption == VEB), real["ofac-cons:17018"],
            real["ofac-cons:17013"], d3_only, energy, defence]


def item(day: str, kind: str, *parties: dict[str, Any], bank: str = "us",
         **extra: Any) -> dict[str, Any]:
    return {"id": "m", "date": day, "kind": kind, "parties": list(parties),
            "institution": {"jurisdiction": bank}, **extra}


def bond(issuer: str, issued: str, matures: str | None = None, kind: str = "bond") -> dict:
    out = {"kind": kind, "issue_date": issued, "issuer": {"name": issuer}}
    if matures:
        out["maturity_date"] = matures
    return out


def party(name: str, role: str = "beneficiary", **extra: Any) -> dict[str, Any]:
    return {"role": role, "name": name, **extra}


def goods(hs: str, origin: str) -> dict[str, str]:
    return {"hs_code": hs, "origin": origin}


NOBODY = party("Harmless Trading GmbH", address="Hauptstr. 1, Berlin, Germany")
SBER = "Sberbank of Russia"
VTB = "VTB Bank"
D3 = "D3 Test Enterprise"

# (scenario, item, expected decision, rule or licence id that decides, or None)
CASES: list[tuple[str, dict[str, Any], str, str | None]] = [
    # Directive 2 (EO 14024): correspondent accounts and processing, from 26 March 2022
    ("D2 before effective date", item("2022-03-25", "payment", party(SBER)), "allowed", None),
    ("D2 processing a payment", item("2022-03-26", "payment", party(SBER)), "prohibited",
     "ofac-eo14024-directive-2"),
    ("D2 binds US institutions only", item("2022-03-26", "payment", party(SBER), bank="de"),
     "allowed", None),
    # Directive 3 (EO 14024): new debt > 14 days and new equity issued on/after 26 March 2022
    ("D3 debt of 20 days", item("2022-04-10", "purchase", market="primary",
                                instrument=bond(D3, "2022-03-26", "2022-04-15")),
     "prohibited", "ofac-eo14024-directive-3-debt"),
    ("D3 debt of 10 days", item("2022-04-10", "purchase", market="primary",
                                instrument=bond(D3, "2022-03-26", "2022-04-05")), "allowed", None),
    ("D3 debt issued before", item("2022-04-10", "purchase", market="secondary",
                                   instrument=bond(D3, "2022-03-25", "2023-03-25")),
     "allowed", None),
    ("D3 maturity unknown", item("2022-04-10", "purchase", market="primary",
                                 instrument=bond(D3, "2022-04-01")), "review", None),
    ("D3 new equity", item("2022-04-10", "purchase", market="primary",
                           instrument=bond(D3, "2022-04-01", kind="equity")),
     "prohibited", "ofac-eo14024-directive-3-equity"),
    ("D3 old equity", item("2022-04-10", "purchase", market="secondary",
                           instrument=bond(D3, "2021-01-01", kind="equity")), "allowed", None),
    ("D3 loan of 30 days", item("2022-05-01", "loan", party(D3, "borrower"),
                                instrument={"kind": "loan", "maturity_days": 30}),
     "prohibited", "ofac-eo14024-directive-3-debt"),
    ("D3 loan of 7 days", item("2022-05-01", "loan", party(D3, "borrower"),
                               instrument={"kind": "loan", "maturity_days": 7}), "allowed", None),
    # EO 13662 Directive 1: 90 days (Jul-Sep 2014), 30 days (to Nov 2017), 14 days after
    ("SSI D1 2018 debt of 20 days", item("2018-01-05", "purchase", market="secondary",
                                         instrument=bond(VTB, "2018-01-01", "2018-01-21")),
     "prohibited", "ofac-eo13662-directive-1-debt-14"),
    ("SSI D1 2016 debt of 20 days", item("2016-01-05", "purchase", market="secondary",
                                         instrument=bond(VTB, "2016-01-01", "2016-01-21")),
     "allowed", None),
    ("SSI D1 2016 debt of 40 days", item("2016-01-05", "purchase", market="secondary",
                                         instrument=bond(VTB, "2016-01-01", "2016-02-10")),
     "prohibited", "ofac-eo13662-directive-1-debt-30"),
    ("SSI D1 Aug 2014 debt of 60 days", item("2014-08-05", "purchase", market="primary",
                                             instrument=bond(VTB, "2014-08-01", "2014-09-30")),
     "allowed", None),
    ("SSI D1 Aug 2014 debt of 100 days", item("2014-08-05", "purchase", market="primary",
                                              instrument=bond(VTB, "2014-08-01", "2014-11-09")),
     "prohibited", "ofac-eo13662-directive-1-debt-90"),
    ("SSI D1 new equity", item("2015-01-05", "purchase", market="primary",
                               instrument=bond(VTB, "2015-01-01", kind="equity")),
     "prohibited", "ofac-eo13662-directive-1-equity"),
    ("SSI D1 payment is not debt", item("2016-01-05", "payment", party(VTB)), "allowed", None),
    # EO 13662 Directive 2 (energy: 90 days, then 60 from 28 Nov 2017) and 3 (defence: 30 days)
    ("SSI D2 2016 debt of 100 days", item("2016-01-05", "purchase", market="primary",
                                          instrument=bond("SSI Energy Test", "2016-01-01",
                                                          "2016-04-10")),
     "prohibited", "ofac-eo13662-directive-2-debt-90"),
    ("SSI D2 2016 debt of 70 days", item("2016-01-05", "purchase", market="primary",
                                         instrument=bond("SSI Energy Test", "2016-01-01",
                                                         "2016-03-11")), "allowed", None),
    ("SSI D2 2018 debt of 70 days", item("2018-01-05", "purchase", market="primary",
                                         instrument=bond("SSI Energy Test", "2018-01-01",
                                                         "2018-03-12")),
     "prohibited", "ofac-eo13662-directive-2-debt-60"),
    ("SSI D3 debt of 40 days", item("2015-01-05", "loan", party("SSI Defense Test", "borrower"),
                                    instrument={"maturity_days": 40}),
     "prohibited", "ofac-eo13662-directive-3-debt-30"),
    # EO 14066 and 14068: import bans by origin and HS code; GL 16 wind-down
    ("EO 14066 crude oil", item("2022-03-09", "import", NOBODY, goods=[goods("2709.00", "RU")]),
     "prohibited", "ofac-eo14066-imports"),
    ("EO 14066 before the order", item("2022-03-07", "import", NOBODY,
                                       goods=[goods("2709", "Russia")]), "allowed", None),
    ("EO 14066 Norwegian crude", item("2022-03-09", "import", NOBODY,
                                      goods=[goods("2709", "NO")]), "allowed", None),
    ("GL 16 wind down", item("2022-04-01", "import", NOBODY, purpose="wind_down",
                             goods=[goods("2710", "RU")]),
     "allowed_under_licence", "ofac-eo14066-gl-16"),
    ("GL 16 expired", item("2022-04-22", "import", NOBODY, purpose="wind_down",
                           goods=[goods("2710", "RU")]), "prohibited", "ofac-eo14066-imports"),
    ("EO 14068 seafood", item("2022-03-12", "import", NOBODY, goods=[goods("030389", "RU")]),
     "prohibited", "ofac-eo14068-imports"),
    ("EO 14068 vodka", item("2022-03-12", "import", NOBODY, goods=[goods("2208.60", "RU")]),
     "prohibited", "ofac-eo14068-imports"),
    ("EO 14068 industrial diamonds", item("2022-03-12", "import", NOBODY,
                                          goods=[goods("7102.21", "RU")]), "allowed", None),
    ("EO 14068 gem diamonds", item("2022-03-12", "import", NOBODY,
                                   goods=[goods("7102.39", "RU")]),
     "prohibited", "ofac-eo14068-imports"),
    ("EO 14068 gold before determination", item("2022-06-27", "import", NOBODY,
                                                goods=[goods("7108.12", "RU")]), "allowed", None),
    ("EO 14068 gold", item("2022-06-28", "import", NOBODY, goods=[goods("7108.12", "RU")]),
     "prohibited", "ofac-eo14068-gold"),
    ("goods without HS code", item("2022-06-28", "import", NOBODY, goods=[{"origin": "RU"}]),
     "review", None),
    # EO 14071: new investment and services to persons located in Russia
    ("EO 14071 new investment", item("2022-04-06", "investment",
                                     party("OOO Example", country="RU")),
     "prohibited", "ofac-eo14071-new-investment"),
    ("EO 14066 energy investment (sector unknown)",
     item("2022-04-05", "investment", party("OOO Example", country="RU")), "review",
     "ofac-eo14066-energy-investment"),
    ("investment before EO 14066", item("2022-03-07", "investment",
                                        party("OOO Example", country="RU")), "allowed", None),
    ("EO 14071 accounting services", item("2022-06-08", "service", party(
        "OOO Example", address="ул. Тверская 1, Москва"), services=["accounting"]),
     "prohibited", "ofac-eo14071-services-2022"),
    ("EO 14071 before the services ban", item("2022-06-07", "service", party(
        "OOO Example", address="Moscow, Russia"), services=["accounting"]), "allowed", None),
    ("EO 14071 legal services not banned", item("2022-06-08", "service", party(
        "OOO Example", address="Moscow, Russia"), services=["legal"]), "allowed", None),
    ("EO 14071 architecture services", item("2023-07-19", "service", party(
        "OOO Example", country="RU"), services=["architecture"]),
     "prohibited", "ofac-eo14071-services-2023"),
    ("EO 14071 IT consultancy", item("2024-09-12", "service", party(
        "OOO Example", country="RU"), services=["it_consultancy"]),
     "prohibited", "ofac-eo14071-services-2024"),
    ("EO 14071 IT consultancy early", item("2024-09-11", "service", party(
        "OOO Example", country="RU"), services=["it_consultancy"]), "allowed", None),
    ("Moscow, Idaho is not Russia", item("2022-06-08", "service", party(
        "Palouse Accounting", address="Main St, Moscow, ID 83843"), services=["accounting"]),
     "allowed", None),
    # US general licences
    ("GL 8 energy with MinFin", item("2022-04-01", "payment", party(MINFIN), purpose="energy"),
     "allowed_under_licence", "ofac-russia-gl-8-series"),
    ("GL 8 does not cover other purposes", item("2022-04-01", "payment", party(MINFIN),
                                               purpose="investment"), "prohibited", None),
    ("GL 13C onwards", item("2023-01-15", "payment", party(MINFIN), purpose="tax"),
     "allowed_under_licence", "ofac-russia-gl-13-renewals"),
    ("GL 9 interest from VEB", item("2022-04-01", "payment", party(VEB, "originator"),
                                    purpose="interest", instrument=bond(VEB, "2021-03-01")),
     "allowed_under_licence", "ofac-russia-gl-9-series"),
    ("GL 9 only for debt issued before 24 February 2022",
     item("2022-04-01", "payment", party(VEB, "originator"), purpose="interest"),
     "prohibited", "ofac-blocking"),
    ("GL 9 expired", item("2022-05-25", "payment", party(VEB, "originator"),
                          purpose="interest"), "prohibited", "ofac-blocking"),
    ("GL 6 medicine to VEB", item("2022-06-01", "payment", party(VEB), purpose="medicine"),
     "allowed_under_licence", "ofac-russia-gl-6-series"),
    ("GL 17 DNR wind down", item("2022-03-01", "payment", party(
        "X", address="Донецьк, вул. Артема 1"), purpose="wind_down"),
     "allowed_under_licence", "ofac-eo14065-gl-17"),
    ("GL 17 expired", item("2022-03-23", "payment", party(
        "X", address="Донецьк, вул. Артема 1"), purpose="wind_down"),
     "prohibited", "ofac-dnr-lnr-eo14065"),
    ("GL 18 medicine to LNR", item("2023-01-10", "export", party(
        "X", address="Luhansk, Ukraine"), purpose="medicine"),
     "allowed_under_licence", "ofac-eo14065-gl-18"),
    ("GL 19 telecommunications", item("2023-01-10", "payment", party(
        "X", address="Luhansk, Ukraine"), purpose="telecommunications"),
     "allowed_under_licence", "ofac-eo14065-gl-19"),
    ("GL 20 international organizations", item("2023-01-10", "payment", party(
        "X", address="Luhansk, Ukraine"), purpose="international_organization"),
     "allowed_under_licence", "ofac-eo14065-gl-20"),
    ("Crimea embargo (EO 13685)", item("2023-01-10", "investment", party(
        "X", address="Kerch, Crimea")), "prohibited", "ofac-crimea-eo13685"),
    ("North Korea embargo", item("2023-01-10", "payment", party(
        "X", address="Pyongyang, DPRK")), "prohibited", "ofac-north-korea-embargo"),
    ("Syria embargo before GL 25", item("2025-05-22", "payment", party(
        "X", address="Damascus, Syria")), "prohibited", "ofac-syria-embargo"),
    ("Syria GL 25", item("2025-06-01", "payment", party("X", address="Damascus, Syria")),
     "allowed_under_licence", "ofac-syria-gl-25"),
    ("Cuba family remittance", item("2023-01-10", "transfer", party(
        "Maria Perez", address="Calle 23, La Habana, Cuba"), purpose="family_remittance"),
     "allowed_under_licence", "ofac-cuba-515-570-family-remittances"),
    ("Cuba payment without purpose", item("2023-01-10", "transfer", party(
        "Maria Perez", address="Calle 23, La Habana, Cuba")), "prohibited", "ofac-cuba-embargo"),
    ("Iran medicine export", item("2023-01-10", "export", party(
        "Darou Pakhsh", address="Tehran, Iran"), purpose="medicine"),
     "allowed_under_licence", "ofac-iran-560-530-agri-medical"),
    ("Iran other export", item("2023-01-10", "export", party(
        "Darou Pakhsh", address="Tehran, Iran")), "prohibited", "ofac-iran-embargo"),
    # EU Regulation 833/2014
    ("EU 5a(4) CBR", item("2022-02-28", "payment", party(CBR), bank="de"),
     "prohibited", "eu-833-2014-art5a4-cbr"),
    ("EU 5a(4) Bank of Russia by another name", item("2022-03-02", "fx", party("Bank of Russia"),
                                                     bank="fr"),
     "prohibited", "eu-833-2014-art5a4-cbr"),
    ("EU 5a(4) before", item("2022-02-27", "payment", party(CBR), bank="de"), "allowed", None),
    ("EU 5a(1) sovereign bond after 9 March", item(
        "2022-03-15", "purchase", market="secondary", bank="de",
        instrument=bond(MINFIN, "2022-03-10")),
     "prohibited", "eu-833-2014-art5a1-sovereign-securities"),
    ("EU 5a(1) sovereign bond issued 9 March", item(
        "2022-03-15", "purchase", market="secondary", bank="de",
        instrument=bond(MINFIN, "2022-03-09")), "allowed", None),
    ("EU 5a(2) loan to MinFin", item("2022-02-24", "loan", party(MINFIN, "borrower"), bank="it"),
     "prohibited", "eu-833-2014-art5a2-sovereign-loans"),
    ("EU 5a(2) loan before", item("2022-02-22", "loan", party(MINFIN, "borrower"), bank="it"),
     "allowed", None),
    ("EU 5 Annex III bond of 60 days, 2016", item(
        "2016-03-01", "purchase", market="secondary", bank="de",
        instrument=bond(SBER, "2016-01-01", "2016-03-01")),
     "prohibited", "eu-833-2014-art5-securities-2014"),
    ("EU 5 Annex III bond of 20 days, 2016", item(
        "2016-01-10", "purchase", market="secondary", bank="de",
        instrument=bond(SBER, "2016-01-01", "2016-01-21")), "allowed", None),
    ("EU 5 any security after 12 April 2022", item(
        "2022-05-01", "purchase", market="secondary", bank="de",
        instrument=bond(SBER, "2022-04-13", "2022-04-23")),
     "prohibited", "eu-833-2014-art5-securities-2022"),
    ("EU 5(3) loan of 40 days, 2020", item("2020-01-10", "loan", party(VTB, "borrower"),
                                           bank="nl", instrument={"maturity_days": 40}),
     "prohibited", "eu-833-2014-art5-loans-2014"),
    ("EU 5(3) loan of 20 days, 2020", item("2020-01-10", "loan", party(VTB, "borrower"),
                                           bank="nl", instrument={"maturity_days": 20}),
     "allowed", None),
    ("EU 5(3) any loan from 26 Feb 2022", item("2022-03-01", "loan", party(VTB, "borrower"),
                                               bank="nl", instrument={"maturity_days": 7}),
     "prohibited", "eu-833-2014-art5-loans-2022"),
    # EU Regulations 692/2014, 2022/263, 2017/1509
    ("EU 692/2014 Crimean goods", item("2014-06-25", "import", NOBODY, bank="de",
                                       goods=[goods("0806", "Simferopol")]),
     "prohibited", "eu-692-2014-crimea-imports"),
    ("EU 692/2014 before", item("2014-06-24", "import", NOBODY, bank="de",
                                goods=[goods("0806", "Crimea")]), "allowed", None),
    ("EU 692/2014 investment", item("2015-01-10", "investment", party(
        "Yalta Resort LLC", address="Ялта, ул. Морская 1"), bank="at"),
     "prohibited", "eu-692-2014-crimea-investment"),
    ("EU 2022/263 Donetsk goods", item("2022-03-01", "import", NOBODY, bank="pl",
                                       goods=[goods("7208", "Makiivka")]),
     "prohibited", "eu-2022-263-imports"),
    ("EU 2022/263 investment in Makiivka", item("2022-03-01", "investment", party(
        "X", address="Makiivka"), bank="de"), "prohibited", "eu-2022-263-investment"),
    ("EU 2022/263 investment in Melitopol", item("2022-10-10", "investment", party(
        "X", address="Melitopol"), bank="de"),
     "prohibited", "eu-2022-263-kherson-zaporizhzhia-investment"),
    ("EU 2022/263 Melitopol goods", item("2022-10-06", "import", NOBODY, bank="pl",
                                         goods=[goods("1001", "Melitopol")]),
     "prohibited", "eu-2022-263-kherson-zaporizhzhia-imports"),
    ("EU 2022/263 Melitopol before", item("2022-10-05", "import", NOBODY, bank="pl",
                                          goods=[goods("1001", "Melitopol")]), "allowed", None),
    ("EU 2022/263 Zaporizhzhia is ambiguous", item("2022-10-06", "import", NOBODY, bank="pl",
                                                   goods=[goods("1001", "Zaporizhzhia")]),
     "review", None),
    ("EU 2017/1509 transfer to North Korea", item("2018-01-10", "transfer", party(
        "Korea Trading", address="Pyongyang, DPRK"), bank="de"),
     "prohibited", "eu-2017-1509-dprk-transfers"),
    # UK Russia Regulations 2019
    ("UK CBR from 1 March 2022", item("2022-03-01", "payment", party(CBR), bank="gb"),
     "prohibited", "uk-russia-cbr-nwf-minfin"),
    ("UK NWF", item("2022-03-01", "payment", party("National Wealth Fund"), bank="gb"),
     "prohibited", "uk-russia-cbr-nwf-minfin"),
    ("UK CBR before", item("2022-02-28", "payment", party(CBR), bank="gb"), "allowed", None),
    ("UK securities of a Russian issuer", item(
        "2022-03-10", "purchase", market="secondary", bank="gb",
        instrument={"kind": "bond", "issue_date": "2022-03-02",
                    "issuer": {"name": "PAO Example", "country": "RU"}}),
     "prohibited", "uk-russia-securities"),
    ("UK securities issued before", item(
        "2022-03-10", "purchase", market="secondary", bank="gb",
        instrument={"kind": "bond", "issue_date": "2022-02-01",
                    "issuer": {"name": "PAO Example", "country": "RU"}}), "allowed", None),
    ("UK loan to a Moscow company", item("2022-03-01", "loan", party(
        "OOO Example", "borrower", address="Moscow, Russia"), bank="gb"),
     "prohibited", "uk-russia-loans"),
    ("UK Crimean goods", item("2021-03-01", "import", NOBODY, bank="gb",
                              goods=[goods("2204", "Sevastopol")]),
     "prohibited", "uk-russia-crimea-imports"),
    ("UK Luhansk goods", item("2022-03-01", "import", NOBODY, bank="gb",
                              goods=[goods("2204", "Luhansk")]),
     "prohibited", "uk-russia-ngca-imports"),
]


@pytest.mark.parametrize(("scenario", "tx", "expected", "decider"), CASES,
                         ids=[c[0] for c in CASES])
def test_measure(view_entities: list[Entity], scenario: str, tx: dict[str, Any],
                 expected: str, decider: str | None) -> None:
    view = ListView([(e, None) for e in view_entities], date.fromisoformat(tx["date"]))
    if not tx["parties"] and "instrument" not in tx:
        tx["parties"] = [NOBODY]
    decision = Engine(today=TODAY).check(parse_transaction(tx, "m"), Context(view)).as_dict()
    assert decision["decision"] == expected, decision["reasons"]
    if decider is not None:
        deciding = [r for r in decision["reasons"] if r["outcome"] == expected]
        ids = {r.get("rule") for r in deciding} | {(r.get("licence") or {}).get("id")
                                                   for r in deciding}
        assert decider in ids, deciding


@pytest.mark.parametrize(("day", "purpose", "expected"), [
    ("2022-03-20", "wind_down", "allowed_under_licence"),
    ("2022-03-25", "wind_down", "allowed_under_licence"),
    ("2022-03-26", "wind_down", "prohibited"),  # GL 11 ran through 12:01 a.m. 26 March 2022
    ("2022-03-20", None, "prohibited"),
])
def test_general_licence_11_vtb_wind_down(real: dict[str, Entity], day: str,
                                          purpose: str | None, expected: str) -> None:
    view = ListView([(real["2022:ofac-sdn:17013"], None)], date.fromisoformat(day))
    tx = item(day, "payment", party("VTB Bank Public Joint Stock Company"))
    if purpose:
        tx["purpose"] = purpose
    decision = Engine(today=TODAY).check(parse_transaction(tx, "v"), Context(view)).as_dict()
    assert decision["decision"] == expected
    if expected == "allowed_under_licence":
        assert any((r.get("licence") or {}).get("id") == "ofac-russia-gl-11"
                   for r in decision["reasons"])


@pytest.mark.parametrize(("day", "expected"), [
    ("2022-02-23", "allowed_under_licence"),
    ("2022-03-01", "allowed_under_licence"),
    ("2022-03-02", "prohibited"),  # GL 4 ran through 12:01 a.m. EST 2 March 2022
])
def test_general_licence_4_nord_stream_wind_down(sdn_2022: list[Entity], day: str,
                                                 expected: str) -> None:
    ns2 = next(e for e in sdn_2022 if e.caption == "NORD STREAM 2 AG")
    view = ListView([(ns2, None)], date.fromisoformat(day))
    tx = item(day, "payment", party("Nord Stream 2 AG"), purpose="wind_down")
    decision = Engine(today=TODAY).check(parse_transaction(tx, "n"), Context(view)).as_dict()
    assert decision["decision"] == expected
    if expected == "allowed_under_licence":
        assert any((r.get("licence") or {}).get("id") == "ofac-eo14039-gl-4"
                   for r in decision["reasons"])
