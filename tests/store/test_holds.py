"""Held snapshots are stored but invisible to every in-force query until released."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from embargo.errors import DuplicateSnapshotError, UsageError
from embargo.model.entity import Entity
from embargo.store import Snapshot, Store, ledger

Add = Callable[..., Snapshot]


def _held(store: Store, day: str, *entities: Entity, reason: str = "test") -> Snapshot:
    return store.add_snapshot(
        source="test-list", kind="test", published=date.fromisoformat(day),
        content_hash=f"held-{day}", parser_version="1", entities=entities, counts={},
        held=reason)


def test_held_snapshot_is_not_in_force(store: Store, add: Add,
                                       ents: dict[str, Entity]) -> None:
    s1 = add("2021-01-01", ents["A1"], ents["B1"])
    s2 = _held(store, "2021-02-01", ents["B1"], reason="removes 50%")
    assert s2.held == "removes 50%"
    assert store.latest_snapshot("test-list") == s1
    assert [s.id for s in store.snapshots_as_of(None)] == [s1.id]
    assert [s.id for s in store.snapshots_as_of(date(2021, 3, 1))] == [s1.id]
    state = store.entity_as_of(ents["A1"].id)
    assert state.listed and state.snapshot == s1  # still listed: the removal is held
    assert [e.change for e in store.history(ents["A1"].id)] == ["added"]
    assert [s.id for s in store.held_snapshots()] == [s2.id]
    assert [s.held for s in store.snapshots()] == [None, "removes 50%"]


def test_release_puts_it_in_force_and_is_logged(store: Store, add: Add,
                                                ents: dict[str, Entity]) -> None:
    add("2021-01-01", ents["A1"], ents["B1"])
    s2 = _held(store, "2021-02-01", ents["B1"])
    released = store.release(s2.id, "alice")
    assert released.held is None and store.held_snapshots() == []
    assert store.latest_snapshot("test-list") == released
    assert not store.entity_as_of(ents["A1"].id).listed
    with store.engine.connect() as conn:
        last = ledger.records(conn)[-1]
    assert (last.event, last.snapshot_id, last.body["released_by"]) == ("release", s2.id,
                                                                        "alice")


def test_release_refuses_what_is_not_held(store: Store, add: Add,
                                          ents: dict[str, Entity]) -> None:
    s1 = add("2021-01-01", ents["A1"])
    with pytest.raises(UsageError, match="is not held"):
        store.release(s1.id, "alice")
    s2 = _held(store, "2021-02-01", ents["B1"])
    with pytest.raises(UsageError, match="--user"):
        store.release(s2.id, " ")


def test_same_content_twice_at_once_is_stored_once(store: Store,
                                                   ents: dict[str, Entity]) -> None:
    def add() -> str:
        try:
            store.add_snapshot(source="test-list", kind="test", published=date(2021, 1, 1),
                               content_hash="same", parser_version="1",
                               entities=[ents["A1"], ents["B1"]], counts={})
            return "created"
        except DuplicateSnapshotError:
            return "duplicate"

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(lambda _: add(), range(4)))
    assert outcomes == ["created", "duplicate", "duplicate", "duplicate"]
    assert len(store.snapshots()) == 1 and store.verify().ok
