"""Benchmark: `embargo batch` on synthetic customer bases, beside one-query screening and Spark.

Imports the OFAC SDN (2024-05-03), OFAC consolidated (2025-03-28) and UN lists into a fresh
home, writes seeded synthetic customer files (names of many scripts from ../shared/eval,
1% listed parties planted in variant spellings) of ``--rows`` and ``--big`` rows, and in
one run measures, side by side:

* the single-query rate: one fresh process screening the small file's rows one by one
  (by default every row, the rows the batch screens: a rate over the file's first few
  thousand rows alone differs from the whole file's by ±10% with the mix of names and the
  caches' warmth; the baseline ``bench/screening.py`` measures on its own queries: run it in
  the same session and compare);
* ``embargo batch`` on the small file with 1 and with 2 workers (rows/s, per core, scaling);
* ``embargo spark-screen --master local[2]`` on the same file, its hits compared with the
  2-worker batch output row for row;
* ``embargo batch`` on the big file with 2 workers: peak memory beside the small run's,
  and the recall of the planted parties.

    .venv/bin/python bench/batch.py [--rows 100000] [--big 1000000] [--no-spark] [--json]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from embargo.batch.run import CHUNK  # noqa: E402
from embargo.evaluation.customers import load_parts, plantable, write_customers  # noqa: E402
from embargo.settings import load_settings  # noqa: E402

LISTS = ("ofac-sdn/history/sdn_2024-05-03.csv", "ofac-consolidated/consolidated_2025-03-28.xml",
         "un/consolidated_2026-02-27.xml")
EMBARGO = [sys.executable, "-m", "embargo.cli"]
TARGETS = {"scaling_2_workers": 1.8, "scaling_2_workers_cpu": 1.8, "per_core_vs_single": 0.9,
           "memory_big_vs_small": 1.1, "spark_vs_native": 0.7, "planted_recall": 0.99}


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


class LoadSampler:
    """The 1-minute load average every ``every`` seconds while a run goes on: how many
    runnable processes shared the two cores with it (mean, min, max)."""

    def __init__(self, every: float = 5.0) -> None:
        self.every, self.samples = every, []  # type: ignore[var-annotated]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while True:
            self.samples.append(float(Path("/proc/loadavg").read_text().split()[0]))
            if self.stop.wait(self.every):
                return

    def __enter__(self) -> LoadSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def figures(self) -> dict[str, float]:
        got = self.samples or [0.0]
        return {"mean": round(sum(got) / len(got), 2), "min": min(got), "max": max(got),
                "samples": len(got)}


class MemorySampler(threading.Thread):
    """Rows done and peak memory (every process, MB) from a run's checkpoint every ``every``
    seconds: memory at 100k rows and at 1M rows from one run."""

    def __init__(self, state: Path, every: float = 10.0) -> None:
        super().__init__(daemon=True)
        self.state, self.every = state, every
        self.samples: list[tuple[int, float, dict[str, float]]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(self.every):
            try:
                data = orjson.loads(self.state.read_bytes())
            except (OSError, ValueError):
                continue
            peak = data.get("peak_mb") or {}
            pss = round(sum((data.get("peak_pss_mb") or {}).values()), 1)
            self.samples.append((data["counts"]["rows"], round(sum(peak.values()), 1), peak, pss))

    def at(self, rows: int) -> dict[str, Any] | None:
        """The first sample at or past ``rows`` rows."""
        for done, total, peak, pss in self.samples:
            if done >= rows:
                return {"rows": done, "peak_mb_total": total, "peak_mb": peak,
                        "peak_pss_total": pss}
        return None


def embargo(home: Path, *args: str) -> None:
    cmd = [*EMBARGO, "--home", str(home), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")


def setup(shared: Path, work: Path, rows: int, big: int, share: float,
          seed: int) -> dict[str, Any]:
    """A home with the three lists and its index; the customer files and planted rows."""
    from embargo.screening.lists import load_screener
    from embargo.store import Store

    home = work / "home"
    for name in LISTS:
        embargo(home, "import", str(shared / "data" / "lists" / name))
    store = Store.open(load_settings(home).store_url)
    lists = load_screener(store, home / "index")  # builds and caches the index once
    entities = [lists.screener.index.entity(n) for n in range(len(lists.screener))]
    planted, parts = plantable(entities), load_parts(shared / "eval")
    files: dict[str, Any] = {"home": home, "entities": len(entities),
                             "plantable_names": len(planted), "cultures": len(parts)}
    for label, count in (("small", rows), ("big", big)):
        if count:
            path = work / f"customers_{count}.csv"
            t0 = time.perf_counter()
            expected = write_customers(path, seed, parts, planted, count, share)
            files[label] = {"path": path, "rows": count, "planted": expected,
                            "write_s": round(time.perf_counter() - t0, 1)}
    store.close()
    return files


def single_query_rate(home: Path, path: Path, count: int) -> dict[str, Any]:
    """A fresh process: load the saved index, screen ``count`` rows (0: every row) one by one
    (parquet-like: hits without their explanations), as ``bench/screening.py`` times its
    queries; also the rate over the first 5,000 rows alone (the earlier baseline)."""
    code = (
        "import sys,time,orjson,itertools\n"
        "from embargo.batch.pool import load_screener\n"
        "from embargo.matching.query import read_queries\n"
        "idx=sorted(__import__('pathlib').Path(sys.argv[1]).glob('*.idx'))[0]\n"
        "s=load_screener(idx)\n"
        "n=int(sys.argv[3]) or None\n"
        "rows=[r for r in itertools.islice(read_queries(sys.argv[2]), n)]\n"
        "t=time.perf_counter(); c=time.process_time(); first=None\n"
        "for i,r in enumerate(rows):\n"
        "    r.entity is not None and s.screen(r.entity)\n"
        "    if i==4999: first=time.process_time()-c\n"
        "w=time.perf_counter()-t; c=time.process_time()-c\n"
        "print(orjson.dumps({'queries':len(rows),'per_second':round(len(rows)/w,1),"
        "'cpu_per_second':round(len(rows)/c,1),"
        "'first_5000_cpu_per_second':first and round(5000/first,1)}).decode())\n")
    out = subprocess.run([sys.executable, "-c", code, str(home / "index"), str(path), str(count)],
                         capture_output=True, text=True, check=True)
    result: dict[str, Any] = orjson.loads(out.stdout)
    return result


def clear(out: Path) -> None:
    """Remove an earlier run's output (``--work`` keeps the folder between runs)."""
    for path in (out, out.with_name(out.name + ".partial"),
                 out.with_name(out.name + ".state.json")):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def batch_run(home: Path, path: Path, out: Path, workers: int,
              deadline: float | None = None) -> dict[str, Any]:
    """One ``embargo batch`` run; past ``deadline`` seconds it is stopped (Ctrl-C) and the
    figures are those of its last checkpoint (``stopped_at_deadline``)."""
    clear(out)
    summary = out.with_suffix(".summary.json")
    load0, t0 = loadavg(), time.perf_counter()
    cmd = [*EMBARGO, "--home", str(home), "batch", str(path), "-o", str(out), "--format",
           "parquet", "--workers", str(workers), "--summary", str(summary)]
    memory = MemorySampler(out.with_name(out.name + ".state.json"))
    memory.start()
    with LoadSampler() as load:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _, err = proc.communicate(timeout=deadline)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate()
    memory.stop.set()
    wall = time.perf_counter() - t0
    if proc.returncode == 0:
        report: dict[str, Any] = orjson.loads(summary.read_bytes())
    elif proc.returncode == 130:
        report = stopped(out)
    else:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err.decode()[-3000:]}")
    rows, first = report["rows"], report["first_result_s"] or 0.0
    report.update(wall_s=round(wall, 1), loadavg_before=load0, loadavg_after=loadavg(),
                  loadavg_during=load.figures(), **cpu_figures(report),
                  memory_at_100k=memory.at(100_000), memory_samples=memory.samples[::10],
                  rows_per_s=round(rows / report["elapsed_s"], 1),
                  # after the first chunk came back (its rows were screened before)
                  steady_rows_per_s=round(max(0, rows - CHUNK) /
                                          max(1e-9, report["elapsed_s"] - first), 1),
                  peak_mb_total=round(sum(report["peak_mb"].values()), 1),
                  # shared (forked) index pages counted once, not in every process
                  peak_pss_total=round(sum((report.get("peak_pss_mb") or {}).values()), 1))
    return report


def cpu_figures(report: dict[str, Any]) -> dict[str, Any]:
    """Per-core figures that the machine's load does not change much: rows per CPU-second
    of each worker after its start-up, the share of a core each process got, and the share
    of all CPU time the parent (reader, writer) used."""
    workers = report.get("per_worker") or {}
    elapsed = max(1e-9, report["elapsed_s"])
    rows = sum(w["rows"] for w in workers.values())
    steady = sum(w["cpu_s"] - w["start_cpu_s"] for w in workers.values())
    total = sum(w["cpu_s"] for w in workers.values())
    # start-up included: the workers' own, and the parent's loading of the index it forks
    with_start = total + (report.get("index_cpu_s") or 0.0)
    parent = report.get("parent_cpu_s") or 0.0
    parent_steady = parent - (report.get("parent_start_cpu_s") or 0.0)
    return {"worker_rows_per_cpu_s": round(rows / max(1e-9, steady), 1),
            "worker_rows_per_cpu_s_with_start": round(rows / max(1e-9, with_start), 1),
            "worker_start_cpu_s": [w["start_cpu_s"] for w in workers.values()],
            "core_share_per_worker": [round(w["cpu_s"] / elapsed, 2) for w in workers.values()],
            "parent_cpu_share": round(parent / max(1e-9, parent + total), 4),
            "parent_cpu_share_steady": round(parent_steady / max(1e-9, parent_steady + steady),
                                             4)}


def stopped(out: Path) -> dict[str, Any]:
    """The figures of a run stopped at its deadline, from its checkpoint."""
    state = orjson.loads(out.with_name(out.name + ".state.json").read_bytes())
    workers = {name: {"rows": state["worker_rows"].get(name, 0), "cpu_s": cpu,
                      "start_cpu_s": state["start_cpu_s"].get(name, 0.0)}
               for name, cpu in state["cpu_s"].items()}
    return {**state["counts"], "elapsed_s": state["elapsed"], "peak_mb": state["peak_mb"],
            "peak_pss_mb": state.get("peak_pss_mb") or {},
            "first_result_s": None, "stopped_at_deadline": True, "per_worker": workers,
            "partial": str(out.with_name(out.name + ".partial"))}


def spark_run(home: Path, path: Path, out: Path) -> dict[str, Any]:
    clear(out)
    summary = out.with_name(out.name + ".summary.json")
    load0, t0 = loadavg(), time.perf_counter()
    embargo(home, "spark-screen", str(path), str(out), "--master", "local[2]",
            "--summary", str(summary))
    report: dict[str, Any] = orjson.loads(summary.read_bytes())
    report.update(wall_s=round(time.perf_counter() - t0, 1), loadavg_before=load0,
                  loadavg_after=loadavg(),
                  rows_per_s=round(report["rows"] / report["elapsed_s"], 1))
    return report


def hit_rows(path: Path) -> list[tuple[Any, ...]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path).to_pylist()
    return sorted((r["seq"], r["query_id"], r["entity_id"] or "", r["score"], r["error"] or "",
                   tuple(r["programs"] or ()), r["snapshot"]) for r in table)


def recall(output: Path, planted: dict[int, tuple[str, str]], rows: int,
           customers: Path) -> dict[str, Any]:
    """Share of planted rows whose listed party is among their hits: overall, by kind of
    spelling change (each change alone and as combined) and by schema; the misses with the
    name planted; and the share of the other rows with any hit."""
    if not output.exists():  # stopped at the deadline: the rows screened so far
        output = output.with_name(output.name + ".partial")
        planted = {seq: p for seq, p in planted.items() if seq < rows}
    import pyarrow.parquet as pq

    found: dict[int, set[str]] = {}
    for seq, entity in zip(*pq.read_table(output, columns=["seq", "entity_id"]).to_pydict()
                           .values(), strict=True):
        if entity:
            found.setdefault(seq, set()).add(entity)
    rows_of = planted_rows(customers, planted)
    tallies: dict[str, dict[str, list[int]]] = {"change": {}, "changes": {}, "schema": {}}
    misses = []
    for seq, (entity, changes) in sorted(planted.items()):
        ok = entity in found.get(seq, set())
        schema, name = rows_of[seq]
        for kind, label in [("changes", changes), ("schema", schema),
                            *(("change", c) for c in changes.split("+"))]:
            tallies[kind].setdefault(label, [0, 0])[ok] += 1
        if not ok:
            misses.append((seq, entity, changes, name))
    hit = len(planted) - len(misses)
    others = sum(1 for seq in found if seq not in planted)
    return {"planted": len(planted), "found": hit,
            "recall": round(hit / len(planted), 4) if planted else None,
            **{f"recall_by_{kind}": {k: f"{v[1]}/{v[0] + v[1]} = {v[1] / (v[0] + v[1]):.1%}"
                                     for k, v in sorted(got.items())}
               for kind, got in tallies.items()},
            "misses": misses[:60], "other_rows_with_hits": others,
            "other_rows_with_hits_share": round(others / max(1, rows - len(planted)), 4)}


def planted_rows(path: Path, planted: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    """The schema and the name written in each planted row of the customer file."""
    import csv

    out: dict[int, tuple[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for seq, row in enumerate(csv.DictReader(fh)):
            if seq in planted:
                out[seq] = (row["schema"], row["name"])
    return out


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    shared = args.shared or load_settings().shared
    out: dict[str, Any] = {"machine": {"cores": os.cpu_count(), "loadavg_start": loadavg()}}
    t0 = time.perf_counter()
    files = setup(shared, work, args.rows, args.big, args.share, args.seed)
    home, small = files["home"], files["small"]
    out["setup"] = {"s": round(time.perf_counter() - t0, 1), "entities": files["entities"],
                    "plantable_names": files["plantable_names"], "cultures": files["cultures"]}
    keep(args, out)
    out["single_query"] = single_query_rate(home, small["path"], args.single)
    out["batch_small"] = {}
    for workers in (1, 2):
        out["batch_small"][workers] = batch_run(home, small["path"],
                                                work / f"small_{workers}.parquet", workers)
        keep(args, out)
    out["recall_small"] = recall(work / "small_2.parquet", small["planted"], small["rows"],
                                 small["path"])
    if args.spark:
        out["spark_small"] = spark_run(home, small["path"], work / "spark_small")
        out["spark_identical"] = hit_rows(work / "spark_small") == \
            hit_rows(work / "small_2.parquet")
        keep(args, out)
    if "big" in files:
        big = files["big"]
        deadline = args.big_deadline
        if args.stop_at:
            deadline = max(60.0, args.stop_at - time.time())
        out["batch_big"] = batch_run(home, big["path"], work / "big_2.parquet", 2, deadline)
        out["recall_big"] = recall(work / "big_2.parquet", big["planted"],
                                   out["batch_big"]["rows"], big["path"])
    out["machine"]["loadavg_end"] = loadavg()
    keep(args, out)
    return out


def keep(args: argparse.Namespace, report: dict[str, Any]) -> None:
    """Write the figures so far (``--report``): a run cut short still leaves them."""
    if args.report:
        args.report.write_bytes(orjson.dumps(report, default=str, option=orjson.OPT_INDENT_2 |
                                             orjson.OPT_NON_STR_KEYS))


def ratios(report: dict[str, Any]) -> dict[str, float]:
    """The issue's ratios, on wall clock and on CPU time (the figure a shared machine does
    not distort): ``scaling_2_workers_cpu`` is what two workers do with the two cores to
    themselves: 2 x their rows per CPU-second over one worker's, less the share of the CPU
    the parent uses per row (its start-up apart, as the workers')."""
    one, two = report["batch_small"][1], report["batch_small"][2]
    single = report["single_query"]["cpu_per_second"]
    got = {"scaling_2_workers": two["rows_per_s"] / one["rows_per_s"],
           "scaling_2_workers_steady": two["steady_rows_per_s"] / one["steady_rows_per_s"],
           "scaling_2_workers_cpu": 2 * two["worker_rows_per_cpu_s"] /
           one["worker_rows_per_cpu_s"] * (1 - two["parent_cpu_share_steady"]),
           "per_core_vs_single": one["worker_rows_per_cpu_s"] / single,
           "per_core_vs_single_with_start": one["worker_rows_per_cpu_s_with_start"] / single,
           "per_core_2w_vs_single": two["worker_rows_per_cpu_s"] / single,
           "per_core_vs_single_wall": one["steady_rows_per_s"] /
           report["single_query"]["per_second"]}
    if "spark_small" in report:
        spark = report["spark_small"]
        got["spark_vs_native"] = two["wall_s"] / spark["wall_s"]  # end to end, same rows
        got["spark_vs_native_elapsed"] = spark["rows_per_s"] / two["rows_per_s"]
    if "batch_big" in report:
        big = report["batch_big"]
        # PSS: the workers' shared index pages counted once (resident sizes beside it)
        got["memory_big_vs_small"] = big["peak_pss_total"] / two["peak_pss_total"]
        got["memory_big_vs_small_rss"] = big["peak_mb_total"] / two["peak_mb_total"]
        if big["memory_at_100k"]:  # the same run, at 100k rows and at its end
            got["memory_end_vs_100k_same_run"] = big["peak_pss_total"] / \
                big["memory_at_100k"]["peak_pss_total"]
        got["planted_recall"] = report["recall_big"]["recall"]
    else:
        got["planted_recall"] = report["recall_small"]["recall"]
    return {k: round(v, 3) for k, v in got.items()}


def summary(report: dict[str, Any]) -> str:
    lines = [f"machine: {report['machine']}", f"setup: {report['setup']}",
             f"single-query (same rows, one process): {report['single_query']}"]
    for w, r in report["batch_small"].items():
        lines.append(f"batch small, {w} worker(s): {r['rows']:,} rows in {r['elapsed_s']} s "
                     f"= {r['rows_per_s']} rows/s (steady {r['steady_rows_per_s']}), "
                     f"hits {r['hits']:,}, errors {r['errors']}, peak MB {r['peak_mb']} "
                     f"(total {r['peak_mb_total']}, PSS {r['peak_pss_total']}), "
                     f"load {r['loadavg_before']} -> "
                     f"{r['loadavg_after']} (during {r['loadavg_during']}); rows per "
                     f"worker CPU-s {r['worker_rows_per_cpu_s']} (with start-up "
                     f"{r['worker_rows_per_cpu_s_with_start']}, start-up CPU s "
                     f"{r['worker_start_cpu_s']}), core share per worker "
                     f"{r['core_share_per_worker']}, parent CPU {r['parent_cpu_s']} s "
                     f"= {r['parent_cpu_share']:.1%} of all")
    if "spark_small" in report:
        s = report["spark_small"]
        lines.append(f"spark local[2]: {s['rows']:,} rows in {s['elapsed_s']} s "
                     f"(wall {s['wall_s']} s, batch 2 workers wall "
                     f"{report['batch_small'][2]['wall_s']} s) = "
                     f"{s['rows_per_s']} rows/s, hits {s['hits']:,}; identical to batch: "
                     f"{report['spark_identical']}; load {s['loadavg_before']} -> "
                     f"{s['loadavg_after']}")
    lines.append(f"recall small: {report['recall_small']}")
    if "batch_big" in report:
        b = report["batch_big"]
        lines.append(f"batch big, 2 workers: {b['rows']:,} rows in {b['elapsed_s']} s = "
                     f"{b['rows_per_s']} rows/s, peak MB {b['peak_mb']} (total "
                     f"{b['peak_mb_total']}, PSS {b['peak_pss_total']}), "
                     f"load {b['loadavg_before']} -> {b['loadavg_after']} "
                     f"(during {b['loadavg_during']}); rows per worker CPU-s "
                     f"{b['worker_rows_per_cpu_s']}, core share per worker "
                     f"{b['core_share_per_worker']}, parent CPU share {b['parent_cpu_share']:.1%}")
        lines.append(f"recall big: {report['recall_big']}")
    got = ratios(report)
    lines.append(f"ratios: {got}")
    for key, target in TARGETS.items():
        if key in got:
            ok = got[key] <= target if key == "memory_big_vs_small" else got[key] >= target
            lines.append(f"target {key}: {got[key]} vs {target} -> {'met' if ok else 'NOT met'}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/batch.py")
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big", type=int, default=1_000_000, help="0: skip the big run")
    parser.add_argument("--share", type=float, default=0.01, help="planted share of rows")
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--single", type=int, default=0,
                        help="rows for the 1-query rate (0: every row of the small file)")
    parser.add_argument("--no-spark", dest="spark", action="store_false")
    parser.add_argument("--work", type=Path, default=None, help="keep the files here")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--big-deadline", type=float, default=None,
                        help="stop the big run after this many seconds (Ctrl-C: figures of "
                        "its last checkpoint)")
    parser.add_argument("--stop-at", type=float, default=None,
                        help="Unix time at which to stop the big run (as --big-deadline)")
    parser.add_argument("--report", type=Path, default=None,
                        help="write the figures as JSON here after every stage")
    args = parser.parse_args()
    random.seed(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        report = run(args, work)
    if args.json:
        sys.stdout.write(orjson.dumps(report, default=str,
                                      option=orjson.OPT_INDENT_2 |
                                      orjson.OPT_NON_STR_KEYS).decode() + "\n")
    sys.stdout.write(summary(report) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
