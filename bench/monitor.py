"""Benchmark: a delta monitor run after a daily list change vs a full re-screen, 100k customers.

Imports the first SDN snapshot, imports N synthetic customers (clean names plus listed
parties in variant spellings, among them every entry the next change adds or alters) and
screens them (the initial run, which also builds the customer index). Then imports the next
snapshot and times the delta run as a new process runs it (``embargo monitor run``: it loads
the list index and the customer index from disk), imports the third and times the delta as
the service runs it (list index in memory, customer index kept loaded), then a full re-screen
of every customer (``monitor run --full``) on the same store. The full run must raise no new
alert: the deltas found everything. CPU and wall time of each step; the ratio is the figure to keep
(the machine is shared and loaded, so absolute times are noisy).

The new snapshot's list index is built before the timed runs (an import, ``screen`` or the
service builds and caches it; its build time is printed apart).

    .venv/bin/python bench/monitor.py [--customers 100000] [--days D0,D1,D2] [--json]
"""

from __future__ import annotations

import argparse
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
from embargo.monitoring.custindex import load_index  # noqa: E402
from embargo.monitoring.run import run_monitor  # noqa: E402
from embargo.monitoring.synthetic import customers  # noqa: E402
from embargo.screening.lists import ListScreener, screener_for  # noqa: E402
from embargo.settings import load_settings  # noqa: E402
from embargo.store import Store  # noqa: E402

GOAL = 0.05  # delta time as a share of the full re-screen's


def _timed(func: Any, *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - t0, time.process_time() - c0


def _planted(store: Store, old_id: int, history: Path, days: list[str],
             work: Path) -> list[Any]:
    """The entries each later snapshot adds or alters, plus every 20th listed entry."""
    before = {e.id: content_hash(e) for e in store.iter_entities(old_id)}
    changed: list[Any] = []
    with Store.open(f"sqlite:///{work / 'peek.db'}") as peek:
        for day in days:
            (result,) = import_path(peek, history / f"sdn_{day}.csv")
            new = list(peek.iter_entities(result.snapshot.id))
            changed += [e for e in new if before.get(e.id) != content_hash(e)]
            before = {e.id: content_hash(e) for e in new}
    return changed + new[::20]


def _delta(result: Any, wall: float, cpu: float) -> dict[str, Any]:
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
            "entries_changed": result.entries_changed, "entries_removed": result.entries_removed,
            "customers_checked": result.checked_from_entries, "alerts": len(result.raised),
            "delisted": len(result.delisted),
            "phases_s": {k: round(v, 2) for k, v in result.timings.items()}}


def _import_next(store: Store, history: Path, day: str, cache: Path) -> tuple[ListScreener, float]:
    """Import a snapshot and load its list index (as ``update`` + the service would)."""
    import_path(store, history / f"sdn_{day}.csv")
    snaps = store.snapshots_as_of(None)
    loaded, wall, _ = _timed(screener_for, store, snaps, cache)
    return ListScreener(loaded, {s.source: s for s in snaps}), wall


def run(shared: Path, work: Path, count: int, days: list[str]) -> dict[str, Any]:
    history = shared / "data" / "lists" / "ofac-sdn" / "history"
    cache = work / "index"
    out: dict[str, Any] = {"customers": count, "days": days, "compiled": kernel.compiled()}
    with Store.open(f"sqlite:///{work / 'embargo.sqlite3'}") as store:
        (first,) = import_path(store, history / f"sdn_{days[0]}.csv")
        listed = _planted(store, first.snapshot.id, history, days[1:], work)
        raw = b"".join(orjson.dumps(r) + b"\n" for r in customers(count, listed, len(listed)))
        _, wall, _ = _timed(import_customers, store, raw, "customers.jsonl")
        out["import_customers_s"] = round(wall, 1)
        initial, wall, cpu = _timed(run_monitor, store, cache)
        out["initial"] = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                          "alerts": len(initial.raised)}
        _, out["list_index_build_s"] = _import_next(store, history, days[1], cache)
        delta, wall, cpu = _timed(run_monitor, store, cache)  # a new process: loads both indexes
        out["delta_cold"] = _delta(delta, wall, cpu)
        if len(days) > 2:  # the service: list index in memory, customer index kept loaded
            lists, _ = _import_next(store, history, days[2], cache)
            load_index(cache / "customers", keep=True)
            warm, wall, cpu = _timed(run_monitor, store, cache, False, lambda _: lists, True)
            out["delta_warm"] = _delta(warm, wall, cpu)
        full, wall, cpu = _timed(run_monitor, store, cache, True)
        out["full"] = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                       "customers": full.customers_screened, "new_alerts": len(full.raised),
                       "phases_s": {k: round(v, 2) for k, v in full.timings.items()}}
    for kind in ("delta_cold", "delta_warm"):
        if kind in out:
            out[kind]["share_wall"] = round(out[kind]["wall_s"] / out["full"]["wall_s"], 4)
            out[kind]["share_cpu"] = round(out[kind]["cpu_s"] / out["full"]["cpu_s"], 4)
    out["goal"] = GOAL
    return out


def _show(name: str, d: dict[str, Any]) -> None:
    print(f"  {name}: {d['wall_s']} s wall, {d['cpu_s']} s CPU = {d['share_wall']:.2%} wall, "
          f"{d['share_cpu']:.2%} CPU of the full re-screen (goal <= {GOAL:.0%}); "
          f"{d['entries_changed']} entries added/changed, {d['entries_removed']} removed, "
          f"{d['customers_checked']} customers checked, {d['alerts']} alerts, "
          f"{d['delisted']} delisted")
    print(f"    phases (wall s): {d['phases_s']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--days", default="2021-08-18,2021-08-20,2021-08-24",
                        help="publication dates of SDN history files: the initial one, the "
                             "change timed as a new process, the change timed as the service")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    shared = load_settings().shared
    with tempfile.TemporaryDirectory(prefix="embargo-bench-monitor-") as tmp:
        out = run(shared, Path(tmp), args.customers, args.days.split(","))
    if args.json:
        print(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode())
        return
    f = out["full"]
    days = out["days"]
    print(f"{out['customers']:,} customers, SDN {' -> '.join(days)}, compiled={out['compiled']}")
    print(f"  initial screening: {out['initial']['wall_s']} s wall, {out['initial']['cpu_s']} s "
          f"CPU, {out['initial']['alerts']} alerts")
    print(f"  list index build of a new snapshot (paid by the import/update/service): "
          f"{out['list_index_build_s']:.1f} s")
    _show(f"delta {days[0]} -> {days[1]}, new process", out["delta_cold"])
    if "delta_warm" in out:
        _show(f"delta {days[1]} -> {days[2]}, in the service", out["delta_warm"])
    print(f"  full re-screen: {f['wall_s']} s wall, {f['cpu_s']} s CPU; {f['new_alerts']} new "
          f"alerts (must be 0: the deltas missed nothing)")
    print(f"    phases (wall s): {f['phases_s']}")


if __name__ == "__main__":
    main()
