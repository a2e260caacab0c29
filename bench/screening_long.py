"""Benchmark: memory of a long-running screening process (bounded caches).

Builds the index over the newest OFAC SDN, OFAC consolidated and UN lists, saves it, then in
a fresh process loads it, warms the romanisers up (as a service does) and screens ``N``
distinct made-up names: words of the eval queries (all scripts) recombined at random, so that
every query brings new tokens into the query-side caches. Prints resident memory and the
queries per second every 10,000 queries; the target is to stay under 500 MB.

    .venv/bin/python bench/screening_long.py [--queries 40000]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from embargo.evaluation.screening import (  # noqa: E402
    ALL_LISTS,
    load_lists,
    rss_mb,
    speed_queries,
)
from embargo.matching.index import CandidateIndex  # noqa: E402
from embargo.settings import load_settings  # noqa: E402


def _current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return rss_mb()


def serve(index: Path, shared: Path, count: int) -> None:
    """In the child: load, warm up, screen ``count`` made-up names, report as it goes."""
    from embargo.matching.screen import Screener
    from embargo.model import Entity, Name, Schema
    from embargo.names import warm

    screener = Screener.load(index)
    warm()
    print(f"loaded and warmed: {_current_rss_mb():.0f} MB", flush=True)
    words = sorted({w for q in speed_queries(shared, 3000) for w in q.names[0].full.split()})
    rng = random.Random(1)
    start = time.perf_counter()
    for i in range(count):
        name = " ".join(rng.choice(words) for _ in range(rng.choice((2, 2, 3))))
        screener.screen(Entity(id=str(i), source="q", native_id=str(i), schema=Schema.PERSON,
                               names=(Name(name),)))
        if (i + 1) % 10_000 == 0:
            rate = (i + 1) / (time.perf_counter() - start)
            print(f"{i + 1} queries: {_current_rss_mb():.0f} MB, {rate:.0f} q/s", flush=True)
    print(f"peak RSS {rss_mb():.0f} MB (target < 500 MB)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=40_000)
    parser.add_argument("--serve", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    shared = load_settings().shared
    if args.serve:
        serve(args.serve, shared, args.queries)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "all.index"
        CandidateIndex.build(load_lists(shared / "data" / "lists", ALL_LISTS)).save(path)
        return subprocess.run([sys.executable, __file__, "--serve", str(path),
                               "--queries", str(args.queries)], check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
