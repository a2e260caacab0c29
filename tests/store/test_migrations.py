"""Migrations run once, re-opening is a no-op, concurrent opens are safe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select

from embargo.errors import StoreError
from embargo.store import Store
from embargo.store.engine import make_engine
from embargo.store.migrations import LATEST, MIGRATIONS, migrate
from embargo.store.tables import schema_migrations


def _recorded(store: Store) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.scalars(select(schema_migrations.c.version)
                                 .order_by(schema_migrations.c.version)))


def test_fresh_open_applies_all_once(store_url: str) -> None:
    with Store.open(store_url, migrate=False) as store:
        assert store.schema_version() == 0
    with Store.open(store_url) as store:
        assert store.schema_version() == LATEST
        assert _recorded(store) == [v for v, _, _ in MIGRATIONS]


def test_reopen_is_noop(store_url: str) -> None:
    Store.open(store_url).close()
    engine = make_engine(store_url)
    try:
        assert migrate(engine) == []
    finally:
        engine.dispose()
    with Store.open(store_url) as store:
        assert _recorded(store) == [v for v, _, _ in MIGRATIONS]


def test_concurrent_opens_migrate_once(store_url: str) -> None:
    def run(_: int) -> list[int]:
        engine = make_engine(store_url)
        try:
            return migrate(engine)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, range(4)))
    assert sorted(results, key=len) == [[], [], [], [v for v, _, _ in MIGRATIONS]]
    with Store.open(store_url) as store:
        assert _recorded(store) == [v for v, _, _ in MIGRATIONS]


def test_newer_schema_refused(store_url: str) -> None:
    with Store.open(store_url) as store, store.engine.begin() as conn:
        conn.execute(insert(schema_migrations).values(
            version=LATEST + 1, name="future", applied_at=datetime.now(UTC)))
    with pytest.raises(StoreError, match=f"schema version {LATEST + 1}"):
        Store.open(store_url)
