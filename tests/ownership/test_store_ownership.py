from __future__ import annotations

from datetime import date
from pathlib import Path

from embargo.ownership.graph import Holding
from embargo.store import Store
from embargo.store.ownership import load_holdings, save_holdings


def test_holdings_as_of_a_date(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 's.sqlite3'}") as store:
        save_holdings(store, [Holding("A", "X", 60, "reg", date(2020, 1, 1)),
                              Holding("A", "X", 10, "reg", date(2022, 1, 1)),
                              Holding("B", "X", 30, "reg", None),
                              Holding("C", "X", 20, "reg", date(2021, 1, 1))])
        save_holdings(store, [Holding("C", "X", 0.0, "reg", date(2023, 1, 1))])

        def owned(day: date | None) -> dict[str, float]:
            return {h.owner_id: round(h.percentage, 3) for h in load_holdings(store, day)}
        assert owned(date(2019, 6, 1)) == {"B": 30}
        assert owned(date(2021, 6, 1)) == {"A": 60, "B": 30, "C": 20}
        assert owned(date(2022, 6, 1)) == {"A": 10, "B": 30, "C": 20}
        assert owned(None) == {"A": 10, "B": 30}  # C disposed of its holding
