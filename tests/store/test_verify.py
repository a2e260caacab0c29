"""`verify` finds every hand edit: membership, entity rows, snapshot rows, log records, holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import delete, insert, select, update

from embargo.model.entity import Entity
from embargo.store import Snapshot, Store, ledger
from embargo.store.holds import snapshot_holds
from embargo.store.ledger import snapshot_log
from embargo.store.tables import entity_versions, snapshot_members, snapshots

Add = Callable[..., Snapshot]


@pytest.fixture
def filled(store: Store, add: Add, ents: dict[str, Entity]) -> dict[str, Snapshot]:
    s1 = add("2021-01-01", ents["A1"], ents["B1"])
    s2 = add("2021-02-01", ents["A2"], ents["B1"], ents["C1"])
    s3 = store.add_snapshot(
        source="test-list", kind="test", published=date(2021, 3, 1), content_hash="held-3",
        parser_version="1", entities=[ents["B2"]], counts={}, held="test hold")
    assert store.verify().ok, store.verify().problems
    return {"s1": s1, "s2": s2, "s3": s3}


def _run(store: Store, statement: object) -> None:
    with store.engine.begin() as conn:
        conn.execute(statement)  # type: ignore[call-overload]


def _first(store: Store) -> str:
    report = store.verify()
    assert not report.ok
    return report.problems[0]


def test_clean_store_verifies(store: Store, filled: dict[str, Snapshot]) -> None:
    report = store.verify()
    assert report.ok and report.records == 3 and report.snapshots == 3
    assert report.head != ledger.GENESIS and report.versions == 5


def test_deleted_membership_row_is_found(store: Store, filled: dict[str, Snapshot]) -> None:
    s2 = filled["s2"]
    _run(store, delete(snapshot_members).where(snapshot_members.c.snapshot_id == s2.id,
                                               snapshot_members.c.entity_id == "test-list:3"))
    problem = _first(store)
    assert f"snapshot #{s2.id}" in problem and "membership differs" in problem
    assert "2 rows stored, 3 logged" in problem


def test_added_membership_row_is_found(store: Store, filled: dict[str, Snapshot],
                                       ents: dict[str, Entity]) -> None:
    s1 = filled["s1"]
    with store.engine.begin() as conn:
        digest = conn.scalar(select(entity_versions.c.content_hash)
                             .where(entity_versions.c.entity_id == ents["C1"].id))
        conn.execute(insert(snapshot_members).values(
            snapshot_id=s1.id, entity_id=ents["C1"].id, content_hash=digest))
    assert f"snapshot #{s1.id}" in _first(store)


def test_edited_entity_row_is_found(store: Store, filled: dict[str, Snapshot]) -> None:
    with store.engine.begin() as conn:
        row = conn.execute(select(entity_versions)
                           .where(entity_versions.c.entity_id == "test-list:2")).first()
        assert row is not None
        conn.execute(update(entity_versions)
                     .where(entity_versions.c.entity_id == row.entity_id,
                            entity_versions.c.content_hash == row.content_hash)
                     .values(data=row.data.replace("Acme", "Acne")))
    problem = _first(store)
    assert problem.startswith("entity test-list:2") and "does not match its hash" in problem


def test_edited_caption_is_found(store: Store, filled: dict[str, Snapshot]) -> None:
    _run(store, update(entity_versions).where(entity_versions.c.entity_id == "test-list:3")
         .values(caption="Someone Else"))
    assert "caption differ" in _first(store)


def test_edited_snapshot_row_is_found(store: Store, filled: dict[str, Snapshot]) -> None:
    s1 = filled["s1"]
    _run(store, update(snapshots).where(snapshots.c.id == s1.id)
         .values(published=date(2022, 1, 1)))
    problem = _first(store)
    assert f"snapshot #{s1.id}" in problem and "published" in problem


@pytest.mark.parametrize("seq", [1, 2, 3])
def test_removed_log_record_is_found(store: Store, filled: dict[str, Snapshot],
                                     seq: int) -> None:
    _run(store, delete(snapshot_log).where(snapshot_log.c.seq == seq))
    problem = _first(store)
    if seq < 3:
        assert f"log record #{seq} is missing" in problem
    else:  # the last record: its snapshot is no longer logged
        assert f"snapshot #{filled['s3'].id}" in problem and "not logged" in problem


def test_edited_log_record_is_found(store: Store, filled: dict[str, Snapshot]) -> None:
    with store.engine.begin() as conn:
        body = conn.scalar(select(snapshot_log.c.body).where(snapshot_log.c.seq == 2))
        conn.execute(update(snapshot_log).where(snapshot_log.c.seq == 2)
                     .values(body=body.replace('"members":3', '"members":2')))
    assert "log record #2: digest does not match" in _first(store)


def test_removed_hold_is_found(store: Store, filled: dict[str, Snapshot]) -> None:
    s3 = filled["s3"]
    _run(store, delete(snapshot_holds).where(snapshot_holds.c.snapshot_id == s3.id))
    assert "its hold was removed" in _first(store)


def test_release_by_hand_is_found(store: Store, filled: dict[str, Snapshot]) -> None:
    s3 = filled["s3"]
    _run(store, update(snapshot_holds).where(snapshot_holds.c.snapshot_id == s3.id)
         .values(released_by="mallory", released_at=s3.imported_at))
    assert "released by mallory in the store, by nobody in the log" in _first(store)


def test_released_snapshot_verifies(store: Store, filled: dict[str, Snapshot]) -> None:
    store.release(filled["s3"].id, "alice")
    report = store.verify()
    assert report.ok, report.problems
    assert report.records == 4


def test_backfill_logs_unlogged_snapshots(store: Store, filled: dict[str, Snapshot]) -> None:
    """A store from before the log: the upgrade logs what it holds, then it verifies."""
    _run(store, delete(snapshot_holds))
    _run(store, delete(snapshot_log))
    assert "not logged" in _first(store)
    with store.engine.begin() as conn:
        assert ledger.backfill(conn) == 3
    assert store.verify().ok
