"""What the writer puts in the tables (both backends)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from embargo.model.codec import content_hash, loads
from embargo.model.entity import Entity, Schema
from embargo.store import Store
from embargo.store.tables import entity_versions, snapshot_members
from embargo.store.types import Snapshot
from embargo.store.writer import BATCH

Make = Callable[..., Entity]


def test_version_rows_carry_hash_and_listing_columns(store: Store, add: Callable[..., Snapshot],
                                                     make: Make) -> None:
    ship = make("7", "Ocean Star", schema=Schema.VESSEL)
    person = make("8", "Анна Иванова")
    snap = add("2021-01-01", ship, person)
    with store.engine.connect() as conn:
        rows = conn.execute(select(entity_versions).order_by(entity_versions.c.entity_id)).all()
        members = conn.execute(select(snapshot_members.c.entity_id,
                                      snapshot_members.c.content_hash)
                               .where(snapshot_members.c.snapshot_id == snap.id)
                               .order_by(snapshot_members.c.entity_id)).all()
    assert [(r.entity_id, r.content_hash, r.source, r.schema, r.caption) for r in rows] == [
        (ship.id, content_hash(ship), "test-list", "Vessel", "Ocean Star"),
        (person.id, content_hash(person), "test-list", "Person", "Анна Иванова"),
    ]
    assert [loads(r.data) for r in rows] == [ship, person]
    assert [tuple(m) for m in members] == [(ship.id, content_hash(ship)),
                                           (person.id, content_hash(person))]


def test_several_batches(store: Store, add: Callable[..., Snapshot], make: Make) -> None:
    entities = [make(f"{i:05d}", f"Name {i}") for i in range(BATCH * 2 + 3)]
    snap = add("2021-01-01", *entities)
    assert snap.entity_count == len(entities)
    assert list(store.iter_entities(snap.id)) == entities
