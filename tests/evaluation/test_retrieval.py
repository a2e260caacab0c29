"""Retrieval recall against the scorer: the index loses no party that ``compare`` accepts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from embargo.evaluation.retrieval import (
    INDEXED,
    Query,
    build_queries,
    lost_parties,
    retrieval_recall,
)
from embargo.evaluation.screening import load_list, name_entity
from embargo.evaluation.variants import in_script, noisy, split
from embargo.matching.screen import Screener
from embargo.model import Schema

SHARED = pytest.mark.shared

PEOPLE = ["Djamel Lounici", "Yahya Haqqani", "Mounir El Motassadeq", "Intissar al-Ubaydi",
          "Omar Mahmoud Uthman", "Faical Boughanmi", "Vladimir Putin", "Maria Schneider",
          "Mohammed Ali Hassan", "Mohammed Omar"]
QUERIES = ["جمال لونيسي", "يحيى حقانی", "منير المتصدق", "انتصار العبيدي", "عمر محمود عثمان",
           "فيصل بوغانمي", "Владимир Путин", "Mohammed Ali", "Maria Schnieder", "John Smith"]


def people(names: list[str]) -> Screener:
    return Screener.from_entities([name_entity(f"p{k}", Schema.PERSON, n)
                                   for k, n in enumerate(names)])


def test_every_accepted_party_is_proposed() -> None:
    screener = people(PEOPLE)
    queries = [Query("t", name_entity(f"q{k}", Schema.PERSON, q)) for k, q in enumerate(QUERIES)]
    report = retrieval_recall(screener, queries)
    parts = report["dev"], report["held_out"]
    assert sum(p["queries"] for p in parts) == len(QUERIES)
    assert sum(p["accepted"] for p in parts) >= 8  # the examples all reach the scorer
    assert [p["lost"] for p in parts] == [0, 0]


def test_a_saved_run_replays_on_its_accepted_parties_only() -> None:
    screener = people(PEOPLE)
    queries = [Query("t", name_entity(f"q{k}", Schema.PERSON, q)) for k, q in enumerate(QUERIES)]
    save: dict[str, list[str]] = {}
    first = retrieval_recall(screener, queries, save=save)
    assert save["q0"] == ["p0"] and sum(len(v) for v in save.values()) == sum(
        first[p]["accepted"] for p in ("dev", "held_out"))
    again = retrieval_recall(screener, queries, saved=save)
    assert [again[p]["accepted"] for p in ("dev", "held_out")] == \
        [first[p]["accepted"] for p in ("dev", "held_out")]
    none = retrieval_recall(screener, queries, saved={})  # nothing saved: nothing scored
    assert [none[p]["accepted"] for p in ("dev", "held_out")] == [0, 0]


def test_a_party_the_index_does_not_propose_is_reported_lost() -> None:
    # five words: no whole-name key (a name covered whole is compared past the cut)
    screener = Screener(people(["Mohammed Ali Hassan Omar Karim", "Mohammed Ali Hasan Omar Karim",
                                "Mohammed Ali Husain Omar Karim"]).index, candidates=1)
    query = name_entity("q", Schema.PERSON, "Mohammed Ali Hassan Omar Karim")
    found, lost = lost_parties(screener, query, 0.75)
    assert found == 3 and len(lost) == 2


def test_variants_are_seeded_and_split_once() -> None:
    names = [noisy("Djamel Lounici Bensaid", random.Random(k)) for k in range(20)]
    assert names == [noisy("Djamel Lounici Bensaid", random.Random(k)) for k in range(20)]
    assert len(set(names)) > 5
    dev, held = split(range(100), 9)
    assert sorted(dev + held) == list(range(100)) and dev == split(range(100), 9)[0]
    assert in_script("Ali Hassan", {"ali": "علي", "hassan": "حسن"}) == "علي حسن"
    assert in_script("Ali Karimi", {"ali": "علي"}) is None


MIN_RECALL = 0.96  # measured 0.972 on this sample (141 of 145; docs/benchmarks.md, issue 9
# fifth session: a name covered whole is compared past the cut; 0.931 before, 0.82 at first)


@SHARED
def test_small_sample_of_real_queries(shared: Path) -> None:
    """A small sample of the evaluation: its figures may not fall (recall against the scorer
    is not yet 100%: the parties still lost are listed in docs/benchmarks.md)."""
    lists = shared / "data" / "lists"
    indexed = [e for e in load_list(lists / INDEXED[0])][:1500]
    indexed += [e for e in load_list(lists / INDEXED[1])][:500]
    screener = Screener.from_entities(indexed)
    queries = build_queries(indexed, shared, 100)
    report = retrieval_recall(screener, queries, show=100)
    parts = report["dev"], report["held_out"]
    assert sum(p["queries"] for p in parts) == len(queries) >= 100
    accepted, lost = sum(p["accepted"] for p in parts), sum(p["lost"] for p in parts)
    assert accepted > 100
    assert 1 - lost / accepted >= MIN_RECALL
    assert all(e["kind"] != "uk" and e["kind"] != "script:russian"
               for p in parts for e in p["examples"])  # Latin and Cyrillic: none lost
