from __future__ import annotations

import pytest

from embargo.errors import ValidationError
from embargo.ownership.graph import Holding, OwnershipGraph, check_holding


@pytest.mark.parametrize(("owner", "asset", "pct"), [
    ("A", "A", 50.0), ("", "B", 10.0), ("A", "B", 0.0), ("A", "B", 100.5),
    ("A", "B", float("nan")), ("A", "B", -3.0),
])
def test_bad_holdings_are_rejected(owner: str, asset: str, pct: float) -> None:
    with pytest.raises(ValidationError):
        check_holding(owner, asset, pct)


def test_cycles_and_over_allocation() -> None:
    g = OwnershipGraph([Holding("A", "B", 60), Holding("B", "C", 60), Holding("C", "A", 10),
                        Holding("D", "B", 50)])
    assert g.cycles() == [("A", "B", "C")]
    assert g.over_allocated() == {"B": 110}
    assert g.upstream("C") == {"A", "B", "C", "D"}


def test_newest_holding_wins() -> None:
    from datetime import date
    g = OwnershipGraph([Holding("A", "B", 60, as_of=date(2020, 1, 1)),
                        Holding("A", "B", 20, as_of=date(2022, 1, 1))])
    assert g.total("B") == 20
