"""The SQLite write lock: one writer process at a time, none for PostgreSQL or memory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine

from embargo.store.writelock import WriteLock

TRY = ("import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR); "
       "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)")


def _other_process_can_lock(path: Path) -> bool:
    return subprocess.run([sys.executable, "-c", TRY, str(path)],
                          capture_output=True).returncode == 0


def test_a_sqlite_file_has_a_lock_file_held_across_processes(tmp_path: Path) -> None:
    lock = WriteLock.for_engine(create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    assert lock.path == tmp_path / "db.sqlite3-write.lock"
    with lock:
        assert not _other_process_can_lock(tmp_path / "db.sqlite3-write.lock")
    assert _other_process_can_lock(tmp_path / "db.sqlite3-write.lock")
    with lock:  # re-usable
        assert not _other_process_can_lock(tmp_path / "db.sqlite3-write.lock")


def test_no_lock_for_memory_or_postgres() -> None:
    assert WriteLock.for_engine(create_engine("sqlite://")).path is None
    pg = create_engine("postgresql+psycopg://u@127.0.0.1:1/x")
    assert WriteLock.for_engine(pg).path is None
    with WriteLock(None):
        pass
