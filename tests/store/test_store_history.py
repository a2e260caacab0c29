"""Entity state as of a date, entity history and snapshot diffs (both backends)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from embargo.errors import NotFoundError
from embargo.model.entity import Entity
from embargo.store import EntityChange, HistoryEvent, SnapshotDiff, Store
from embargo.store.types import Snapshot

Add = Callable[..., Snapshot]
Ents = dict[str, Entity]
A_ID, B_ID, C_ID = "test-list:1", "test-list:2", "test-list:3"


@pytest.fixture
def timeline(add: Add, ents: Ents) -> dict[str, Snapshot]:
    """A listed, changed, removed, relisted changed; imported out of order."""
    return {
        "s4": add("2021-04-01", ents["A3"], ents["B1"]),  # A relisted, changed again
        "s1": add("2021-01-01", ents["A1"], ents["B1"]),
        "s3": add("2021-03-01", ents["B1"], ents["C1"]),  # A removed, C added
        "s2": add("2021-02-01", ents["A2"], ents["B1"]),  # A changed
    }


def test_history_added_changed_removed_readded(store: Store,
                                               timeline: dict[str, Snapshot]) -> None:
    s = timeline
    assert store.history(A_ID) == [
        HistoryEvent(s["s1"], "added"),
        HistoryEvent(s["s2"], "changed", ("names",)),
        HistoryEvent(s["s3"], "removed"),
        HistoryEvent(s["s4"], "added"),
    ]
    assert store.history(B_ID) == [HistoryEvent(s["s1"], "added")]
    assert store.history(C_ID) == [HistoryEvent(s["s3"], "added"),
                                   HistoryEvent(s["s4"], "removed")]


def test_history_change_after_relisting(store: Store, add: Add, ents: Ents) -> None:
    s1 = add("2021-01-01", ents["A2"])
    add("2021-02-01", ents["B1"])
    s3 = add("2021-03-01", ents["A3"])
    events = store.history(A_ID)
    assert [e.change for e in events] == ["added", "removed", "added"]
    assert events[0].snapshot == s1 and events[2].snapshot == s3
    s4 = add("2021-04-01", ents["A1"])
    assert store.history(A_ID)[-1] == HistoryEvent(s4, "changed",
                                                   ("names", "programs", "remarks"))


def test_unknown_entity_not_found(store: Store, add: Add, ents: Ents) -> None:
    add("2021-01-01", ents["A1"])
    with pytest.raises(NotFoundError, match="nobody"):
        store.history("test-list:nobody")
    with pytest.raises(NotFoundError, match="nobody"):
        store.entity_as_of("test-list:nobody")


@pytest.mark.parametrize(
    ("as_of", "listed", "version", "snapshot", "first", "last"),
    [
        ("2020-12-31", False, None, None, None, None),  # before the source's first snapshot
        ("2021-01-01", True, "A1", "s1", "s1", "s1"),
        ("2021-02-15", True, "A2", "s2", "s1", "s2"),
        ("2021-03-01", False, "A2", "s3", "s1", "s2"),  # removed: last version seen
        ("2021-03-31", False, "A2", "s3", "s1", "s2"),
        ("2021-04-01", True, "A3", "s4", "s1", "s4"),  # relisted
        (None, True, "A3", "s4", "s1", "s4"),
    ],
)
def test_entity_as_of(store: Store, timeline: dict[str, Snapshot], ents: Ents,
                      as_of: str | None, listed: bool, version: str | None,
                      snapshot: str | None, first: str | None, last: str | None) -> None:
    state = store.entity_as_of(A_ID, date.fromisoformat(as_of) if as_of else None)
    assert state.entity_id == A_ID
    assert state.listed is listed
    assert state.entity == (ents[version] if version else None)
    assert state.snapshot == (timeline[snapshot] if snapshot else None)
    assert state.first_seen == (timeline[first] if first else None)
    assert state.last_seen == (timeline[last] if last else None)


def test_entity_as_of_not_yet_listed(store: Store, timeline: dict[str, Snapshot]) -> None:
    state = store.entity_as_of(C_ID, date(2021, 2, 1))
    assert not state.listed and state.entity is None and state.first_seen is None
    assert state.snapshot == timeline["s2"]


def test_diff_added_removed(store: Store, timeline: dict[str, Snapshot]) -> None:
    s = timeline
    diff = store.diff(s["s1"], s["s3"])
    assert (diff.source, diff.old, diff.new) == ("test-list", s["s1"], s["s3"])
    assert diff.added == (EntityChange(C_ID, "Zhang Wei", "added"),)
    assert diff.removed == (EntityChange(A_ID, "Ivan Petrov", "removed"),)
    assert diff.changed == ()
    back = store.diff(s["s3"], s["s4"])
    assert back.added == (EntityChange(A_ID, "Ivan Petrov", "added"),)
    assert back.removed == (EntityChange(C_ID, "Zhang Wei", "removed"),)


def test_diff_changed_fields(store: Store, add: Add, ents: Ents) -> None:
    old = add("2021-01-01", ents["A1"], ents["B1"], ents["C1"])
    new = add("2021-02-01", ents["A3"], ents["B2"], ents["C1"])
    diff = store.diff(old, new)
    assert diff.added == () and diff.removed == ()
    assert diff.changed == (
        EntityChange(A_ID, "Ivan Petrov", "changed", ("names", "programs", "remarks")),
        EntityChange(B_ID, "Acme Trading LLC", "changed", ("identifiers",)),
    )
    assert store.diff(old, old) == SnapshotDiff("test-list", old, old, (), (), ())
