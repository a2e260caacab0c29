from __future__ import annotations

import pytest

from embargo.matching.features import country_feature, date_feature, gender_feature
from embargo.model.entity import Entity, FuzzyDate, Schema


def person(**kw: object) -> Entity:
    return Entity(id="p", source="s", native_id="p", schema=Schema.PERSON, names=(),
                  **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "positive"),
    [("1960-05-03", "1960-05-03", True), ("1960-05-03", "1960-03-05", True),
     ("1960", "1960-05-03", True), ("1960-05-03", "1975-05-03", False)],
)
def test_dates(a: str, b: str, positive: bool) -> None:
    f = date_feature(person(birth_dates=(FuzzyDate(a),)), person(birth_dates=(FuzzyDate(b),)))
    assert f is not None and (f.contribution > 0) == positive


def test_countries_and_gender() -> None:
    ru, ua = person(nationalities=("ru",)), person(nationalities=("ua",))
    assert country_feature(ru, ru).contribution > 0  # type: ignore[union-attr]
    assert country_feature(ru, ua).contribution < 0  # type: ignore[union-attr]
    assert country_feature(ru, person()) is None
    assert gender_feature(person(gender="male"), person(gender="female")) is not None
    assert gender_feature(person(gender="male"), person(gender="male")) is None
