"""Retrieval recall against the scorer: does the index hand the scorer every party it accepts?

For each query, the full scorer (``compare``) is run against every listed party of a
compatible schema (brute force), and the parties at or above the threshold are compared with
the candidates the index passes on to the scorer (``Screener.candidate_numbers``). A party the
scorer accepts but the index never proposes is *lost*: screening would say "no hit" where
``compare`` says "match". The report gives, per query kind and per half of a fixed split
(development / held-out, drawn once with :data:`SEED`), the queries, the accepted parties and
the parties lost, with examples.

Queries (``build_queries``): the lists' own original-script aliases; listed Latin names
written in Arabic, Cyrillic, Chinese and Japanese script with the Wikidata word tables; UK
list names (another publisher); listed names with generated noise; synthetic negatives.

``python -m embargo.evaluation.retrieval [--shared DIR] [--queries N] [--lost N]
[--part dev|held_out|both] [--save FILE | --replay FILE]``: ``--save`` keeps the parties the
scorer accepted per query; ``--replay`` scores only those again (seconds, for iterating on
the index or a stricter scorer; parties a changed scorer newly accepts are not seen).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from embargo.evaluation.screening import (
    load_list,
    missing_lists,
    name_entity,
    read_eval_queries,
)
from embargo.evaluation.variants import SCRIPTS, in_script, noisy, split, word_table
from embargo.matching import DEFAULT_THRESHOLD, compare, prepare
from embargo.matching.index_keys import compatible
from embargo.matching.screen import Screener
from embargo.model import Entity, Schema
from embargo.names import dominant_script, warm
from embargo.settings import load_settings

SEED = 9
INDEXED = ("ofac-sdn/2021-04-25/sdn.csv", "un/consolidated_2026-02-27.xml")
UK = "uk/ofsi_conlist_extract_2020.csv"
NEGATIVES = ("negatives_global_1k.csv", "negatives_us_1k.csv")
LATIN = frozenset({"Latin", "Common"})


@dataclass(frozen=True, slots=True)
class Query:
    kind: str
    entity: Entity


def _names(entities: Iterable[Entity], latin: bool) -> list[tuple[Schema, str]]:
    out = []
    for entity in entities:
        for name in entity.names:
            if (dominant_script(name.full) in LATIN) == latin:
                out.append((entity.schema, name.full))
    return out


def _sample(items: Sequence[Any], count: int, rng: random.Random) -> list[Any]:
    return list(items) if len(items) <= count else rng.sample(list(items), count)


def build_queries(indexed: Sequence[Entity], shared: Path, count: int,
                  seed: int = SEED) -> list[Query]:
    """About ``count`` queries of five kinds (see the module docstring), seeded."""
    rng = random.Random(seed)
    share = max(1, count // 5)
    queries = [Query("native", name_entity(f"n{k}", s, n)) for k, (s, n)
               in enumerate(_sample(_names(indexed, False), share, rng))]
    latin = _names(indexed, True)
    people = [n for s, n in latin if s is Schema.PERSON]
    tables = {script: word_table(shared / "eval" / "transliteration" / f"wd_{script}_80.tsv")
              for script in SCRIPTS}
    written = [(script, text) for name in people for script in SCRIPTS
               if (text := in_script(name, tables[script], script == "japanese"))]
    queries += [Query(f"script:{script}", name_entity(f"x{k}", Schema.PERSON, text))
                for k, (script, text) in enumerate(_sample(written, share, rng))]
    uk = _names(load_list(shared / "data" / "lists" / UK), True)
    queries += [Query("uk", name_entity(f"u{k}", s, n))
                for k, (s, n) in enumerate(_sample(uk, share, rng))]
    queries += [Query("variant", name_entity(f"v{k}", s, noisy(n, rng)))
                for k, (s, n) in enumerate(_sample(latin, share, rng))]
    negatives = [q for f in NEGATIVES
                 for q in read_eval_queries(shared / "eval" / "screening" / f)]
    queries += [Query("negative", name_entity(f"z{k}", Schema.PERSON, q.names[0].full))
                for k, q in enumerate(_sample(negatives, count - len(queries), rng))]
    return queries


def accepted(screener: Screener, query: Entity, threshold: float,
             among: Iterable[int] | None = None) -> dict[int, float]:
    """Brute force: every indexed party the full scorer puts at or above ``threshold``
    (only those ``among`` the given entity numbers, if given: a replay)."""
    prep = prepare(query)
    index = screener.index
    out = {}
    for number in range(len(index)) if among is None else among:
        if compatible(query.schema, index.schema(number)):
            score = compare(prep, index.prepared(number)).score
            if score >= threshold:
                out[number] = score
    return out


def lost_parties(screener: Screener, query: Entity, threshold: float,
                 among: Iterable[int] | None = None) -> tuple[int, list[int]]:
    """(parties the scorer accepts, those of them the index does not propose)."""
    brute, lost = _judge(screener, query, threshold, among)
    return len(brute), lost


def _judge(screener: Screener, query: Entity, threshold: float,
           among: Iterable[int] | None) -> tuple[dict[int, float], list[int]]:
    brute = accepted(screener, query, threshold, among)
    proposed = {n for n, _ in screener.candidate_numbers(prepare(query))}
    return brute, sorted(n for n in brute if n not in proposed)


def retrieval_recall(screener: Screener, queries: Sequence[Query], threshold: float =
                     DEFAULT_THRESHOLD, show: int = 20, seed: int = SEED,
                     parts: Sequence[str] = ("dev", "held_out"),
                     saved: dict[str, list[str]] | None = None,
                     save: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Per half and per kind: queries, accepted parties, lost parties; the first lost ones.

    ``save`` (an empty dict) receives, per query id, the ids of the parties the scorer
    accepted; ``saved`` (such a dict from an earlier run) replays: only those parties are
    scored again (fast, for iterating on the index or on a stricter scorer; parties the
    scorer newly accepts are not seen: a full run is the measure)."""
    dev, held = split(queries, seed)
    numbers = ({screener.index.entity(n).id: n for n in range(len(screener))}
               if saved is not None else {})
    report: dict[str, Any] = {"threshold": threshold, "indexed": len(screener)}
    for part, positions in (("dev", dev), ("held_out", held)):
        if part not in parts:
            continue
        kinds: dict[str, list[int]] = {}
        examples: list[dict[str, Any]] = []
        for k in positions:
            query = queries[k]
            among = (None if saved is None else
                     [numbers[i] for i in saved.get(query.entity.id, []) if i in numbers])
            brute, lost = _judge(screener, query.entity, threshold, among)
            found = len(brute)
            if save is not None:
                save[query.entity.id] = [screener.index.entity(n).id for n in brute]
            row = kinds.setdefault(query.kind, [0, 0, 0])
            row[0] += 1
            row[1] += found
            row[2] += len(lost)
            for number in lost[:max(0, show - len(examples))]:
                party = screener.index.entity(number)
                score = compare(query.entity, party).score
                examples.append({"query": query.entity.names[0].full, "kind": query.kind,
                                 "lost": party.id, "caption": party.caption,
                                 "score": round(score, 3)})
        totals = [sum(r[i] for r in kinds.values()) for i in range(3)]
        report[part] = {
            "queries": totals[0], "accepted": totals[1], "lost": totals[2],
            "recall": round(1 - totals[2] / totals[1], 4) if totals[1] else 1.0,
            "kinds": {k: dict(zip(("queries", "accepted", "lost"), r, strict=True))
                      for k, r in sorted(kinds.items())},
            "examples": examples}
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=None,
                        help="the shared folder (EMBARGO_SHARED)")
    parser.add_argument("--queries", type=int, default=2000, help="how many queries")
    parser.add_argument("--lost", type=int, default=20, help="list this many lost parties")
    parser.add_argument("--part", choices=("dev", "held_out", "both"), default="both")
    parser.add_argument("--save", type=Path, default=None,
                        help="write the parties the scorer accepted, per query (JSON)")
    parser.add_argument("--replay", type=Path, default=None,
                        help="score only the parties a --save file lists (fast, partial)")
    args = parser.parse_args(argv)
    shared = args.shared or load_settings().shared
    problem = missing_lists(shared)
    if problem:
        sys.stderr.write(problem + "\n")
        return 2
    warm()
    start = time.perf_counter()
    lists = shared / "data" / "lists"
    indexed = [e for name in INDEXED for e in load_list(lists / name)]
    screener = Screener.from_entities(indexed)
    queries = build_queries(indexed, shared, args.queries)
    parts = ("dev", "held_out") if args.part == "both" else (args.part,)
    saved = orjson.loads(args.replay.read_bytes()) if args.replay else None
    save: dict[str, list[str]] | None = {} if args.save else None
    report = retrieval_recall(screener, queries, show=args.lost, parts=parts, saved=saved,
                              save=save)
    if args.save and save is not None:
        args.save.write_bytes(orjson.dumps(save))
    report["seconds"] = round(time.perf_counter() - start, 1)
    sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
