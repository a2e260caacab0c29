"""Benchmark: Embargo's ``compare`` per pair against nomenklatura's logic-v2 (yente's scorer).

Both scorers see the same labelled pairs (the three shared pair files), in the same
process and run. Embargo is timed on prepared entities (analysis done once, as the
index caches it) and on raw entities (analysis included, caches cleared);
logic-v2 is timed on FollowTheMoney entities built ``make_entity``-style.

    .venv/bin/python bench/compare_pairs.py [--repeat N] [FILE...]

Needs the ``bench`` extra (``nomenklatura``); without it only Embargo is timed.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from embargo.evaluation.pairs import Pair, read_pairs  # noqa: E402
from embargo.evaluation.screening import name_entity  # noqa: E402
from embargo.matching import compare, prepare  # noqa: E402
from embargo.matching.reading import readings  # noqa: E402
from embargo.model import Schema  # noqa: E402
from embargo.names import warm  # noqa: E402
from embargo.names.analyse import analyse_all  # noqa: E402
from embargo.settings import load_settings  # noqa: E402

FILES = ("cascade-name-pairs.csv", "cascade-name-pairs-2.csv", "cross_script_pairs.csv")


ROUND = 0.1  # seconds: a timed round runs the whole set as many times as fit in this


def _per_pair(run: Callable[[], None], count: int, repeat: int) -> float:
    """Best-of-``repeat`` mean CPU microseconds per pair (steady under a loaded machine).

    Each round runs the set of pairs over and over for about ``ROUND`` seconds (one pass
    over 507 pairs takes ~2 ms: timed alone, runs would scatter by 20% and more).
    """
    start = time.process_time()
    run()
    passes = max(1, round(ROUND / max(time.process_time() - start, 1e-6)))
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(passes):
            run()
        best = min(best, (time.process_time() - start) / passes)
    return best / max(1, count) * 1e6


def prepare_time(pairs: Sequence[Pair], repeat: int) -> float:
    """Best-of-``repeat`` CPU microseconds per ``prepare`` of one side, name caches cleared."""
    entities = [e for p in pairs for e in (p.left, p.right)]

    def run() -> None:
        analyse_all.cache_clear()
        readings.cache_clear()
        for entity in entities:
            prepare(entity)

    return _per_pair(run, len(entities), repeat)


def embargo_times(pairs: Sequence[Pair], repeat: int) -> tuple[float, float]:
    prepared = [(prepare(p.left), prepare(p.right)) for p in pairs]

    def run_prepared() -> None:
        for q, c in prepared:
            compare(q, c)

    def run_raw() -> None:
        analyse_all.cache_clear()
        for p in pairs:
            compare(p.left, p.right)

    return _per_pair(run_prepared, len(pairs), repeat), _per_pair(run_raw, len(pairs), repeat)


def _ftm_entity(model: Any, pair: Pair, side: str) -> Any:
    entity = pair.left if side == "q" else pair.right
    schema = entity.schema.value if entity.schema.value in model.schemata else "LegalEntity"
    proxy = model.make_entity(schema)
    proxy.id = f"{side}-{id(pair)}"
    proxy.add("name", [n.full for n in entity.names])
    if schema == "Person":
        proxy.add("birthDate", [d.value for d in entity.birth_dates])
        proxy.add("nationality", list(entity.nationalities))
    return proxy


def logic_v2_time(pairs: Sequence[Pair], repeat: int) -> float | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        return None
    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        return None
    config = ScoringConfig.defaults()
    entities = [(_ftm_entity(model, p, "q"), _ftm_entity(model, p, "c")) for p in pairs]
    for q, c in entities[:5]:  # warm caches and lazy loads
        algorithm.compare(q, c, config)

    def run() -> None:
        for q, c in entities:
            algorithm.compare(q, c, config)

    return _per_pair(run, len(pairs), repeat)


WARM_NAMES = ("Ivan Petrov", "Иван Петров", "محمد علي", "李明", "김철수", "ヤマダ タロウ",
              "יוסי כהן", "မောင်မောင်", "Γιώργος Παπαδόπουλος", "สมชาย ใจดี", "Acme Trading Ltd")
"""Names not in the pair files, in the scripts they use: lazy loads happen before timing."""


def first_sight(scorer: str, files: Sequence[Path]) -> float | None:
    """CPU microseconds per pair when every pair is seen once, in a new process.

    Nothing is cached yet but what loading does (Embargo's romanisers, ``names.warm``;
    both scorers first compare a few unrelated names in each script): what a first
    screening of new names costs.
    """
    command = [sys.executable, __file__, "--first-sight-child", scorer, *map(str, files)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        return float(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def _first_sight_child(scorer: str, files: Sequence[Path]) -> float | None:
    pairs = [p for f in files for p in read_pairs(f)]
    if scorer == "embargo":
        warm()
        warmers = [name_entity(f"warm:{name}", Schema.LEGAL_ENTITY, name) for name in WARM_NAMES]
        for a, b in itertools.pairwise(warmers):
            compare(a, b)
        start = time.process_time()
        for p in pairs:
            compare(p.left, p.right)
        return (time.process_time() - start) / len(pairs) * 1e6
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        return None
    algorithm, config = get_algorithm("logic-v2"), ScoringConfig.defaults()
    if algorithm is None:
        return None
    entities = [(_ftm_entity(model, p, "q"), _ftm_entity(model, p, "c")) for p in pairs]
    warmers = [model.make_entity("LegalEntity") for _ in WARM_NAMES]
    for i, (proxy, name) in enumerate(zip(warmers, WARM_NAMES, strict=True)):
        proxy.id = f"warm-{i}"
        proxy.add("name", name)
    for a, b in itertools.pairwise(warmers):
        algorithm.compare(a, b, config)
    start = time.process_time()
    for q, c in entities:
        algorithm.compare(q, c, config)
    return (time.process_time() - start) / len(pairs) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--first-sight-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    files = args.files or [load_settings().shared / "eval" / "pairs" / f for f in FILES]
    if args.first_sight_child:
        sys.stdout.write(f"{_first_sight_child(args.first_sight_child, files)}\n")
        return 0
    pairs = [p for f in files for p in read_pairs(f)]
    ours, raw = embargo_times(pairs, args.repeat)
    prep = prepare_time(pairs, args.repeat)
    theirs = logic_v2_time(pairs, args.repeat)
    lines = [f"pairs: {len(pairs)} from {len(files)} files",
             f"embargo prepare (one side): {prep:8.2f} us/entity",
             f"embargo compare (prepared): {ours:8.2f} us/pair",
             f"embargo compare (raw):      {raw:8.2f} us/pair"]
    if theirs is None:
        lines.append("nomenklatura logic-v2: not installed (pip install '.[bench]')")
    else:
        lines.append(f"nomenklatura logic-v2:      {theirs:8.2f} us/pair")
        lines.append(f"speed-up (prepared): {theirs / ours:6.1f}x   (raw): {theirs / raw:6.1f}x")
    first_ours, first_theirs = first_sight("embargo", files), first_sight("logic-v2", files)
    if first_ours is not None:
        lines.append(f"first sight, each pair once in a new process: embargo {first_ours:8.2f}"
                     " us/pair (prepare included)")
    if first_ours is not None and first_theirs is not None:
        lines.append(f"first sight, logic-v2:      {first_theirs:8.2f} us/pair   speed-up: "
                     f"{first_theirs / first_ours:6.1f}x")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
