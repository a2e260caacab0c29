"""The hold policy, case by case (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from embargo.errors import ImplausibleListError, UsageError
from embargo.ingest.policy import HoldPolicy, Incoming, check_not_future, hold_reason
from embargo.store import Snapshot

TODAY = date(2026, 3, 1)


def snap(snapshot_id: int, published: str) -> Snapshot:
    return Snapshot(snapshot_id, "un", "un-xml", date.fromisoformat(published),
                    datetime(2026, 1, 1, tzinfo=UTC), "h", "1", 100, {}, None, ())


IDS = {f"e{i}" for i in range(100)}


@pytest.mark.parametrize("ids,declared,published,policy,expected", [
    (IDS, None, "2026-02-01", HoldPolicy(), None),
    (set(), None, "2026-02-01", HoldPolicy(), "empty list"),
    (set(sorted(IDS)[:50]), 100, "2026-02-01", HoldPolicy(), "implausibly small"),
    (set(sorted(IDS)[:95]), None, "2026-02-01", HoldPolicy(), None),  # 5% removed: the limit
    (set(sorted(IDS)[:94]), None, "2026-02-01", HoldPolicy(), "removes 6 of the 100"),
    (set(sorted(IDS)[:60]), None, "2026-02-01", HoldPolicy(max_removed=0.5), None),
    (IDS, None, "2025-12-01", HoldPolicy(), "rollback: published 2025-12-01"),
    (IDS, None, "2025-12-01", HoldPolicy(backfill=True), None),
    (IDS | {"new"}, None, "2026-01-15", HoldPolicy(), None),  # same date as in force: fine
])
def test_hold_reason(ids: set[str], declared: int | None, published: str, policy: HoldPolicy,
                     expected: str | None) -> None:
    in_force = snap(7, "2026-01-15")
    new = Incoming("un", date.fromisoformat(published), frozenset(ids), declared)
    before = in_force if new.published >= in_force.published else None
    reason = hold_reason(new, in_force, before, IDS if before else None, policy)
    assert (reason is None) if expected is None else (expected in str(reason)), reason


def test_first_snapshot_is_only_held_when_empty() -> None:
    new = Incoming("un", TODAY, frozenset({"a"}), None)
    assert hold_reason(new, None, None, None, HoldPolicy()) is None
    empty = Incoming("un", TODAY, frozenset(), None)
    assert hold_reason(empty, None, None, None, HoldPolicy()) == "empty list: 0 entities read"


@pytest.mark.parametrize("published,ok", [("2026-03-01", True), ("2026-03-02", True),
                                          ("2026-03-03", False), ("2099-12-31", False)])
def test_future_dates(published: str, ok: bool) -> None:
    day = date.fromisoformat(published)
    if ok:
        check_not_future(day, TODAY, HoldPolicy(), explicit=False, origin="f.xml")
        return
    with pytest.raises(ImplausibleListError, match=f"published on {published}"):
        check_not_future(day, TODAY, HoldPolicy(), explicit=False, origin="f.xml")
    with pytest.raises(UsageError, match=f"--published {published} is in the future"):
        check_not_future(day, TODAY, HoldPolicy(), explicit=True, origin="f.xml")


def test_tolerance_is_configurable() -> None:
    check_not_future(date(2026, 3, 4), TODAY, HoldPolicy(future_days=3), explicit=True,
                     origin="x")
    with pytest.raises(UsageError, match="between 0 and 1"):
        HoldPolicy(max_removed=1.5)
