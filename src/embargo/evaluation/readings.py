"""Readings of Arabic-script name words against the Latin spellings publishers use.

Two sets from ``eval/transliteration``, each split once by a hash of the Arabic word into a
development half (looked at while changing the readings) and a held-out half:

* ``spellings``: Wikidata person-name words (``wd_arabic_80.tsv``) with every English
  spelling seen at least :data:`MIN_COUNT` times (ج م ا ل: jamal, gamal, djamel, cemal). The
  learned table (``names/data/arabic.tsv.z``) was built from this file and gives each word
  its most frequent spelling: pairs that are that spelling are left out, the others are the
  spellings of other publishers and languages that the other readings must meet.
* ``unseen``: ``google_ar2en_eval.tsv``, a file the learned table never read.

Each pair is compared as two one-word names of people (``compare``); a pair is met at or
above the default threshold. Negatives: each Arabic word against the English word of another
pair of the same half (a fixed shuffle), whose share at the threshold must stay low.

``python -m embargo.evaluation.readings [--shared DIR] [--part dev|held_out|both] [--misses N]``
"""

from __future__ import annotations

import argparse
import random
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from embargo.matching import DEFAULT_THRESHOLD, compare, prepare
from embargo.model import Entity, Name, Schema
from embargo.names.romanise.abjad import arabic_word
from embargo.settings import load_settings

MIN_COUNT = 3
Pair = tuple[str, str]


def part_of(arabic: str) -> str:
    """The half a word belongs to, fixed by a hash of the word (never re-drawn)."""
    return "dev" if zlib.crc32(arabic.encode("utf-8")) % 2 == 0 else "held_out"


def spellings(path: Path) -> list[Pair]:
    """(Arabic word, English spelling) seen MIN_COUNT times, not the learned spelling."""
    out: list[Pair] = []
    for line in path.read_text("utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) != 3 or not fields[2].isdigit() or int(fields[2]) < MIN_COUNT:
            continue
        arabic, english = fields[1].replace(" ", ""), fields[0].lower()
        if english.isascii() and english.isalpha() and arabic_word(arabic) != english:
            out.append((arabic, english))
    return out


def unseen(path: Path) -> list[Pair]:
    """(Arabic word, English spelling) of a file the learned table never read."""
    out: list[Pair] = []
    for line in path.read_text("utf-8").splitlines():
        arabic, _, english = line.partition("\t")
        if english.isascii() and english.isalpha():
            out.append((arabic, english.lower()))
    return out


def _person(name: str) -> Entity:
    return Entity(id=name, source="eval", native_id=name, schema=Schema.PERSON,
                  names=(Name(name),))


def _scores(pairs: Sequence[Pair]) -> list[float]:
    return [compare(prepare(_person(a)), prepare(_person(b))).score for a, b in pairs]


def measure(pairs: Sequence[Pair], misses: int = 0) -> dict[str, Any]:
    """Share of pairs met, mean score, and the share of shuffled (false) pairs met."""
    rng = random.Random(9)
    others = [b for _, b in pairs]
    rng.shuffle(others)
    negatives = [(a, b) for (a, own), b in zip(pairs, others, strict=True) if b != own]
    scores = _scores(pairs)
    false = _scores(negatives)
    met = sum(s >= DEFAULT_THRESHOLD for s in scores)
    report: dict[str, Any] = {
        "pairs": len(pairs), "met": met, "share": round(met / max(1, len(pairs)), 4),
        "mean": round(sum(scores) / max(1, len(scores)), 4),
        "negatives": len(negatives),
        "negatives_met": sum(s >= DEFAULT_THRESHOLD for s in false),
    }
    if misses:
        low = sorted(zip(scores, pairs, strict=True))[:misses]
        report["misses"] = [f"{a} / {b} {s:.2f}" for s, (a, b) in low]
    return report


def evaluate(shared: Path, part: str, misses: int = 0) -> dict[str, Any]:
    folder = shared / "eval" / "transliteration"
    sets = {"spellings": spellings(folder / "wd_arabic_80.tsv"),
            "unseen": unseen(folder / "google_ar2en_eval.tsv")}
    parts = ("dev", "held_out") if part == "both" else (part,)
    return {f"{name}/{p}": measure([x for x in pairs if part_of(x[0]) == p], misses)
            for name, pairs in sets.items() for p in parts}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=None,
                        help="the shared folder (EMBARGO_SHARED)")
    parser.add_argument("--part", choices=("dev", "held_out", "both"), default="dev")
    parser.add_argument("--misses", type=int, default=0, help="list this many lowest pairs")
    args = parser.parse_args(argv)
    shared = args.shared or load_settings().shared
    if not (shared / "eval" / "transliteration").is_dir():
        sys.stderr.write(f"error: no folder {shared}/eval/transliteration\n")
        return 2
    report = evaluate(shared, args.part, args.misses)
    sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
