"""Fixtures of the console views: two real SDN snapshots in SQLite and PostgreSQL (imported once
per session), small lists, ownership holdings, alerts at chosen times, and golden SVG files."""

from __future__ import annotations

import os
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import orjson
import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from embargo.ingest.importer import import_path
from embargo.model.builder import EntityBuilder
from embargo.model.entity import Entity, Program, Schema
from embargo.store import Snapshot, Store
from embargo.store.monitor_tables import alert_events, alerts, customers

GOLDEN = Path(__file__).resolve().parent / "golden"
SDN_DAYS = ("2021-08-18", "2021-08-20")
SVG = "{http://www.w3.org/2000/svg}"


def check_svg(name: str, svg: str) -> ET.Element:
    """Assert ``svg`` parses as XML and equals ``golden/<name>.svg`` (EMBARGO_UPDATE_GOLDEN=1
    rewrites it); the parsed root."""
    root = ET.fromstring(svg)
    path = GOLDEN / f"{name}.svg"
    if os.environ.get("EMBARGO_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(svg + "\n", encoding="utf-8")
    assert path.exists(), f"golden {path} is missing: run with EMBARGO_UPDATE_GOLDEN=1"
    assert svg + "\n" == path.read_text(encoding="utf-8"), (
        f"golden {path.name} differs (EMBARGO_UPDATE_GOLDEN=1 rewrites it)")
    return root


def texts(root: ET.Element) -> list[str]:
    """Every ``<text>`` and ``<title>`` string of a parsed SVG, in document order."""
    return [e.text or "" for e in root.iter() if e.tag in (f"{SVG}text", f"{SVG}title")]


def listed(native_id: str, name: str, *, schema: Schema = Schema.COMPANY,
           program: str = "RUSSIA-EO14024", source: str = "test-list") -> Entity:
    b = EntityBuilder(source, native_id, schema)
    b.add_name(name)
    b.add_program(Program(program, program))
    return b.build()


def add_snapshot(store: Store, day: str, entities: list[Entity],
                 source: str = "test-list") -> Snapshot:
    return store.add_snapshot(source=source, kind="test", published=date.fromisoformat(day),
                              content_hash=f"{source}-{day}-{uuid.uuid4().hex[:8]}",
                              parser_version="test/1", entities=entities,
                              counts={"entities": len(entities)})


@pytest.fixture(scope="session")
def pg_schema_url(pg_admin: Engine) -> Iterator[str]:
    """A PostgreSQL URL on a fresh schema that lives for the whole session."""
    from conftest import fresh_schema_url  # the root conftest (tests/ is on sys.path)

    yield from fresh_schema_url(pg_admin, "embargo_views")


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgres",
                                                                 marks=pytest.mark.postgres)])
def sdn_store(request: pytest.FixtureRequest, lists_dir: Path,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """SDN 2021-08-18 and 2021-08-20 (the real files), imported once per session and store."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sdn') / 'store.sqlite3'}"
    else:
        url = str(request.getfixturevalue("pg_schema_url"))
    with Store.open(url) as store:
        for day in SDN_DAYS:
            import_path(store, lists_dir / "ofac-sdn" / "history" / f"sdn_{day}.csv")
        yield store


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02}:{minute:02}:00").replace(tzinfo=UTC)


class AlertSeeder:
    """Alerts and their events written straight to the tables, at chosen times."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.snapshot = add_snapshot(store, "2024-01-01", [listed("1", "Bank Rossiya")])
        self.count = 0
        with store.engine.begin() as conn:
            conn.execute(insert(customers).values(
                id="c1", version=1, content_hash="h", schema="Person", caption="C One",
                created_at=at("2024-01-01"), updated_at=at("2024-01-01")))

    def alert(self, created: datetime, *, source: str = "test-list",
              programs: tuple[str, ...] = ("RUSSIA-EO14024",), state: str = "open",
              events: tuple[tuple[datetime, str], ...] = (), pending: str | None = None) -> int:
        """One alert raised at ``created``, then moved to each (time, state) in ``events``."""
        self.count += 1
        with self.store.engine.begin() as conn:
            alert_id = int(conn.execute(insert(alerts).values(
                customer_id="c1", entity_id=f"test-list:{self.count}", seq=1, state=state,
                score=0.9, source=source, schema="Company", caption="X",
                programs=orjson.dumps(list(programs)).decode(), hit="{}",
                snapshot_id=self.snapshot.id, published=date(2024, 1, 1), entity_hash="e",
                customer_version=1, customer_hash="h", pending_decision=pending,
                created_at=created, updated_at=created, revision=1,
            ).returning(alerts.c.id)).scalar_one())
            rows = [{"alert_id": alert_id, "at": created, "action": "raised",
                     "to_state": "open"}]
            rows += [{"alert_id": alert_id, "at": when, "action": "decide", "to_state": to}
                     for when, to in events]
            conn.execute(insert(alert_events), rows)
        return alert_id
