"""Check: screening's every output, written down, to prove a speed change changes none of it.

Builds the index of ``bench/screening.py`` (OFAC SDN, OFAC consolidated, UN: all lists
together) and screens a fixed set of queries: the benchmark's name-only queries (negatives,
UN positives), the UN positives with all their evidence, and the retrieval evaluation's
queries (original-script aliases, Latin names written in Arabic, Cyrillic, Chinese and
Japanese script, UK names, noisy variants, negatives; seed 9). Per query it writes every
candidate the screener scores (entity, exact score, the names that met) and, for each,
the full explanation (features and aligned tokens) as ``Match.explanation`` gives it, with
floats written exactly (``repr``), one JSON line per query. Run it before and after a
change and compare the files byte for byte::

    .venv/bin/python bench/screening_digest.py --out /tmp/before.jsonl
    # ... change the code (reinstall if compiled) ...
    .venv/bin/python bench/screening_digest.py --out /tmp/after.jsonl
    cmp /tmp/before.jsonl /tmp/after.jsonl

It prints the number of queries, candidates and hits, and a hash of the file.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from embargo.evaluation.retrieval import build_queries  # noqa: E402
from embargo.evaluation.screening import (  # noqa: E402
    ALL_LISTS,
    load_lists,
    read_eval_queries,
    speed_queries,
)
from embargo.matching import DEFAULT_THRESHOLD, Match  # noqa: E402
from embargo.matching.screen import Screener  # noqa: E402
from embargo.model import Entity  # noqa: E402
from embargo.names import warm  # noqa: E402
from embargo.settings import load_settings  # noqa: E402


def queries(shared: Path, speed: int, retrieval: int) -> list[tuple[str, Entity]]:
    """(kind, query) in a fixed order."""
    screening = shared / "eval" / "screening"
    out = [("speed", q) for q in speed_queries(shared, speed)]
    for name in ("positives_un_untreated.csv", "positives_un_treated.csv"):
        out += [("full:" + name, q) for q in read_eval_queries(screening / name)]
    if retrieval:
        out += [(q.kind, q.entity) for q in build_queries(
            load_lists(shared / "data" / "lists", ALL_LISTS), shared, retrieval)]
    return out


def exact(value: Any) -> Any:
    """Floats as their exact repr (rounding in ``explanation`` would hide a last-bit change)."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {k: exact(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [exact(v) for v in value]
    return value


def explained(match: Match) -> dict[str, Any]:
    """``Match.explanation`` with every float exact."""
    return {"score": repr(match.score), "match": match.match,
            "features": [exact((f.name, f.value, f.contribution, f.detail))
                         for f in match.features],
            "alignment": [exact(part) for part in match.alignment]}


def digest(screener: Screener, items: Sequence[tuple[str, Entity]]) -> Iterator[dict[str, Any]]:
    for number, (kind, query) in enumerate(items):
        scored = screener.scored(query)
        hits = screener.screen(query)
        yield {"n": number, "kind": kind, "query": [n.full for n in query.names],
               "hits": [[h.entity.id, repr(h.score)] for h in hits],
               "scored": [[h.entity.id, h.match.query_name, h.match.candidate_name,
                           explained(h.match)] for h in scored]}


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/screening_digest.py")
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--speed", type=int, default=2000, help="bench/screening.py's queries")
    parser.add_argument("--retrieval", type=int, default=2000,
                        help="queries of the retrieval evaluation (0: none)")
    args = parser.parse_args()
    shared = args.shared or load_settings().shared
    items = queries(shared, args.speed, args.retrieval)
    screener = Screener.from_entities(load_lists(shared / "data" / "lists", ALL_LISTS))
    warm()
    counts = {"queries": 0, "scored": 0, "hits": 0}
    sha = hashlib.sha256()
    with args.out.open("wb") as fh:
        for row in digest(screener, items):
            line = orjson.dumps(row) + b"\n"
            fh.write(line)
            sha.update(line)
            counts["queries"] += 1
            counts["scored"] += len(row["scored"])
            counts["hits"] += len(row["hits"])
    sys.stdout.write(f"{counts['queries']} queries, {counts['scored']} candidates scored, "
                     f"{counts['hits']} hits at or over {DEFAULT_THRESHOLD}; "
                     f"sha256 {sha.hexdigest()}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
