"""Benchmark: a delta monitor run after a daily list change vs a full re-screen, 100k customers.

For each change D0 -> D1 (default: SDN 2021-08-18 -> 2021-08-20 and 2022-02-23 -> 2022-02-24),
on a fresh SQLite store: imports the SDN snapshot of D0, imports N synthetic customers (clean
names plus listed parties in variant spellings, among them every entry the change adds or
alters, plus every 20th entry of D1; the import also stores their name keys) and screens them
(the initial run). Then imports D1 and builds its list index (as ``import``/``update`` do),
and times, each as a **new process** as a user runs it after a cron'd ``update``:

* ``embargo monitor run`` (the delta), then
* ``embargo monitor run --full`` (the full re-screen), which must raise no new alert: the
  delta found everything.

Wall time, and CPU time of the child process (``getrusage(RUSAGE_CHILDREN)``), each step; the
ratio delta / full is the figure to keep (the machine is shared, so absolute times are noisy).

    .venv/bin/python bench/monitor.py [--customers 100000] [--changes D0:D1,D0:D1] [--json]
        [--keep DIR]

``--keep DIR`` keeps each change's set-up (the store after the initial run and the import of
D1, and the list indexes) under DIR and reuses it in later runs with the same DIR, customers
and change: each timing then starts from a copy of the same store, and the set-up (10+ minutes
at 100,000 customers) is paid once. The set-up figures printed are those of the first run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from embargo.customers.importer import import_customers  # noqa: E402
from embargo.ingest.importer import import_path  # noqa: E402
from embargo.matching import kernel  # noqa: E402
from embargo.model.codec import content_hash  # noqa: E402
from embargo.monitoring.run import run_monitor  # noqa: E402
from embargo.monitoring.synthetic import customers  # noqa: E402
from embargo.screening.lists import screener_for  # noqa: E402
from embargo.settings import load_settings  # noqa: E402
from embargo.store import Store  # noqa: E402

GOAL = 0.05  # delta time as a share of the full re-screen's
CHANGES = "2021-08-18:2021-08-20,2022-02-23:2022-02-24"


def _timed(func: Any, *args: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    return func(*args), time.perf_counter() - t0


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run ``embargo monitor run ARGS --json`` as a new process: its result, wall and CPU."""
    command = [sys.executable, "-m", "embargo", "monitor", "run", *args, "--json"]
    cpu, t0 = _child_cpu(), time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise SystemExit(f"{' '.join(command[1:])} failed with exit status {done.returncode}")
    wall, cpu = time.perf_counter() - t0, _child_cpu() - cpu
    result: dict[str, Any] = orjson.loads(done.stdout)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "entries_changed": result["entries_changed"],
            "entries_removed": result["entries_removed"],
            "customers_screened": result["customers_screened"],
            "customers_checked": result["checked_from_entries"],
            "customers_matched": result["matched_from_entries"],
            "alerts": len(result["raised"]), "delisted": len(result["delisted"]),
            "phases_s": result["timings"]}


def _planted(store: Store, old_id: int, new_file: Path, work: Path) -> list[Any]:
    """The entries the new snapshot adds or alters, plus every 20th of its entries."""
    before = {e.id: content_hash(e) for e in store.iter_entities(old_id)}
    with Store.open(f"sqlite:///{work / 'peek.db'}") as peek:
        (result,) = import_path(peek, new_file)
        new = list(peek.iter_entities(result.snapshot.id))
    return [e for e in new if before.get(e.id) != content_hash(e)] + new[::20]


def _set_up(shared: Path, work: Path, count: int, old: str, new: str) -> dict[str, Any]:
    """The store of the initial run on ``old``, with ``new`` imported and its index built."""
    history = shared / "data" / "lists" / "ofac-sdn" / "history"
    out: dict[str, Any] = {"change": f"{old} -> {new}"}
    with Store.open(f"sqlite:///{work / 'embargo.sqlite3'}") as store:
        (first,) = import_path(store, history / f"sdn_{old}.csv")
        listed = _planted(store, first.snapshot.id, history / f"sdn_{new}.csv", work)
        raw = b"".join(orjson.dumps(r) + b"\n" for r in customers(count, listed, len(listed)))
        _, out["import_customers_s"] = _timed(import_customers, store, raw, "customers.jsonl")
        initial, out["initial_s"] = _timed(run_monitor, store, work / "home" / "index")
        out["initial_alerts"] = len(initial.raised)
        import_path(store, history / f"sdn_{new}.csv")
        _, out["list_index_build_s"] = _timed(screener_for, store, store.snapshots_as_of(None),
                                              work / "home" / "index")
    return out


def _copy(source: Path, target: Path) -> None:
    """Copy an SQLite database (its write-ahead log folded in first)."""
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        target.with_name(target.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)


def one_change(shared: Path, work: Path, count: int, old: str, new: str,
               keep: bool = False) -> dict[str, Any]:
    ready = work / "setup.json"
    if keep and ready.exists():
        out: dict[str, Any] = orjson.loads(ready.read_bytes())
    else:
        out = _set_up(shared, work, count, old, new)
        if keep:
            _copy(work / "embargo.sqlite3", work / "base.sqlite3")
            ready.write_bytes(orjson.dumps(out))
    if keep:  # every timing starts from the same store
        _copy(work / "base.sqlite3", work / "embargo.sqlite3")
    env = {**os.environ, "EMBARGO_HOME": str(work / "home"),
           "EMBARGO_DATABASE_URL": f"sqlite:///{work / 'embargo.sqlite3'}",
           "EMBARGO_SHARED": str(shared), "PYTHONPATH": str(HERE.parent / "src")}
    out["delta"] = _process(env)
    out["full"] = _process(env, "--full")
    for unit in ("wall_s", "cpu_s"):
        out[f"share_{unit[:-2]}"] = round(out["delta"][unit] / out["full"][unit], 4)
    return out


def _show(r: dict[str, Any]) -> None:
    d, f = r["delta"], r["full"]
    print(f"SDN {r['change']}: customers import {r['import_customers_s']:.1f} s (with keys), "
          f"initial run {r['initial_s']:.1f} s ({r['initial_alerts']} alerts), list index "
          f"build {r['list_index_build_s']:.1f} s (paid by the import)")
    print(f"  delta (new process): {d['wall_s']} s wall, {d['cpu_s']} s CPU; "
          f"{d['entries_changed']} entries added/changed, {d['entries_removed']} removed, "
          f"{d['customers_checked']} customers share a key, {d['customers_matched']} reach the "
          f"threshold, {d['alerts']} alerts, {d['delisted']} delisted")
    print(f"    phases (wall s): {d['phases_s']}")
    print(f"  full re-screen (new process): {f['wall_s']} s wall, {f['cpu_s']} s CPU; "
          f"{f['alerts']} new alerts (must be 0: the delta missed nothing)")
    print(f"    phases (wall s): {f['phases_s']}")
    print(f"  delta / full: {r['share_wall']:.2%} wall, {r['share_cpu']:.2%} CPU "
          f"(goal <= {GOAL:.0%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--changes", default=CHANGES,
                        help="SDN history dates OLD:NEW, comma-separated")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep (and reuse) each change's set-up under this directory")
    args = parser.parse_args()
    shared = load_settings().shared
    out: dict[str, Any] = {"customers": args.customers, "compiled": kernel.compiled(),
                           "goal": GOAL, "changes": []}
    for change in args.changes.split(","):
        old, new = change.split(":")
        if args.keep is not None:
            work = args.keep / f"{args.customers}-{old}-{new}"
            work.mkdir(parents=True, exist_ok=True)
            result = one_change(shared, work, args.customers, old, new, keep=True)
        else:
            with tempfile.TemporaryDirectory(prefix="embargo-bench-monitor-") as tmp:
                result = one_change(shared, Path(tmp), args.customers, old, new)
        out["changes"].append(result)
        if not args.json:
            _show(result)
    if args.json:
        print(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode())
    else:
        print(f"{args.customers:,} customers, compiled={out['compiled']}")


if __name__ == "__main__":
    main()
