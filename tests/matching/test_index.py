"""Tests for embargo.matching.index: candidate retrieval."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embargo.errors import UsageError
from embargo.matching import prepare
from embargo.matching.index import (
    CandidateIndex,
    build_neighbours,
    compatible,
    deletes,
    normalise_id,
    skeleton,
)
from embargo.model import Entity, Identifier, IdKind, Name, NameKind, Schema


def ent(eid: str, *names: str, schema: Schema = Schema.PERSON,
        ids: tuple[Identifier, ...] = ()) -> Entity:
    kinds = [NameKind.PRIMARY] + [NameKind.ALIAS] * (len(names) - 1)
    return Entity(id=eid, source="t", native_id=eid, schema=schema,
                  names=tuple(Name(n, k) for n, k in zip(names, kinds, strict=True)),
                  identifiers=ids)


LISTED = [
    ent("putin", "Vladimir Vladimirovich PUTIN", "Владимир Путин"),
    ent("salek", "ABDULHAI SALEK"),
    ent("maghomed", "MAGHOMED MAGHOMEDZAKIROVICH ABDURAKHMANOV"),
    ent("rahman", "Abdul Rahman Yasin"),
    ent("bank1", "Bank Melli Iran", schema=Schema.ORGANIZATION),
    ent("shwe", "SHWE NADI 5", schema=Schema.VESSEL,
        ids=(Identifier(IdKind.IMO, "IMO 9123456"),)),
    ent("neobit", "OOO Neobit", "ООО «Необит»", schema=Schema.COMPANY),
    *[ent(f"m{i}", f"Mohammad Ali Number{i:03d}x") for i in range(300)],
]


@pytest.fixture(scope="module")
def index() -> CandidateIndex:
    return CandidateIndex.build(LISTED)


def ids_for(index: CandidateIndex, name: str, schema: Schema = Schema.PERSON,
            limit: int = 10, **kw: object) -> list[str]:
    query = prepare(ent("q", name, schema=schema, **kw))  # type: ignore[arg-type]
    return [index.entity(n).id for n, _ in index.search(query, limit)]


@pytest.mark.parametrize(
    ("query", "expected", "schema"),
    [
        ("Vladimir Putin", "putin", Schema.PERSON),
        ("PUTIN, Vladimir", "putin", Schema.PERSON),
        ("Владимир Путин", "putin", Schema.PERSON),
        ("Vladimir Poutine", "putin", Schema.PERSON),
        ("SALEK, ABDULHAI", "salek", Schema.PERSON),
        ("AMGHOMED MAGHOMEDZAKIROVICH ABDURAKHMANOV", "maghomed", Schema.PERSON),  # typo
        ("Abdulrahman Yasin", "rahman", Schema.PERSON),  # joined form
        ("Bank Meli Iran", "bank1", Schema.LEGAL_ENTITY),
        ("Neobit LLC", "neobit", Schema.COMPANY),
        ("SHWE NADI 5", "shwe", Schema.VESSEL),
    ],
)
def test_finds_the_listed_entity_first(index: CandidateIndex, query: str, expected: str,
                                       schema: Schema) -> None:
    assert ids_for(index, query, schema)[:1] == [expected]


def test_schema_filter(index: CandidateIndex) -> None:
    assert "shwe" not in ids_for(index, "SHWE NADI 5", Schema.PERSON)
    assert "bank1" not in ids_for(index, "Bank Melli Iran", Schema.VESSEL)
    assert compatible(Schema.LEGAL_ENTITY, Schema.COMPANY)
    assert compatible(Schema.ORGANIZATION, Schema.COMPANY)
    assert not compatible(Schema.PERSON, Schema.VESSEL)
    assert not compatible(Schema.COMPANY, Schema.PERSON)


def test_identifier_lookup_wins(index: CandidateIndex) -> None:
    found = ids_for(index, "Completely Different", Schema.VESSEL,
                    ids=(Identifier(IdKind.IMO, "9123456"),))
    assert found[:1] == ["shwe"]


def test_common_tokens_do_not_flood(index: CandidateIndex) -> None:
    # 'mohammad' and 'ali' are on 300 entities; only the rare token decides
    query = prepare(ent("q", "Mohammad Ali Number042x"))
    found = index.search(query, 5)
    assert index.entity(found[0][0]).id == "m42"
    assert found[0][1] > found[1][1]
    assert index.idf("ali") < index.idf("salek") / 3


def test_only_common_tokens_still_return_candidates(index: CandidateIndex) -> None:
    found = ids_for(index, "Mohammad Ali", limit=50)
    assert len(found) == 50 and all(f.startswith("m") for f in found)


def test_unrelated_query_finds_little(index: CandidateIndex) -> None:
    assert ids_for(index, "Xerxes Quibble") == []


def test_limit_and_ordering(index: CandidateIndex) -> None:
    query = prepare(ent("q", "Vladimir Putin"))
    found = index.search(query, 3)
    assert len(found) <= 3
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)


def test_save_and_load(index: CandidateIndex, tmp_path: Path) -> None:
    path = tmp_path / "x.index"
    index.save(path)
    loaded = CandidateIndex.load(path)
    assert len(loaded) == len(index)
    for name in ("Vladimir Putin", "Abdulrahman Yasin", "Bank Meli Iran"):
        assert ids_for(loaded, name, Schema.LEGAL_ENTITY) == ids_for(index, name,
                                                                       Schema.LEGAL_ENTITY)
    assert loaded.entity(0) == LISTED[0]


def test_load_rejects_an_index_of_another_analysis(
        index: CandidateIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.index"
    index.save(path)
    monkeypatch.setattr("embargo.matching.index.analysis_fingerprint", lambda: "changed")
    with pytest.raises(UsageError, match="rebuild"):
        CandidateIndex.load(path)


def test_load_rejects_other_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.index"
    bad.write_bytes(b"not a pickle")
    with pytest.raises(UsageError):
        CandidateIndex.load(bad)
    with pytest.raises(UsageError):
        CandidateIndex.load(tmp_path / "missing.index")


@pytest.mark.parametrize(
    ("raw", "norm"),
    [("IMO 9123456", "9123456"), ("ab-123 456", "AB123456"), ("imo9123456", "9123456"),
     ("IMOGEN1", "IMOGEN1")],
)
def test_normalise_id(raw: str, norm: str) -> None:
    assert normalise_id(raw) == norm


@pytest.mark.parametrize(
    ("latin", "abjad"),
    [("mohammad", "mhmd"), ("muhammed", "mhmd"), ("kokhvei", "kwkby"), ("almog", "lmwg"),
     ("nahshol", "nhswl"), ("sherutei", "syrwty")],
)
def test_skeleton_meets_vowelless_readings(latin: str, abjad: str) -> None:
    assert skeleton(latin) == skeleton(abjad)
    assert len(skeleton(latin)) >= 2


def test_skeleton_keeps_different_consonants_apart() -> None:
    assert skeleton("putin") != skeleton("bush")
    assert skeleton("salek") != skeleton("malik")


def test_deletes() -> None:
    assert deletes("abc") == {"bc", "ac", "ab"}


def test_neighbours_find_one_edit() -> None:
    table = build_neighbours(["maghomed", "salek", "abc"])
    assert "abc" not in table  # too short for typo matching
    assert "maghomed" in table["mghomed"].split()


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_search_never_crashes(text: str) -> None:
    index = CandidateIndex.build(LISTED[:7])
    query = prepare(ent("q", text or "x"))
    for number, score in index.search(query, 5):
        assert 0 <= number < len(index) and score > 0


def test_a_lone_common_name_is_found_however_many_share_the_word() -> None:
    parties = [Entity(id=f"p{k}", source="t", native_id=f"p{k}", schema=Schema.PERSON,
                      names=(Name(f"Hassan {w}"),))
               for k, w in enumerate(["Ali", "Omar", "Karimi", "Nasser"] * 30)]
    parties.append(Entity(id="lone", source="t", native_id="lone", schema=Schema.PERSON,
                          names=(Name("HASSAN"),)))
    index = CandidateIndex.build(parties)
    found = index.search(prepare(Entity(id="q", source="q", native_id="q", schema=Schema.PERSON,
                                        names=(Name("Хассан"),))), 5)
    assert index.entity(found[0][0]).id == "lone"


def test_soft_c_meets_the_abjad_reading() -> None:
    assert skeleton("lounici") == skeleton("lwnysy") == "lns"
