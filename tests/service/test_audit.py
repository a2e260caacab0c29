"""The audit trail: batched writer (commit and queue modes), reading back, retention."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from embargo.errors import NotFoundError, StoreError
from embargo.service.audit import AuditWriter, purge_old
from embargo.store import Store
from embargo.store.audit import AuditStore, ScreeningRecord


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def audit_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AuditStore]:
    url = (f"sqlite:///{tmp_path / 's.db'}" if request.param == "sqlite"
           else str(request.getfixturevalue("pg_url")))
    with Store.open(url) as store:
        yield AuditStore(store.engine)


def record(n: int, age_days: float = 0) -> ScreeningRecord:
    return ScreeningRecord(
        id=f"r{n}", key_id="k1", created_at=datetime.now(UTC) - timedelta(days=age_days),
        endpoint="screen", dataset=None, snapshot_ids=(1, 2), algorithm="embargo-test",
        threshold=0.75, limit=10, as_of=None, request={"body": {"queries": [{"n": 2**70}]}},
        response={"id": f"r{n}", "results": [{"score": 0.9}]})


def test_commit_mode_is_durable_on_return(audit_store: AuditStore) -> None:
    writer = AuditWriter(audit_store, flush_ms=5, batch=50, mode="commit")
    writer.start()

    async def many() -> None:
        await asyncio.gather(*(writer.submit(record(i)) for i in range(40)))
        assert audit_store.count() == 40  # committed before submit returned

    asyncio.run(many())
    writer.stop()
    got = audit_store.get("r7")
    assert got.request == {"body": {"queries": [{"n": 2**70}]}}
    assert got.snapshot_ids == (1, 2) and got.response["results"][0]["score"] == 0.9
    with pytest.raises(NotFoundError):
        audit_store.get("nope")


def test_several_writers_commit_every_record_before_answering(
        audit_store: AuditStore) -> None:
    writer = AuditWriter(audit_store, flush_ms=0, batch=3, mode="commit", writers=3)
    writer.start()
    assert len({t.ident for t in writer._threads}) == 3

    async def one(i: int) -> None:
        await writer.submit(record(i))
        audit_store.get(f"r{i}")  # committed before submit returned

    async def many() -> None:
        await asyncio.gather(*(one(i) for i in range(60)))

    asyncio.run(many())
    started = time.monotonic()
    writer.stop()  # every thread gets its stop marker
    assert time.monotonic() - started < 5 and not writer._threads
    assert audit_store.count() == 60 and writer.written == 60


def test_queue_mode_flushes_on_stop_with_several_writers(audit_store: AuditStore) -> None:
    writer = AuditWriter(audit_store, flush_ms=10_000, batch=1000, mode="queue", writers=2)
    writer.start()

    async def many() -> None:
        await asyncio.gather(*(writer.submit(record(i)) for i in range(7)))

    asyncio.run(many())
    writer.stop()
    assert audit_store.count() == 7


def test_queue_mode_flushes_on_stop(audit_store: AuditStore) -> None:
    writer = AuditWriter(audit_store, flush_ms=10_000, batch=1000, mode="queue")
    writer.start()

    async def many() -> None:
        await asyncio.gather(*(writer.submit(record(i)) for i in range(5)))

    asyncio.run(many())
    writer.stop()
    assert audit_store.count() == 5


class Broken(AuditStore):
    def __init__(self) -> None:
        pass

    def write_many(self, records: Sequence[ScreeningRecord]) -> None:
        raise StoreError("database down")


def test_commit_mode_fails_the_request_when_the_store_fails() -> None:
    writer = AuditWriter(Broken(), flush_ms=1, mode="commit")
    writer.start()
    with pytest.raises(StoreError, match="database down"):
        asyncio.run(writer.submit(record(1)))
    writer.stop()


def test_submit_refused_when_not_running(audit_store: AuditStore) -> None:
    with pytest.raises(StoreError):
        asyncio.run(AuditWriter(audit_store).submit(record(1)))


def test_retention(audit_store: AuditStore) -> None:
    audit_store.write_many([record(1, age_days=40), record(2, age_days=10), record(3)])
    assert purge_old(audit_store, 0) == 0
    assert purge_old(audit_store, 30) == 1
    assert audit_store.count() == 2


def test_a_record_that_cannot_be_stored_fails_only_itself(audit_store: AuditStore) -> None:
    """A lone surrogate is stored as its JSON escape; a record the store refuses anyway
    (here: one refused by a wrapped store) fails only its own request, not its batch."""

    class Picky(AuditStore):
        def write_many(self, records: Sequence[ScreeningRecord]) -> None:
            if any(r.id.startswith("bad") for r in records):
                raise StoreError("refused")
            super().write_many(records)

    writer = AuditWriter(Picky(audit_store.engine), flush_ms=50, batch=100, mode="commit")
    writer.start()
    surrogate = replace(record(99), id="odd", request={"body": {"name": "\ud800Putin"}})

    async def many() -> list[BaseException | None]:
        records = [record(i) for i in range(10)] + [replace(record(0), id="bad"), surrogate]
        return await asyncio.gather(*(writer.submit(r) for r in records),
                                    return_exceptions=True)

    outcomes = asyncio.run(many())
    writer.stop()
    assert outcomes[:10] == [None] * 10 and outcomes[11] is None
    assert isinstance(outcomes[10], StoreError)
    assert audit_store.count() == 11
    assert audit_store.get("odd").request == {"body": {"name": "\ud800Putin"}}


@pytest.mark.parametrize(("sync", "expected"), [("", "stored"), ("stored", "stored"),
                                                 ("flush", "flush")])
def test_audit_sync_on_sqlite(tmp_path: Path, sync: str, expected: str) -> None:
    """SQLite: "stored" keeps the engine's synchronous=NORMAL (1), "flush" is FULL (2) on the
    audit connection only; the connection goes back to the pool as NORMAL."""
    with Store.open(f"sqlite:///{tmp_path / 'a.sqlite3'}") as store:
        audit = AuditStore(store.engine, sync)
        assert audit.sync == expected
        audit.write_many([record(1)])
        level = audit._idle[0].conn.cursor().execute("PRAGMA synchronous").fetchone()[0]
        assert level == (2 if expected == "flush" else 1)
        audit.close()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1
        assert audit.count() == 1


@pytest.mark.postgres
@pytest.mark.parametrize("sync", ["stored", "flush"])
def test_audit_sync_on_postgres(pg_url: str, sync: str) -> None:
    """PostgreSQL: "stored" turns synchronous_commit off for the audit transactions only
    (SET LOCAL): the session, and any pooled connection, keeps the server's setting."""
    with Store.open(pg_url) as store:
        audit = AuditStore(store.engine, sync)
        assert AuditStore(store.engine).sync == "flush"
        audit.write_many([record(1), record(2)])
        audit.write_many([record(3)])
        cursor = audit._idle[0].conn.cursor()
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
        audit.close()
        assert audit.count() == 3
