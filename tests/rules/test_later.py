"""The stale-list check on what changed since the stale snapshot (``embargo.rules.later``) gives
the decisions the full view of the next snapshot gives, cold (index built) and warm (loaded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from embargo.model.entity import Entity
from embargo.rules.check import Views, run_check
from embargo.rules.engine import Engine
from embargo.store.store import Store

from .conftest import ALROSA, FARC, TODAY, add_snapshot
from .test_faults import decide_in, history_store, pay  # noqa: F401

ITEMS = [
    pay("2023-05-01", {"role": "beneficiary", "name": "Public Joint Stock Company Alrosa"}),
    pay("2023-05-01", {"role": "beneficiary", "name": "PJSC Alrosa Mining"}),  # fuzzy
    pay("2021-12-15", {"role": "beneficiary", "name": "Sixto Antonio CABANA GUILLEN"}),
    pay("2021-08-25", {"role": "beneficiary", "name": "Sixto Antonio CABANA GUILLEN"}),
    pay("2022-02-23", {"role": "beneficiary", "name": "Sixto Antonio CABANA GUILLEN"}),
    pay("2023-05-01", {"role": "beneficiary", "name": "Harmless Bakery"}),
]


def run(store: Store, views: Views) -> list[dict[str, Any]]:
    lines = [orjson.dumps(item) for item in ITEMS]
    return [d.as_dict() for d in run_check(store, lines, engine=Engine(today=TODAY),
                                           views=views)]


@pytest.fixture
def later_store(history_store: Store, real: dict[str, Entity]) -> Store:  # noqa: F811
    add_snapshot(history_store, "ofac-sdn", "2024-05-03", [real[ALROSA]])
    return history_store


@pytest.mark.parametrize("cached", [False, True])
def test_changes_since_the_stale_snapshot_decide_as_the_full_view(later_store: Store,
                                                                  tmp_path: Path,
                                                                  cached: bool) -> None:
    expected = [decide_in(later_store, item) for item in ITEMS]
    cache = tmp_path / "index" if cached else None
    cold = run(later_store, Views(later_store, cache))
    for got, want in zip(cold, expected, strict=True):
        assert got["decision"] == want["decision"], (got["reasons"], want["reasons"])
        assert got["reasons"] == want["reasons"]
    decided = [d["decision"] for d in cold]
    assert decided[0] == decided[2] == "review" and decided[3] == "prohibited"
    assert decided[4] == decided[5] == "allowed"
    if cached:
        assert list(cache.glob("*.later.idx"))  # type: ignore[union-attr]
        assert run(later_store, Views(later_store, cache)) == cold  # warm: loaded


def test_a_delisting_shows_from_the_changes(later_store: Store, tmp_path: Path) -> None:
    (decision,) = [d for d in run(later_store, Views(later_store, tmp_path))
                   if d["date"] == "2021-12-15"]
    text = " ".join(r["message"] for r in decision["reasons"])
    assert f"no longer lists {FARC}" in text and "2021-08-24" in text and "2022-02-23" in text
