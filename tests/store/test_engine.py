"""URLs, engines and database error mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from embargo.errors import StoreError
from embargo.store import Store
from embargo.store.engine import normalise_url, safe_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://u@h/db?sslmode=require", "postgresql+psycopg://u@h/db?sslmode=require"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///tmp/x.sqlite3", "sqlite:///tmp/x.sqlite3"),
        ("sqlite://", "sqlite://"),
        ("/var/lib/embargo/store.sqlite3", "sqlite:////var/lib/embargo/store.sqlite3"),
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_safe_url_masks_password() -> None:
    shown = safe_url("postgresql+psycopg://alice:s3cret@db.example/prod")
    assert "s3cret" not in shown and "alice" in shown and "db.example" in shown


def test_unreachable_postgres_is_store_error_without_password() -> None:
    url = "postgresql://alice:s3cret@127.0.0.1:1/nowhere?connect_timeout=2"
    with pytest.raises(StoreError) as info:
        Store.open(url)
    assert "s3cret" not in str(info.value)
    assert "127.0.0.1" in info.value.message and "nowhere" in info.value.message


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url://x"])
def test_unsupported_url(url: str) -> None:
    with pytest.raises(StoreError):
        Store.open(url)


def test_sqlite_file_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "store.sqlite3"
    with Store.open(f"sqlite:///{path}") as store:
        assert store.schema_version() >= 1
    assert path.is_file()


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "s.sqlite3")) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_in_memory_sqlite_keeps_its_data() -> None:
    with Store.open("sqlite://") as store:
        assert store.schema_version() >= 1 and store.snapshots() == []


def test_database_error_on_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"junk\.sqlite3"):
        Store.open(str(path))
