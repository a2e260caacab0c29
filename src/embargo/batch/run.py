"""``embargo batch``: screen a whole file on every core, resumable, in input order.

The parent process reads records and writes results; worker processes
(:mod:`embargo.batch.pool`) parse and screen. Results come back in input order and go
to a resumable sink (:mod:`embargo.batch.sinks`); every ``checkpoint_s`` seconds the
output is flushed to disk and the checkpoint (:mod:`embargo.batch.state`) records how
far it got. Ctrl-C (or SIGTERM) stops at the next chunk with a final checkpoint; a
``kill -9`` or a full disk loses at most what came after the last one, and ``--resume``
writes that again, once.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import BrokenExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

from embargo.batch.formats import FORMATS
from embargo.batch.index import index_file
from embargo.batch.pool import Done, Job, PssSampler, Workers, chunks
from embargo.batch.progress import Progress
from embargo.batch.records import InputFile, count_hint, fingerprint, size_of
from embargo.batch.rows import Options
from embargo.batch.sinks import Sink, StdoutSink, open_sink, partial_path
from embargo.batch.state import Counts, State, check_same, load, save, state_path
from embargo.errors import IncompleteError, Interrupted, UsageError
from embargo.memory import peak_rss_mb
from embargo.screening.lists import cache_key, snapshots_for
from embargo.store import Snapshot, Store

# rows per message to a worker: few messages, little in flight, and a short tail (the last
# chunk leaves the other workers idle for up to one chunk's time: ~0.6 s at 800 rows/s)
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Request:
    """One batch run, as the CLI (or a caller) asks for it."""

    input: Path
    output: Path | None  # None: stdout (not resumable)
    fmt: str = "jsonl"
    workers: int = 0  # 0: every core
    resume: bool = False
    options: Options = field(default_factory=Options)
    as_of: date | None = None
    sources: tuple[str, ...] = ()
    checkpoint_s: float = 2.0
    chunk: int = CHUNK
    progress: bool | None = None  # None: when stderr is a terminal


@dataclass(slots=True)
class Summary:
    """What a finished run did: counts, time, and each process's peak memory."""

    counts: Counts
    elapsed: float
    workers: int
    output: str
    peak_mb: dict[str, float] = field(default_factory=dict)
    first_s: float | None = None  # when the first rows came back (start-up: index loading)
    parent_cpu_s: float | None = None  # CPU time of the reading and writing process
    parent_start_cpu_s: float | None = None  # of which start-up (imports, lists, index if forked)
    workers_cpu_s: float | None = None  # CPU time of the screening processes, together
    per_worker: dict[str, dict[str, float]] = field(default_factory=dict)
    index_cpu_s: float | None = None  # of the parent's start-up: loading the index it forks
    peak_pss_mb: dict[str, float] = field(default_factory=dict)  # shared pages counted once

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.counts.rows, "hits": self.counts.hits,
                "rows_with_hits": self.counts.rows_with_hits, "errors": self.counts.errors,
                "elapsed_s": round(self.elapsed, 3), "workers": self.workers,
                "output": self.output, "peak_mb": self.peak_mb,
                "first_result_s": None if self.first_s is None else round(self.first_s, 3),
                "parent_cpu_s": None if self.parent_cpu_s is None else
                round(self.parent_cpu_s, 2),
                "parent_start_cpu_s": None if self.parent_start_cpu_s is None else
                round(self.parent_start_cpu_s, 2),
                "workers_cpu_s": None if self.workers_cpu_s is None else
                round(self.workers_cpu_s, 2), "per_worker": self.per_worker,
                "index_cpu_s": None if self.index_cpu_s is None else round(self.index_cpu_s, 2),
                "peak_pss_mb": self.peak_pss_mb}


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_batch(store: Store, cache_dir: Path | None, request: Request) -> Summary:
    """Screen ``request.input`` into ``request.output``; see the module's description.

    An input of ``-`` (stdin) is first copied to a temporary file (memory stays flat);
    such a run cannot be resumed.
    """
    if str(request.input) == "-":
        if request.resume:
            raise UsageError("--resume needs an input file, not stdin")
        with _spooled_stdin() as path:
            return run_batch(store, cache_dir, replace(request, input=path))
    _check(request)
    source = InputFile(request.input)
    snapshots = snapshots_for(store, request.as_of, request.sources)
    job = _job(request, source, snapshots)
    state = _start_state(request, job)
    with index_file(store, snapshots, cache_dir) as index_path:
        workers = request.workers or default_workers()
        pool_job = Job(index_path, {s.source: s for s in snapshots}, source.header,
                       request.options, request.fmt)
        started = time.monotonic()  # the run's time includes loading the index
        return _run(request, source, state, Workers(pool_job, workers), workers, started)


@contextmanager
def _spooled_stdin() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="embargo-batch-") as tmp:
        path = Path(tmp) / "stdin"
        with open(path, "wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh, 2**20)
        yield path


def _check(request: Request) -> None:
    if request.fmt not in FORMATS:
        raise UsageError(f"unknown format {request.fmt!r} (one of {', '.join(FORMATS)})")
    if request.output is None and (request.resume or request.fmt == "parquet"):
        raise UsageError("--resume and --format parquet need an output file (-o FILE)")
    if not request.input.is_file():
        raise UsageError(f"{request.input}: no such file")


def _job(request: Request, source: InputFile, snapshots: list[Snapshot]) -> dict[str, Any]:
    """Everything that must be the same for a run to be resumed."""
    return {"input": fingerprint(request.input), "input_format": source.kind,
            "format": request.fmt, "threshold": request.options.threshold,
            "limit": request.options.limit,
            "as_of": request.as_of.isoformat() if request.as_of else None,
            "sources": sorted(request.sources),
            "snapshots": sorted(s.id for s in snapshots), "index": cache_key(snapshots)}


def _start_state(request: Request, job: dict[str, Any]) -> State:
    if request.output is None:
        return State(job)
    path = state_path(request.output)
    if request.resume:
        state = load(path)
        check_same(state.job, job, path)
        return state
    if path.exists():
        raise UsageError(f"{path} holds an interrupted run of {request.output}: pass --resume "
                         "to go on, or remove it (and the .partial output) to start again")
    return State(job)


def _run(request: Request, source: InputFile, state: State, workers: Workers,
         count: int, started: float) -> Summary:
    sink = _sink(request, state)
    before, cpu0 = state.elapsed, time.process_time()
    try:
        first = _screen_all(request, source, state, workers, sink, started)
        sink.finish()
        workers.close(wait=True)
        _own_memory(state)
    except KeyboardInterrupt:  # Ctrl-C after the last chunk, while the output is finished
        raise Interrupted(_stopped(request, state, "interrupted")) from None
    except BrokenExecutor:
        raise IncompleteError(_stopped(request, state, "a worker process died (killed, or out "
                                       "of memory)"), rows=state.counts.rows) from None
    except OSError as exc:
        raise IncompleteError(_stopped(request, state, f"cannot write: {exc.strerror or exc}"),
                              rows=state.counts.rows) from None
    finally:
        workers.close(wait=False)
        sink.close()
    if request.output is not None:
        state_path(request.output).unlink(missing_ok=True)
    return Summary(state.counts, before + time.monotonic() - started, count,
                   str(request.output or "-"), state.peak_mb, first, time.process_time(),
                   cpu0, sum(state.cpu_s.values()), per_worker(state), workers.index_cpu_s,
                   state.peak_pss_mb)


def per_worker(state: State) -> dict[str, dict[str, float]]:
    """Each worker's rows, CPU seconds (with and without its start-up) and rows per
    CPU-second after its start-up: the per-core rate, whatever else the machine runs."""
    out: dict[str, dict[str, float]] = {}
    for name, cpu in state.cpu_s.items():
        start = state.start_cpu_s.get(name, 0.0)
        rows = state.worker_rows.get(name, 0)
        out[name] = {"rows": rows, "cpu_s": round(cpu, 2), "start_cpu_s": round(start, 2),
                     "rows_per_cpu_s": round(rows / max(1e-9, cpu - start), 1)}
    return out


def _screen_all(request: Request, source: InputFile, state: State, workers: Workers,
                sink: Sink, started: float) -> float | None:
    """Screen the rows not done yet, checkpointing; when the first rows came back (s after
    ``started``, the workers' start).

    Raises :class:`Interrupted` after a final checkpoint on Ctrl-C or SIGTERM.
    """
    progress = Progress(count_hint(source.path, source.kind), size_of(source.path),
                        state.counts.rows, enabled=bool(request.progress))
    last = time.monotonic()
    before, first = state.elapsed, None
    try:
        with _stop_signals() as stop:
            for done in workers.map(chunks(source.records(skip=state.counts.rows),
                                           request.chunk)):
                _take(sink, state, done)
                first = first or time.monotonic() - started
                progress.update(state.counts.rows, source.bytes_read())
                if stop or time.monotonic() - last >= request.checkpoint_s:
                    _checkpoint(request, sink, state, before + time.monotonic() - started)
                    last = time.monotonic()
                if stop:
                    raise Interrupted(_stopped(request, state, "interrupted"))
    finally:
        progress.done()
    return first


def _sink(request: Request, state: State) -> Sink:
    if request.output is None:
        return StdoutSink(request.fmt)
    sink = open_sink(request.output, request.fmt, state.mark)
    if state.mark is None:  # the first checkpoint: a run stopped from now on can resume
        state.mark = sink.commit()
        save(state_path(request.output), state)
    return sink


def _take(sink: Sink, state: State, done: Done) -> None:
    if done.first != state.counts.rows:
        raise RuntimeError(f"chunk at row {done.first} came when row {state.counts.rows} "
                           "was due")  # would be a bug of the ordered map: never write it
    sink.add(done.first, done.payload)
    state.counts.add(done.counts)
    state.peak_mb[f"worker {done.pid}"] = done.peak_mb
    name = f"worker {done.pid}"
    state.cpu_s[name] = done.cpu_s
    state.start_cpu_s[name] = done.start_cpu_s
    state.worker_rows[name] = state.worker_rows.get(name, 0) + done.counts.rows
    if done.peak_pss_mb is not None:
        state.peak_pss_mb[name] = done.peak_pss_mb


def _checkpoint(request: Request, sink: Sink, state: State, elapsed: float) -> None:
    state.mark = sink.commit()
    _own_memory(state)
    state.elapsed = elapsed
    if request.output is not None:
        save(state_path(request.output), state)


def _stopped(request: Request, state: State, why: str) -> str:
    if request.output is None:
        return f"{why} after {state.counts.rows:,} rows: the output written is incomplete"
    return (f"{why} after {state.counts.rows:,} rows: the output so far is in "
            f"{partial_path(request.output)} (incomplete); rerun the same command with "
            "--resume to go on")


@contextmanager
def _stop_signals() -> Iterator[list[int]]:
    """A list that gets the signal number on the first Ctrl-C or SIGTERM (a second Ctrl-C
    stops at once; the last checkpoint still holds)."""
    stop: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.append(signum)

    if threading.current_thread() is not threading.main_thread():
        yield stop  # signals reach the main thread only: the caller handles them
        return
    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, previous in old.items():
            signal.signal(sig, previous)


_PARENT_PSS = PssSampler()  # this (the reading and writing) process's


def _own_memory(state: State) -> None:
    """The parent's peak resident size and its largest sampled PSS, into ``state``."""
    state.peak_mb["parent"] = peak_rss_mb()
    pss = _PARENT_PSS.sample()
    if pss is not None:
        state.peak_pss_mb["parent"] = max(pss, state.peak_pss_mb.get("parent", 0.0))
