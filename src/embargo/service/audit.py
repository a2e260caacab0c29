"""The batched audit writer: one background thread, one transaction per batch.

Requests hand their record to :meth:`AuditWriter.submit`. A batch is written when it holds
``batch`` records or its oldest record has waited ``flush_ms``; whatever is queued while a
batch is being written goes into the next one (group commit). When a batch fails, its records
are written one by one, so a record the store refuses fails only its own request.

The guarantee depends on the mode:

* ``commit`` (default): ``submit`` returns only once the batch holding the record has been
  committed to the store. A response is never sent for a screening the trail lacks; if the
  store cannot be written, the request fails with 503 and no result is returned.
* ``queue``: ``submit`` returns once the record is in the writer's in-memory queue. Faster,
  but records queued in the last ``flush_ms`` are lost if the process is killed hard (a
  normal shutdown flushes). Failed writes are retried until shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from embargo.errors import EmbargoError, StoreError
from embargo.store.audit import AuditStore, ScreeningRecord

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
WAIT_SECONDS = 30.0  # commit mode: a request waits at most this for its batch
SPLIT_GIVE_UP = 3  # a failed batch is retried record by record until this many fail in a row


@dataclass(slots=True)
class _Item:
    record: ScreeningRecord
    done: asyncio.Future[None] | None
    loop: asyncio.AbstractEventLoop | None


def _settle(item: _Item, error: BaseException | None) -> None:
    fut, loop = item.done, item.loop
    if fut is None or loop is None or loop.is_closed():
        return

    def settle() -> None:
        if fut.done():
            return
        if error is None:
            fut.set_result(None)
        else:
            fut.set_exception(error)

    loop.call_soon_threadsafe(settle)


class AuditWriter:
    """Batches screening records into the audit store from a background thread."""

    def __init__(self, store: AuditStore, *, flush_ms: float = 0.0, batch: int = 200,
                 mode: str = "commit", writers: int = 1) -> None:
        self.store = store
        self.flush = flush_ms / 1000.0
        self.batch = batch
        self.mode = mode
        self.writers = max(1, writers)
        self._queue: queue.Queue[_Item | None] = queue.Queue()
        self._pending: list[_Item] = []  # queue mode: records whose write failed
        self._lock = threading.Lock()  # guards _pending and written
        self._threads: list[threading.Thread] = []
        self.written = 0

    def start(self) -> None:
        """Start the writer threads: with several, a batch is taken while others commit."""
        if not self._threads:
            self._threads = [threading.Thread(target=self._run, name="embargo-audit",
                                              daemon=True) for _ in range(self.writers)]
            for thread in self._threads:
                thread.start()

    async def submit(self, record: ScreeningRecord) -> None:
        """Queue the record; in commit mode wait for its batch to commit (StoreError if not)."""
        if not any(t.is_alive() for t in self._threads):
            raise StoreError("the audit writer is not running")
        if self.mode != "commit":
            self._queue.put(_Item(record, None, None))
            return
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._queue.put(_Item(record, done, loop))
        try:
            await asyncio.wait_for(done, WAIT_SECONDS)
        except TimeoutError:
            raise StoreError(f"the audit record was not committed within {WAIT_SECONDS} s; "
                             "no result is returned") from None

    def stop(self) -> None:
        """Flush everything queued, then stop the threads."""
        if not self._threads:
            return
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=30)
        self._threads = []

    def _collect(self, first: _Item) -> tuple[list[_Item], bool]:
        """A batch starting with ``first``; whether the stop marker was seen."""
        items = [first]
        deadline = time.monotonic() + self.flush
        while len(items) < self.batch:
            wait = deadline - time.monotonic()
            try:
                item = self._queue.get(timeout=wait) if wait > 0 else self._queue.get_nowait()
            except queue.Empty:
                return items, False
            if item is None:
                return items, True
            items.append(item)
        return items, False

    def _run(self) -> None:
        stopping = False
        while not stopping:
            try:
                first = self._queue.get(timeout=RETRY_SECONDS if self._pending else None)
            except queue.Empty:
                self._write(self._take_pending())
                continue
            if first is None:
                break
            items, stopping = self._collect(first)
            self._write(self._take_pending() + items)
        self._drain()

    def _take_pending(self) -> list[_Item]:
        with self._lock:
            pending, self._pending = self._pending, []
        return pending

    def _drain(self) -> None:
        """On stop: write whatever is still queued or pending (one last attempt)."""
        items = self._take_pending()
        markers = 0  # the other threads' stop markers go back for them
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                markers += 1
            else:
                items.append(item)
        for _ in range(markers):
            self._queue.put(None)
        self._write(items, final=True)

    def _write(self, items: list[_Item], final: bool = False) -> None:
        if not items:
            return
        error = self._store(items)
        if error is not None and len(items) > 1:
            self._one_by_one(items, final)
            return
        for item in items:
            self._settle(item, error, final)

    def _one_by_one(self, items: list[_Item], final: bool) -> None:
        """After a failed batch: one record nobody can write must not sink the others.

        Each record is written alone; after SPLIT_GIVE_UP failures in a row the store is taken
        to be down and the rest fail with the same error without more attempts.
        """
        failures = 0
        error: EmbargoError | None = None
        for item in items:
            if failures < SPLIT_GIVE_UP:
                error = self._store([item])
                failures = failures + 1 if error is not None else 0
            self._settle(item, error, final)

    def _store(self, items: list[_Item]) -> EmbargoError | None:
        """Write the records in one transaction; the error if that failed."""
        try:
            self.store.write_many([i.record for i in items])
        except EmbargoError as exc:
            log.error("audit write of %d records failed: %s", len(items), exc.message)
            return exc
        except Exception as exc:  # the writer thread must survive anything
            log.exception("audit write of %d records failed", len(items))
            return StoreError(f"audit write failed: {type(exc).__name__}: {exc}")
        with self._lock:
            self.written += len(items)
        return None

    def _settle(self, item: _Item, error: EmbargoError | None, final: bool) -> None:
        if error is not None and item.done is None and not final:
            with self._lock:
                self._pending.append(item)  # queue mode: keep and retry
        else:
            _settle(item, error)


def purge_old(store: AuditStore, retention_days: int, now: datetime | None = None) -> int:
    """Delete audit records older than the retention period (0 days: keep everything)."""
    if retention_days <= 0:
        return 0
    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
    deleted = store.purge(cutoff)
    if deleted:
        log.info("purged %d audit records created before %s", deleted, cutoff.isoformat())
    return deleted
