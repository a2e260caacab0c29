from __future__ import annotations

import pytest

from embargo.matching.features import (
    NO_EVIDENCE,
    country_feature,
    date_feature,
    evidence,
    evidence_features,
    evidence_score,
    gender_feature,
)
from embargo.model.entity import Entity, FuzzyDate, Identifier, IdKind, Schema


def person(**kw: object) -> Entity:
    return Entity(id="p", source="s", native_id="p", schema=Schema.PERSON, names=(),
                  **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "sign"),
    [("1960-05-03", "1960-05-03", 1), ("1960-05-03", "1960-03-05", 1),
     ("1960", "1960-05-03", 1), ("1960-05-03", "1975-05-03", -1),
     ("1985", "1986", 0), ("1985-01-01", "1986-07-09", 0), ("1985", "1988", -1)],
)
def test_dates(a: str, b: str, sign: int) -> None:
    f = date_feature(person(birth_dates=(FuzzyDate(a),)), person(birth_dates=(FuzzyDate(b),)))
    assert f is not None
    assert (f.contribution > 0) - (f.contribution < 0) == sign


def test_circa_dates_tolerate_a_year() -> None:
    about = person(birth_dates=(FuzzyDate("1973", circa=True),))
    assert date_feature(person(birth_dates=(FuzzyDate("1974"),)), about).contribution > 0  # type: ignore[union-attr]
    assert date_feature(person(birth_dates=(FuzzyDate("1980"),)), about).contribution < 0  # type: ignore[union-attr]


def test_countries_and_gender() -> None:
    ru, ua = person(nationalities=("ru",)), person(nationalities=("ua",))
    assert country_feature(ru, ru).contribution > 0  # type: ignore[union-attr]
    assert country_feature(ru, ua).contribution < 0  # type: ignore[union-attr]
    assert country_feature(ru, person()) is None
    assert gender_feature(person(gender="male"), person(gender="female")) is not None
    assert gender_feature(person(gender="male"), person(gender="male")) is None


@pytest.mark.parametrize(
    ("a", "b", "names"),
    [
        (person(), person(nationalities=("ru",)), []),
        (person(nationalities=("ru",), gender="male"), person(nationalities=("ru",),
         gender="female"), ["country", "gender"]),
        (person(identifiers=(Identifier(IdKind.PASSPORT, "AB 123"),)),
         person(identifiers=(Identifier(IdKind.PASSPORT, "ab123"),)), ["identifier"]),
    ],
)
def test_evidence_features_match_entity_features(a: Entity, b: Entity,
                                                 names: list[str]) -> None:
    found = evidence_features(evidence(a), evidence(b))
    assert [f.name for f in found] == names
    if names == ["identifier"]:
        assert found[0].contribution > 0


_DATES = ("1960-05-03", "1960-03-05", "1960", "1961-05-03", "1975-05-03", "1960-05")
_SIDES = [
    person(birth_dates=(FuzzyDate(d),), nationalities=nat, gender=g)
    for d in _DATES for nat in ((), ("ru",), ("ua", "ru")) for g in (None, "male", "female")
] + [
    person(birth_dates=(FuzzyDate("1959", circa=True),)),
    person(birth_dates=(FuzzyDate("1958", end="1961"),), gender="male"),
    person(identifiers=(Identifier(IdKind.PASSPORT, "AB 123"),), nationalities=("ru",)),
    person(identifiers=(Identifier(IdKind.PASSPORT, "XY 999"),)),
    person(),
]


@pytest.mark.parametrize("a", _SIDES)
def test_evidence_score_sums_the_features(a: Entity) -> None:
    """The fast score path adds exactly what the explained features contribute."""
    for b in _SIDES:
        qa, qb = evidence(a), evidence(b)
        features = evidence_features(qa, qb)
        expected = sum(f.contribution for f in features)
        got = evidence_score(qa, qb) if not (qa.empty or qb.empty) else 0.0
        assert got == expected, (a, b, features)


@pytest.mark.parametrize("kw", [{}, {"countries": ("",)}, {"nationalities": ("ru",)},
                                {"birth_dates": (FuzzyDate("1960"),)}, {"gender": "male"},
                                {"identifiers": (Identifier(IdKind.IMO, "IMO 9187629"),)}])
def test_name_only_parties_share_one_empty_evidence(kw: dict[str, object]) -> None:
    found = evidence(person(**kw))
    if kw:
        assert found is not NO_EVIDENCE
        assert found.empty is (kw == {"countries": ("",)})
    else:
        assert found is NO_EVIDENCE
        assert found.empty and not (found.ids or found.dates or found.countries or found.gender)
