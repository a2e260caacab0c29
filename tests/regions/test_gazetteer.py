"""Addresses in several scripts against the gazetteer of embargoed regions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embargo.model.entity import Address
from embargo.regions.gazetteer import default_gazetteer, fold

# (address, region id or None, certain)
ADDRESSES = [
    ("ул. Ленина 1, Симферополь", "crimea", True),
    ("вул. Леніна 1, Сімферополь", "crimea", True),
    ("1 Lenina St, Simferopol', Crimea", "crimea", True),
    ("Севастополь, ул. Большая Морская 5", "crimea", True),
    ("Kerch, Russia", "crimea", True),
    ("Керчь", "crimea", True),
    ("Ялта, набережная", "crimea", True),
    ("Feodosiya 98100", "crimea", True),
    ("Євпаторія", "crimea", True),
    ("Dzhankoy", "crimea", True),
    ("Республика Крым, г. Алушта", "crimea", True),
    ("пр. Ильича 10, Донецк, Украина", "dnr", True),
    ("Horlivka, Donetsk oblast", "dnr", True),
    ("Луганськ", "lnr", True),
    ("Alchevsk, LNR", "lnr", True),
    ("Pervomaisk", "lnr", False),  # many towns of that name
    ("Донецк, Ростовская область, Россия", "dnr", False),  # also a town in Russia
    ("Calle 23, La Habana, Cuba", "cuba", True),
    ("Tehran, Valiasr St", "iran", True),
    ("تهران، خیابان ولیعصر", "iran", True),
    ("평양", "north-korea", True),
    ("Pyongyang, DPRK", "north-korea", True),
    ("Дамаск, Сирия", "syria", True),
    ("Iranian Embassy, 16 Prince's Gate, London", None, None),
    ("Simferopoler Strasse 3, Berlin", None, None),
    ("10 Downing Street, London", None, None),
]


@pytest.mark.parametrize(("address", "region", "certain"), ADDRESSES)
def test_addresses(address: str, region: str | None, certain: bool | None) -> None:
    hits = default_gazetteer().find_address(address)
    if region is None:
        assert hits == []
        return
    found = {h.region.id: h for h in hits}
    assert region in found, hits
    assert found[region].certain is certain


@pytest.mark.parametrize(("country", "region"), [
    ("Cuba", "cuba"), ("Иран", "iran"), ("KP", "north-korea"), ("Crimea", "crimea"),
    ("Syrian Arab Republic", "syria"), ("Ukraine", None), ("Germany", None),
])
def test_country_names_and_codes(country: str, region: str | None) -> None:
    hit = default_gazetteer().find_country(country)
    assert (hit.region.id if hit else None) == region


def test_structured_address_uses_country_code() -> None:
    hits = default_gazetteer().find_address(Address(street="Calle 5", country="cu"))
    assert [h.region.id for h in hits] == ["cuba"]


@given(st.text(max_size=40))
def test_fold_is_idempotent_and_caseless(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert fold(text.upper()) == fold(text.lower()) or not text.isascii()
