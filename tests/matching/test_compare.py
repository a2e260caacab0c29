from __future__ import annotations

import json

import pytest

from embargo.matching import DEFAULT_THRESHOLD, compare, prepare
from embargo.model.entity import Entity, FuzzyDate, Identifier, IdKind, Name, Schema


def entity(*names: str, schema: Schema = Schema.PERSON, **kw: object) -> Entity:
    return Entity(id="x", source="query", native_id="x", schema=schema,
                  names=tuple(Name(full=n) for n in names), **kw)  # type: ignore[arg-type]


MATCHES = [
    ("Vladimir Putin", "Владимир Путин", Schema.PERSON),
    ("PUTIN, Vladimir Vladimirovich", "Vladimir Putin", Schema.PERSON),
    ("Vladimir Vladimirovitch Poutine", "Vladimir Vladimirovich Putin", Schema.PERSON),
    ("OOO Neobit", "ООО «Необит»", Schema.COMPANY),
    ("Neobit LLC", "ООО «Необит»", Schema.COMPANY),
    ("OOO Neobit", "Neobit LLC", Schema.COMPANY),
    ("Mohamed Ali", "محمد علي", Schema.PERSON),
    ("SHWE NADI 5", "ရွှေနဒီ ၅", Schema.VESSEL),
    ("M/T Ardrevan Pearl", "MT Ardrevan Pearl", Schema.VESSEL),
    ("Hein Myat Trading Co., Ltd.", "ဟိန်းမြတ် ကုန်သွယ်ရေး ကုမ္ပဏီလီမိတက်", Schema.COMPANY),
    ("Ets Diallo", "EtsDiallo", Schema.COMPANY),
]
NON_MATCHES = [
    ("George Bush", "George Habbash", Schema.PERSON),
    ("Bank 1", "Bank 2", Schema.COMPANY),
    ("SHWE NADI 15", "ရွှေနဒီ ၅", Schema.VESSEL),
    ("Kilifi Coastal Traders Ltd", "Kilifi Coastal Transporters Ltd", Schema.COMPANY),
    ("Wieczorek Machine Works Inc.", "Wieczorek Machine Works GmbH", Schema.COMPANY),
    ("MV Apapa Falcon (ex Warri Osprey, 2020)", "MV Onne Pelican (ex Warri Osprey, 2006)",
     Schema.VESSEL),
    ("Castellan Agro Exports Pvt. Ltd.", "Castellan Agro Imports Pvt. Ltd.", Schema.COMPANY),
]


@pytest.mark.parametrize(("a", "b", "schema"), MATCHES)
def test_matches(a: str, b: str, schema: Schema) -> None:
    assert compare(entity(a, schema=schema), entity(b, schema=schema)).match


@pytest.mark.parametrize(("a", "b", "schema"), NON_MATCHES)
def test_non_matches(a: str, b: str, schema: Schema) -> None:
    assert not compare(entity(a, schema=schema), entity(b, schema=schema)).match


def test_former_name_matches_current() -> None:
    a = entity("Bahía Serena (ex Serene Bay)", schema=Schema.VESSEL)
    assert compare(a, entity("MV Serene Bay", schema=Schema.VESSEL)).match


def test_score_bounds_and_explanation() -> None:
    m = compare(entity("Vladimir Putin"), prepare(entity("Putin, Vladimir")))
    assert 0.0 <= m.score <= 1.0
    data = m.explanation()
    json.dumps(data)
    assert data["threshold"] == DEFAULT_THRESHOLD
    assert {a["query"] for a in data["alignment"]} >= {"vladimir", "putin"}
    assert data["features"][0]["name"] == "name"


def test_identifier_evidence() -> None:
    imo = (Identifier(IdKind.IMO, "IMO 9123456"),)
    other = (Identifier(IdKind.IMO, "9999999"),)
    a = entity("Ocean Star", schema=Schema.VESSEL, identifiers=imo)
    same = compare(a, entity("Ocean Stars", schema=Schema.VESSEL, identifiers=imo))
    diff = compare(a, entity("Ocean Star", schema=Schema.VESSEL, identifiers=other))
    plain = compare(a, entity("Ocean Star", schema=Schema.VESSEL))
    assert same.match and diff.score < plain.score


def test_birth_date_evidence() -> None:
    a = entity("Ivan Petrov", birth_dates=(FuzzyDate("1960-05-03"),))
    same = compare(a, entity("Ivan Petrov", birth_dates=(FuzzyDate("1960-05-03"),)))
    other = compare(a, entity("Ivan Petrov", birth_dates=(FuzzyDate("1980-01-01"),)))
    assert same.score > other.score
    assert not other.match


def test_empty_names() -> None:
    assert compare(entity(), entity("x")).score == 0.0
