"""Audit commits from several processes on one SQLite file: with and without the write lock.

Each process commits single-record audit batches back to back (as a service worker does at
low concurrency) for ``--seconds``; the script reports commits per second over all processes
and the p50/p99/max time of one commit, in three modes:

* ``before``: the code before issue 13 (SQLAlchemy's execution path, ``BEGIN DEFERRED``, and
  SQLite's busy handler: busy_timeout 30 s);
* ``immediate``: the store's insert on a kept connection with ``BEGIN IMMEDIATE``, waiting in
  SQLite's busy handler;
* ``lock``: the same, the writers queued on the lock file first (what the store does:
  :class:`embargo.store.writelock.WriteLock`).

    .venv/bin/python bench/audit_contention.py --processes 1,2 --seconds 5
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from embargo.store import Store
from embargo.store.audit import AuditStore, ScreeningRecord
from embargo.store.writelock import WriteLock

RESPONSE = {"responses": {"q": {"results": [], "total": {"value": 0}}},
            "matcher": {"name": {"description": "x" * 2000}}}


def record() -> ScreeningRecord:
    return ScreeningRecord(id=uuid.uuid4().hex, key_id="k", created_at=datetime.now(UTC),
                           endpoint="match", dataset="default", snapshot_ids=(1, 2),
                           algorithm="bench", threshold=0.7, limit=5, as_of=None,
                           request={"body": {"queries": {"q": {"name": ["John Smith"]}}}},
                           response=RESPONSE)


def writer(url: str, mode: str, seconds: float, start: float, out: Any) -> None:
    with Store.open(url) as store:
        audit = AuditStore(store.engine)
        if mode == "immediate":
            audit._lock = WriteLock(None)
        times = []
        while time.time() < start:
            time.sleep(0.001)
        while time.time() < start + seconds:
            t0 = time.perf_counter()
            if mode != "before":
                audit.write_many([record()])
            else:
                from sqlalchemy import insert

                from embargo.store.audit import _row, screenings
                with store.engine.begin() as conn:  # as before: BEGIN DEFERRED, busy handler
                    conn.execute(insert(screenings), [_row(record())])
            times.append(time.perf_counter() - t0)
        audit.close()
    out.put(times)


def run(url: str, processes: int, mode: str, seconds: float) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    start = time.time() + 2.0
    procs = [ctx.Process(target=writer, args=(url, mode, seconds, start, out))
             for _ in range(processes)]
    for p in procs:
        p.start()
    times = [t * 1e3 for _ in procs for t in out.get()]
    for p in procs:
        p.join()
    q = statistics.quantiles(times, n=100)
    return {"processes": processes, "mode": mode,
            "commits_per_s": round(len(times) / seconds), "p50_ms": round(q[49], 2),
            "p99_ms": round(q[98], 2), "max_ms": round(max(times), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", default="1,2,4")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'audit.sqlite3'}"
        Store.open(url).close()
        for n in (int(x) for x in args.processes.split(",")):
            for mode in ("before", "immediate", "lock"):
                print(run(url, n, mode, args.seconds), flush=True)


if __name__ == "__main__":
    main()
