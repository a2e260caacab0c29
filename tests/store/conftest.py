"""The store suite runs against SQLite and PostgreSQL alike.

PostgreSQL: ``EMBARGO_TEST_DATABASE_URL`` or the local server; each test gets a
fresh, uniquely named schema that is dropped afterwards. Unreachable servers
skip the PostgreSQL cases, except under ``CI`` where they fail.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest

from embargo.model.builder import EntityBuilder
from embargo.model.entity import Entity, IdKind, NameKind, Program, Schema
from embargo.store import Store
from embargo.store.types import Snapshot

EntityFactory = Callable[..., Entity]


def build(native_id: str, name: str, *, source: str = "test-list", schema: Schema = Schema.PERSON,
          aliases: tuple[str, ...] = (), program: str | None = None,
          passport: str | None = None, remark: str | None = None) -> Entity:
    """A small entity built the way parsers build them."""
    builder = EntityBuilder(source, native_id, schema)
    builder.add_name(name)
    for alias in aliases:
        builder.add_name(alias, NameKind.ALIAS)
    if program:
        builder.add_program(Program(program, program))
    if passport:
        builder.add_identifier(IdKind.PASSPORT, passport, country="Russia")
    builder.add_remark(remark)
    return builder.build()


@pytest.fixture
def make() -> EntityFactory:
    """:func:`build`, for test modules (they cannot import conftest)."""
    return build


@pytest.fixture
def ents(make: EntityFactory) -> dict[str, Entity]:
    """Versions of three entities: A1 -> A2 (alias) -> A3 (program, remark); B1 -> B2."""
    return {
        "A1": make("1", "Ivan Petrov", program="RUSSIA-EO14024"),
        "A2": make("1", "Ivan Petrov", aliases=("Ivan Petroff",), program="RUSSIA-EO14024"),
        "A3": make("1", "Ivan Petrov", aliases=("Ivan Petroff",), program="UKRAINE-EO13662",
                   remark="relisted"),
        "B1": make("2", "Acme Trading LLC"),
        "B2": make("2", "Acme Trading LLC", passport="X1"),
        "C1": make("3", "Zhang Wei", passport="E1234567"),
    }


@pytest.fixture
def add(store: Store) -> Callable[..., Snapshot]:
    """Add a snapshot of "test-list" published on ``day`` holding ``entities``."""
    def _add(day: str, *entities: Entity, source: str = "test-list") -> Snapshot:
        return store.add_snapshot(
            source=source, kind="test", published=date.fromisoformat(day),
            content_hash=f"hash-{source}-{day}-{uuid.uuid4().hex[:8]}", parser_version="1",
            entities=entities, counts={"entities": len(entities)}, label=f"{day}.xml",
            files=(f"{day}.xml",))
    return _add
