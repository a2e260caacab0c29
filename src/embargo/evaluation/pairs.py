"""Precision, recall and F1 of ``compare`` on labelled name-pair files.

Pair files have the columns ``case_group,schema,name1,name2,is_match`` and optional
``<property>_1`` / ``<property>_2`` columns (``birthDate_1``, ``nationality_2``...).
``cross_script_pairs.csv`` style files (``Query,Expected,MinScore`` with ``#``
comments) count every row as a positive pair.

Run ``python -m embargo.evaluation.pairs FILE...``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from embargo.matching import DEFAULT_THRESHOLD, compare, prepare
from embargo.matching.compare import Prepared
from embargo.model.dates import parse_date
from embargo.model.entity import Entity, Name, Schema


@dataclass(frozen=True, slots=True)
class Pair:
    schema: Schema
    left: Entity
    right: Entity
    is_match: bool
    label: str


@dataclass(frozen=True, slots=True)
class Scores:
    threshold: float
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class PairReport:
    path: str
    pairs: int
    positives: int
    default: Scores
    best: Scores
    us_per_pair: float  # prepared pairs
    us_per_raw_pair: float  # analysis included
    errors: tuple[tuple[str, float, bool], ...]  # misclassified at the default threshold


def _schema(value: str) -> Schema:
    try:
        return Schema(value.strip() or "LegalEntity")
    except ValueError:
        return Schema.LEGAL_ENTITY


def _entity(side: str, schema: Schema, name: str, row: dict[str, str], suffix: str) -> Entity:
    props = {k[: -len(suffix)]: v for k, v in row.items() if k and k.endswith(suffix) and v}
    dates = tuple(d for d in (parse_date(v) for v in props.get("birthDate", "").split(";") if v)
                  if d is not None)
    nats = tuple(v.strip().lower() for v in props.get("nationality", "").split(";") if v.strip())
    return Entity(
        id=f"pair:{side}", source="query" if side == "q" else "pairs", native_id=side,
        schema=schema, names=(Name(full=name),), birth_dates=dates, nationalities=nats,
        gender=props.get("gender") or None,
    )


def read_pairs(path: Path) -> list[Pair]:
    """Labelled pairs from either file layout."""
    text = path.read_text(encoding="utf-8-sig")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if lines and lines[0].startswith("case_group"):
        rows = csv.DictReader(io.StringIO("\n".join(lines)))
        return [_pair(r) for r in rows]
    out = []
    for row in csv.reader(lines):
        schema = Schema.PERSON
        left = _entity("q", schema, row[0], {}, "_1")
        out.append(Pair(schema, left, _entity("c", schema, row[1], {}, "_2"), True, row[0]))
    return out


def _pair(row: dict[str, str]) -> Pair:
    schema = _schema(row.get("schema", ""))
    left = _entity("q", schema, row["name1"], row, "_1")
    right = _entity("c", schema, row["name2"], row, "_2")
    label = f"{row['name1']} | {row['name2']}"
    return Pair(schema, left, right, row["is_match"].strip().lower() == "true", label)


def _scores(scored: list[tuple[float, bool]], threshold: float) -> Scores:
    tp = sum(1 for s, m in scored if m and s >= threshold)
    fp = sum(1 for s, m in scored if not m and s >= threshold)
    fn = sum(1 for s, m in scored if m and s < threshold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(threshold, round(p, 4), round(r, 4), round(f1, 4))


def _timed(prepared: list[tuple[Prepared, Prepared]], pairs: list[Pair]) -> tuple[float, float]:
    start = time.perf_counter()
    for q, c in prepared:
        compare(q, c)
    mid = time.perf_counter()
    for pair in pairs:
        compare(pair.left, pair.right)
    end = time.perf_counter()
    n = max(1, len(pairs))
    return (mid - start) / n * 1e6, (end - mid) / n * 1e6


def evaluate_pairs(path: str | Path, threshold: float | None = None) -> PairReport:
    """Score every pair in ``path``; metrics at ``threshold`` (default: the project's)."""
    path = Path(path)
    pairs = read_pairs(path)
    prepared = [(prepare(p.left), prepare(p.right)) for p in pairs]
    scored = [(compare(q, c).score, p.is_match) for (q, c), p in zip(prepared, pairs, strict=True)]
    at = DEFAULT_THRESHOLD if threshold is None else threshold
    candidates = sorted({round(s, 4) for s, _ in scored} | {at})
    best = max((_scores(scored, t) for t in candidates), key=lambda s: s.f1)
    us, raw_us = _timed(prepared, pairs)
    errors = tuple((p.label, round(s, 4), p.is_match) for (s, m), p in zip(scored, pairs,
                   strict=True) if (s >= at) != m)
    return PairReport(str(path), len(pairs), sum(p.is_match for p in pairs),
                      _scores(scored, at), best, round(us, 2), round(raw_us, 2), errors)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    show_errors = "--errors" in args
    for name in (a for a in args if a != "--errors"):
        report = asdict(evaluate_pairs(name))
        if not show_errors:
            report["errors"] = len(report["errors"])
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
