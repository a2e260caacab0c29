"""Screening quality targets on the shared eval sets (skipped when shared is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from embargo.evaluation.screening import (
    ALL_LISTS,
    UN_FILES,
    expected_ids,
    load_list,
    load_lists,
    negatives_rate,
    pair_candidate_recall,
    positives_recall,
    putin_check,
    read_eval_queries,
)
from embargo.matching.screen import Screener
from embargo.model import Entity

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def screening(shared: Path) -> Path:
    return shared / "eval" / "screening"


@pytest.fixture(scope="module")
def un(shared: Path) -> list[Entity]:
    return load_list(shared / "data" / "lists" / UN_FILES[1])  # the release the rows came from


@pytest.fixture(scope="module")
def un_screener(un: list[Entity]) -> Screener:
    return Screener.from_entities(un)


@pytest.fixture(scope="module")
def all_screener(shared: Path) -> Screener:
    return Screener.from_entities(load_lists(shared / "data" / "lists", ALL_LISTS))


@pytest.fixture(scope="module")
def untreated(screening: Path) -> list[Entity]:
    return read_eval_queries(screening / "positives_un_untreated.csv")


@pytest.mark.parametrize(("file", "target"), [("positives_un_untreated.csv", 1.0),
                                              ("positives_un_treated.csv", 0.98)])
def test_positive_recall(screening: Path, un: list[Entity], un_screener: Screener,
                         untreated: list[Entity], file: str, target: float) -> None:
    queries = read_eval_queries(screening / file)
    expected = expected_ids(untreated, un)
    assert sum(1 for e in expected if e) >= 0.99 * len(untreated)  # rows map to listed people
    result = positives_recall(un_screener, queries, expected)
    assert result["recall_at_5"] >= target, result["misses"][:10]
    assert result["candidate_recall"] >= 0.995


@pytest.mark.parametrize("file", ["negatives_global_1k.csv", "negatives_us_1k.csv"])
def test_negatives_rarely_hit(screening: Path, all_screener: Screener, file: str) -> None:
    result = negatives_rate(all_screener, read_eval_queries(screening / file))
    assert result["false_positive_rate"] <= 0.01, result["flagged"][:10]


def test_putin_variants_screen_to_one_entity(screening: Path, all_screener: Screener) -> None:
    names = [ln.strip() for ln in (screening / "putin_names.txt").read_text().splitlines()
             if ln.strip()]
    result = putin_check(all_screener, names)
    assert result["entity"] is not None and result["entity"].startswith("ofac")
    assert result["same_entity"] == len(names), result["others"]


@pytest.mark.parametrize("file", ["cascade-name-pairs.csv", "cascade-name-pairs-2.csv",
                                  "cross_script_pairs.csv"])
def test_index_recall_on_pairs(shared: Path, file: str) -> None:
    result = pair_candidate_recall(shared / "eval" / "pairs" / file, 50)
    assert result["candidate_recall"] >= 0.995, result["misses"]
