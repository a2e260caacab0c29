"""Original-script aliases against an index of the lists' Latin names only.

The lists give some parties' names in their own script too (UN: Arabic for most Al-Qaida
and Taliban entries; OFAC: some Cyrillic and Chinese). Index every party by its Latin-script
names alone and screen each non-Latin alias: the party should come back, as it would for a
customer whose name arrives in the original script. Per script: the share found in the top 5
(any score) and found first at or above the default threshold.

``python -m embargo.evaluation.aliases [--shared DIR] [--misses N]``
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from embargo.evaluation.screening import ALL_LISTS, load_lists, missing_lists, name_entity
from embargo.matching import DEFAULT_THRESHOLD
from embargo.matching.screen import Screener
from embargo.model import Entity, Name
from embargo.names import dominant_script, warm
from embargo.settings import load_settings

LATIN = frozenset({"Latin", "Common"})


def split_aliases(entities: Sequence[Entity]) -> tuple[list[Entity], list[tuple[Entity, Name]]]:
    """Each party with its Latin names only, and (party, alias) for every other-script alias."""
    latin: list[Entity] = []
    aliases: list[tuple[Entity, Name]] = []
    for entity in entities:
        names = tuple(n for n in entity.names if dominant_script(n.full) in LATIN)
        if not names:
            continue
        latin.append(dataclasses.replace(entity, names=names))
        aliases.extend((entity, n) for n in entity.names if dominant_script(n.full) not in LATIN)
    return latin, aliases


def alias_recall(entities: Sequence[Entity], misses: int = 0) -> dict[str, Any]:
    """Per script: aliases, found in the top 5, found first at or above the threshold."""
    latin, aliases = split_aliases(entities)
    screener = Screener.from_entities(latin)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    missed: list[dict[str, Any]] = []
    for entity, alias in aliases:
        query = name_entity("query", entity.schema, alias.full)
        hits = screener.screen(query, threshold=0.0, limit=5)
        row = counts[dominant_script(alias.full)]
        row[0] += 1
        ids = [h.entity.id for h in hits]
        row[1] += entity.id in ids
        row[2] += bool(hits) and ids[0] == entity.id and hits[0].score >= DEFAULT_THRESHOLD
        if entity.id not in ids and len(missed) < misses:
            missed.append({"alias": alias.full, "expected": entity.id, "caption": entity.caption,
                           "top": [(h.entity.id, round(h.score, 3)) for h in hits[:2]]})
    scripts = {s: {"aliases": n, "top5": round(f / n, 4), "first_matching": round(m / n, 4)}
               for s, (n, f, m) in sorted(counts.items(), key=lambda kv: -kv[1][0])}
    return {"scripts": scripts, "missed": missed}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=None,
                        help="the shared folder (EMBARGO_SHARED)")
    parser.add_argument("--misses", type=int, default=0, help="list this many missed aliases")
    args = parser.parse_args(argv)
    shared = args.shared or load_settings().shared
    problem = missing_lists(shared)
    if problem:
        sys.stderr.write(problem + "\n")
        return 2
    warm()
    report = alias_recall(load_lists(shared / "data" / "lists", ALL_LISTS), args.misses)
    sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
