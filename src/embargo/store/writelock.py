"""One writer at a time across processes for a SQLite file, woken as soon as the lock is free.

SQLite lets one connection write at a time. A connection that finds the write lock taken
waits in its busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25 ... 100 ms between tries:
under a steady stream of short transactions from several processes (the service's workers
each committing audit batches) a waiter can keep missing the short free windows, and one
commit waits far longer than the commits ahead of it (``bench/audit_contention.py`` saw over
a second with four processes). An exclusive ``flock`` on a file beside the database queues the
writers in the kernel instead, which wakes the next one when the holder releases it (or dies:
the kernel drops the lock of a killed process). Strict turns cost some peak throughput of
back-to-back commits (each hand-over wakes another process), far above the service's rate.

PostgreSQL and in-memory SQLite need no such lock (:meth:`WriteLock.for_engine` gives a no-op).
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine


class WriteLock:
    """A re-usable context manager: an exclusive lock on ``path`` (None: no lock)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._fd: int | None = None
        self._local = threading.Lock()  # threads of this process queue here first

    @classmethod
    def for_engine(cls, engine: Engine) -> WriteLock:
        """The lock for a SQLite file (``<database>-write.lock``); a no-op lock otherwise."""
        database = engine.url.database
        if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
            return cls(None)
        return cls(Path(database).expanduser().with_name(Path(database).name + "-write.lock"))

    def __enter__(self) -> None:
        if self.path is None:
            return
        self._local.acquire()
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._local.release()
            raise

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.path is None or self._fd is None:
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._local.release()
