"""Store behaviour, run against SQLite and PostgreSQL (see conftest)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Table, func, select

from embargo.errors import NotFoundError, StoreError, UsageError
from embargo.model.entity import Entity
from embargo.store import Store
from embargo.store.tables import entity_versions, snapshot_members, snapshots
from embargo.store.types import Snapshot

Add = Callable[..., Snapshot]
Make = Callable[..., Entity]
Ents = dict[str, Entity]


def _rows(store: Store, table: Table) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(table)) or 0)


def _add_raw(store: Store, entities: Any, content_hash: str = "h1",
             source: str = "test-list", day: date = date(2021, 1, 1)) -> Snapshot:
    return store.add_snapshot(source=source, kind="test", published=day,
                              content_hash=content_hash, parser_version="1",
                              entities=entities, counts={})


def test_add_snapshot_returns_stored_header(store: Store, add: Add, ents: Ents) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    snap = add("2021-08-18", ents["A1"], ents["B1"])
    assert (snap.source, snap.kind, snap.published) == ("test-list", "test", date(2021, 8, 18))
    assert snap.entity_count == 2 and snap.counts == {"entities": 2}
    assert snap.label == "2021-08-18.xml" and snap.files == ("2021-08-18.xml",)
    assert snap.parser_version == "1" and snap.imported_at.tzinfo is not None
    assert before <= snap.imported_at <= datetime.now(UTC) + timedelta(seconds=5)
    assert store.get_snapshot(snap.id) == snap
    assert store.snapshots() == [snap]


def test_add_is_atomic_when_entities_fail_midway(store: Store, make: Make) -> None:
    def entities() -> Iterator[Entity]:
        for i in range(5000):
            if i == 4500:
                raise RuntimeError("parser blew up")
            yield make(str(i), f"Person {i}")

    with pytest.raises(RuntimeError, match="parser blew up"):
        _add_raw(store, entities())
    assert store.snapshots() == []
    assert store.find_snapshot("test-list", "h1") is None
    assert [_rows(store, t) for t in (snapshots, entity_versions, snapshot_members)] == [0, 0, 0]


def test_duplicate_entity_id_rolls_back(store: Store, ents: Ents) -> None:
    with pytest.raises(StoreError, match="duplicate entity id 'test-list:1'"):
        _add_raw(store, [ents["A1"], ents["A2"]])
    assert store.snapshots() == [] and _rows(store, entity_versions) == 0


def test_find_snapshot_and_reimport_refused(store: Store, add: Add, ents: Ents) -> None:
    snap = add("2021-08-18", ents["A1"])
    assert store.find_snapshot("test-list", snap.content_hash) == snap
    assert store.find_snapshot("other-list", snap.content_hash) is None
    assert store.find_snapshot("test-list", "nope") is None
    with pytest.raises(StoreError, match="already exists"):
        _add_raw(store, [ents["B1"]], content_hash=snap.content_hash, day=date(2021, 8, 19))
    assert store.snapshots() == [snap]


def test_same_hash_in_another_source_is_allowed(store: Store, make: Make) -> None:
    for source in ("list-a", "list-b"):
        _add_raw(store, [make("1", "X", source=source)], content_hash="same", source=source)
    assert store.sources() == ["list-a", "list-b"]


def test_iter_entities_round_trips_exactly(store: Store, add: Add, ents: Ents,
                                           make: Make) -> None:
    uni = make("9", "Владимир Путин", aliases=("普京", "فلاديمير بوتين", "Ζήτα 😀"))
    stored = [ents["C1"], uni, ents["A2"], ents["B1"]]
    snap = add("2021-08-18", *stored)
    assert list(store.iter_entities(snap.id)) == sorted(stored, key=lambda e: e.id)
    assert store.entity_ids(snap.id) == {e.id for e in stored}


def test_missing_snapshot(store: Store) -> None:
    with pytest.raises(NotFoundError):
        list(store.iter_entities(999))
    with pytest.raises(NotFoundError):
        store.entity_ids(999)
    for missing in (999, 0, -1, 2**40):
        with pytest.raises(NotFoundError, match=str(missing)):
            store.get_snapshot(missing)


def test_snapshots_ordered_by_source_then_date(store: Store, add: Add, ents: Ents) -> None:
    late = add("2021-09-01", ents["A1"])
    early = add("2021-08-01", ents["A1"])
    other = add("2020-01-01", ents["B1"], source="another")
    assert store.snapshots() == [other, early, late]
    assert store.snapshots("test-list") == [early, late]
    assert store.snapshots("missing") == []


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2021-07-31", None),  # before the first
        ("2021-08-01", "first"),  # exact date
        ("2021-08-15", "first"),  # between
        ("2021-09-01", "second"),
        ("2030-01-01", "second"),
        (None, "second"),
    ],
)
def test_latest_snapshot_boundaries(store: Store, add: Add, ents: Ents, as_of: str | None,
                                    expected: str | None) -> None:
    made = {"first": add("2021-08-01", ents["A1"]), "second": add("2021-09-01", ents["A2"])}
    day = date.fromisoformat(as_of) if as_of else None
    assert store.latest_snapshot("test-list", day) == (made[expected] if expected else None)
    assert store.latest_snapshot("other-list", day) is None


def test_latest_prefers_last_import_of_same_day(store: Store, add: Add, ents: Ents) -> None:
    add("2021-08-01", ents["A1"])
    corrected = add("2021-08-01", ents["A2"])
    assert store.latest_snapshot("test-list") == corrected
    assert store.resolve_snapshot("test-list", "2021-08-01") == corrected


def test_snapshots_as_of_one_per_source(store: Store, add: Add, ents: Ents) -> None:
    a1, a2 = add("2021-01-01", ents["A1"]), add("2021-06-01", ents["A2"])
    b1 = add("2021-03-01", ents["B1"], source="b-list")
    assert store.snapshots_as_of(None) == [b1, a2]
    assert store.snapshots_as_of(date(2021, 3, 1)) == [b1, a1]
    assert store.snapshots_as_of(date(2021, 2, 1)) == [a1]
    assert store.snapshots_as_of(date(2020, 1, 1)) == []


def test_resolve_snapshot(store: Store, add: Add, ents: Ents) -> None:
    snap = add("2021-08-18", ents["A1"])
    other = add("2021-08-18", ents["B1"], source="other")
    assert store.resolve_snapshot("test-list", str(snap.id)) == snap
    assert store.resolve_snapshot("test-list", " 2021-08-18 ") == snap
    for ref in ("2021-08-19", str(other.id), "12345", "latest", "2021-02-30", "18/08/2021",
                "²", "99999999999999999999", "-1", ""):
        with pytest.raises(NotFoundError, match="test-list") as info:
            store.resolve_snapshot("test-list", ref)
        assert ref in info.value.message


def test_versions_are_stored_once(store: Store, add: Add, ents: Ents) -> None:
    add("2021-01-01", ents["A1"], ents["B1"])
    add("2021-02-01", ents["A1"], ents["B1"])
    add("2021-03-01", ents["A2"], ents["B1"])
    assert _rows(store, entity_versions) == 3
    assert _rows(store, snapshot_members) == 6


def test_ten_thousand_entities_import_fast(store: Store, make: Make) -> None:
    entities = [make(str(i), f"Person Number {i}", aliases=(f"Alias {i}",))
                for i in range(10_000)]
    started = time.perf_counter()
    snap = _add_raw(store, iter(entities), source="big")
    elapsed = time.perf_counter() - started
    assert snap.entity_count == 10_000
    assert elapsed < 5.0, f"10k import took {elapsed:.2f}s"
    assert sum(1 for _ in store.iter_entities(snap.id)) == 10_000


def test_diff_of_other_source_refused(store: Store, add: Add, ents: Ents) -> None:
    a, b = add("2021-01-01", ents["A1"]), add("2021-01-01", ents["B1"], source="b-list")
    with pytest.raises(UsageError):
        store.diff(a, b)
