"""Benchmark: ``embargo check`` throughput over many transaction dates, on one core.

Imports the shared lists into a store (every OFAC SDN snapshot of 2021-2024, the OFAC
consolidated lists, the UN lists, the UK extract), writes N payments spread over D dates
(2021-05 to 2024-12; beneficiaries are mostly clean names of the screening negatives, one in
five a listed name, some with addresses), and decides them three ways in one process:

* cold: nothing cached on disk, so one screening index (and its cross-list links) is built
  and saved per distinct set of snapshots in force, and one small index per stale list's
  snapshot and the next one held (the entries added or changed between them);
* warm: a fresh run with the indexes cached on disk (loaded, not built): the figure the goal
  (>= 500 items/s) is about;
* baseline: the old way, one list view and index built per *date*; measured on a few dates
  and extrapolated to all D (building takes seconds per date).

    .venv/bin/python bench/check.py [--items 10000] [--dates 30] [--baseline-dates 2]
                                    [--home DIR] [--json]

The machine is shared: absolute figures are noisy; compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from embargo.ingest.importer import import_path  # noqa: E402
from embargo.rules.check import Views, run_check, write_decisions  # noqa: E402
from embargo.rules.engine import Engine  # noqa: E402
from embargo.rules.resolve import forget_caches  # noqa: E402
from embargo.settings import load_settings  # noqa: E402
from embargo.store import Store  # noqa: E402

LISTS = ("ofac-sdn/2021-04-25", "ofac-sdn/history", "ofac-consolidated/2018/consolidated.xml",
         "ofac-consolidated/consolidated_2025-03-28.xml", "un", "uk/ofsi_conlist_extract_2020.csv")
FIRST, LAST = date(2021, 5, 1), date(2024, 12, 31)
GOAL = 500.0


def one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def fill_store(store: Store, lists: Path) -> None:
    if store.snapshots():
        return
    for rel in LISTS:
        import_path(store, lists / rel)


def items(shared: Path, store: Store, count: int, days: int, seed: int = 16) -> list[bytes]:
    """``count`` payments over ``days`` dates: 80% clean names, 20% listed ones."""
    rng = random.Random(seed)
    step = (LAST - FIRST).days // max(1, days - 1)
    dates = [FIRST + timedelta(days=i * step) for i in range(days)]
    with (shared / "eval" / "screening" / "negatives_global_1k.csv").open(encoding="utf-8") as fh:
        clean = [row["full_name"] for row in csv.DictReader(fh)]
    newest = store.snapshots("ofac-sdn")[-1]
    listed = sorted(e.caption for e in store.iter_entities(newest.id))
    towns = ["Berlin, Germany", "201 Main St, Havana, IL 62644", "Paris, France", "Dubai, UAE",
             "Sevastopol", "Sebastopol, CA 95472", ""]
    out = []
    for number in range(count):
        name = rng.choice(listed) if rng.random() < 0.2 else rng.choice(clean)
        party: dict[str, Any] = {"role": rng.choice(["beneficiary", "payee", "counterparty"]),
                                 "name": name}
        town = rng.choice(towns)
        if town:
            party["address"] = town
        out.append(orjson.dumps({"id": str(number), "date": rng.choice(dates).isoformat(),
                                 "kind": "payment", "institution": {"jurisdiction": "us"},
                                 "parties": [party]}))
    return out


def timed(store: Store, lines: list[bytes], views: Views) -> tuple[float, float, dict[str, int]]:
    forget_caches()  # each run starts as a fresh process would
    engine = Engine(today=date(2026, 1, 1))
    t0, c0 = time.perf_counter(), time.process_time()
    counts = write_decisions(run_check(store, lines, engine=engine, views=views), io.BytesIO())
    return time.perf_counter() - t0, time.process_time() - c0, counts


def run(home: Path, shared: Path, count: int, days: int, baseline_days: int) -> dict[str, Any]:
    out: dict[str, Any] = {"items": count, "dates": days}
    with Store.open(f"sqlite:///{home / 'embargo.sqlite3'}") as store:
        t0 = time.perf_counter()
        fill_store(store, shared / "data" / "lists")
        out["import_s"] = round(time.perf_counter() - t0, 1)
        lines = items(shared, store, count, days)
        cache = home / "index"
        views = Views(store, cache)
        out["pins"] = len({views.pin(date.fromisoformat(orjson.loads(x)["date"]))
                           for x in lines})
        for path in [*cache.glob("*.idx"), *cache.glob("*.links"), *cache.glob("*.json")]:
            path.unlink()
        wall, cpu, counts = timed(store, lines, Views(store, cache))
        out["cold"] = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "decisions": counts}
        wall, cpu, counts = timed(store, lines, Views(store, cache))
        out["warm"] = {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                       "per_second": round(count / wall, 1), "decisions": counts}
        out["baseline"] = baseline(store, lines, baseline_days, days)
    return out


def baseline(store: Store, lines: list[bytes], sample: int, days: int) -> dict[str, Any]:
    """The old way: a view (entities from the store, index built in memory) per date."""
    by_day: dict[str, list[bytes]] = {}
    for line in lines:
        by_day.setdefault(orjson.loads(line)["date"], []).append(line)
    chosen = sorted(by_day)[:: max(1, len(by_day) // max(1, sample))][:sample]
    forget_caches()
    wall = 0.0
    done = 0
    for day in chosen:
        t0 = time.perf_counter()
        write_decisions(run_check(store, by_day[day], engine=Engine(today=date(2026, 1, 1)),
                                  views=Views(store, None)), io.BytesIO())
        wall += time.perf_counter() - t0
        done += len(by_day[day])
    per_day = wall / len(chosen)
    return {"dates_measured": len(chosen), "items": done, "s_per_date": round(per_day, 1),
            "estimated_s": round(per_day * days, 1)}


def summary(r: dict[str, Any]) -> str:
    warm, cold, base = r["warm"], r["cold"], r["baseline"]
    return "\n".join([
        f"{r['items']} payments over {r['dates']} dates, {r['pins']} distinct sets of snapshots",
        f"cold (indexes built and saved): {cold['wall_s']} s wall, {cold['cpu_s']} s CPU",
        f"warm (indexes loaded from disk): {warm['wall_s']} s wall, {warm['cpu_s']} s CPU, "
        f"{warm['per_second']} items/s (goal >= {GOAL:g}: "
        f"{'met' if warm['per_second'] >= GOAL else 'NOT met'})",
        f"baseline (a view per date, built in memory): {base['s_per_date']} s per date over "
        f"{base['dates_measured']} dates -> about {base['estimated_s']} s for {r['dates']} dates",
        f"ratio baseline / warm: {base['estimated_s'] / max(warm['wall_s'], 1e-9):.1f}x; "
        f"baseline / cold: {base['estimated_s'] / max(cold['wall_s'], 1e-9):.1f}x",
        f"decisions (warm): {warm['decisions']}",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--dates", type=int, default=30)
    parser.add_argument("--baseline-dates", type=int, default=2)
    parser.add_argument("--home", type=Path, default=None,
                        help="store folder to reuse (the lists are imported once)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    one_core()
    shared = load_settings().shared
    if args.home is not None:
        args.home.mkdir(parents=True, exist_ok=True)
        report = run(args.home, shared, args.items, args.dates, args.baseline_dates)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            report = run(Path(tmp), shared, args.items, args.dates, args.baseline_dates)
    print(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() if args.json
          else summary(report))


if __name__ == "__main__":
    main()
