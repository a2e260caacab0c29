"""Versioned schema migrations, applied in order under a lock.

Each step runs once and is recorded in ``schema_migrations``. A step must never
change once released; later schema changes are new steps appended to
:data:`MIGRATIONS`. Concurrent openers serialise on a PostgreSQL advisory lock
or an exclusive SQLite transaction, then re-read what is applied.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, func, insert, inspect, select, text

from embargo.errors import StoreError
from embargo.store import tables
from embargo.store.engine import BEGIN_OPTION, guarded, safe_url

log = logging.getLogger(__name__)

_LOCK_KEY = 0x656D6261  # "emba": advisory lock id for migrations (PostgreSQL)


def _v1_initial(conn: Connection) -> None:
    """Snapshots, entity versions stored once, and snapshot membership."""
    wanted = [tables.snapshots, tables.entity_versions, tables.snapshot_members]
    tables.metadata.create_all(conn, tables=wanted)


def _v2_service(conn: Connection) -> None:
    """The screening service: API keys and the audit trail of screenings."""
    from embargo.store.audit import screenings
    from embargo.store.keys import api_keys

    tables.metadata.create_all(conn, tables=[api_keys, screenings])


def _v3_ownership(conn: Connection) -> None:
    """Dated ownership holdings for the 50% rule."""
    from embargo.store.ownership import ownership_holdings

    tables.metadata.create_all(conn, tables=[ownership_holdings])


def _v4_snapshot_log(conn: Connection) -> None:
    """The tamper-evident snapshot log and held snapshots; logs the snapshots stored so far."""
    from embargo.store.holds import snapshot_holds
    from embargo.store.ledger import backfill, snapshot_log

    tables.metadata.create_all(conn, tables=[snapshot_log, snapshot_holds])
    backfill(conn)


def _v5_monitoring(conn: Connection) -> None:
    """Customer monitoring: customers and versions, users, key owners, alerts and events."""
    from embargo.store.monitor_tables import MONITOR_TABLES

    tables.metadata.create_all(conn, tables=MONITOR_TABLES)


def _v6_customer_keys(conn: Connection) -> None:
    """The name keys of each customer version (delta runs); what changed alerts were raised on."""
    from embargo.store.monitor_tables import V6_TABLES

    tables.metadata.create_all(conn, tables=V6_TABLES)


def _v7_console(conn: Connection) -> None:
    """The web console: password hashes, sign-in sessions, alert assignments, queue indexes."""
    from embargo.console.tables import CONSOLE_TABLES, QUEUE_INDEXES

    tables.metadata.create_all(conn, tables=CONSOLE_TABLES)
    for index in QUEUE_INDEXES:
        index.create(conn, checkfirst=True)


def _v8_customer_witnesses(conn: Connection) -> None:
    """Each customer's witness key, so that delta runs skip the customers it proves need none."""
    from embargo.store.monitor_tables import V8_TABLES

    tables.metadata.create_all(conn, tables=V8_TABLES)


MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "initial", _v1_initial),
    (2, "service keys and audit", _v2_service),
    (3, "ownership holdings", _v3_ownership),
    (4, "snapshot log and holds", _v4_snapshot_log),
    (5, "customer monitoring and alerts", _v5_monitoring),
    (6, "customer name keys and alert origins", _v6_customer_keys),
    (7, "console sessions and passwords", _v7_console),
    (8, "customer witness keys", _v8_customer_witnesses),
)
LATEST = MIGRATIONS[-1][0]


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _applied(conn: Connection) -> set[int]:
    if not inspect(conn).has_table("schema_migrations"):
        tables.metadata.create_all(conn, tables=[tables.schema_migrations])
        return set()
    return set(conn.scalars(select(tables.schema_migrations.c.version)))


def current_version(conn: Connection) -> int:
    """The highest applied version (0 for an empty database)."""
    if not inspect(conn).has_table("schema_migrations"):
        return 0
    return int(conn.scalar(select(func.max(tables.schema_migrations.c.version))) or 0)


def migrate(engine: Engine) -> list[int]:
    """Apply pending migrations in one locked transaction; the versions applied."""
    done: list[int] = []
    with guarded(engine, "migration"), engine.connect() as conn:
        conn = conn.execution_options(**{BEGIN_OPTION: "EXCLUSIVE"})
        with conn.begin():
            _lock(conn)
            applied = _applied(conn)
            if applied and max(applied) > LATEST:
                raise StoreError(f"database {safe_url(engine.url)} has schema version "
                                 f"{max(applied)}, newer than this Embargo knows ({LATEST})")
            for version, name, step in MIGRATIONS:
                if version in applied:
                    continue
                log.info("applying store migration %d (%s)", version, name)
                step(conn)
                conn.execute(insert(tables.schema_migrations).values(
                    version=version, name=name, applied_at=datetime.now(UTC)))
                done.append(version)
    return done
