"""Benchmark: name-only screening throughput against all shared lists loaded together.

Builds one index over the newest OFAC SDN, the OFAC consolidated list and the UN list,
saves it, and then, in a fresh process on one core (as a service would), loads it and
screens name-only queries (mostly the negatives, as real traffic is mostly people on no list):
queries per second, p50/p99 per query, peak resident memory. In the same run, a brute-force
rapidfuzz scan of every listed name (``token_sort_ratio``, C++ kernel, names normalised once)
screens the same queries: the floor to beat.

    .venv/bin/python bench/screening.py [--queries N] [--brute N] [--workers 2] [--json]
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

from embargo.evaluation.screening import (  # noqa: E402
    ALL_LISTS,
    brute_force,
    load_lists,
    rss_mb,
    serving_subprocess,
    speed_queries,
)
from embargo.matching.index import CandidateIndex  # noqa: E402
from embargo.settings import load_settings  # noqa: E402

TARGETS = {"per_second": 1000.0, "p99_ms": 5.0, "build_s": 10.0, "rss_mb": 500.0}


def run(shared: Path, work: Path, count: int, brute: int, workers: int) -> dict[str, Any]:
    """Every figure of the benchmark, as one JSON-ready dict."""
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    entities = load_lists(shared / "data" / "lists", ALL_LISTS)
    out["lists"] = {"files": list(ALL_LISTS), "entities": len(entities),
                    "names": sum(len(e.names) for e in entities),
                    "parse_s": round(time.perf_counter() - t0, 2)}
    t0, c0 = time.perf_counter(), time.process_time()
    index = CandidateIndex.build(entities, workers=workers)
    out["build"] = {"workers": workers, "build_s": round(time.perf_counter() - t0, 2),
                    "build_cpu_s": round(time.process_time() - c0, 2),
                    "keys": index.keys_count()}
    path = work / "all.index"
    t0 = time.perf_counter()
    index.save(path)
    out["build"].update(save_s=round(time.perf_counter() - t0, 2),
                        file_mb=round(path.stat().st_size / 2**20, 1),
                        builder_rss_mb=rss_mb())
    del index
    out["serving"] = serving_subprocess(path, shared, count)
    queries = [q.names[0].full for q in speed_queries(shared, brute)]
    names = [n.full for e in entities for n in e.names]
    out["brute_force"] = brute_force(names, queries)
    return out


def summary(report: dict[str, Any]) -> str:
    """The figures and ratios, one per line."""
    serve, brute, build = report["serving"], report["brute_force"], report["build"]
    if "error" in serve:
        return f"serving process failed: {serve['error']}"
    lines = [
        f"lists: {report['lists']['entities']} entities, {report['lists']['names']} names",
        f"build {build['build_s']} s (cpu {build['build_cpu_s']} s, workers {build['workers']}),"
        f" save {build['save_s']} s, file {build['file_mb']} MB,"
        f" builder peak RSS {build['builder_rss_mb']} MB",
        f"serving process: load {serve['load_s']} s, {serve['queries']} name-only queries:"
        f" {serve['per_second']} q/s wall ({serve['cpu_per_second']} q/s CPU),"
        f" p50 {serve['p50_ms']} ms, p99 {serve['p99_ms']} ms, max {serve['max_ms']} ms,"
        f" peak RSS {serve['rss_mb']} MB",
        f"brute-force rapidfuzz scan of {brute['names']} names: {brute['per_second']} q/s"
        f" ({brute['cpu_per_second']} q/s CPU),"
        f" p50 {brute['p50_ms']} ms, p99 {brute['p99_ms']} ms ({brute['queries']} queries)",
        f"ratio: {serve['per_second'] / brute['per_second']:.1f}x the brute-force floor's q/s,"
        f" p50 {brute['p50_ms'] / serve['p50_ms']:.1f}x lower",
        f"CPU ratio: {serve['cpu_per_second'] / brute['cpu_per_second']:.1f}x the brute-force"
        f" floor's queries per CPU-second ({serve['cpu_per_second']} vs"
        f" {brute['cpu_per_second']})",
    ]
    got = {"per_second": serve["per_second"], "p99_ms": serve["p99_ms"],
           "build_s": build["build_s"], "rss_mb": serve["rss_mb"]}
    for key, target in TARGETS.items():
        ok = got[key] >= target if key == "per_second" else got[key] < target
        lines.append(f"target {key}: {got[key]} vs {target} -> {'met' if ok else 'NOT met'}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/screening.py")
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--queries", type=int, default=2000, help="queries for the screener")
    parser.add_argument("--brute", type=int, default=200, help="queries for the brute force")
    parser.add_argument("--workers", type=int, default=1, help="2: prepare in two processes")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    shared = args.shared or load_settings().shared
    with tempfile.TemporaryDirectory() as tmp:
        report = run(shared, Path(tmp), args.queries, args.brute, args.workers)
    text = orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() if args.json else \
        summary(report)
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
