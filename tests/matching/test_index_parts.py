"""Tests for the index's parts: postings and accumulation, the prefilter, parallel builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from embargo.matching import prepare
from embargo.matching.index import CandidateIndex
from embargo.matching.postings import Postings, accumulate, add_group, boost
from embargo.matching.prefilter import KEEP, OTHER_LIMIT, other_floor, worth_comparing
from embargo.model import Entity, Name, Schema


@pytest.fixture
def postings() -> Postings:
    return Postings.build({"rare": [1, 2], "other": [2, 3], "common": [0, 1, 2, 3, 4, 5],
                           "alt": [3, 5]})


def test_postings_lookup(postings: Postings) -> None:
    view = postings.get("common")
    assert view is not None and view.tolist() == [0, 1, 2, 3, 4, 5]
    assert postings.get("missing") is None
    assert postings.df("rare") == 2 and postings.df("missing") == 0
    assert postings.members("alt") == frozenset({3, 5})
    assert postings.members("missing") == frozenset()


def test_a_group_counts_once_per_entity_at_its_best_weight(postings: Postings) -> None:
    scores: dict[int, float] = {}
    seen = add_group(scores, [("rare", 2.0), ("other", 1.0)], postings)
    assert scores == {1: 2.0, 2: 2.0, 3: 1.0}
    assert seen == {1, 2, 3}


def test_common_keys_only_boost(postings: Postings) -> None:
    groups = [[("rare", 2.0)], [("common", 0.5), ("alt", 0.3)]]
    # 'alt' is rare enough to seed; 'common' only adds to what was found, once per group
    assert accumulate(postings, groups, common=3) == {1: 2.5, 2: 2.5, 3: 0.3, 5: 0.3}
    # with no rarer key, the rarest common group seeds
    assert accumulate(postings, [[("common", 0.5)]], common=3) == {n: 0.5 for n in range(6)}


def test_boost_takes_the_best_key_and_skips_entities_already_counted(
        postings: Postings) -> None:
    scores = {3: 1.0, 5: 1.0, 1: 1.0}
    boost(scores, [("alt", 0.7), ("common", 0.4)], seen={5}, postings=postings)
    assert scores == {3: 1.7, 5: 1.0, 1: 1.4}


def found(*scores: float, latin: bool = True) -> list[tuple[int, float, bool]]:
    return [(i, s, latin) for i, s in enumerate(scores)]


@pytest.mark.parametrize(
    ("candidates", "total", "query_latin", "kept"),
    [
        (found(9.0, 8.0, 6.0, 4.0), 10.0, True, [0, 1, 2]),  # coverage 0.5 past the best 2
        (found(3.0, 2.0, 1.0), 10.0, True, [0, 1]),  # the best KEEP stay whatever their score
        (found(9.0, 8.0, 6.0, 2.5, 1.5, latin=False), 10.0, True, [0, 1, 2, 3]),  # 0.2
        (found(9.0, 8.0, 6.0, 2.5, 1.5), 10.0, False, [0, 1, 2, 3]),  # a non-Latin query
        # not relative to the best: an exact original-script name inflates the best score
        (found(20.0, 9.0, 5.0, 4.0, 1.0), 10.0, False, [0, 1, 2, 3]),
        (found(4.0, 3.0, 2.5, 1.9), 10.0, False, [0, 1, 2]),  # 0.2 of the total
        # past rank 20, only candidates covering the whole query, up to rank 50
        (found(*[5.0] * 22, 10.0, 9.9), 10.0, False, [*range(20), 22]),
        (found(*[11.0] * (OTHER_LIMIT + 5)), 10.0, False, list(range(OTHER_LIMIT))),
        ([], 10.0, False, []),
    ],
)
def test_worth_comparing(candidates: list[tuple[int, float, bool]], total: float,
                         query_latin: bool, kept: list[int]) -> None:
    out = worth_comparing(candidates, total, query_latin)
    assert [n for n, _ in out] == kept
    assert all(s == candidates[n][1] for n, s in out)


def test_the_non_latin_floor_rises_with_the_rank() -> None:
    floors = [other_floor(rank) for rank in range(OTHER_LIMIT + 2)]
    assert floors == sorted(floors) and floors[0] <= 0.2 and floors[-1] > 100.0


def test_queries_with_identifiers_keep_everything() -> None:
    candidates = found(50.0, 1.0, 0.5, latin=False)
    assert len(worth_comparing(candidates, 10.0, False, has_ids=True)) == 3
    assert len(worth_comparing(candidates, 10.0, False)) == KEEP


def _people(count: int) -> list[Entity]:
    first = ["Anna", "Boris", "Chen", "Dmitri", "Elena", "Farid", "Gulnara", "Hassan"]
    last = ["Ivanova", "Petrov", "Wang", "Sokolov", "Haddad", "Karimova", "Nasser", "Orlov"]
    return [Entity(id=f"p{i}", source="t", native_id=str(i), schema=Schema.PERSON,
                   names=(Name(f"{first[i % 8]} {last[(i // 8) % 8]} X{i:04d}"),))
            for i in range(count)]


def test_a_two_process_build_equals_a_one_process_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("embargo.matching.index.PARALLEL_MIN", 10)
    people = _people(120)
    one = CandidateIndex.build(people)
    two = CandidateIndex.build(people, workers=2)
    assert len(two) == len(one) and two.keys_count() == one.keys_count()
    for text in ("Farid Haddad X0045", "Elena Petrova", "Chen Wang X0100"):
        query = prepare(Entity(id="q", source="q", native_id="q", schema=Schema.PERSON,
                               names=(Name(text),)))
        assert two.search(query, 10) == one.search(query, 10)
    assert [two.entity(n).id for n in (0, 119)] == ["p0", "p119"]
    path = tmp_path / "two.index"
    two.save(path)
    assert CandidateIndex.load(path).entity(119) == people[119]


def test_an_index_loaded_without_a_full_collection_is_frozen_and_the_same(
        tmp_path: Path) -> None:
    """``load(path, collect=False)`` (``embargo check`` loading several indexes in a row) skips
    the full collection but still freezes a large index out of the collector's way."""
    import gc

    from embargo.matching.index import SETTLE_MIN

    people = _people(SETTLE_MIN + 10)
    path = tmp_path / "big.index"
    CandidateIndex.build(people).save(path)
    gc.unfreeze()
    loaded = CandidateIndex.load(path, collect=False)
    try:
        assert gc.get_freeze_count() > 0
        assert loaded.entity(SETTLE_MIN) == people[SETTLE_MIN]
        query = prepare(people[7])
        assert loaded.search(query, 5) == CandidateIndex.load(path).search(query, 5)
    finally:
        gc.unfreeze()


def _named(*names: str) -> list[Entity]:
    return [Entity(id=f"p{k}", source="t", native_id=f"p{k}", schema=Schema.PERSON,
                   names=(Name(full=n),)) for k, n in enumerate(names)]


def test_a_whole_name_of_common_words_outranks_longer_names_sharing_them() -> None:
    """Many listed names hold ``abdul`` and ``rahman``; the one that is only these two words
    (keyed whole: ``=bdl rmn``) comes first for عبد الرحمن, ahead of lower entity numbers."""
    longer = [f"Abdul Rahman {x}" for x in ("Yasin", "Makki", "Haqqani", "Azzam", "Omar",
                                            "Saleh", "Tahir", "Hamid", "Karim", "Nasir")]
    index = CandidateIndex.build(_named(*longer, "REHMAN, Abdul"))
    best = index.search(prepare(_named("عبد الرحمن")[0]), 3)
    assert best[0][0] == len(longer)


def test_a_japanese_query_also_reads_its_liquid_as_l() -> None:
    index = CandidateIndex.build(_named("GHOLAMI, Ali", "IQBAL, Muhammad", "Omar Karimi"))
    for query, number in (("ゴラミ・アリ", 0), ("イクバル", 1)):
        found = [n for n, _ in index.search(prepare(_named(query)[0]), 5)]
        assert found and found[0] == number
