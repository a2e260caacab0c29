"""Screening evaluation on the shared eval sets: recall, false positives, index recall, speed.

``python -m embargo.evaluation.screening [--shared DIR] [--json]`` prints the report.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from embargo.matching import DEFAULT_THRESHOLD, compare, prepare
from embargo.matching.index import CandidateIndex
from embargo.matching.query import parse_queries
from embargo.matching.screen import CANDIDATES, COVERAGE, Screener
from embargo.memory import peak_rss_mb as rss_mb
from embargo.model import Entity, Name, Schema
from embargo.names import warm
from embargo.settings import load_settings

log = logging.getLogger(__name__)

UN_FILES = ("un/consolidated_2026-02-27.xml", "un/consolidated_2025-04-19.xml",
            "un/consolidated_2018-10-29.xml")
ALL_LISTS = ("ofac-sdn/history/sdn_2024-05-03.csv",
             "ofac-consolidated/consolidated_2025-03-28.xml", "un/consolidated_2026-02-27.xml")
_PARSER_MODULES = ("embargo.sources.un_xml", "embargo.sources.ofac_csv", "embargo.sources.uk_ofsi",
                   "embargo.sources.ofac_xml")
TOP = 5


# loading ------------------------------------------------------------------------------------
def missing_lists(shared: Path) -> str | None:
    """The error to report when ``shared`` lacks the lists and eval sets, else None."""
    for needed in (shared / "data" / "lists", shared / "eval"):
        if not needed.is_dir():
            return f"error: no folder {needed} (set EMBARGO_SHARED or pass --shared)"
    return None


def load_list(path: Path) -> list[Entity]:
    """The entities of one list file, read by whichever parser recognises it."""
    head = path.read_bytes()[:8192]
    for name in _PARSER_MODULES:
        module = importlib.import_module(name)
        for item in module.PARSERS:
            parser = item() if isinstance(item, type) else item
            if parser.sniff(path, head):
                return [e for release in parser.parse(path) for e in release.entities]
    raise ValueError(f"no parser reads {path}")


def load_lists(lists_dir: Path, names: Iterable[str]) -> list[Entity]:
    return [e for name in names for e in load_list(lists_dir / name)]


def read_eval_queries(path: Path) -> list[Entity]:
    """An eval CSV (full_name, first_name, ..., nationality) as query entities, in order."""
    rows = list(parse_queries(path.read_bytes(), strict=False))  # treated rows have bad dates
    bad = [r for r in rows if r.entity is None]
    if bad:
        raise ValueError(f"{path}: {len(bad)} unreadable rows, first: {bad[0].error}")
    return [r.entity for r in rows if r.entity is not None]


def name_only(query: Entity) -> Entity:
    """The query with only its first name (and no other evidence)."""
    first = query.names[0]
    return Entity(id=query.id, source=query.source, native_id=query.native_id,
                  schema=query.schema, names=(Name(first.full),))


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def expected_ids(queries: Sequence[Entity], entities: Sequence[Entity]) -> list[set[str]]:
    """Per query, the ids of the listed entities that carry its exact name."""
    by_name: dict[str, set[str]] = {}
    for entity in entities:
        for name in entity.names:
            by_name.setdefault(_key(name.full), set()).add(entity.id)
    return [by_name.get(_key(q.names[0].full), set()) for q in queries]


# measures -----------------------------------------------------------------------------------
def positives_recall(screener: Screener, queries: Sequence[Entity],
                     expected: Sequence[set[str]]) -> dict[str, Any]:
    """Share of queries whose listed entity is a hit in the top 5 (and misses, by row)."""
    found = ranked = candidates = 0
    misses: list[dict[str, Any]] = []
    usable = [(i, q, e) for i, (q, e) in enumerate(zip(queries, expected, strict=True)) if e]
    for row, query, ids in usable:
        prep = prepare(query)
        in_index = {screener.index.entity(n).id for n, _ in screener.candidate_numbers(prep)}
        scored = screener.scored(prep)
        top = [h for h in scored if h.score >= DEFAULT_THRESHOLD][:TOP]
        candidates += bool(ids & in_index)
        ranked += any(h.entity.id in ids for h in scored[:TOP])
        if any(h.entity.id in ids for h in top):
            found += 1
        else:
            misses.append(_miss(row, query, ids, scored))
    n = len(usable)
    return {"queries": len(queries), "with_expected_entity": n, "recall_at_5": _share(found, n),
            "ranked_top5_any_score": _share(ranked, n), "candidate_recall": _share(candidates, n),
            "misses": misses}


def _miss(row: int, query: Entity, ids: set[str], scored: Sequence[Any]) -> dict[str, Any]:
    best = next((h for h in scored if h.entity.id in ids), None)
    return {"row": row + 2, "query": query.names[0].full, "expected": sorted(ids),
            "expected_score": None if best is None else round(best.score, 4),
            "expected_name": None if best is None else best.match.candidate_name,
            "top": [(h.entity.id, h.entity.caption, round(h.score, 4)) for h in scored[:2]]}


def negatives_rate(screener: Screener, queries: Sequence[Entity]) -> dict[str, Any]:
    """Share of queries (people on no list) with any hit at the default threshold."""
    flagged = []
    for row, query in enumerate(queries):
        hits = screener.screen(query, limit=1)
        if hits:
            flagged.append({"row": row + 2, "query": query.names[0].full,
                            "hit": hits[0].entity.id, "hit_name": hits[0].match.candidate_name,
                            "score": round(hits[0].score, 4)})
    return {"queries": len(queries), "with_hit": len(flagged),
            "false_positive_rate": _share(len(flagged), len(queries)), "flagged": flagged}


def putin_check(screener: Screener, names: Sequence[str]) -> dict[str, Any]:
    """Whether every variant's best hit is one and the same listed entity."""
    tops: list[str | None] = []
    for i, text in enumerate(names):
        query = Entity(id=f"query:{i}", source="query", native_id=str(i),
                       schema=Schema.PERSON, names=(Name(text),))
        hits = screener.screen(query, limit=1)
        tops.append(hits[0].entity.id if hits else None)
    common, count = Counter(t for t in tops if t).most_common(1)[0] if any(tops) else (None, 0)
    odd = [n for n, t in zip(names, tops, strict=True) if t != common]
    return {"variants": len(names), "entity": common, "same_entity": count, "others": odd}


def putin_mutual(names: Sequence[str]) -> dict[str, Any]:
    """Index the variants themselves; share of (variant, other variant) pairs that hit."""
    variants = [Entity(id=f"v:{i}", source="v", native_id=str(i), schema=Schema.PERSON,
                       names=(Name(t),)) for i, t in enumerate(names)]
    screener = Screener.from_entities(variants, candidates=len(variants))
    pairs = hit = 0
    for variant in variants:
        found = {h.entity.id for h in screener.screen(variant, limit=len(variants))}
        pairs += len(variants) - 1
        hit += len(found - {variant.id})
    return {"pairs": pairs, "matched": hit, "share": _share(hit, pairs)}


def pair_candidate_recall(path: Path, candidates: int = CANDIDATES,
                          coverage: float = COVERAGE) -> dict[str, Any]:
    """Index every name2 of a pair file; share of true pairs whose name1 finds it.

    ``retrieval_recall``: found by the index at all (its best ``candidates``);
    ``candidate_recall``: also let through by the prefilter to the full comparison;
    ``cut_hits``: true pairs the prefilter dropped although ``compare`` scores them at or
    over the default threshold (the prefilter's safety: must stay empty).
    """
    rows = _pair_rows(path)
    entities = [name_entity(f"p:{i}", schema, name2)
                for i, (schema, _, name2, _) in enumerate(rows)]
    screener = Screener.from_entities(entities, candidates, coverage)
    truths = [(i, r) for i, r in enumerate(rows) if r[3]]
    retrieved, found, cut = [], [], []
    for i, (schema, name1, name2, _) in truths:
        query = prepare(name_entity("q", schema, name1))
        retrieved.append(i in {n for n, _ in screener.index.search(query, candidates)})
        found.append(i in {n for n, _ in screener.candidate_numbers(query)})
        if retrieved[-1] and not found[-1] and \
                compare(query, screener.index.prepared(i)).score >= DEFAULT_THRESHOLD:
            cut.append(f"{name1} | {name2}")
    misses = [rows[i][1] + " | " + rows[i][2] for (i, _), ok in zip(truths, found, strict=True)
              if not ok]
    return {"true_pairs": len(truths), "found": sum(found),
            "retrieval_recall": _share(sum(retrieved), len(truths)),
            "candidate_recall": _share(sum(found), len(truths)), "misses": misses,
            "cut_hits": cut}


def _pair_rows(path: Path) -> list[tuple[Schema, str, str, bool]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    reader = csv.reader(lines)
    header = [h.strip().lower() for h in next(reader)]
    out = []
    for cells in reader:
        rec = dict(zip(header, cells, strict=False))
        if "name1" in rec:
            out.append((_schema(rec.get("schema")), rec["name1"], rec["name2"],
                        rec.get("is_match", "").strip().lower() == "true"))
        elif len(cells) >= 2:  # cross-script pairs: Query,Expected Match,...
            out.append((Schema.LEGAL_ENTITY, cells[0], cells[1], True))
    return out


def _schema(text: str | None) -> Schema:
    try:
        return Schema((text or "").strip())
    except ValueError:
        return Schema.LEGAL_ENTITY


def name_entity(eid: str, schema: Schema, name: str) -> Entity:
    """A party known by one name only (a query, or an eval pair's side)."""
    return Entity(id=eid, source="eval", native_id=eid, schema=schema, names=(Name(name),))


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


# speed ------------------------------------------------------------------------------------
def speed(screener: Screener, queries: Sequence[Entity]) -> dict[str, Any]:
    """Name-only queries per second and latency percentiles (one core, this process)."""
    times = []
    start, cpu = time.perf_counter(), time.process_time()
    for query in queries:
        t0 = time.perf_counter()
        screener.screen(query)
        times.append(time.perf_counter() - t0)
    cpu = time.process_time() - cpu
    return {**_timing(times, time.perf_counter() - start),
            "cpu_per_second": round(len(times) / cpu, 1) if cpu else 0.0}


def stages(screener: Screener, queries: Sequence[Entity]) -> dict[str, Any]:
    """Where a query's time goes: analysing it, the index search, the full comparisons."""
    timing: dict[str, list[float]] = {"prepare": [], "search": [], "compare": []}
    compared = 0
    for query in queries:
        t0 = time.perf_counter()
        prep = prepare(query)
        t1 = time.perf_counter()
        found = screener.candidate_numbers(prep)
        t2 = time.perf_counter()
        for number, _ in found:
            compare(prep, screener.index.prepared(number))
        t3 = time.perf_counter()
        compared += len(found)
        for stage, took in zip(timing, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            timing[stage].append(took)
    out: dict[str, Any] = {"candidates_per_query": round(compared / max(1, len(queries)), 2)}
    for stage, times in timing.items():
        times.sort()
        out[stage] = {"mean_ms": round(statistics.fmean(times) * 1000, 3),
                      "p99_ms": round(times[int(len(times) * 0.99) - 1] * 1000, 3)}
    out["search_only_per_second"] = round(len(queries) / sum(timing["search"]), 1)
    return out


def brute_force(names: Sequence[str], queries: Sequence[str]) -> dict[str, Any]:
    """The floor to beat: rapidfuzz token_sort_ratio over every indexed name, per query.

    The listed names are normalised once, as an index would; each query is normalised and
    scanned against all of them by rapidfuzz's C++ kernel (one core).
    """
    from rapidfuzz import fuzz, process, utils

    choices = [utils.default_process(n) for n in names]
    times = []
    c0 = time.process_time()
    for text in queries:
        t0 = time.perf_counter()
        process.extract(utils.default_process(text), choices, scorer=fuzz.token_sort_ratio,
                        limit=10)
        times.append(time.perf_counter() - t0)
    cpu = time.process_time() - c0
    return {"names": len(names), **_timing(times, sum(times)),
            "cpu_per_second": round(len(times) / cpu, 1) if cpu > 0 else 0.0}


def _timing(times: list[float], total: float) -> dict[str, Any]:
    """Queries per second and latency percentiles of per-query times (seconds)."""
    times = sorted(times)
    return {"queries": len(times), "per_second": round(len(times) / total, 1),
            "p50_ms": round(statistics.median(times) * 1000, 3),
            "p99_ms": round(times[max(0, int(len(times) * 0.99) - 1)] * 1000, 3),
            "max_ms": round(times[-1] * 1000, 3)}


def build_and_reload(entities: Sequence[Entity], path: Path) -> tuple[Screener, dict[str, Any]]:
    t0 = time.perf_counter()
    index = CandidateIndex.build(entities)
    built = time.perf_counter() - t0
    index.save(path)
    t1 = time.perf_counter()
    loaded = CandidateIndex.load(path)
    load = time.perf_counter() - t1
    return Screener(loaded), {
        "entities": len(entities), "names": sum(len(e.names) for e in entities),
        "keys": index.keys_count(), "build_s": round(built, 2), "load_s": round(load, 3),
        "file_mb": round(path.stat().st_size / 2**20, 1)}


# the report -------------------------------------------------------------------------------
def evaluate(shared: Path, work: Path, speed_queries: int = 2000) -> dict[str, Any]:
    lists_dir, screening = shared / "data" / "lists", shared / "eval" / "screening"
    report: dict[str, Any] = {"threshold": DEFAULT_THRESHOLD}
    untreated = read_eval_queries(screening / "positives_un_untreated.csv")
    treated = read_eval_queries(screening / "positives_un_treated.csv")
    report["positives"] = _positives(lists_dir, untreated, treated)
    everything = load_lists(lists_dir, ALL_LISTS)
    screener, report["index"] = build_and_reload(everything, work / "all.index")
    negatives = {n: read_eval_queries(screening / f"negatives_{n}_1k.csv")
                 for n in ("global", "us")}
    report["negatives"] = {n: negatives_rate(screener, q) for n, q in negatives.items()}
    putin = [ln.strip() for ln in (screening / "putin_names.txt").read_text().splitlines()
             if ln.strip()]
    report["putin"] = {"vs_lists": putin_check(screener, putin), "mutual": putin_mutual(putin)}
    report["pairs_candidate_recall"] = {
        p.name: pair_candidate_recall(p, screener.candidates, screener.coverage)
        for p in sorted((shared / "eval" / "pairs").glob("*.csv"))}
    report["speed"] = _speed(screener, everything, [*untreated, *treated,
                                                    *negatives["global"], *negatives["us"]],
                             speed_queries)
    report["serving"] = serving_subprocess(work / "all.index", shared, speed_queries)
    report["rss_mb"] = rss_mb()
    return report


def _positives(lists_dir: Path, untreated: Sequence[Entity],
               treated: Sequence[Entity]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in UN_FILES:
        entities = load_list(lists_dir / name)
        expected = expected_ids(untreated, entities)
        screener = Screener.from_entities(entities)
        out[name] = {"untreated": positives_recall(screener, untreated, expected),
                     "treated": positives_recall(screener, treated, expected)}
    return out


def _speed(screener: Screener, entities: Sequence[Entity], queries: Sequence[Entity],
           count: int) -> dict[str, Any]:
    sample = [name_only(q) for q in _cycle(queries, count)]
    names = [n.full for e in entities for n in e.names]
    return {"screen": speed(screener, sample), "stages": stages(screener, sample),
            "brute_force": brute_force(names, [q.names[0].full for q in sample[:200]])}


def _cycle(items: Sequence[Entity], count: int) -> Iterator[Entity]:
    for i in range(count):
        yield items[i % len(items)]


def speed_queries(shared: Path, count: int) -> list[Entity]:
    """``count`` name-only queries, mostly negatives (as real traffic is), cycling the files."""
    screening = shared / "eval" / "screening"
    queries = [q for name in ("negatives_global_1k.csv", "negatives_us_1k.csv",
                              "positives_un_treated.csv")
               for q in read_eval_queries(screening / name)]
    return [name_only(q) for q in _cycle(queries, count)]


def serving(index_path: Path, shared: Path, count: int) -> dict[str, Any]:
    """A fresh screening process: load the saved index, screen name-only queries, peak RSS.

    The load time includes warming the romanisers up, as a service does before it answers.
    """
    t0 = time.perf_counter()
    screener = Screener.load(index_path)
    warm()
    load = time.perf_counter() - t0
    result = speed(screener, speed_queries(shared, count))
    return {"load_s": round(load, 3), **result, "rss_mb": rss_mb()}


def serving_subprocess(index_path: Path, shared: Path, count: int) -> dict[str, Any]:
    """:func:`serving` run in a child process, so that its memory is the service's alone."""
    cmd = [sys.executable, "-m", "embargo.evaluation.screening", "--shared", str(shared),
           "--serve", str(index_path), "--queries", str(count)]
    out = subprocess.run(cmd, capture_output=True, check=False, timeout=3600)
    if out.returncode != 0:
        lines = out.stderr.decode(errors="replace").strip().splitlines()
        return {"error": lines[-1] if lines else f"exit status {out.returncode}"}
    result: dict[str, Any] = orjson.loads(out.stdout)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m embargo.evaluation.screening")
    parser.add_argument("--shared", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=None, help="where to write the index")
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--json", action="store_true", help="print the full JSON report")
    parser.add_argument("--serve", type=Path, default=None,
                        help="only measure a screening process that loads this saved index")
    args = parser.parse_args(argv)
    shared = args.shared or load_settings().shared
    problem = missing_lists(shared)
    if problem:
        sys.stderr.write(problem + "\n")
        return 2
    if args.serve:
        sys.stdout.write(orjson.dumps(serving(args.serve, shared, args.queries)).decode() + "\n")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        report = evaluate(shared, args.work or Path(tmp), args.queries)
    if args.json:
        sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        sys.stdout.write(summary(report) + "\n")
    return 0


def summary(report: dict[str, Any]) -> str:
    """The headline figures, one per line."""
    lines = [f"default threshold {report['threshold']}"]
    for name, res in report["positives"].items():
        for kind in ("untreated", "treated"):
            r = res[kind]
            lines.append(f"{name} {kind}: recall@5 {r['recall_at_5']} "
                         f"(ranked {r['ranked_top5_any_score']}, "
                         f"candidates {r['candidate_recall']}, n={r['with_expected_entity']})")
    for name, res in report["negatives"].items():
        lines.append(f"negatives {name}: {res['with_hit']}/{res['queries']} with a hit "
                     f"({res['false_positive_rate']})")
    putin = report["putin"]
    lines.append(f"putin: {putin['vs_lists']['same_entity']}/{putin['vs_lists']['variants']} "
                 f"-> {putin['vs_lists']['entity']}; mutual {putin['mutual']['share']}")
    for name, res in report["pairs_candidate_recall"].items():
        lines.append(f"index recall {name}: {res['retrieval_recall']} retrieved, "
                     f"{res['candidate_recall']} compared ({res['found']}/{res['true_pairs']}),"
                     f" true hits cut {len(res['cut_hits'])}")
    lines.append(f"index: {report['index']}")
    lines.append(f"speed: {report['speed']}")
    lines.append(f"serving process (loads the saved index): {report['serving']}")
    lines.append(f"peak RSS of the evaluation process {report['rss_mb']} MB")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
