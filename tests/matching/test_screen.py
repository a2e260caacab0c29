"""Tests for embargo.matching.screen: the screener."""

from __future__ import annotations

from pathlib import Path

import pytest

from embargo.errors import UsageError
from embargo.matching import DEFAULT_THRESHOLD
from embargo.matching.screen import Hit, Screener
from embargo.model import Entity, FuzzyDate, Name, NameKind, Schema


def ent(eid: str, *names: str, schema: Schema = Schema.PERSON, dob: str | None = None,
        nationality: str | None = None) -> Entity:
    kinds = [NameKind.PRIMARY] + [NameKind.ALIAS] * (len(names) - 1)
    return Entity(id=eid, source="t", native_id=eid, schema=schema,
                  names=tuple(Name(n, k) for n, k in zip(names, kinds, strict=True)),
                  birth_dates=(FuzzyDate(dob),) if dob else (),
                  nationalities=(nationality,) if nationality else ())


LISTED = [
    ent("putin", "Vladimir Vladimirovich PUTIN", "Владимир Путин", dob="1952-10-07",
        nationality="ru"),
    ent("habash", "George HABBASH", dob="1926"),
    ent("tharwat", "THARWAT SALAH SHIHATA", dob="1960-06-29", nationality="eg"),
    ent("shwe5", "SHWE NADI 5", schema=Schema.VESSEL),
    ent("shwe15", "SHWE NADI 15", schema=Schema.VESSEL),
    ent("bank", "Bank Melli Iran", schema=Schema.ORGANIZATION),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_entities(LISTED)


def top_ids(hits: list[Hit]) -> list[str]:
    return [h.entity.id for h in hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ent("q", "Vladimir Putin"), "putin"),
        (ent("q", "PUTIN, Vladimir Vladimirovich", dob="1952-10-07"), "putin"),
        (ent("q", "Владимир Путин"), "putin"),
        (ent("q", "THARWAT SALAH SHIHATA", dob="1960-06-29"), "tharwat"),
        (ent("q", "SHWE NADI 5", schema=Schema.VESSEL), "shwe5"),
        (ent("q", "Bank Melli Iran", schema=Schema.LEGAL_ENTITY), "bank"),
    ],
)
def test_screen_finds(screener: Screener, query: Entity, expected: str) -> None:
    hits = screener.screen(query)
    assert top_ids(hits)[:1] == [expected]
    assert hits[0].score >= DEFAULT_THRESHOLD
    assert hits[0].match.explanation()


@pytest.mark.parametrize(
    "query",
    [ent("q", "George Bush"), ent("q", "Patricia Lucas Wheeler"),
     ent("q", "Vladimir Putin", schema=Schema.VESSEL)],
)
def test_screen_rejects(screener: Screener, query: Entity) -> None:
    assert screener.screen(query) == []


def test_hits_sorted_and_limited(screener: Screener) -> None:
    query = ent("q", "SHWE NADI", schema=Schema.VESSEL)
    hits = screener.screen(query, threshold=0.0, limit=10)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert len(screener.screen(query, threshold=0.0, limit=1)) == 1
    assert screener.screen(query, limit=0) == []


def test_threshold_is_respected(screener: Screener) -> None:
    query = ent("q", "Vladimir Putin")
    score = screener.screen(query, threshold=0.0)[0].score
    assert screener.screen(query, threshold=min(1.0, score + 1e-6)) == [] or score == 1.0
    assert screener.screen(query, threshold=score)[0].entity.id == "putin"
    with pytest.raises(UsageError):
        screener.screen(query, threshold=1.5)


def test_screen_many_keeps_order(screener: Screener) -> None:
    queries = [ent("a", "Vladimir Putin"), ent("b", "Nobody Atall"), ent("c", "George Habbash")]
    out = list(screener.screen_many(queries))
    assert [q.id for q, _ in out] == ["a", "b", "c"]
    assert [top_ids(h)[:1] for _, h in out] == [["putin"], [], ["habash"]]


def test_saved_screener_gives_the_same_hits(screener: Screener, tmp_path: Path) -> None:
    path = tmp_path / "s.index"
    screener.save(path)
    loaded = Screener.load(path)
    query = ent("q", "PUTIN Vladimir")
    assert [(h.entity.id, h.score) for h in loaded.screen(query)] == [
        (h.entity.id, h.score) for h in screener.screen(query)]
    with pytest.raises(UsageError):
        Screener(loaded.index, candidates=0)
