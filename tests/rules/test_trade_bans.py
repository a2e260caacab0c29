"""The EU and UK export bans for Crimea and the non-government controlled areas of Ukraine
(EU Reg. 692/2014 Art. 2a and Reg. 2022/263, the UK Russia Regulations 2019): the goods lists
(annexes, schedules of infrastructure-related goods) are not encoded, so an export to a person
in the area is a review naming the measure, never allowed; imports stay with their own rules.
"""

from __future__ import annotations

from typing import Any

import pytest

from embargo.model.entity import Entity

from .test_measures import goods, item, party, view_entities  # noqa: F401
from .test_measures_oil_and_territories import decide, deciders

SIMFEROPOL = party("Krym Trade LLC", "consignee", address="ул. Киевская 1, Симферополь")
DONETSK = party("Donbass Supply LLC", "buyer", address="Донецьк, вул. Артема 1")
MELITOPOL = party("Melitopol Agro LLC", "buyer", address="Melitopol, Zaporizhzhia oblast")
BERLIN = party("Harmless Trading GmbH", "buyer", address="Hauptstr. 1, Berlin, Germany")


def export(day: str, buyer: dict[str, Any], bank: str, hs: str = "8517") -> dict[str, Any]:
    return item(day, "export", buyer, bank=bank, goods=[goods(hs, "DE")])


CASES: list[tuple[str, dict[str, Any], str, str | None]] = [
    ("EU export to Simferopol", export("2019-05-01", SIMFEROPOL, "de"), "review",
     "eu-692-2014-crimea-exports"),
    ("EU export to Crimea before Art. 2a", export("2014-12-19", SIMFEROPOL, "de"), "allowed",
     None),
    ("EU export to Berlin", export("2019-05-01", BERLIN, "de"), "allowed", None),
    ("EU export to Donetsk", export("2022-03-10", DONETSK, "fr"), "review",
     "eu-2022-263-exports"),
    ("EU export to Donetsk before Reg. 2022/263", export("2022-02-23", DONETSK, "fr"),
     "allowed", None),
    ("EU export to Melitopol", export("2022-11-01", MELITOPOL, "it"), "review",
     "eu-2022-263-kherson-zaporizhzhia-exports"),
    ("UK export to Simferopol", export("2021-06-01", SIMFEROPOL, "gb"), "review",
     "uk-russia-crimea-exports"),
    ("UK export to Donetsk", export("2022-03-01", DONETSK, "gb"), "review",
     "uk-russia-ngca-exports"),
    ("UK export to Melitopol", export("2023-06-20", MELITOPOL, "gb"), "review",
     "uk-russia-ngca-kherson-zaporizhzhia-exports"),
    ("UK export to Melitopol before SI 2023/665", export("2023-06-19", MELITOPOL, "gb"),
     "allowed", None),
    ("a Swiss bank is not bound", export("2022-03-10", DONETSK, "ch"), "allowed", None),
    ("a UK payment (no export) to Simferopol", item("2021-06-01", "payment", SIMFEROPOL,
                                                   bank="gb"), "allowed", None),
]


@pytest.mark.parametrize(("scenario", "tx", "expected", "decider"), CASES,
                         ids=[c[0] for c in CASES])
def test_export_bans_for_occupied_areas(view_entities: list[Entity],  # noqa: F811
                                        scenario: str, tx: dict[str, Any], expected: str,
                                        decider: str | None) -> None:
    decision = decide(view_entities, tx)
    assert decision["decision"] == expected, decision["reasons"]
    if decider is not None:
        assert decider in deciders(decision, expected), decision["reasons"]
        (reason,) = [r for r in decision["reasons"] if r.get("rule") == decider]
        assert reason["citation"] and reason["region"]
