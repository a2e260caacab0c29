"""Everything one worker process holds: store, keys, limiter, audit writer, index holder."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from typing import Any, TypeVar

from fastapi import Request

from embargo.deadline import deadline
from embargo.errors import EmbargoError, error_body
from embargo.service.algorithm import algorithm_version
from embargo.service.audit import AuditWriter, purge_old
from embargo.service.auth import KeyCache, authenticate
from embargo.service.checking import ListViews
from embargo.service.config import ServiceConfig
from embargo.service.errors import SCREEN_CPU, Timeout, received_body
from embargo.service.holder import IndexHolder, Loaded
from embargo.service.ratelimit import RateLimiter
from embargo.settings import Settings
from embargo.store import Store
from embargo.store.audit import AuditStore, ScreeningRecord
from embargo.store.keys import KeyStore

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class ServiceState:
    settings: Settings
    config: ServiceConfig
    store: Store
    keys: KeyStore
    key_cache: KeyCache
    limiter: RateLimiter
    audit_store: AuditStore
    audit: AuditWriter
    holder: IndexHolder
    executor: ThreadPoolExecutor
    views: ListViews  # list views for /check, per snapshot set
    _stop: threading.Event = field(default_factory=threading.Event)
    _purger: threading.Thread | None = None

    @classmethod
    def open(cls, settings: Settings, config: ServiceConfig) -> ServiceState:
        store = Store.open(settings.store_url)
        keys = KeyStore(store.engine)
        audit_store = AuditStore(store.engine, config.audit_sync)
        holder = IndexHolder(store, config.index_cache)
        return cls(
            settings=settings, config=config, store=store, keys=keys,
            key_cache=KeyCache(keys, config.key_cache_seconds),
            limiter=RateLimiter(config.rate_per_second, config.rate_burst),
            audit_store=audit_store,
            audit=AuditWriter(audit_store, flush_ms=config.audit_flush_ms,
                              batch=config.audit_batch, mode=config.audit_mode,
                              writers=audit_writers(config, store)),
            holder=holder,
            executor=ThreadPoolExecutor(config.screen_threads, thread_name_prefix="embargo-screen"),
            views=ListViews(store, holder),
        )

    def start(self, load_index: bool = True) -> None:
        """Purge old audit records, start the writer, load the index, start polling."""
        self.purge()
        self.audit.start()
        if load_index:
            threading.Thread(target=self._first_load, name="embargo-index-load",
                             daemon=True).start()
        self._purger = threading.Thread(target=self._purge_loop, name="embargo-audit-purge",
                                        daemon=True)
        self._purger.start()

    def _first_load(self) -> None:
        try:
            self.holder.refresh()
        except EmbargoError as exc:
            self.holder.last_error = exc.message
            log.error("could not load the screening index: %s", exc.message)
        self.holder.start_polling(self.config.refresh_interval)

    def purge(self) -> int:
        try:
            return purge_old(self.audit_store, self.config.audit_retention_days)
        except EmbargoError as exc:
            log.error("audit purge failed: %s", exc.message)
            return 0

    def _purge_loop(self) -> None:
        while not self._stop.wait(self.config.purge_interval):
            self.purge()

    def close(self) -> None:
        """Stop polling, flush the audit trail, close the store."""
        self._stop.set()
        self.holder.stop()
        self.audit.stop()
        self.audit_store.close()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.store.close()

    async def run(self, func: Callable[..., T], *args: Any, inline: bool = False) -> T:
        """Run blocking screening work, bounded by the request timeout.

        ``func`` gets a ``deadline`` keyword (monotonic seconds) to stop early on its own, and
        runs under :func:`embargo.deadline.deadline`: the checkpoints of the query path stop
        it there, so a timed-out request frees its thread instead of running on. It runs in
        the screening pool, or, with ``inline`` (work known to be small: one short query, about
        a millisecond), on the event loop's thread, which saves two thread hand-offs that cost
        as much CPU as the work itself. Its CPU time is added to :data:`SCREEN_CPU`.
        """
        timeout = self.config.request_timeout
        at = time.monotonic() + timeout
        what = f"the request ({timeout:g} s, EMBARGO_REQUEST_TIMEOUT)"
        call = partial(_under_deadline, at, what, partial(func, *args, deadline=at))
        if inline:
            result, cpu = call()
        else:
            loop = asyncio.get_running_loop()
            try:
                result, cpu = await asyncio.wait_for(loop.run_in_executor(self.executor, call),
                                                     timeout + 0.25)
            except TimeoutError:
                raise Timeout("the request took longer than allowed "
                              f"({timeout:g} s, EMBARGO_REQUEST_TIMEOUT)") from None
        SCREEN_CPU.set((SCREEN_CPU.get() or 0.0) + cpu)
        return result

    async def audited(self, request: Request, endpoint: str,
                      loaded: Loaded | tuple[int, ...], payload: dict[str, Any],
                      body: dict[str, Any], *,
                      dataset: str | None = None, threshold: float | None = None,
                      limit: int = 0, as_of: date | None = None) -> dict[str, Any]:
        """Record the screening in the audit trail; the response body with its id first.

        ``loaded`` is the index screened, or the snapshot ids used (``/check``).
        """
        snapshot_ids = loaded if isinstance(loaded, tuple) else loaded.snapshot_ids
        screening_id = uuid.uuid4().hex
        response = {"id": screening_id, **body}
        key = getattr(request.state, "api_key", None)
        record = ScreeningRecord(
            id=screening_id, key_id=key.id if key else None, created_at=datetime.now(UTC),
            endpoint=endpoint, dataset=dataset, snapshot_ids=snapshot_ids,
            algorithm=algorithm_version(), threshold=threshold, limit=limit, as_of=as_of,
            request=payload, response=response)
        await self.audit.submit(record)
        return response

    async def rejected(self, request: Request, error: EmbargoError) -> EmbargoError:
        """Audit a refused screening request; the error to answer (with the record's id).

        Refusals (400, 404, 422, timeouts) of ``/screen``, ``/match``, ``/search`` and
        ``/check`` from a valid key are recorded with what was received and the error sent
        back, and no snapshots (nothing was searched). A body FastAPI could not parse is
        refused before the key is checked: the key is checked here, and its error wins.
        """
        endpoint = audited_endpoint(request.url.path)
        if endpoint is None or not (error.http_status in REFUSALS or error.code == "timeout"):
            return error
        key = getattr(request.state, "api_key", None)
        if key is None:
            try:
                key = await authenticate(request, self.key_cache, self.limiter, "screen")
            except EmbargoError as refused:
                return refused
        screening_id = uuid.uuid4().hex
        error.details["screening_id"] = screening_id
        record = ScreeningRecord(
            id=screening_id, key_id=key.id, created_at=datetime.now(UTC), endpoint=endpoint,
            dataset=request.path_params.get("dataset"), snapshot_ids=(),
            algorithm=algorithm_version(), threshold=None, limit=0, as_of=None,
            request={"received": received_body(request),
                     "query": [list(item) for item in request.query_params.multi_items()]},
            response=error_body(error))
        try:
            await self.audit.submit(record)
        except EmbargoError as exc:
            del error.details["screening_id"]
            log.error("could not audit a refused %s request: %s", endpoint, exc.message)
        return error


def audit_writers(config: ServiceConfig, store: Store) -> int:
    """Threads committing audit batches: EMBARGO_AUDIT_WRITERS, else by store.

    On PostgreSQL a commit waits for the disk (milliseconds), and concurrent commits share one
    flush: several writers keep the next batch from waiting for the previous one. A SQLite
    file has one writer at a time, and its commits do not wait for the disk: one is enough.
    """
    if config.audit_writers:
        return config.audit_writers
    return 1 if store.engine.dialect.name == "sqlite" else POSTGRES_AUDIT_WRITERS


def _under_deadline(at: float, what: str, call: Callable[[], T]) -> tuple[T, float]:
    """The call's result and the CPU seconds its thread spent on it."""
    start = time.thread_time()
    with deadline(at, what):
        return call(), time.thread_time() - start


POSTGRES_AUDIT_WRITERS = 4
REFUSALS = frozenset({400, 404, 422})
_AUDITED = {"/screen": "screen", "/check": "check"}


def audited_endpoint(path: str) -> str | None:
    """The audit trail's name of a screening endpoint (None: not a screening endpoint)."""
    if path in _AUDITED:
        return _AUDITED[path]
    for prefix in ("match", "search"):
        if path.startswith(f"/{prefix}/"):
            return prefix
    return None


def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.embargo
    return state
