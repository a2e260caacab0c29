"""Worker processes that screen chunks of records, results handed back in input order.

There is one saved index file (``$EMBARGO_HOME/index/<key>.idx``, built at most once, by
the parent, before the workers start): N workers never build N indexes. Where it can
(Linux, a parent running one thread), the parent loads it once, freezes it out of the
cyclic collector and forks the workers: they share its pages (copy on write) and start in
milliseconds instead of each loading the file (~2.5 CPU-seconds). Otherwise workers are
started fresh (``spawn``) and each loads the file. Either way a worker never touches the
parent's store connection. At most ``window`` chunks are in flight, so reading never runs
ahead of screening and memory stays flat in the input's size. A worker ignores Ctrl-C (the
parent decides) and exits by itself if its parent dies (``kill -9``).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from embargo.batch.collector import ChunkCollector
from embargo.batch.records import Record
from embargo.batch.rows import Options, Result, screen_records
from embargo.batch.sinks import encode
from embargo.batch.state import Counts
from embargo.memory import peak_rss_mb, pss_mb
from embargo.store import Snapshot

_WORKER: dict[str, Any] = {}
_PRELOADED: dict[Path, Any] = {}  # in the parent, for the workers it forks: the loaded index


@dataclass(frozen=True, slots=True)
class Job:
    """What every worker needs, sent once at its start."""

    index_path: Path
    snapshots: dict[str, Snapshot]
    header: tuple[str, ...] | None
    options: Options
    fmt: str


@dataclass(frozen=True, slots=True)
class Done:
    """A screened chunk: its first sequence number, payload for the sink, counts, memory."""

    first: int
    last: int
    payload: Any
    counts: Counts
    pid: int
    peak_mb: float
    cpu_s: float  # the worker's CPU time so far (start-up included)
    start_cpu_s: float  # of which its start-up (imports, loading the index)
    peak_pss_mb: float | None = None  # the largest proportional set size sampled so far


def _init(job: Job, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker has the parent's handler
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    _WORKER["job"] = job
    _WORKER["pss"] = PssSampler()
    _WORKER["collector"] = collector = ChunkCollector()
    collector.start()  # this process only: passes at chunk ends (see embargo.batch.collector)
    try:  # a failure here is reported by the first chunk (a pool would restart us forever)
        preloaded = _PRELOADED.get(job.index_path)  # forked: the parent's, shared
        _WORKER["screener"] = (load_screener(job.index_path) if preloaded is None
                               else preloaded)
    except Exception as exc:
        _WORKER["error"] = exc
    _WORKER["start_cpu"] = time.process_time()


def load_screener(index_path: Path) -> Any:
    """The saved index, loaded after the romanisers are warmed up (as the service does)."""
    from embargo.matching.screen import Screener
    from embargo.names import warm

    warm()
    return Screener.load(index_path)


def start_method() -> str:
    """``fork`` where it is safe (the platform has it and this process runs one thread:
    no lock can be held by a thread the child would not have), else ``spawn``."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _ready() -> int:
    return os.getpid()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)  # orphaned: the parent was killed


def screen_chunk(records: Sequence[Record]) -> Done:
    """In a worker: screen one chunk with the loaded index."""
    if "error" in _WORKER:
        raise _WORKER["error"]
    job: Job = _WORKER["job"]
    results = list(screen_records(_WORKER["screener"], job.snapshots, records, job.header,
                                  job.options))
    payload, counts = encode(job.fmt, results), tally(results)
    del results
    _WORKER["collector"].after(len(records))  # before the CPU time is read: it is counted
    return Done(records[0].seq, records[-1].seq, payload, counts, os.getpid(), peak_rss_mb(),
                time.process_time(), _WORKER["start_cpu"], _WORKER["pss"].sample())


def tally(results: Iterable[tuple[int, Result]]) -> Counts:
    counts = Counts()
    for _, result in results:
        counts.rows += 1
        counts.hits += len(result["hits"])
        counts.rows_with_hits += bool(result["hits"])
        counts.errors += bool(result["error"])
    return counts


class PssSampler:
    """The largest PSS seen, sampled at most every ``every`` seconds (a sample walks the
    page tables: ~20 ms for a worker holding the index, too dear for every chunk)."""

    def __init__(self, every: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.every, self.clock = every, clock
        self.peak: float | None = None
        self.last: float | None = None

    def sample(self) -> float | None:
        now = self.clock()
        if self.last is None or now - self.last >= self.every:
            self.last = now
            got = pss_mb()
            if got is not None:
                self.peak = max(self.peak or 0.0, got)
        return self.peak


def chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Workers:
    """A pool of screening processes; :meth:`map` keeps input order and a bounded window.

    A worker that dies (killed, out of memory) breaks the pool: the run stops with an
    error at its last checkpoint instead of waiting forever for the lost chunk.
    """

    def __init__(self, job: Job, workers: int, method: str | None = None) -> None:
        self.workers = workers
        self.method = method or start_method()
        self.index_path = job.index_path
        self.index_cpu_s = 0.0  # this process's CPU loading the index for its workers
        if self.method == "fork":
            cpu = time.process_time()
            _PRELOADED[job.index_path] = load_screener(job.index_path)
            self.index_cpu_s = time.process_time() - cpu
            gc.freeze()  # the children's collector never writes to the shared pages
        self.pool = ProcessPoolExecutor(workers, multiprocessing.get_context(self.method), _init,
                                        (job, os.getpid()))
        self.closed = False
        if self.method == "fork":  # fork now: one thread, before any signal handler is set
            try:
                self.pool.submit(_ready)
            except BaseException:
                self.close(wait=False)
                raise

    def map(self, batches: Iterable[list[Record]], window: int | None = None) -> Iterator[Done]:
        """Screened chunks in input order; at most ``window`` chunks in flight."""
        limit = window or 3 * self.workers
        pending: deque[Future[Done]] = deque()
        for batch in batches:
            pending.append(self.pool.submit(screen_chunk, batch))
            while pending and (len(pending) >= limit or pending[0].done()):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def close(self, wait: bool) -> None:
        if not self.closed:
            self.closed = True
            self.pool.shutdown(wait=wait, cancel_futures=True)
            if _PRELOADED.pop(self.index_path, None) is not None:
                gc.unfreeze()
