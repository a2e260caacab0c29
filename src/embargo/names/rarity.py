"""How informative a name word is: the words many listed people share weigh less.

``Mohammed``, ``Ali`` or ``Abdul`` are given names of hundreds of listed people: a query that
shares only such a word with a listed party says little about who it is. The shipped table
(``data/common_names.tsv``) holds the folded words (see :func:`embargo.names.phonetic.fold`)
found in the Latin-script names of at least :data:`~embargo.matching.weights.RARE_DF`
listed people, with that count; :func:`rarity` turns the count into a weight in
(0, 1]. Rebuild the table from list files with
``python -m embargo.names.rarity LIST_FILE ...`` (it prints the table).
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources

from embargo.matching import weights as w

TABLE = "common_names.tsv"


@cache
def table() -> dict[str, int]:
    """Folded word -> how many listed people carry it (only the common ones)."""
    text = resources.files("embargo.names.data").joinpath(TABLE).read_text("utf-8")
    out = {}
    for line in text.splitlines():
        word, _, count = line.partition("\t")
        if count:
            out[word] = int(count)
    return out


def rarity(folded: str) -> float:
    """The weight of a name word: 1 for a rare one, less the more people share it."""
    count = table().get(folded, 0)
    if count < w.RARE_DF:
        return 1.0
    return max(w.COMMON_MIN_WEIGHT, 1.0 - w.COMMON_SLOPE * math.log(count / w.RARE_DF))


def count_words(people: Iterable[Iterable[str]]) -> Counter[str]:
    """Per folded word, the number of people (each an iterable of their words) carrying it."""
    from embargo.names.phonetic import fold

    counts: Counter[str] = Counter()
    for words in people:
        counts.update({fold(word) for word in words})
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    from pathlib import Path

    from embargo.evaluation.screening import load_list
    from embargo.model import Schema
    from embargo.names.analyse import analyse_all
    from embargo.names.script import dominant_script

    people = []
    for path in argv if argv is not None else sys.argv[1:]:
        for entity in load_list(Path(path)):
            if entity.schema is not Schema.PERSON:
                continue
            words: set[str] = set()
            for name in entity.names:
                if dominant_script(name.full) in ("Latin", "Common"):
                    for form in analyse_all(name.full, entity.schema):
                        words.update(t for t in form.variants[0] if t and t not in form.weak)
            people.append(words)
    counts = count_words(people)
    for word, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if count >= w.RARE_DF:
            sys.stdout.write(f"{word}\t{count}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
