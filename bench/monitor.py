"""Benchmark: a delta monitor run after a daily list change vs a full re-screen, 100k customers.

Imports the older SDN snapshot, imports N synthetic customers (clean names plus listed
parties in variant spellings, among them every entry the change adds or alters) and screens
them (the initial run, which also builds the customer index). Then imports the newer
snapshot and times the delta run (``embargo monitor run``), then a full re-screen of every
customer (``monitor run --full``) on the same store. The full run must raise no new alert:
the delta found everything. CPU and wall time of each step; the ratio is the figure to keep
(the machine is shared and loaded, so absolute times are noisy).

The new snapshot's list index is built before the timed runs (an import, ``screen`` or the
service builds and caches it; its build time is printed apart).

    .venv/bin/python bench/monitor.py [--customers 100000] [--pair 2021-08-18:2021-08-20] [--json]
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
from embargo.monitoring.run import run_monitor  # noqa: E402
from embargo.monitoring.synthetic import customers  # noqa: E402
from embargo.screening.lists import screener_for  # noqa: E402
from embargo.settings import load_settings  # noqa: E402
from embargo.store import Store  # noqa: E402

GOAL = 0.05  # delta time as a share of the full re-screen's


def _timed(func: Any, *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - t0, time.process_time() - c0


def _planted(store: Store, old_id: int, history: Path, new_day: str, work: Path) -> list[Any]:
    """The entries the change adds or alters, plus every 20th listed entry."""
    with Store.open(f"sqlite:///{work / 'peek.db'}") as peek:
        (result,) = import_path(peek, history / f"sdn_{new_day}.csv")
        new = list(peek.iter_entities(result.snapshot.id))
    old = {e.id: content_hash(e) for e in store.iter_entities(old_id)}
    changed = [e for e in new if old.get(e.id) != content_hash(e)]
    return changed + new[::20]


def run(shared: Path, work: Path, count: int, old_day: str, new_day: str) -> dict[str, Any]:
    history = shared / "data" / "lists" / "ofac-sdn" / "history"
    cache = work / "index"
    out: dict[str, Any] = {"customers": count, "change": f"{old_day} -> {new_day}",
                           "compiled": kernel.compiled()}
    with Store.open(f"sqlite:///{work / 'embargo.sqlite3'}") as store:
        (first,) = import_path(store, history / f"sdn_{old_day}.csv")
        listed = _planted(store, first.snapshot.id, history, new_day, work)
        raw = b"".join(orjson.dumps(r) + b"\n" for r in customers(count, listed, len(listed)))
        _, wall, _ = _timed(import_customers, store, raw, "customers.jsonl")
        out["import_customers_s"] = round(wall, 1)
        initial, wall, cpu = _timed(run_monitor, store, cache)
        out["initial"] = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                          "alerts": len(initial.raised)}
        import_path(store, history / f"sdn_{new_day}.csv")
        _, wall, _ = _timed(screener_for, store, store.snapshots_as_of(None), cache)
        out["list_index_build_s"] = round(wall, 1)
        delta, wall, cpu = _timed(run_monitor, store, cache)
        out["delta"] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                        "entries_changed": delta.entries_changed,
                        "entries_removed": delta.entries_removed,
                        "customers_checked": delta.checked_from_entries,
                        "alerts": len(delta.raised), "delisted": len(delta.delisted),
                        "phases_s": {k: round(v, 2) for k, v in delta.timings.items()}}
        full, wall, cpu = _timed(run_monitor, store, cache, True)
        out["full"] = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                       "customers": full.customers_screened, "new_alerts": len(full.raised),
                       "phases_s": {k: round(v, 2) for k, v in full.timings.items()}}
    out["delta_share_wall"] = round(out["delta"]["wall_s"] / out["full"]["wall_s"], 4)
    out["delta_share_cpu"] = round(out["delta"]["cpu_s"] / out["full"]["cpu_s"], 4)
    shared_load = min(delta.timings.get("list_index", 0.0), full.timings.get("list_index", 0.0))
    out["delta_share_beyond_list_load"] = round(
        (delta.seconds - shared_load) / max(1e-9, full.seconds - shared_load), 4)
    out["goal"] = GOAL
    out["goal_met"] = out["delta_share_cpu"] <= GOAL and full.raised == []
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--pair", default="2021-08-18:2021-08-20",
                        help="OLD:NEW publication dates of two SDN history files")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    old_day, new_day = args.pair.split(":")
    shared = load_settings().shared
    with tempfile.TemporaryDirectory(prefix="embargo-bench-monitor-") as tmp:
        out = run(shared, Path(tmp), args.customers, old_day, new_day)
    if args.json:
        print(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode())
        return
    d, f = out["delta"], out["full"]
    print(f"{out['customers']:,} customers, SDN {out['change']}, compiled={out['compiled']}")
    print(f"  initial screening: {out['initial']['wall_s']} s, {out['initial']['alerts']} alerts")
    print(f"  list index build (new snapshot, paid by import/screen/serve): "
          f"{out['list_index_build_s']} s")
    print(f"  delta run: {d['wall_s']} s wall, {d['cpu_s']} s CPU; {d['entries_changed']} "
          f"entries added/changed, {d['entries_removed']} removed; {d['customers_checked']} "
          f"customers checked; {d['alerts']} alerts raised, {d['delisted']} delisted")
    print(f"    phases: {d['phases_s']}")
    print(f"  full re-screen: {f['wall_s']} s wall, {f['cpu_s']} s CPU; "
          f"{f['new_alerts']} new alerts (must be 0)")
    print(f"    phases: {f['phases_s']}")
    print(f"  delta / full: {out['delta_share_wall']:.2%} wall, {out['delta_share_cpu']:.2%} CPU "
          f"(goal <= {GOAL:.0%}: {'met' if out['goal_met'] else 'NOT met'}); "
          f"{out['delta_share_beyond_list_load']:.2%} beyond the list index load both pay")


if __name__ == "__main__":
    main()
