"""Engines for SQLite and PostgreSQL, URL clean-up and database error mapping."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from embargo.errors import StoreError

log = logging.getLogger(__name__)

BEGIN_OPTION = "embargo_sqlite_begin"  # execution option: "DEFERRED" / "IMMEDIATE" / "EXCLUSIVE"
_PG_PREFIXES = ("postgres://", "postgresql://")
_PG_DRIVER = "postgresql+psycopg://"
_WAL_TIMEOUT = 30.0  # seconds a first open waits for other openers


def normalise_url(url: str) -> str:
    """Route plain PostgreSQL URLs to psycopg 3; a bare path means a SQLite file."""
    for prefix in _PG_PREFIXES:
        if url.startswith(prefix):
            return _PG_DRIVER + url[len(prefix):]
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser()}"
    return url


def safe_url(url: str | URL) -> str:
    """The URL for messages and logs, with any password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


def _use_wal(cursor: Any) -> None:
    """Switch a SQLite file to WAL once; concurrent first opens retry the switch.

    Changing the journal mode needs an exclusive lock, and SQLite may answer
    "database is locked" at once rather than wait in its busy handler when
    several connections open a new file together.
    """
    deadline = time.monotonic() + _WAL_TIMEOUT
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _sqlite_engine(url: URL) -> Engine:
    if _is_memory(url):
        engine = create_engine(url, poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    else:
        Path(str(url.database)).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_conn.cursor()
        for pragma in ("busy_timeout=30000", "synchronous=NORMAL", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        _use_wal(cursor)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def make_engine(url: str) -> Engine:
    """An engine for ``url`` (SQLite file/memory or PostgreSQL via psycopg)."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError as exc:
        raise StoreError(f"invalid database URL {safe_url(url)!r}") from exc
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.get_backend_name() != "postgresql":
        raise StoreError(f"unsupported database {safe_url(parsed)}: use sqlite or postgresql")
    return create_engine(parsed, pool_pre_ping=True)


def describe(exc: SQLAlchemyError) -> str:
    """The first line of the driver's message, without SQL text or parameters."""
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def guarded(engine: Engine, action: str) -> Iterator[None]:
    """Turn database failures into :class:`StoreError` naming the database."""
    try:
        yield
    except SQLAlchemyError as exc:
        message = f"database {safe_url(engine.url)}: {action} failed: {describe(exc)}"
        log.debug(message, exc_info=True)
        raise StoreError(message, database=safe_url(engine.url)) from exc
