"""Shared test fixtures."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from embargo.settings import load_settings
from embargo.store import Store, normalise_url

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_base_url() -> str:
    """``EMBARGO_TEST_DATABASE_URL`` or the local server."""
    return normalise_url(os.environ.get("EMBARGO_TEST_DATABASE_URL") or DEFAULT_PG)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An engine on the test PostgreSQL server (skip, or fail under CI, if down)."""
    engine = create_engine(pg_base_url(), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = f"PostgreSQL unreachable at {make_url(pg_base_url())!r}: {exc.__class__.__name__}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    yield engine
    engine.dispose()


def fresh_schema_url(pg_admin: Engine, prefix: str) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped when the caller resumes."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with pg_admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(pg_base_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with pg_admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def pg_url(pg_admin: Engine) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema (dropped afterwards)."""
    yield from fresh_schema_url(pg_admin, "embargo_test")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store on SQLite, then on PostgreSQL (a fresh schema): store tests run on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'home' / 'store.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared data folder (``EMBARGO_SHARED``, default ``../shared``); skip if absent."""
    path = load_settings().shared
    if not (path / "data" / "lists").is_dir():
        pytest.skip(f"shared data not found at {path}")
    return path


@pytest.fixture(scope="session")
def lists_dir(shared: Path) -> Path:
    return shared / "data" / "lists"
