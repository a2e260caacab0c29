"""Where a batch worker's CPU goes: the batch path measured directly, beside one-query screening.

Each measurement runs in a fresh process that loads the saved index and screens the same
rows of a customer file (``bench/batch.py``'s), with its own CPU time, minor page faults,
context switches and the cyclic collector's passes (count and time per generation) taken
around the screening only:

* ``single``: ``Screener.screen`` over rows parsed before the clock starts (the baseline of
  ``bench/batch.py``);
* ``path``: the batch path in the same process (``screen_chunk``'s work: records parsed into
  queries, screened, results built and encoded), chunks of ``--chunk`` rows;
* ``fork-single`` and ``fork-path``: the same, in a child forked after the index is loaded
  and frozen (as ``embargo batch`` forks its workers);
* ``pool``: ``embargo batch``'s own pool with one forked worker (chunks pickled both ways),
  the worker's figures read from ``/proc/<pid>/stat`` at the end.

The modes alternate in each round (``--rounds``), so other work on the machine falls on
all of them alike; the ratios to ``single`` of the same round are the figures to read.
``--profile DIR`` writes a cProfile of each mode's screening (the first round) there.

    .venv/bin/python bench/batch_worker.py INDEX CUSTOMERS.csv [--rows 20000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import itertools
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

MODES = ("single", "path", "path-collect", "fork-single", "fork-path", "fork-path-collect",
         "pool")
TICK = os.sysconf("SC_CLK_TCK")


class GcTimer:
    """Passes of the cyclic collector while it is installed: count and seconds per generation."""

    def __init__(self) -> None:
        self.count = [0, 0, 0]
        self.seconds = [0.0, 0.0, 0.0]
        self.collected = [0, 0, 0]
        self.started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.count[info["generation"]] += 1
            self.collected[info["generation"]] += info["collected"]
            self.seconds[info["generation"]] += time.perf_counter() - self.started


@contextmanager
def measured(rows: int, out: dict[str, Any], profile: Path | None) -> Iterator[None]:
    """CPU, faults, switches and collector passes of the block, per row, into ``out``."""
    timer = GcTimer()
    gc.callbacks.append(timer)
    prof = cProfile.Profile() if profile else None
    before, cpu, wall = resource.getrusage(resource.RUSAGE_SELF), time.process_time(), \
        time.perf_counter()
    if prof:
        prof.enable()
    yield
    if prof:
        prof.disable()
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = time.process_time() - cpu
    gc.callbacks.remove(timer)
    if prof and profile:
        prof.dump_stats(profile)
    out.update(rows=rows, cpu_s=round(cpu, 3), wall_s=round(time.perf_counter() - wall, 3),
               rows_per_cpu_s=round(rows / cpu, 1),
               user_s=round(after.ru_utime - before.ru_utime, 3),
               sys_s=round(after.ru_stime - before.ru_stime, 3),
               minflt=after.ru_minflt - before.ru_minflt,
               nivcsw=after.ru_nivcsw - before.ru_nivcsw,
               gc_passes=timer.count, gc_s=[round(s, 3) for s in timer.seconds],
               gc_collected=timer.collected, gc_frozen=gc.get_freeze_count(),
               gc_young=[len(gc.get_objects(g)) for g in range(3)])


def screener(index: Path) -> Any:
    from embargo.batch.pool import load_screener

    return load_screener(index)


def single(index: Path, csv: Path, rows: int) -> tuple[Any, Callable[[], None]]:
    from embargo.matching.query import read_queries

    s = screener(index)
    queries = list(itertools.islice(read_queries(csv), rows))

    def work() -> None:
        for q in queries:
            if q.entity is not None:
                s.screen(q.entity)
    return s, work


def path(index: Path, csv: Path, rows: int, chunk: int, fmt: str,
         collect: bool) -> tuple[Any, Callable[[], None]]:
    from embargo.batch.collector import ChunkCollector
    from embargo.batch.pool import chunks
    from embargo.batch.records import InputFile
    from embargo.batch.rows import Options, screen_records
    from embargo.batch.sinks import encode

    s = screener(index)
    source = InputFile(csv)
    batches = list(chunks(itertools.islice(source.records(), rows), chunk))

    collector = ChunkCollector() if collect else None

    def work() -> None:
        if collector:
            collector.start()
        for batch in batches:
            encode(fmt, list(screen_records(s, {}, batch, source.header, Options())))
            if collector:
                collector.after(len(batch))
    return s, work


def inline_single(index: Path, csv: Path, rows: int) -> tuple[Any, Callable[[], None]]:
    """Each record parsed into its query inside the timing, then ``Screener.screen``."""
    from embargo.batch.records import InputFile
    from embargo.batch.rows import query_row

    s = screener(index)
    source = InputFile(csv)
    records = list(itertools.islice(source.records(), rows))

    def work() -> None:
        for record in records:
            q = query_row(record, source.header)
            if q.entity is not None:
                s.screen(q.entity)
    return s, work


def parsed_path(index: Path, csv: Path, rows: int, chunk: int,
                fmt: str) -> tuple[Any, Callable[[], None]]:
    """The batch path after parsing: results built (``screen_rows``) and encoded."""
    from embargo.batch.pool import chunks
    from embargo.batch.records import InputFile
    from embargo.batch.rows import query_row
    from embargo.batch.sinks import encode
    from embargo.screening.results import screen_rows

    s = screener(index)
    source = InputFile(csv)
    batches = [[(r.seq, query_row(r, source.header)) for r in batch] for batch in
               chunks(itertools.islice(source.records(), rows), chunk)]

    def work() -> None:
        for batch in batches:
            results = zip((seq for seq, _ in batch), screen_rows(s, {}, [q for _, q in batch]),
                          strict=True)
            encode(fmt, list(results))
    return s, work


def in_child(prepare: Callable[[], tuple[Any, Callable[[], None]]], rows: int,
             profile: Path | None) -> dict[str, Any]:
    """Load and parse here, freeze (as the batch's parent does), fork; measure the child."""
    _, work = prepare()
    gc.freeze()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        out: dict[str, Any] = {}
        with measured(rows, out, profile):
            work()
        os.write(write, orjson.dumps(out))
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    result: dict[str, Any] = orjson.loads(data)
    return result


def proc_stat(pid: int) -> dict[str, float]:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return {"minflt": int(fields[7]), "user_s": int(fields[11]) / TICK,
            "sys_s": int(fields[12]) / TICK}


def pool(index: Path, csv: Path, rows: int, chunk: int, fmt: str) -> dict[str, Any]:
    """``embargo batch``'s pool, one forked worker: its CPU after start-up, from /proc."""
    from embargo.batch.pool import Job, Workers, chunks
    from embargo.batch.records import InputFile
    from embargo.batch.rows import Options

    source = InputFile(csv)
    workers = Workers(Job(index, {}, source.header, Options(), fmt), 1, "fork")
    done = list(workers.map(chunks(itertools.islice(source.records(), rows), chunk)))
    last = done[-1]
    stat = proc_stat(last.pid)
    workers.close(wait=True)
    cpu = last.cpu_s - last.start_cpu_s
    return {"rows": rows, "cpu_s": round(cpu, 3), "rows_per_cpu_s": round(rows / cpu, 1),
            "worker_total": stat}


def one(args: argparse.Namespace) -> dict[str, Any]:
    """One mode, in this (fresh) process."""
    profile = args.profile / f"{args.mode}.prof" if args.profile else None
    prepare = {"single": lambda: single(args.index, args.csv, args.rows),
               "path": lambda: path(args.index, args.csv, args.rows, args.chunk, args.fmt,
                                    False),
               "inline-single": lambda: inline_single(args.index, args.csv, args.rows),
               "parsed-path": lambda: parsed_path(args.index, args.csv, args.rows, args.chunk,
                                                  args.fmt),
               "path-collect": lambda: path(args.index, args.csv, args.rows, args.chunk,
                                            args.fmt, True)}
    if args.mode == "pool":
        return pool(args.index, args.csv, args.rows, args.chunk, args.fmt)
    if args.mode.startswith("fork-"):
        return in_child(prepare[args.mode[5:]], args.rows, profile)
    _, work = prepare[args.mode]()
    if args.gc:
        gc.set_threshold(*(int(n) for n in args.gc.split(",")))
    out: dict[str, Any] = {}
    with measured(args.rows, out, profile):
        work()
    return out


def run(args: argparse.Namespace) -> None:
    modes = args.modes.split(",")
    for number in range(args.rounds):
        order = modes if number % 2 == 0 else modes[::-1]
        got: dict[str, dict[str, Any]] = {}
        for mode in order:
            cmd = [sys.executable, __file__, str(args.index), str(args.csv), "--one", mode,
                   "--gc", args.gc,
                   "--rows", str(args.rows), "--chunk", str(args.chunk), "--fmt", args.fmt]
            if args.profile and number == 0:
                cmd += ["--profile", str(args.profile)]
            done = subprocess.run(cmd, capture_output=True, text=True, check=True)
            got[mode] = orjson.loads(done.stdout)
            print(f"round {number} {mode}: {done.stdout.strip()}", flush=True)
        base = got.get("single", {}).get("rows_per_cpu_s")
        if base:
            print(f"round {number} vs single: " + ", ".join(
                f"{m} {r['rows_per_cpu_s'] / base:.3f}" for m, r in got.items()), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/batch_worker.py")
    parser.add_argument("index", type=Path)
    parser.add_argument("csv", type=Path)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=500)
    parser.add_argument("--fmt", default="parquet")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--gc", default="", help="gc thresholds (a,b,c) for the measurement")
    parser.add_argument("--one", dest="mode", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        sys.stdout.write(orjson.dumps(one(args)).decode() + "\n")
    else:
        run(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
