"""OFAC's 50% rule, with the examples of OFAC's guidance (13 August 2014) and FAQs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embargo.ownership.fifty import FiftyPercent, Threshold
from embargo.ownership.graph import Holding, OwnershipGraph


def graph(*edges: tuple[str, str, float]) -> OwnershipGraph:
    return OwnershipGraph(Holding(o, a, p) for o, a, p in edges)


# (holdings, listed, asset, blocked?)
CASES = [
    # one blocked owner with 50% -> blocked
    ([("A", "X", 50)], {"A"}, "X", True),
    ([("A", "X", 49.9)], {"A"}, "X", False),
    # two blocked owners with 25% each -> blocked in the aggregate
    ([("A", "X", 25), ("B", "X", 25)], {"A", "B"}, "X", True),
    ([("A", "X", 25), ("B", "X", 25)], {"A"}, "X", False),
    # indirect: A owns 50% of B, B owns 50% of C -> C blocked (B is blocked)
    ([("A", "B", 50), ("B", "C", 50)], {"A"}, "C", True),
    # indirect through an entity that is not blocked does not count
    ([("A", "B", 40), ("B", "C", 100)], {"A"}, "C", False),
    # guidance example: A blocks X (50%); X holds 25% and A 25% of Y -> Y blocked
    ([("A", "X", 50), ("X", "Y", 25), ("A", "Y", 25)], {"A"}, "Y", True),
    # a longer chain, blocked at every step
    ([("A", "B", 60), ("B", "C", 60), ("C", "D", 50)], {"A"}, "D", True),
    # cycle: B and C hold each other; A holds 50% of B -> both blocked, no endless loop
    ([("A", "B", 50), ("B", "C", 50), ("C", "B", 30)], {"A"}, "C", True),
]


@pytest.mark.parametrize(("edges", "listed", "asset", "blocked"), CASES)
def test_ofac_examples(edges: list, listed: set[str], asset: str, blocked: bool) -> None:
    result = FiftyPercent(graph(*edges), listed)
    assert result.is_blocked(asset) is blocked


def test_paths_and_percentages_are_reported() -> None:
    result = FiftyPercent(graph(("A", "X", 50), ("X", "Y", 25), ("A", "Y", 25)), {"A"})
    paths = sorted(p.describe() for p in result.paths("Y"))
    assert paths == ["A —25%→ Y", "A —50%→ X —25%→ Y"]
    assert result.share("Y").total == 50


def test_uk_style_threshold_is_strictly_more_than_half_by_one_owner() -> None:
    uk = Threshold(50, inclusive=False, aggregate=False)
    assert not FiftyPercent(graph(("A", "X", 50)), {"A"}, uk).is_blocked("X")
    assert not FiftyPercent(graph(("A", "X", 30), ("B", "X", 30)), {"A", "B"}, uk).is_blocked("X")
    assert FiftyPercent(graph(("A", "X", 51)), {"A"}, uk).is_blocked("X")


@given(st.lists(st.tuples(st.sampled_from("ABCDEF"), st.sampled_from("ABCDEF"),
                          st.floats(1, 100)), max_size=12))
def test_monotone_more_listed_never_unblocks(edges: list[tuple[str, str, float]]) -> None:
    g = graph(*[(o, a, p) for o, a, p in edges if o != a])
    small = FiftyPercent(g, {"A"})
    large = FiftyPercent(g, {"A", "B"})
    assert set(small.blocked) <= set(large.blocked) | {"B"}
    for share in small.blocked.values():
        assert share.total >= 50
        assert all(small.is_blocked(h.owner_id) for h in share.holdings)
